#include "services/config/template.h"

#include <gtest/gtest.h>

namespace cairn::config::templates {
namespace {

constexpr std::string_view kAccount = "111111111111";
constexpr std::string_view kRegion = "us-east-1";

std::vector<RuleSpec> RulesOf(std::string_view body,
                              const std::map<std::string, std::string>& inputs = {}) {
  Result<Template> parsed = Template::Parse(body);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  if (!parsed.ok()) return {};
  Result<std::vector<RuleSpec>> rules = parsed->Resolve(inputs, kAccount, kRegion);
  EXPECT_TRUE(rules.ok()) << (rules.ok() ? "" : rules.error().message);
  return rules.ok() ? *rules : std::vector<RuleSpec>{};
}

// The message of the error that parsing, or else resolving, the template gives.
std::string ErrorOf(std::string_view body, const std::map<std::string, std::string>& inputs = {}) {
  Result<Template> parsed = Template::Parse(body);
  if (!parsed.ok()) {
    EXPECT_EQ(parsed.error().code, "ConformancePackTemplateValidationException");
    return parsed.error().message;
  }
  Result<std::vector<RuleSpec>> rules = parsed->Resolve(inputs, kAccount, kRegion);
  if (rules.ok()) return "no error";
  EXPECT_EQ(rules.error().code, "ConformancePackTemplateValidationException");
  return rules.error().message;
}

std::string Wrapped(std::string_view what) { return TemplateErrorMessage(what); }

constexpr std::string_view kOneRule = R"(
Resources:
  IAMPasswordPolicy:
    Properties:
      ConfigRuleName: IAMPasswordPolicy
      Source:
        Owner: AWS
        SourceIdentifier: IAM_PASSWORD_POLICY
    Type: AWS::Config::ConfigRule
)";

TEST(TemplateTest, ReadsTheTerraformProvidersYamlTemplate) {
  const std::vector<RuleSpec> rules = RulesOf(kOneRule);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].logical_id, "IAMPasswordPolicy");
  EXPECT_EQ(rules[0].name, "IAMPasswordPolicy");
  EXPECT_EQ(rules[0].owner, "AWS");
  EXPECT_EQ(rules[0].source_identifier, "IAM_PASSWORD_POLICY");
  EXPECT_EQ(rules[0].input_parameters, "");
}

TEST(TemplateTest, ReadsJsonTemplatesWithNonStringScalars) {
  const std::vector<RuleSpec> rules = RulesOf(R"({
    "Parameters": {"MaxAge": {"Type": "Number", "Default": 90}},
    "Resources": {"KeysRotated": {"Type": "AWS::Config::ConfigRule", "Properties": {
      "ConfigRuleName": "access-keys-rotated",
      "InputParameters": {"maxAccessKeyAge": {"Ref": "MaxAge"}, "strict": true},
      "Source": {"Owner": "AWS", "SourceIdentifier": "ACCESS_KEYS_ROTATED"},
      "MaximumExecutionFrequency": "TwentyFour_Hours"}}}})");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].name, "access-keys-rotated");
  EXPECT_EQ(rules[0].input_parameters, R"({"maxAccessKeyAge":"90","strict":"true"})");
  EXPECT_EQ(rules[0].maximum_execution_frequency, "TwentyFour_Hours");
}

TEST(TemplateTest, ShortFormRefTakesTheInputParameterOverTheDefault) {
  constexpr std::string_view kBody = R"(
Parameters:
  MaxAge:
    Type: String
    Default: '90'
Resources:
  KeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Sub 'keys-rotated-${AWS::Region}'
      InputParameters:
        maxAccessKeyAge: !Ref MaxAge
        account: !Ref AWS::AccountId
      Scope:
        ComplianceResourceTypes: [AWS::IAM::User]
      Source:
        Owner: AWS
        SourceIdentifier: ACCESS_KEYS_ROTATED
)";
  std::vector<RuleSpec> rules = RulesOf(kBody);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].name, "keys-rotated-us-east-1");
  EXPECT_EQ(rules[0].input_parameters, R"({"maxAccessKeyAge":"90","account":"111111111111"})");
  EXPECT_EQ(rules[0].resource_types, std::vector<std::string>{"AWS::IAM::User"});
  rules = RulesOf(kBody, {{"MaxAge", "30"}});
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].input_parameters, R"({"maxAccessKeyAge":"30","account":"111111111111"})");
}

