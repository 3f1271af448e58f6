#include "services/securityhub/hub_resources.h"

#include <algorithm>
#include <boost/json.hpp>

#include "base/json_fields.h"

namespace cairn::securityhub {
namespace json = boost::json;
namespace {

using json_fields::Flag;
using json_fields::Number;
using json_fields::Strings;
using json_fields::StringsToJson;
using json_fields::Text;

}  // namespace

std::string Hub::Arn() const {
  return "arn:aws:securityhub:" + region + ":" + account_id + ":hub/default";
}

json::value Hub::ToJson() const {
  return {{"AccountId", account_id},
          {"Region", region},
          {"SubscribedAt", subscribed_at},
          {"AutoEnableControls", auto_enable_controls},
          {"ControlFindingGenerator", control_finding_generator},
          {"EnableDefaultStandards", enable_default_standards}};
}

Hub Hub::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Hub hub;
  hub.account_id = Text(object, "AccountId");
  hub.region = Text(object, "Region");
  hub.subscribed_at = Number(object, "SubscribedAt");
  hub.auto_enable_controls = Flag(object, "AutoEnableControls", true);
  hub.control_finding_generator = Text(object, "ControlFindingGenerator");
  hub.enable_default_standards = Flag(object, "EnableDefaultStandards", true);
  return hub;
}

json::value AdminAccount::ToJson() const {
  return {{"OrganizationId", organization_id},
          {"AccountId", account_id},
          {"Region", region},
          {"Feature", feature},
          {"Status", status},
          {"EnabledAt", enabled_at},
          {"DisabledAt", disabled_at}};
}

AdminAccount AdminAccount::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  AdminAccount admin;
  admin.organization_id = Text(object, "OrganizationId");
  admin.account_id = Text(object, "AccountId");
  admin.region = Text(object, "Region");
  admin.feature = Text(object, "Feature");
  admin.status = Text(object, "Status");
  admin.enabled_at = Number(object, "EnabledAt");
  admin.disabled_at = Number(object, "DisabledAt");
  return admin;
}

json::object OrganizationConfiguration::Describe(bool member_account_limit_reached) const {
  json::object configuration{{"ConfigurationType", configuration_type}, {"Status", status}};
  if (!status_message.empty()) configuration["StatusMessage"] = status_message;
  return {{"AutoEnable", auto_enable},
          {"MemberAccountLimitReached", member_account_limit_reached},
          {"AutoEnableStandards", auto_enable_standards},
          {"OrganizationConfiguration", std::move(configuration)}};
}

json::value OrganizationConfiguration::ToJson() const {
  return {{"OrganizationId", organization_id},
          {"AdminAccountId", admin_account_id},
          {"Region", region},
          {"AutoEnable", auto_enable},
          {"AutoEnableStandards", auto_enable_standards},
          {"ConfigurationType", configuration_type},
          {"Status", status},
          {"StatusMessage", status_message},
          {"StatusDue", status_due}};
}

OrganizationConfiguration OrganizationConfiguration::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  OrganizationConfiguration configuration;
  configuration.organization_id = Text(object, "OrganizationId");
  configuration.admin_account_id = Text(object, "AdminAccountId");
  configuration.region = Text(object, "Region");
  configuration.auto_enable = Flag(object, "AutoEnable", false);
  configuration.auto_enable_standards = Text(object, "AutoEnableStandards");
  configuration.configuration_type = Text(object, "ConfigurationType");
  configuration.status = Text(object, "Status");
  configuration.status_message = Text(object, "StatusMessage");
  configuration.status_due = Number(object, "StatusDue");
  return configuration;
}

bool FindingAggregator::Links(std::string_view linked) const {
  if (linked == region) return true;
  const bool listed = std::find(regions.begin(), regions.end(), linked) != regions.end();
  if (linking_mode == "ALL_REGIONS") return true;
  if (linking_mode == "ALL_REGIONS_EXCEPT_SPECIFIED") return !listed;
  if (linking_mode == "SPECIFIED_REGIONS") return listed;
  return false;  // NO_REGIONS
}

