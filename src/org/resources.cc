#include "org/resources.h"

#include <boost/json.hpp>

#include "base/json_fields.h"

namespace cairn::org {
namespace json = boost::json;
namespace {

using json_fields::Number;
using json_fields::Text;

json::object TagsToJson(const std::map<std::string, std::string>& tags) {
  json::object out;
  for (const auto& [key, tag_value] : tags) out[key] = tag_value;
  return out;
}

std::map<std::string, std::string> TagsFromJson(const json::value& value, std::string_view key) {
  std::map<std::string, std::string> tags;
  const json::value* member = value.as_object().if_contains(key);
  if (member && member->is_object()) {
    for (const auto& entry : member->get_object())
      tags[entry.key()] = std::string(entry.value().as_string());
  }
  return tags;
}

}  // namespace

json::value Organization::ToJson() const {
  return {{"Id", id},
          {"Arn", arn},
          {"FeatureSet", feature_set},
          {"MasterAccountId", management_account_id},
          {"MasterAccountEmail", management_account_email},
          {"RootId", root_id},
          {"Created", created}};
}

Organization Organization::FromJson(const json::value& value) {
  return Organization{Text(value, "Id"),
                      Text(value, "Arn"),
                      Text(value, "FeatureSet"),
                      Text(value, "MasterAccountId"),
                      Text(value, "MasterAccountEmail"),
                      Text(value, "RootId"),
                      Number(value, "Created")};
}

json::value OrganizationalUnit::ToJson() const {
  return {{"Id", id},
          {"Arn", arn},
          {"Name", name},
          {"ParentId", parent_id},
          {"OrganizationId", organization_id}};
}

OrganizationalUnit OrganizationalUnit::FromJson(const json::value& value) {
  return OrganizationalUnit{Text(value, "Id"), Text(value, "Arn"), Text(value, "Name"),
                            Text(value, "ParentId"), Text(value, "OrganizationId")};
}

json::value Account::ToJson() const {
  return {{"Id", id},
          {"Arn", arn},
          {"Email", email},
          {"Name", name},
          {"Status", status},
          {"JoinedMethod", joined_method},
          {"JoinedTimestamp", joined},
          {"ParentId", parent_id},
          {"OrganizationId", organization_id},
          {"ClosesAt", closes_at}};
}

Account Account::FromJson(const json::value& value) {
  Account account;
  account.id = Text(value, "Id");
  account.arn = Text(value, "Arn");
  account.email = Text(value, "Email");
  account.name = Text(value, "Name");
  account.status = Text(value, "Status");
  account.joined_method = Text(value, "JoinedMethod");
  account.joined = Number(value, "JoinedTimestamp");
  account.parent_id = Text(value, "ParentId");
  account.organization_id = Text(value, "OrganizationId");
  account.closes_at = Number(value, "ClosesAt");
  return account;
}

json::value CreateAccountRequest::ToJson() const {
  return {{"Id", id},
          {"OrganizationId", organization_id},
          {"AccountName", account_name},
          {"Email", email},
          {"State", state},
          {"RequestedTimestamp", requested},
          {"CompletedTimestamp", completed},
          {"CompletesAt", completes_at},
          {"AccountId", account_id},
          {"FailureReason", failure_reason},
          {"Tags", TagsToJson(tags)}};
}

CreateAccountRequest CreateAccountRequest::FromJson(const json::value& value) {
  CreateAccountRequest request;
  request.id = Text(value, "Id");
  request.organization_id = Text(value, "OrganizationId");
  request.account_name = Text(value, "AccountName");
  request.email = Text(value, "Email");
  request.state = Text(value, "State");
  request.requested = Number(value, "RequestedTimestamp");
  request.completed = Number(value, "CompletedTimestamp");
  request.completes_at = Number(value, "CompletesAt");
  request.account_id = Text(value, "AccountId");
  request.failure_reason = Text(value, "FailureReason");
  request.tags = TagsFromJson(value, "Tags");
  return request;
}

json::value ServiceAccess::ToJson() const {
  return {{"OrganizationId", organization_id},
          {"ServicePrincipal", principal},
          {"DateEnabled", enabled}};
}

ServiceAccess ServiceAccess::FromJson(const json::value& value) {
  return ServiceAccess{Text(value, "OrganizationId"), Text(value, "ServicePrincipal"),
                       Number(value, "DateEnabled")};
}

json::value Delegation::ToJson() const {
  return {{"OrganizationId", organization_id},
          {"AccountId", account_id},
          {"ServicePrincipal", principal},
          {"DelegationEnabledDate", enabled}};
}

Delegation Delegation::FromJson(const json::value& value) {
  return Delegation{Text(value, "OrganizationId"), Text(value, "AccountId"),
                    Text(value, "ServicePrincipal"), Number(value, "DelegationEnabledDate")};
}

json::value TagSet::ToJson() const { return {{"Tags", TagsToJson(tags)}}; }

TagSet TagSet::FromJson(const json::value& value) { return TagSet{TagsFromJson(value, "Tags")}; }

}  // namespace cairn::org