// The shape of the templates in awslabs/aws-config-rules (aws-config-conformance-packs).
constexpr std::string_view kAwslabsStyle = R"(
Conditions:
  ec2VolumeInuseCheckParamDeleteOnTermination:
    Fn::Not:
    - Fn::Equals:
      - ''
      - Ref: Ec2VolumeInuseCheckParamDeleteOnTermination
Parameters:
  Ec2VolumeInuseCheckParamDeleteOnTermination:
    Default: 'TRUE'
    Type: String
Resources:
  Ec2VolumeInuseCheck:
    Properties:
      ConfigRuleName: ec2-volume-inuse-check
      InputParameters:
        deleteOnTermination:
          Fn::If:
          - ec2VolumeInuseCheckParamDeleteOnTermination
          - Ref: Ec2VolumeInuseCheckParamDeleteOnTermination
          - Ref: AWS::NoValue
      Scope:
        ComplianceResourceTypes:
        - AWS::EC2::Volume
      Source:
        Owner: AWS
        SourceIdentifier: EC2_VOLUME_INUSE_CHECK
    Type: AWS::Config::ConfigRule
)";

TEST(TemplateTest, ConditionsAndNoValueDropAnEmptyParameter) {
  std::vector<RuleSpec> rules = RulesOf(kAwslabsStyle);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].input_parameters, R"({"deleteOnTermination":"TRUE"})");
  rules = RulesOf(kAwslabsStyle, {{"Ec2VolumeInuseCheckParamDeleteOnTermination", ""}});
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].input_parameters, "{}");
}

TEST(TemplateTest, ResourceConditionLeavesTheRuleOut) {
  const std::vector<RuleSpec> rules = RulesOf(R"(
Parameters:
  Enabled: {Type: String, Default: 'no', AllowedValues: ['yes', 'no']}
Conditions:
  IsEnabled: !Equals [!Ref Enabled, 'yes']
Resources:
  Optional:
    Type: AWS::Config::ConfigRule
    Condition: IsEnabled
    Properties:
      Source: {Owner: AWS, SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED}
  Always:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Join ['-', [always, !Select [1, [a, b, c]]]]
      Source: {Owner: CUSTOM_POLICY, CustomPolicyDetails: {PolicyRuntime: guard-2.x.x, PolicyText: 'rule x {}'}}
  Fix:
    Type: AWS::Config::RemediationConfiguration
    Properties: {ConfigRuleName: !Ref Always, TargetId: AWS-EnableS3BucketEncryption, TargetType: SSM_DOCUMENT}
)");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].name, "always-b");
  EXPECT_EQ(rules[0].owner, "CUSTOM_POLICY");
}

TEST(TemplateTest, ARuleWithoutConfigRuleNameIsNamedAfterItsLogicalId) {
  const std::vector<RuleSpec> rules = RulesOf(R"(
Resources:
  Unnamed:
    Type: AWS::Config::ConfigRule
    Properties:
      Source: {Owner: CUSTOM_LAMBDA, SourceIdentifier: 'arn:aws:lambda:us-east-1:111111111111:function:check'}
)");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].name, "Unnamed");
}

