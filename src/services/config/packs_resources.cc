#include "services/config/packs_resources.h"

#include <algorithm>
#include <boost/json.hpp>

#include "base/json_fields.h"
#include "services/config/errors.h"

namespace cairn::config {
namespace json = boost::json;

namespace {

using json_fields::Number;
using json_fields::Strings;
using json_fields::StringsToJson;
using json_fields::Text;

json::array ParametersToJson(const InputParameters& parameters) {
  json::array out;
  for (const auto& [name, value] : parameters)
    out.push_back(json::object{{"Name", name}, {"Value", value}});
  return out;
}

InputParameters ParametersFromJson(const json::value& value, std::string_view key) {
  InputParameters parameters;
  const json::value* member = value.as_object().if_contains(key);
  if (member && member->is_array()) {
    for (const json::value& item : member->get_array())
      parameters.emplace_back(Text(item, "Name"), Text(item, "Value"));
  }
  return parameters;
}

}  // namespace

json::value ConformancePack::ToJson() const {
  return json::object{{"Name", name},
                      {"Id", id},
                      {"Arn", arn},
                      {"AccountId", account_id},
                      {"Region", region},
                      {"DeliveryS3Bucket", delivery_s3_bucket},
                      {"DeliveryS3KeyPrefix", delivery_s3_key_prefix},
                      {"InputParameters", ParametersToJson(input_parameters)},
                      {"CreatedBy", created_by},
                      {"State", state},
                      {"StatusReason", status_reason},
                      {"StackArn", stack_arn},
                      {"LastUpdateRequested", last_update_requested},
                      {"LastUpdateCompleted", last_update_completed},
                      {"Due", due},
                      {"RuleNames", StringsToJson(rule_names)},
                      {"PendingRuleNames", StringsToJson(pending_rule_names)},
                      {"OrganizationPack", organization_pack}};
}

ConformancePack ConformancePack::FromJson(const json::value& value) {
  ConformancePack pack;
  pack.name = Text(value, "Name");
  pack.id = Text(value, "Id");
  pack.arn = Text(value, "Arn");
  pack.account_id = Text(value, "AccountId");
  pack.region = Text(value, "Region");
  pack.delivery_s3_bucket = Text(value, "DeliveryS3Bucket");
  pack.delivery_s3_key_prefix = Text(value, "DeliveryS3KeyPrefix");
  pack.input_parameters = ParametersFromJson(value, "InputParameters");
  pack.created_by = Text(value, "CreatedBy");
  pack.state = Text(value, "State");
  pack.status_reason = Text(value, "StatusReason");
  pack.stack_arn = Text(value, "StackArn");
  pack.last_update_requested = Number(value, "LastUpdateRequested");
  pack.last_update_completed = Number(value, "LastUpdateCompleted");
  pack.due = Number(value, "Due");
  pack.rule_names = Strings(value, "RuleNames");
  pack.pending_rule_names = Strings(value, "PendingRuleNames");
  pack.organization_pack = Text(value, "OrganizationPack");
  return pack;
}

json::value OrganizationConformancePack::ToJson() const {
  return json::object{{"OrganizationId", organization_id},
                      {"Region", region},
                      {"Name", name},
                      {"Arn", arn},
                      {"CreatorAccountId", creator_account_id},
                      {"Suffix", suffix},
                      {"TemplateBody", template_body},
                      {"InputParameters", ParametersToJson(input_parameters)},
                      {"DeliveryS3Bucket", delivery_s3_bucket},
                      {"DeliveryS3KeyPrefix", delivery_s3_key_prefix},
                      {"ExcludedAccounts", StringsToJson(excluded_accounts)},
                      {"Phase", phase},
                      {"Status", status},
                      {"ErrorCode", error_code},
                      {"ErrorMessage", error_message},
                      {"LastUpdateTime", last_update_time},
                      {"StatusTime", status_time},
                      {"StepDue", step_due}};
}

OrganizationConformancePack OrganizationConformancePack::FromJson(const json::value& value) {
  OrganizationConformancePack pack;
  pack.organization_id = Text(value, "OrganizationId");
  pack.region = Text(value, "Region");
  pack.name = Text(value, "Name");
  pack.arn = Text(value, "Arn");
  pack.creator_account_id = Text(value, "CreatorAccountId");
  pack.suffix = Text(value, "Suffix");
  pack.template_body = Text(value, "TemplateBody");
  pack.input_parameters = ParametersFromJson(value, "InputParameters");
  pack.delivery_s3_bucket = Text(value, "DeliveryS3Bucket");
  pack.delivery_s3_key_prefix = Text(value, "DeliveryS3KeyPrefix");
  pack.excluded_accounts = Strings(value, "ExcludedAccounts");
  pack.phase = Text(value, "Phase");
  pack.status = Text(value, "Status");
  pack.error_code = Text(value, "ErrorCode");
  pack.error_message = Text(value, "ErrorMessage");
  pack.last_update_time = Number(value, "LastUpdateTime");
  pack.status_time = Number(value, "StatusTime");
  pack.step_due = Number(value, "StepDue");
  return pack;
}

json::value MemberDeployment::ToJson() const {
  return json::object{{"AccountId", account_id},
                      {"Status", status},
                      {"ErrorCode", error_code},
                      {"ErrorMessage", error_message},
                      {"LastUpdateTime", last_update_time},
                      {"Due", due}};
}

MemberDeployment MemberDeployment::FromJson(const json::value& value) {
  MemberDeployment deployment;
  deployment.account_id = Text(value, "AccountId");
  deployment.status = Text(value, "Status");
  deployment.error_code = Text(value, "ErrorCode");
  deployment.error_message = Text(value, "ErrorMessage");
  deployment.last_update_time = Number(value, "LastUpdateTime");
  deployment.due = Number(value, "Due");
  return deployment;
}

json::value DeploymentFailure::ToJson() const {
  return json::object{
      {"AccountId", account_id}, {"ErrorCode", error_code}, {"ErrorMessage", error_message}};
}

DeploymentFailure DeploymentFailure::FromJson(const json::value& value) {
  return DeploymentFailure{Text(value, "AccountId"), Text(value, "ErrorCode"),
                           Text(value, "ErrorMessage")};
}

Result<org::Membership> AuthorizeOrganizationCaller(const org::Directory& directory,
                                                    std::string_view account_id, bool for_put) {
  org::Membership membership = directory.MembershipOf(account_id);
  if (!membership.in_organization()) {
    if (for_put) return errors::NoAvailableOrganizationException();
    return errors::OrganizationAccessDeniedException(
        "This action can only be made by accounts in an AWS Organization");
  }
  if (for_put && membership.feature_set != "ALL")
    return errors::OrganizationAllFeaturesNotEnabledException();
  if (membership.management_account_id == account_id ||
      directory.IsDelegatedAdministrator(account_id, kMultiAccountSetupPrincipal)) {
    return membership;
  }
  return errors::OrganizationAccessDeniedException();
}

std::vector<std::string> DeploymentTargets(const org::Directory& directory,
                                           std::string_view organization_id,
                                           const std::vector<std::string>& excluded) {
  return directory.Read([&](const org::State& state) {
    std::vector<std::string> targets;
    for (const org::Account* account : state.AccountsOf(organization_id)) {
      if (account->status != "ACTIVE") continue;
      if (std::find(excluded.begin(), excluded.end(), account->id) != excluded.end()) continue;
      targets.push_back(account->id);
    }
    std::sort(targets.begin(), targets.end());
    return targets;
  });
}

}  // namespace cairn::config
