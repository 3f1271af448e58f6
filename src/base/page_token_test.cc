#include "base/page_token.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(PageTokensTest, RoundTripsWithinItsScope) {
  PageTokens tokens("secret");
  const std::string scope = PageScope({"111111111111", "us-east-1", "ListAccounts"});
  const std::string token = tokens.Encode(scope, "222222222222");
  EXPECT_EQ(tokens.Decode(scope, token), "222222222222");
  EXPECT_EQ(token.find("222222222222"), std::string::npos) << "tokens are opaque";
  EXPECT_EQ(token.find("MjIyMjIy"), std::string::npos) << "not even in base64";
  const std::string long_key(100, 'k');  // longer than one keystream block
  EXPECT_EQ(tokens.Decode(scope, tokens.Encode(scope, long_key)), long_key);
}

TEST(PageTokensTest, RefusesForgedAndForeignTokens) {
  PageTokens tokens("secret");
  const std::string scope = PageScope({"111111111111", "us-east-1", "ListAccounts"});
  const std::string token = tokens.Encode(scope, "k");
  EXPECT_FALSE(tokens.Decode(PageScope({"333333333333", "us-east-1", "ListAccounts"}), token));
  EXPECT_FALSE(tokens.Decode(scope, "not-a-token"));
  EXPECT_FALSE(tokens.Decode(scope, "!!!"));
  EXPECT_FALSE(tokens.Decode(scope, ""));
  std::string tampered = token;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens.Decode(scope, tampered));
  EXPECT_FALSE(PageTokens("other").Decode(scope, token));
}

TEST(PageTokensTest, ScopePartsCannotRunTogether) {
  EXPECT_NE(PageScope({"ab", "c"}), PageScope({"a", "bc"}));
}

}  // namespace
}  // namespace cairn