TEST(TemplateTest, MalformedDocumentsAreFormatErrors) {
  EXPECT_EQ(ErrorOf("Resources:\n  A: b: c\n"),
            Wrapped("Template format error: YAML not well-formed. (line 2, column 7)"));
  EXPECT_EQ(ErrorOf("{\"Resources\": "), Wrapped("Template format error: JSON not well-formed."));
  EXPECT_EQ(ErrorOf("just text"), Wrapped("Template format error: unsupported structure."));
  EXPECT_EQ(ErrorOf("Description: nothing"),
            Wrapped("Template format error: At least one Resources member must be defined."));
  EXPECT_EQ(ErrorOf("Resourcez: {}\nResources: {A: {Type: AWS::Config::ConfigRule}}"),
            Wrapped("Template format error: Invalid template property or properties [Resourcez]"));
}

TEST(TemplateTest, MessagesHaveAwsShape) {
  EXPECT_EQ(TemplateErrorMessage(
                "Number of resources provided in the template exceeds the allowed limit"),
            "Invalid conformance pack template provided. Errors found: [Number of resources "
            "provided in the template "
            "exceeds the allowed limit]. Fix your template and try again.");
}

TEST(TemplateTest, MoreThan130ResourcesAreRefused) {
  std::string body = "Resources:\n";
  for (size_t rule_idx = 0; rule_idx <= kMaxResources; ++rule_idx) {
    body += "  Rule" + std::to_string(rule_idx) +
            ":\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: {Owner: AWS, "
            "SourceIdentifier: X}\n";
  }
  EXPECT_EQ(ErrorOf(body),
            Wrapped("Number of resources provided in the template exceeds the allowed limit"));
}

TEST(TemplateTest, OnlyConfigResourcesAreAllowed) {
  EXPECT_EQ(
      ErrorOf("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"),
      Wrapped(
          "Resource Bucket has the type AWS::S3::Bucket; a conformance pack template contains only "
          "AWS::Config::ConfigRule and AWS::Config::RemediationConfiguration resources"));
  EXPECT_EQ(ErrorOf("Resources:\n  Bucket:\n    Properties: {}\n"),
            Wrapped("Template format error: [/Resources/Bucket] Every Resources object must "
                    "contain a Type member."));
  EXPECT_EQ(ErrorOf("Resources:\n  my-rule:\n    Type: AWS::Config::ConfigRule\n"),
            Wrapped("Template format error: Resource name my-rule is non alphanumeric."));
}

TEST(TemplateTest, ParametersAreCheckedLikeCloudFormation) {
  constexpr std::string_view kBody = R"(
Parameters:
  Needed: {Type: String}
  Choice: {Type: String, Default: a, AllowedValues: [a, b]}
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Properties:
      InputParameters: {x: !Ref Needed, y: !Ref Choice}
      Source: {Owner: AWS, SourceIdentifier: X}
)";
  EXPECT_EQ(ErrorOf(kBody), Wrapped("Parameters: [Needed] must have values"));
  EXPECT_EQ(ErrorOf(kBody, {{"Needed", "1"}, {"Other", "2"}}),
            Wrapped("Parameters: [Other] do not exist in the template"));
  EXPECT_EQ(ErrorOf(kBody, {{"Needed", "1"}, {"Choice", "c"}}),
            Wrapped("Parameter 'Choice' must be one of AllowedValues"));
  EXPECT_EQ(ErrorOf(kBody, {{"Needed", "1"}}), "no error");
  EXPECT_EQ(
      ErrorOf("Parameters:\n  P: {Default: x}\nResources:\n  R: {Type: AWS::Config::ConfigRule}\n"),
      Wrapped("Template format error: Every Parameters object must contain a Type member."));
}

TEST(TemplateTest, UnresolvedReferencesAndFunctions) {
  EXPECT_EQ(ErrorOf(R"(
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Ref Missing
      Source: {Owner: AWS, SourceIdentifier: X}
)"),
            Wrapped("Template format error: Unresolved resource dependencies [Missing] in the "
                    "Resources block of the "
                    "template"));
  EXPECT_EQ(
      ErrorOf(R"(
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !GetAtt Other.Arn
      Source: {Owner: AWS, SourceIdentifier: X}
)"),
      Wrapped(
          "Template format error: Unsupported function Fn::GetAtt in a conformance pack template"));
  EXPECT_EQ(ErrorOf(R"(
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Condition: Nowhere
    Properties:
      Source: {Owner: AWS, SourceIdentifier: X}
)"),
            Wrapped("Template format error: Unresolved dependencies [Nowhere]. Cannot reference "
                    "resources in the "
                    "Conditions block of the template"));
}

