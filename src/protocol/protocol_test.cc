#include "protocol/protocol.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::protocol {
namespace {
namespace json = boost::json;

class ProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override { catalog_ = model::Catalog::LoadEmbedded(); }
  const model::ServiceModel& Service(std::string_view name) { return *catalog_->Find(name); }
  std::unique_ptr<model::Catalog> catalog_;
};

TEST_F(ProtocolTest, ResolvesJsonTargets) {
  Result<Target> target = ResolveJsonTarget(*catalog_, "AmazonSSM.CreateAssociation");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->service->name, "ssm");
  EXPECT_EQ(target->operation->name, "CreateAssociation");
  EXPECT_EQ(ResolveJsonTarget(*catalog_, "AmazonSSM.SendCommand").error().code,
            "UnknownOperationException");
  EXPECT_EQ(ResolveJsonTarget(*catalog_, "Nope.CreateAssociation").error().code,
            "UnknownOperationException");
  EXPECT_EQ(ResolveJsonTarget(*catalog_, "garbage").error().code, "UnknownOperationException");
}

TEST_F(ProtocolTest, RoutesRestRequestsByMethodAndTemplate) {
  RestRouter router(*catalog_);
  Result<Target> list = router.Match("POST", "/configurationPolicyAssociation/list");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->operation->name, "ListConfigurationPolicyAssociations");

  Result<Target> get = router.Match("GET", "/configurationPolicy/get/a1b2");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->operation->name, "GetConfigurationPolicy");
  ASSERT_EQ(get->uri_labels.size(), 1u);
  EXPECT_EQ(get->uri_labels[0].second, "a1b2");

  Result<Target> remove = router.Match("DELETE", "/configurationPolicy/a1b2");
  ASSERT_TRUE(remove.ok());
  EXPECT_EQ(remove->operation->name, "DeleteConfigurationPolicy");

  Result<Target> tags =
      router.Match("GET", "/tags/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A1%3Ahub%2Fdefault");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->uri_labels[0].second, "arn:aws:securityhub:us-east-1:1:hub/default");

  Result<Target> greedy = router.Match(
      "GET",
      "/standards/controls/arn:aws:securityhub:us-east-1:1:subscription/aws-foundational/v/1.0.0");
  ASSERT_TRUE(greedy.ok());
  EXPECT_EQ(greedy->operation->name, "DescribeStandardsControls");
  EXPECT_EQ(greedy->uri_labels[0].second,
            "arn:aws:securityhub:us-east-1:1:subscription/aws-foundational/v/1.0.0");

  Result<Target> missing = router.Match("GET", "/no/such/route");
  EXPECT_EQ(missing.error().code, "UnknownOperationException");
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_EQ(router.Match("PUT", "/configurationPolicyAssociation/list").error().http_status, 404);
  EXPECT_EQ(router.Match("GET", "/tags/bad%zzescape").error().http_status, 400);
}

TEST_F(ProtocolTest, RestInputFromLabelsQueryAndBody) {
  RestRouter router(*catalog_);
  Result<Target> untag = router.Match("DELETE", "/tags/arn%3Ax");
  ASSERT_TRUE(untag.ok());
  HttpRequest request{"DELETE", "/tags/arn%3Ax?tagKeys=a&tagKeys=b%20c", {}, ""};
  Result<json::value> input = ParseInput(*untag, request);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(json::serialize(*input), R"({"ResourceArn":"arn:x","TagKeys":["a","b c"]})");

  Result<Target> list = router.Match("GET", "/configurationPolicy/list");
  HttpRequest paged{"GET", "/configurationPolicy/list?MaxResults=10", {}, ""};
  EXPECT_EQ(json::serialize(*ParseInput(*list, paged)), R"({"MaxResults":10})");
  HttpRequest bad{"GET", "/configurationPolicy/list?MaxResults=ten", {}, ""};
  EXPECT_EQ(ParseInput(*list, bad).error().code, "SerializationException");

  Result<Target> associations = router.Match("POST", "/configurationPolicyAssociation/list");
  HttpRequest body{"POST", "/configurationPolicyAssociation/list", {}, R"({"MaxResults":5})"};
  EXPECT_EQ(json::serialize(*ParseInput(*associations, body)), R"({"MaxResults":5})");
  HttpRequest broken{"POST", "/configurationPolicyAssociation/list", {}, "{"};
  EXPECT_EQ(ParseInput(*associations, broken).error().code, "SerializationException");
}

