#include "gateway/identity.h"

#include <gtest/gtest.h>

namespace cairn::gateway {
namespace {

HttpRequest WithAuthorization(std::string value) {
  HttpRequest request{"POST", "/", {}, ""};
  request.headers.emplace_back("authorization", std::move(value));
  return request;
}

TEST(IdentityTest, ReadsTheCredentialScope) {
  Result<std::optional<Credential>> credential = ReadCredential(WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=123456789012/20240501/eu-west-1/ssm/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abcd"));
  ASSERT_TRUE(credential.ok());
  ASSERT_TRUE(credential->has_value());
  EXPECT_EQ((*credential)->access_key_id, "123456789012");
  EXPECT_EQ((*credential)->region, "eu-west-1");
  EXPECT_EQ((*credential)->service, "ssm");
}

TEST(IdentityTest, ReadsPresignedQueryCredentials) {
  HttpRequest request{"GET",
                      "/?Action=GetCallerIdentity&X-Amz-Credential=AKIDEXAMPLE%2F20240501%2Fus-"
                      "west-2%2Fsts%2Faws4_request",
                      {},
                      ""};
  Result<std::optional<Credential>> credential = ReadCredential(request);
  ASSERT_TRUE(credential.ok() && credential->has_value());
  EXPECT_EQ((*credential)->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ((*credential)->region, "us-west-2");
}

TEST(IdentityTest, MissingAndMalformedCredentials) {
  Result<std::optional<Credential>> none = ReadCredential(HttpRequest{"POST", "/", {}, ""});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(ReadCredential(WithAuthorization("Basic Zm9vOmJhcg==")).error().code,
            "IncompleteSignatureException");
  EXPECT_EQ(
      ReadCredential(WithAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20240501")).error().code,
      "IncompleteSignatureException");
  // A region that is not a region name (too long, upper case, bytes outside ASCII) never
  // becomes a key of per-region state.
  for (const std::string region : {std::string(33, 'a'), std::string("US-EAST-1"),
                                   std::string("us-east-\xff"), std::string("")}) {
    EXPECT_EQ(
        ReadCredential(WithAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20240501/" + region +
                                         "/ssm/aws4_request, SignedHeaders=host, "
                                         "Signature=00"))
            .error()
            .code,
        "IncompleteSignatureException")
        << region;
  }
}

TEST(IdentityTest, TwelveDigitKeysAreAccounts) {
  EXPECT_EQ(AccountForKey("123456789012", "000000000000"), "123456789012");
  EXPECT_EQ(AccountForKey("AKIDEXAMPLE", "000000000000"), "000000000000");
  EXPECT_EQ(AccountForKey("12345678901a", "000000000000"), "000000000000");
  EXPECT_EQ(AccountForKey("1234567890123", "000000000000"), "000000000000");
}

}  // namespace
}  // namespace cairn::gateway
