#include "base/json_fields.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::json_fields {
namespace {

TEST(JsonFieldsTest, AbsentOrMistypedMembersReadEmpty) {
  const boost::json::object object =
      boost::json::parse(
          R"({"name":"x","n":2.5,"on":true,"tags":{"a":"1","b":2},"list":["p",3,"q"],"obj":{"k":1}})")
          .as_object();
  EXPECT_EQ(Text(object, "name"), "x");
  EXPECT_EQ(Text(object, "n"), "");
  EXPECT_EQ(Text(boost::json::value(object), "name"), "x");
  EXPECT_EQ(Text(boost::json::value(5), "name"), "");
  EXPECT_DOUBLE_EQ(Number(object, "n"), 2.5);
  EXPECT_DOUBLE_EQ(Number(object, "name"), 0);
  EXPECT_TRUE(Flag(object, "on"));
  EXPECT_TRUE(Flag(object, "missing", true));
  EXPECT_EQ(Object(object, "obj").size(), 1u);
  EXPECT_TRUE(Array(object, "obj").empty());
  EXPECT_EQ(Strings(object, "list"), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(StringMap(object, "tags"), (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(StringMapToJson({{"k", "v"}}).at("k").as_string(), "v");
  EXPECT_EQ(StringsToJson({"a", "b"}).size(), 2u);
}

}  // namespace
}  // namespace cairn::json_fields
