#include "gateway/sigv4.h"

#include <gtest/gtest.h>

#include "base/sha256.h"
#include "gateway/strict_auth.h"

namespace cairn::gateway {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

HttpRequest Signed(std::string method, std::string target, std::string host, std::string scope,
                   std::string signed_headers, std::string signature, std::string body = "") {
  HttpRequest request{std::move(method), std::move(target), {}, std::move(body)};
  request.headers.emplace_back("host", std::move(host));
  request.headers.emplace_back("x-amz-date", "20150830T123600Z");
  request.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope +
                                                    ", SignedHeaders=" + signed_headers +
                                                    ", Signature=" + signature);
  return request;
}

// AWS's SigV4 test suite case `get-vanilla`.
TEST(SigV4Test, MatchesAwsGetVanilla) {
  const HttpRequest request =
      Signed("GET", "/", "example.amazonaws.com", "20150830/us-east-1/service/aws4_request",
             "host;x-amz-date", "x");
  std::optional<sigv4::Incomplete> incomplete;
  const std::optional<sigv4::Parts> parts = sigv4::Read(request, incomplete);
  ASSERT_TRUE(parts.has_value());
  ASSERT_FALSE(incomplete.has_value());
  const std::string canonical =
      sigv4::CanonicalRequest(request, *parts, sha256::HexHash(request.body));
  EXPECT_EQ(canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sigv4::Signature(kSecret, *parts, sigv4::StringToSign(*parts, canonical)),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

// What botocore 1.43 signs for an encoded REST path, repeated query names and a body.
TEST(SigV4Test, MatchesBotocoreOnEncodedPathsAndQueries) {
  HttpRequest request = Signed(
      "POST",
      "/configurationPolicy/get/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A1%3Ax%2Fy?b=2&a=1%202&a=0",
      "securityhub.us-east-1.amazonaws.com", "20150830/us-east-1/securityhub/aws4_request",
      "content-type;host;x-amz-date", "x", R"({"x":1})");
  request.headers.emplace_back("content-type", "application/json");
  std::optional<sigv4::Incomplete> incomplete;
  const std::optional<sigv4::Parts> parts = sigv4::Read(request, incomplete);
  ASSERT_TRUE(parts.has_value());
  const std::string canonical =
      sigv4::CanonicalRequest(request, *parts, sha256::HexHash(request.body));
  EXPECT_EQ(canonical,
            "POST\n/configurationPolicy/get/"
            "arn%253Aaws%253Asecurityhub%253Aus-east-1%253A1%253Ax%252Fy\na=0&a=1%202&b=2\n"
            "content-type:application/json\nhost:securityhub.us-east-1.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "5041bf1f713df204784353e82f6a4a535931cb64f1f4b4a5aeaffcb720918b22");
  EXPECT_EQ(sigv4::Signature(kSecret, *parts, sigv4::StringToSign(*parts, canonical)),
            "76732f947d45ae83b39416e143b2ab6c3a1d7a8a8f1e5043aab04833c5d4a7d5");
}

TEST(SigV4Test, ReportsEveryMissingPart) {
  HttpRequest request{
      "POST", "/", {{"authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request"}}, ""};
  std::optional<sigv4::Incomplete> incomplete;
  EXPECT_FALSE(sigv4::Read(request, incomplete).has_value());
  ASSERT_TRUE(incomplete.has_value());
  EXPECT_NE(incomplete->message.find("requires 'Signature' parameter"), std::string::npos);
  EXPECT_NE(incomplete->message.find("requires 'SignedHeaders' parameter"), std::string::npos);
  EXPECT_NE(incomplete->message.find("'X-Amz-Date' or a 'Date' header"), std::string::npos);
  EXPECT_EQ(incomplete->message.find("'Credential' parameter"), std::string::npos);
}

TEST(SigV4Test, NoSignatureIsNotIncomplete) {
  HttpRequest request{"POST", "/?Action=GetCallerIdentity", {}, ""};
  std::optional<sigv4::Incomplete> incomplete;
  EXPECT_FALSE(sigv4::Read(request, incomplete).has_value());
  EXPECT_FALSE(incomplete.has_value());
}

TEST(SigV4Test, AmzDatesRoundTrip) {
  EXPECT_EQ(sigv4::ParseAmzDate("20150830T123600Z"), 1440938160);
  EXPECT_EQ(sigv4::FormatAmzDate(1440938160), "20150830T123600Z");
  EXPECT_FALSE(sigv4::ParseAmzDate("2015-08-30T12:36:00Z").has_value());
  EXPECT_FALSE(sigv4::ParseAmzDate("20151330T123600Z").has_value());
}

TEST(StrictAuthTest, RefusesMalformedCredentialFiles) {
  std::string error;
  EXPECT_FALSE(StrictAuth::Parse("[1, 2]", error).has_value());
  EXPECT_FALSE(StrictAuth::Parse("AKID: {secret_access_key: s, account: 1234}", error));
  EXPECT_NE(error.find("12-digit account"), std::string::npos);
  EXPECT_FALSE(
      StrictAuth::Parse("AKID: {secret_access_key: s, account: '111111111111', x: 1}", error));
  EXPECT_NE(error.find("unknown field 'x'"), std::string::npos);
  EXPECT_FALSE(
      StrictAuth::Parse("'bad key': {secret_access_key: s, account: '111111111111'}", error));
  const std::optional<StrictAuth> auth = StrictAuth::Parse(
      "AKID1: {secret_access_key: s, account: '111111111111'}\n"
      "AKID2: {secret_access_key: t, account: '222222222222', session_token: tok}\n",
      error);
  ASSERT_TRUE(auth.has_value()) << error;
  EXPECT_EQ(auth->size(), 2u);
}

}  // namespace
}  // namespace cairn::gateway