json::object FindingAggregator::Describe() const {
  json::object out{{"FindingAggregatorArn", arn},
                   {"FindingAggregationRegion", region},
                   {"RegionLinkingMode", linking_mode}};
  if (!regions.empty()) out["Regions"] = StringsToJson(regions);
  return out;
}

json::value FindingAggregator::ToJson() const {
  return {{"Arn", arn},
          {"AccountId", account_id},
          {"Region", region},
          {"LinkingMode", linking_mode},
          {"Regions", StringsToJson(regions)},
          {"Created", created}};
}

FindingAggregator FindingAggregator::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  FindingAggregator aggregator;
  aggregator.arn = Text(object, "Arn");
  aggregator.account_id = Text(object, "AccountId");
  aggregator.region = Text(object, "Region");
  aggregator.linking_mode = Text(object, "LinkingMode");
  aggregator.regions = Strings(object, "Regions");
  aggregator.created = Number(object, "Created");
  return aggregator;
}

json::object Member::Describe() const {
  // MasterId is the deprecated name of AdministratorId; AWS still sends both.
  json::object out{{"AccountId", account_id},
                   {"MasterId", administrator_id},
                   {"AdministratorId", administrator_id},
                   {"MemberStatus", status},
                   {"InvitedAt", invited_at},
                   {"UpdatedAt", updated_at}};
  if (!email.empty()) out["Email"] = email;
  return out;
}

json::value Member::ToJson() const {
  return {
      {"AccountId", account_id}, {"AdministratorId", administrator_id}, {"Email", email},
      {"Status", status},        {"OrganizationId", organization_id},   {"InvitedAt", invited_at},
      {"UpdatedAt", updated_at}};
}

Member Member::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Member member;
  member.account_id = Text(object, "AccountId");
  member.administrator_id = Text(object, "AdministratorId");
  member.email = Text(object, "Email");
  member.status = Text(object, "Status");
  member.organization_id = Text(object, "OrganizationId");
  member.invited_at = Number(object, "InvitedAt");
  member.updated_at = Number(object, "UpdatedAt");
  return member;
}

json::value TagSet::ToJson() const {
  json::object out;
  for (const auto& [key, value] : tags) out[key] = value;
  return out;
}

TagSet TagSet::FromJson(const json::value& value) {
  TagSet set;
  for (const auto& entry : value.as_object())
    set.tags[entry.key()] = std::string(entry.value().as_string());
  return set;
}

std::optional<ArnParts> ParseArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:securityhub:";
  if (!arn.starts_with(kPrefix)) return std::nullopt;
  arn.remove_prefix(kPrefix.size());
  const size_t region_end = arn.find(':');
  if (region_end == std::string_view::npos) return std::nullopt;
  const size_t account_end = arn.find(':', region_end + 1);
  if (account_end == std::string_view::npos) return std::nullopt;
  ArnParts parts{std::string(arn.substr(0, region_end)),
                 std::string(arn.substr(region_end + 1, account_end - region_end - 1)),
                 std::string(arn.substr(account_end + 1))};
  if (parts.resource.empty()) return std::nullopt;
  return parts;
}

bool IsRegionName(std::string_view name) {
  // <2 letters>(-<letters>)+-<digits>
  size_t dash_groups = 0;
  size_t position = 0;
  auto letters = [&](size_t minimum) {
    const size_t start = position;
    while (position < name.size() && name[position] >= 'a' && name[position] <= 'z') ++position;
    return position - start >= minimum;
  };
  if (!letters(2) || position != 2) return false;
  while (position < name.size() && name[position] == '-') {
    ++position;
    const size_t start = position;
    if (letters(1)) {
      ++dash_groups;
      continue;
    }
    while (position < name.size() && name[position] >= '0' && name[position] <= '9') ++position;
    return position > start && position == name.size() && dash_groups >= 1;
  }
  return false;
}

}  // namespace cairn::securityhub
