#include "services/config/rules_resources.h"

#include <array>
#include <boost/json.hpp>
#include <utility>

#include "base/json_fields.h"
#include "services/config/errors.h"

namespace cairn::config {
namespace json = boost::json;
namespace {

using json_fields::Number;
using json_fields::Strings;
using json_fields::StringsToJson;
using json_fields::Text;

// The parameters that AWS Config requires of some widely used managed rules (the rule's page
// in the developer guide lists them without "(Optional)"; EKS_CLUSTER_SUPPORTED_VERSION's is
// also seen in a real response). cairn does not keep AWS's whole list of managed rules (it
// grows every month, and refusing a real rule would break a user's test): a rule missing here
// is taken as having no required parameter.
struct RequiredParameters {
  std::string_view rule_identifier;
  std::array<std::string_view, 2> parameters;
};
constexpr RequiredParameters kRequiredParameters[] = {
    {"APPROVED_AMIS_BY_ID", {"amiIds", ""}},
    {"CLOUDWATCH_ALARM_RESOURCE_CHECK", {"resourceType", "metricName"}},
    {"CLOUDWATCH_ALARM_SETTINGS_CHECK", {"metricName", ""}},
    {"DESIRED_INSTANCE_TENANCY", {"tenancy", ""}},
    {"DESIRED_INSTANCE_TYPE", {"instanceType", ""}},
    {"EC2_MANAGEDINSTANCE_APPLICATIONS_BLACKLISTED", {"applicationNames", ""}},
    {"EC2_MANAGEDINSTANCE_APPLICATIONS_REQUIRED", {"applicationNames", ""}},
    {"EC2_MANAGEDINSTANCE_INVENTORY_BLACKLISTED", {"inventoryNames", ""}},
    {"EC2_MANAGEDINSTANCE_PLATFORM_CHECK", {"platformType", ""}},
    {"EKS_CLUSTER_SUPPORTED_VERSION", {"oldestVersionSupported", ""}},
    {"ELB_CUSTOM_SECURITY_POLICY_SSL_CHECK", {"sslProtocolsAndCiphers", ""}},
    {"ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK", {"predefinedPolicyName", ""}},
    {"IAM_POLICY_IN_USE", {"policyARN", ""}},
    {"LAMBDA_FUNCTION_SETTINGS_CHECK", {"runtime", ""}},
    {"REQUIRED_TAGS", {"tag1Key", ""}},
    {"S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED", {"blacklistedActionPattern", ""}},
    {"S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE", {"controlPolicy", ""}},
};

// AWS's managed rule identifiers are upper-case words joined by underscores
// (S3_BUCKET_VERSIONING_ENABLED); a rule's lower-case name (s3-bucket-versioning-enabled) is
// the usual mistake.
bool IsRuleIdentifierForm(std::string_view identifier) {
  if (identifier.empty()) return false;
  for (const char character : identifier) {
    const bool allowed = (character >= 'A' && character <= 'Z') ||
                         (character >= '0' && character <= '9') || character == '_';
    if (!allowed) return false;
  }
  return true;
}

// The InputParameters of a metadata object as a JSON object (empty when absent), or AWS's
// error. The message is the one AWS Config answers PutConfigRule with for the same mistake.
Result<json::object> ParseInputParameters(const json::object& metadata) {
  const json::value* parameters = metadata.if_contains("InputParameters");
  if (!parameters || !parameters->is_string()) return json::object();
  const std::string_view text = parameters->get_string();
  boost::system::error_code error;
  json::value parsed = json::parse(text, error);
  if (error || !parsed.is_object()) {
    return errors::InvalidParameterValueException("Invalid json " + std::string(text) +
                                                  " passed in the InputParameters field");
  }
  return std::move(parsed).as_object();
}

// Messages of InvalidParameterValueException as AWS answers PutOrganizationConfigRule (seen in
// users' reports: a rule name given as identifier, a missing required parameter).
Result<Ok> CheckManagedRule(const json::object& metadata, const json::object& parameters) {
  const std::string identifier = Text(metadata, "RuleIdentifier");
  if (!IsRuleIdentifierForm(identifier)) {
    return errors::InvalidParameterValueException(
        "The ruleIdentifier " + identifier +
        " is invalid. Please refer to Config rules documentation for a list of valid identifiers "
        "that can be "
        "used for OrganizationManagedRuleMetadata.");
  }
  for (const RequiredParameters& rule : kRequiredParameters) {
    if (rule.rule_identifier != identifier) continue;
    for (const std::string_view parameter : rule.parameters) {
      if (!parameter.empty() && !parameters.contains(parameter)) {
        return errors::InvalidParameterValueException(
            "The required parameter " + std::string(parameter) +
            " is not present in the inputParameters, please refer to Config rules documentation "
            "for the required "
            "parameters.");
      }
    }
  }
  return Ok{};
}

}  // namespace

Result<std::string> CheckRuleMetadata(const json::object& input) {
  constexpr std::string_view kMembers[] = {"OrganizationManagedRuleMetadata",
                                           "OrganizationCustomRuleMetadata",
                                           "OrganizationCustomPolicyRuleMetadata"};
  std::string given;
  size_t count = 0;
  for (const std::string_view member : kMembers) {
    const json::value* value = input.if_contains(member);
    if (value && value->is_object()) {
      given = member;
      ++count;
    }
  }
  // AWS's message predates custom policy rules and was kept when they came (boto3 issue 3388).
  if (count != 1) {
    return errors::InvalidParameterValueException(
        "Specify either OrganizationCustomRuleMetadata or OrganizationManagedRuleMetadata in the "
        "input.");
  }
  const json::object& metadata = input.at(given).as_object();
  Result<json::object> parameters = ParseInputParameters(metadata);
  if (!parameters.ok()) return std::move(parameters).error();
  if (given == "OrganizationManagedRuleMetadata") {
    if (Result<Ok> checked = CheckManagedRule(metadata, *parameters); !checked.ok()) {
      return std::move(checked).error();
    }
  }
  return given;
}

json::value OrganizationConfigRule::ToJson() const {
  return {{"Name", name},
          {"Id", id},
          {"Arn", arn},
          {"OrganizationId", organization_id},
          {"MetadataMember", metadata_member},
          {"Metadata", metadata},
          {"ExcludedAccounts", StringsToJson(excluded_accounts)},
          {"LastUpdateTime", last_update_time},
          {"Status", status},
          {"ErrorCode", error_code},
          {"ErrorMessage", error_message},
          {"StatusTime", status_time},
          {"Due", due}};
}

OrganizationConfigRule OrganizationConfigRule::FromJson(const json::value& value) {
  OrganizationConfigRule rule;
  rule.name = Text(value, "Name");
  rule.id = Text(value, "Id");
  rule.arn = Text(value, "Arn");
  rule.organization_id = Text(value, "OrganizationId");
  rule.metadata_member = Text(value, "MetadataMember");
  if (const json::value* metadata = value.as_object().if_contains("Metadata");
      metadata && metadata->is_object()) {
    rule.metadata = metadata->get_object();
  }
  rule.excluded_accounts = Strings(value, "ExcludedAccounts");
  rule.last_update_time = Number(value, "LastUpdateTime");
  rule.status = Text(value, "Status");
  rule.error_code = Text(value, "ErrorCode");
  rule.error_message = Text(value, "ErrorMessage");
  rule.status_time = Number(value, "StatusTime");
  rule.due = Number(value, "Due");
  return rule;
}

json::value MemberRuleStatus::ToJson() const {
  return {{"AccountId", account_id},
          {"Status", status},
          {"ErrorCode", error_code},
          {"ErrorMessage", error_message},
          {"LastUpdateTime", last_update_time},
          {"Due", due}};
}

MemberRuleStatus MemberRuleStatus::FromJson(const json::value& value) {
  return MemberRuleStatus{Text(value, "AccountId"),        Text(value, "Status"),
                          Text(value, "ErrorCode"),        Text(value, "ErrorMessage"),
                          Number(value, "LastUpdateTime"), Number(value, "Due")};
}

}  // namespace cairn::config