TEST(TemplateTest, RulePropertiesAreValidated) {
  auto rule = [](std::string_view properties) {
    return "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties: " +
           std::string(properties) + "\n";
  };
  EXPECT_EQ(ErrorOf(rule("{ConfigRuleName: x}")),
            Wrapped("Properties validation failed for resource R with message: #: required key "
                    "[Source] not found"));
  EXPECT_EQ(ErrorOf(rule("{Source: {Owner: ME, SourceIdentifier: X}}")),
            Wrapped("Properties validation failed for resource R with message: #/Source/Owner: ME "
                    "is not a valid enum "
                    "value"));
  EXPECT_EQ(
      ErrorOf(rule("{Source: {Owner: AWS}}")),
      Wrapped("Properties validation failed for resource R with message: #/Source: required key "
              "[SourceIdentifier] not found"));
  EXPECT_EQ(
      ErrorOf(rule("{Source: {Owner: CUSTOM_POLICY}}")),
      Wrapped("Properties validation failed for resource R with message: #/Source: required key "
              "[CustomPolicyDetails] not found"));
  EXPECT_EQ(
      ErrorOf(rule("{InputParameters: 'not json', Source: {Owner: AWS, SourceIdentifier: X}}")),
      Wrapped("Properties validation failed for resource R with message: #/InputParameters: "
              "expected a JSON "
              "object of parameter names and values"));
  EXPECT_EQ(ErrorOf(rule(
                "{MaximumExecutionFrequency: Daily, Source: {Owner: AWS, SourceIdentifier: X}}")),
            Wrapped("Properties validation failed for resource R with message: "
                    "#/MaximumExecutionFrequency: Daily is "
                    "not a valid enum value"));
  EXPECT_EQ(ErrorOf(rule("{ConfigRuleName: '" + std::string(129, 'a') +
                         "', Source: {Owner: AWS, SourceIdentifier: X}}")),
            Wrapped("Properties validation failed for resource R with message: #/ConfigRuleName: "
                    "expected maxLength: "
                    "128, actual: 129"));
}

TEST(TemplateTest, DuplicateRuleNamesAreRefused) {
  EXPECT_EQ(ErrorOf(R"(
Resources:
  A: {Type: AWS::Config::ConfigRule, Properties: {ConfigRuleName: same, Source: {Owner: AWS, SourceIdentifier: X}}}
  B: {Type: AWS::Config::ConfigRule, Properties: {ConfigRuleName: same, Source: {Owner: AWS, SourceIdentifier: Y}}}
)"),
            Wrapped("ConfigRuleName same is used by more than one resource"));
}

TEST(TemplateTest, RemediationNeedsItsTarget) {
  EXPECT_EQ(ErrorOf(R"(
Resources:
  Fix: {Type: AWS::Config::RemediationConfiguration, Properties: {ConfigRuleName: x, TargetType: SSM_DOCUMENT}}
)"),
            Wrapped("Properties validation failed for resource Fix with message: #: required key "
                    "[TargetId] not found"));
}

TEST(TemplateTest, PseudoParametersFollowThePartition) {
  Result<Template> parsed = Template::Parse(R"(
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Sub '${AWS::Partition}-${AWS::URLSuffix}-${!Literal}'
      Source: {Owner: AWS, SourceIdentifier: X}
)");
  ASSERT_TRUE(parsed.ok());
  Result<std::vector<RuleSpec>> rules = parsed->Resolve({}, kAccount, "cn-north-1");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ((*rules)[0].name, "aws-cn-amazonaws.com.cn-${Literal}");
}

}  // namespace
}  // namespace cairn::config::templates
