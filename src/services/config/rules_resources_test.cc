#include "services/config/rules_resources.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::config {
namespace {
namespace json = boost::json;

json::object Request(std::string_view text) { return json::parse(text).as_object(); }

std::string ErrorOf(std::string_view request) {
  Result<std::string> checked = CheckRuleMetadata(Request(request));
  EXPECT_FALSE(checked.ok());
  if (checked.ok()) return "";
  EXPECT_EQ(checked.error().code, "InvalidParameterValueException");
  return checked.error().message;
}

TEST(CheckRuleMetadata, NamesTheOneMetadataGiven) {
  EXPECT_EQ(*CheckRuleMetadata(Request(R"({"OrganizationManagedRuleMetadata":
      {"RuleIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}})")),
            "OrganizationManagedRuleMetadata");
  EXPECT_EQ(*CheckRuleMetadata(Request(R"({"OrganizationCustomRuleMetadata": {"LambdaFunctionArn":
      "arn:aws:lambda:us-east-1:111111111111:function:f",
      "OrganizationConfigRuleTriggerTypes": ["ScheduledNotification"]}})")),
            "OrganizationCustomRuleMetadata");
  EXPECT_EQ(*CheckRuleMetadata(Request(R"({"OrganizationCustomPolicyRuleMetadata":
      {"PolicyRuntime": "guard-2.x.x", "PolicyText": "rule x {}"}})")),
            "OrganizationCustomPolicyRuleMetadata");
}

TEST(CheckRuleMetadata, RefusesNoneOrSeveralMetadata) {
  const std::string expected =
      "Specify either OrganizationCustomRuleMetadata or OrganizationManagedRuleMetadata in the "
      "input.";
  EXPECT_EQ(ErrorOf(R"({"OrganizationConfigRuleName": "r"})"), expected);
  EXPECT_EQ(
      ErrorOf(R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "IAM_PASSWORD_POLICY"},
      "OrganizationCustomPolicyRuleMetadata": {"PolicyRuntime": "guard-2.x.x", "PolicyText": ""}})"),
      expected);
}

TEST(CheckRuleMetadata, InputParametersMustBeAJsonObject) {
  EXPECT_EQ(ErrorOf(R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "IAM_PASSWORD_POLICY",
      "InputParameters": "{not json"}})"),
            "Invalid json {not json passed in the InputParameters field");
  EXPECT_EQ(ErrorOf(R"({"OrganizationCustomPolicyRuleMetadata": {"PolicyRuntime": "guard-2.x.x",
      "PolicyText": "", "InputParameters": "[1, 2]"}})"),
            "Invalid json [1, 2] passed in the InputParameters field");
  EXPECT_TRUE(
      CheckRuleMetadata(Request(R"({"OrganizationCustomRuleMetadata": {"LambdaFunctionArn": "f",
      "OrganizationConfigRuleTriggerTypes": [], "InputParameters": "{\"a\": \"1\"}"}})"))
          .ok());
}

TEST(CheckRuleMetadata, ManagedRuleIdentifierHasAwsForm) {
  EXPECT_EQ(
      ErrorOf(
          R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "s3-bucket-versioning-enabled"}})"),
      "The ruleIdentifier s3-bucket-versioning-enabled is invalid. Please refer to Config rules "
      "documentation "
      "for a list of valid identifiers that can be used for OrganizationManagedRuleMetadata.");
  // Identifiers cairn does not know are taken: AWS adds managed rules often.
  EXPECT_TRUE(CheckRuleMetadata(Request(R"({"OrganizationManagedRuleMetadata":
      {"RuleIdentifier": "SOME_FUTURE_RULE_2"}})"))
                  .ok());
}

TEST(CheckRuleMetadata, ManagedRuleNeedsItsRequiredParameters) {
  EXPECT_EQ(
      ErrorOf(
          R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "EKS_CLUSTER_SUPPORTED_VERSION"}})"),
      "The required parameter oldestVersionSupported is not present in the inputParameters, please "
      "refer to "
      "Config rules documentation for the required parameters.");
  EXPECT_EQ(
      ErrorOf(
          R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "CLOUDWATCH_ALARM_RESOURCE_CHECK",
      "InputParameters": "{\"resourceType\": \"AWS::EC2::Instance\"}"}})"),
      "The required parameter metricName is not present in the inputParameters, please refer to "
      "Config rules "
      "documentation for the required parameters.");
  EXPECT_TRUE(CheckRuleMetadata(
                  Request(R"({"OrganizationManagedRuleMetadata": {"RuleIdentifier": "REQUIRED_TAGS",
      "InputParameters": "{\"tag1Key\": \"team\"}"}})"))
                  .ok());
}

TEST(RuleResources, SerializedFormRoundTrips) {
  OrganizationConfigRule rule;
  rule.name = "versioning";
  rule.id = "ab12cd34";
  rule.arn = "arn:aws:config:us-east-1:111111111111:organization-config-rule/versioning-ab12cd34";
  rule.organization_id = "o-abcdefghij";
  rule.metadata_member = "OrganizationManagedRuleMetadata";
  rule.metadata = {{"RuleIdentifier", "S3_BUCKET_VERSIONING_ENABLED"}};
  rule.excluded_accounts = {"222222222222"};
  rule.last_update_time = 1714000000.5;
  rule.status = "CREATE_FAILED";
  rule.error_code = "E";
  rule.error_message = "M";
  rule.status_time = 1714000002;
  rule.due = 1714000004;
  const OrganizationConfigRule restored =
      OrganizationConfigRule::FromJson(json::parse(json::serialize(rule.ToJson())));
  EXPECT_EQ(json::serialize(restored.ToJson()), json::serialize(rule.ToJson()));
  EXPECT_EQ(restored.MemberRuleName(), "OrgConfigRule-versioning-ab12cd34");
  EXPECT_FALSE(restored.InProgress());

  const MemberRuleStatus member{"333333333333", "CREATE_IN_PROGRESS", "", "", 1714000000,
                                1714000002};
  EXPECT_EQ(json::serialize(MemberRuleStatus::FromJson(member.ToJson()).ToJson()),
            json::serialize(member.ToJson()));
}

}  // namespace
}  // namespace cairn::config
