#include "base/url.h"

#include <gtest/gtest.h>

namespace cairn::url {
namespace {

TEST(UrlTest, DecodesEscapesAndRefusesBrokenOnes) {
  std::string out;
  EXPECT_TRUE(PercentDecode("arn%3Aaws%3Asecurityhub%2Fdefault", out));
  EXPECT_EQ(out, "arn:aws:securityhub/default");
  EXPECT_TRUE(PercentDecode("a+b", out));
  EXPECT_EQ(out, "a+b");
  EXPECT_TRUE(PercentDecode("a+b", out, /*plus_is_space=*/true));
  EXPECT_EQ(out, "a b");
  EXPECT_FALSE(PercentDecode("%G1", out));
  EXPECT_FALSE(PercentDecode("abc%4", out));
  EXPECT_FALSE(PercentDecode("abc%", out));
}

TEST(UrlTest, ParsesRepeatedKeysInOrder) {
  std::vector<std::pair<std::string, std::string>> pairs;
  ASSERT_TRUE(ParseQuery("tagKeys=a&tagKeys=b%20c&flag&", pairs, false));
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[1].second, "b c");
  EXPECT_EQ(pairs[2].first, "flag");
  EXPECT_EQ(pairs[2].second, "");
  EXPECT_FALSE(ParseQuery("a=%zz", pairs, false));
}

}  // namespace
}  // namespace cairn::url
