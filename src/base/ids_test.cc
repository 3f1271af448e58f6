#include "base/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cairn::ids {
namespace {

TEST(IdsTest, UuidIsVersion4AndUnique) {
  const std::regex uuid_format(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int draw_idx = 0; draw_idx < 1000; ++draw_idx) {
    const std::string uuid = Uuid();
    EXPECT_TRUE(std::regex_match(uuid, uuid_format)) << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdsTest, AlphabetsAndLengths) {
  EXPECT_TRUE(std::regex_match(RandomHex(17), std::regex("^[0-9a-f]{17}$")));
  EXPECT_TRUE(std::regex_match(RandomLowerAlnum(10), std::regex("^[0-9a-z]{10}$")));
  for (int draw_idx = 0; draw_idx < 100; ++draw_idx) {
    EXPECT_TRUE(std::regex_match(RandomDigits(12), std::regex("^[1-9][0-9]{11}$")));
  }
}

}  // namespace
}  // namespace cairn::ids