TEST_F(ProtocolTest, JsonBodiesMustBeObjects) {
  Target target = *ResolveJsonTarget(*catalog_, "AmazonSSM.ListAssociations");
  EXPECT_TRUE(ParseInput(target, HttpRequest{"POST", "/", {}, ""}).ok());
  EXPECT_EQ(ParseInput(target, HttpRequest{"POST", "/", {}, "[1]"}).error().code,
            "SerializationException");
  EXPECT_EQ(ParseInput(target, HttpRequest{"POST", "/", {}, "{\"a\":"}).error().code,
            "SerializationException");
  EXPECT_EQ(ParseInput(target, HttpRequest{"POST", "/", {}, "{\"a\":\"\xff\"}"}).error().code,
            "SerializationException");
  EXPECT_EQ(ParseInput(target, HttpRequest{"GET", "/", {}, ""}).error().code,
            "UnknownOperationException");
}

TEST_F(ProtocolTest, ValidationErrorsInEachServicesShape) {
  validate::Report report;
  report.violations.push_back({validate::Constraint::kPattern, "associationName", "a b", false,
                               "Member must satisfy regular expression pattern: ^x$"});
  AwsError ssm = ValidationError(Service("ssm"), report);
  EXPECT_EQ(ssm.code, "ValidationException");
  EXPECT_EQ(ssm.message,
            "1 validation error detected: Value 'a b' at 'associationName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: ^x$");
  report.violations.push_back(
      {validate::Constraint::kRequired, "name", "", true, "Member must not be null"});
  EXPECT_EQ(ValidationError(Service("config"), report).message,
            "2 validation errors detected: Value 'a b' at 'associationName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: ^x$; Value null at 'name' "
            "failed to satisfy constraint: Member must not be null");
  AwsError organizations = ValidationError(Service("organizations"), report);
  EXPECT_EQ(organizations.code, "InvalidInputException");
  EXPECT_EQ(organizations.fields.at("Reason").as_string(), "INVALID_PATTERN");
  EXPECT_EQ(organizations.message,
            "You provided a value that does not match the required pattern.");
  EXPECT_EQ(ValidationError(Service("securityhub"), report).code, "InvalidInputException");
  validate::Report limit;
  limit.violations.push_back({validate::Constraint::kMaxValue, "limit", "101", false,
                              "Member must have value less than or equal to 100"});
  EXPECT_EQ(ValidationError(Service("config"), limit).code, "InvalidLimitException");
  EXPECT_EQ(ValidationError(Service("ssm"), limit).code, "ValidationException");
  validate::Report typed;
  typed.type_error = "STRING_VALUE cannot be converted to Integer";
  EXPECT_EQ(ValidationError(Service("ssm"), typed).code, "SerializationException");
}

TEST_F(ProtocolTest, ErrorWireShapes) {
  HttpResponse json_error =
      ErrorResponse(&Service("ssm"), AwsError::Make("AssociationDoesNotExist", "gone"), "rid");
  EXPECT_EQ(json_error.status, 400);
  const json::object body = json::parse(json_error.body).as_object();
  EXPECT_EQ(body.at("__type").as_string(), "AssociationDoesNotExist");
  EXPECT_EQ(body.at("message").as_string(), "gone");

  HttpResponse rest_error =
      ErrorResponse(&Service("securityhub"), AwsError::Make("AccessDeniedException", "no"), "rid");
  EXPECT_EQ(rest_error.status, 403);  // from the model's error trait
  bool has_error_type = false;
  for (const auto& [name, value] : rest_error.headers) {
    has_error_type |= name == "x-amzn-ErrorType" && value == "AccessDeniedException";
  }
  EXPECT_TRUE(has_error_type);
  EXPECT_EQ(rest_error.body, R"({"Code":"AccessDeniedException","Message":"no"})");

  HttpResponse organizations_error =
      ErrorResponse(&Service("organizations"),
                    AwsError::Make("ConstraintViolationException", "deep")
                        .With("Reason", "OU_DEPTH_LIMIT_EXCEEDED"),
                    "rid");
  const json::object organizations_body = json::parse(organizations_error.body).as_object();
  EXPECT_EQ(organizations_body.at("Reason").as_string(), "OU_DEPTH_LIMIT_EXCEEDED");
  EXPECT_EQ(organizations_body.at("Message").as_string(), "deep");

  HttpResponse xml_error =
      ErrorResponse(&Service("sts"), AwsError::Make("InvalidAction", "a<b"), "rid");
  EXPECT_NE(xml_error.body.find("<Code>InvalidAction</Code><Message>a&lt;b</Message>"),
            std::string::npos);
}

TEST_F(ProtocolTest, OutputTimestampsFollowTheProtocol) {
  const model::ServiceModel& ssm = Service("ssm");
  json::object description{{"Name", "doc"},
                           {"Date", 1714566896.7891},
                           {"AssociationId", nullptr},
                           {"NotInTheShape", "dropped"}};
  HttpResponse json_ok =
      SuccessResponse(ssm, *ssm.FindOperation("DescribeAssociation"),
                      json::object{{"AssociationDescription", description}}, "rid");
  EXPECT_EQ(json_ok.body, R"({"AssociationDescription":{"Name":"doc","Date":1.714566896789E9}})");

  const model::ServiceModel& hub = Service("securityhub");
  json::object summary{{"ConfigurationPolicyId", "p"}, {"UpdatedAt", 1714566896.789}};
  HttpResponse rest_ok = SuccessResponse(
      hub, *hub.FindOperation("ListConfigurationPolicyAssociations"),
      json::object{{"ConfigurationPolicyAssociationSummaries", json::array{summary}}}, "rid");
  EXPECT_EQ(
      rest_ok.body,
      R"({"ConfigurationPolicyAssociationSummaries":[{"ConfigurationPolicyId":"p","UpdatedAt":"2024-05-01T12:34:56.789Z"}]})");

  const model::ServiceModel& sts = Service("sts");
  HttpResponse xml_ok = SuccessResponse(
      sts, *sts.FindOperation("GetCallerIdentity"),
      json::object{{"Account", "123456789012"}, {"Arn", "arn"}, {"UserId", "u"}}, "rid");
  EXPECT_EQ(
      xml_ok.body,
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<GetCallerIdentityResult><UserId>u</UserId><Account>123456789012</Account><Arn>arn</Arn>"
      "</GetCallerIdentityResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
      "</GetCallerIdentityResponse>");
}

TEST_F(ProtocolTest, RestLabelsMustDecodeToUtf8) {
  RestRouter router(*catalog_);
  Result<Target> bad = router.Match("GET", "/configurationPolicy/get/a%FFb");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "InvalidInputException");
  EXPECT_EQ(bad.error().http_status, 400);
  EXPECT_TRUE(router.Match("GET", "/configurationPolicy/get/caf%C3%A9").ok());
}

TEST_F(ProtocolTest, ErrorMessagesQuotingClientBytesStayWellFormed) {
  HttpResponse json_error =
      ErrorResponse(&Service("ssm"),
                    errors::UnknownOperationException("Unknown operation AmazonSSM.\xff"), "rid");
  boost::system::error_code error;
  json::value parsed = json::parse(json_error.body, error);
  ASSERT_FALSE(error) << json_error.body;
  EXPECT_EQ(parsed.at("message").as_string(), "Unknown operation AmazonSSM.\xEF\xBF\xBD");

  HttpResponse xml_error = ErrorResponse(
      &Service("sts"), AwsError::Make("InvalidAction", std::string("Get\0Caller\xfe", 11), 400),
      "rid");
  EXPECT_NE(xml_error.body.find("<Message>Get\xEF\xBF\xBD"
                                "Caller\xEF\xBF\xBD</Message>"),
            std::string::npos)
      << xml_error.body;
}

TEST_F(ProtocolTest, RefusalsTakeTheShapeAndThrottlingErrorOfTheRequestsProtocol) {
  const AwsError throttled = AwsError::Make("ThrottlingException", "Rate exceeded", 400);
  auto refuse = [&](HttpRequest request) {
    return RefusalResponse(*catalog_, throttled, &request, "rid");
  };
  HttpRequest ssm{.method = "POST", .target = "/"};
  ssm.headers = {{"x-amz-target", "AmazonSSM.ListDocuments"}};
  HttpResponse answer = refuse(ssm);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(json::parse(answer.body).at("__type").as_string(), "ThrottlingException");

  HttpRequest organizations{.method = "POST", .target = "/"};
  organizations.headers = {{"x-amz-target", "AWSOrganizationsV20161128.ListRoots"}};
  EXPECT_EQ(json::parse(refuse(organizations).body).at("__type").as_string(),
            "TooManyRequestsException");

  HttpRequest securityhub{.method = "GET", .target = "/configurationPolicy/list"};
  answer = refuse(securityhub);
  EXPECT_EQ(answer.status, 429);
  bool typed = false;
  for (const auto& [name, value] : answer.headers)
    typed |= name == "x-amzn-ErrorType" && value == "LimitExceededException";
  EXPECT_TRUE(typed) << answer.body;

  HttpRequest sts{.method = "POST", .target = "/"};
  sts.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  answer = refuse(sts);
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("<Code>Throttling</Code>"), std::string::npos);

  // Without a request (the header could not be read): the awsJson shape, code unchanged.
  answer =
      RefusalResponse(*catalog_, AwsError::Make("RequestTimeout", "slow", 408), nullptr, "rid");
  EXPECT_EQ(answer.status, 408);
  EXPECT_EQ(json::parse(answer.body).at("__type").as_string(), "RequestTimeout");
}

}  // namespace
}  // namespace cairn::protocol
