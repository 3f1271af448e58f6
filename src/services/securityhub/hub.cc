// The hub family of Security Hub: hubs, the organization's administrator and configuration,
// finding aggregators, members and tags (see provider.h; state in hub_state.h).
//
// Access, as AWS documents it:
//   - Every operation but the organization-admin ones needs Security Hub enabled in the
//     caller's account and Region (InvalidAccessException "Account <id> is not subscribed to
//     AWS Security Hub").
//   - Enable/DisableOrganizationAdminAccount and ListOrganizationAdminAccounts: the
//     organization management account only ("Can only be called by the organization
//     management account", API reference).
//   - Update/DescribeOrganizationConfiguration: the Security Hub administrator of the Region
//     only (InvalidAccessException "Account <id> is not an administrator for this
//     organization"). The administrator is designated per Region; with central configuration
//     the home Region's administrator is also the administrator of every linked Region
//     (start-central-configuration.html).
// A designation made through Security Hub ends when Organizations ends it: the account left,
// its delegated administrator registration or Security Hub's trusted access was removed
// (remove-admin-overview.html: "If you use the Organizations API to remove the delegated
// Security Hub administrator account, it is automatically removed in all Regions"). cairn
// checks that where it reads a designation (Stands below) rather than following every
// Organizations change.
#include <boost/json.hpp>
#include <mutex>

#include "base/ids.h"
#include "base/json_fields.h"
#include "base/time_format.h"
#include "services/common/paging.h"
#include "services/securityhub/errors.h"
#include "services/securityhub/provider.h"

namespace cairn::securityhub {
namespace json = boost::json;

namespace {

using json_fields::Flag;
using json_fields::Text;

// How long AWS's asynchronous steps take in cairn (seconds of clock time).
constexpr double kCentralConfigurationSeconds = 1.0;  // CENTRAL: PENDING -> ENABLED | FAILED
constexpr double kDisableAdminSeconds = 1.0;          // DISABLE_IN_PROGRESS -> gone

constexpr size_t kMaxTags = 50;  // per resource (tagging-resources.html)
// Member accounts per administrator (Security Hub quotas), for MemberAccountLimitReached.
constexpr size_t kMemberAccountLimit = 10000;

constexpr std::string_view kFeature = "SecurityHub";
constexpr std::string_view kFeatureV2 = "SecurityHubV2";

// The StatusMessage of an enabled central configuration, as the AWS CLI reference's example
// of describe-organization-configuration shows it.
constexpr std::string_view kCentralEnabledMessage =
    "Central configuration has been enabled successfully";

// --- Keys (hub_state.h).

std::string HubKey(std::string_view account_id, std::string_view region) {
  return ScopePrefix(account_id, region) + "hub";
}
std::string AdminKey(std::string_view management_id, std::string_view region,
                     std::string_view feature) {
  return ScopePrefix(management_id, region) + std::string(feature);
}
std::string ConfigurationKey(std::string_view admin_id, std::string_view region) {
  return ScopePrefix(admin_id, region) + "organization-configuration";
}
std::string MemberKey(std::string_view admin_id, std::string_view region,
                      std::string_view account_id) {
  return ScopePrefix(admin_id, region) + std::string(account_id);
}
std::string TagsKey(std::string_view scope, std::string_view arn) {
  return std::string(scope) + std::string(arn);
}

// --- Input.

std::vector<std::string> Strings(const json::object& input, std::string_view member) {
  std::vector<std::string> out;
  if (const json::value* value = input.if_contains(member); value && value->is_array()) {
    for (const json::value& item : value->get_array()) out.emplace_back(item.as_string());
  }
  return out;
}

std::map<std::string, std::string> TagsFrom(const json::object& input, std::string_view member) {
  std::map<std::string, std::string> tags;
  if (const json::value* value = input.if_contains(member); value && value->is_object()) {
    for (const auto& entry : value->get_object())
      tags[entry.key()] = std::string(entry.value().as_string());
  }
  return tags;
}

bool IsAccountId(std::string_view id) {
  return id.size() == 12 && id.find_first_not_of("0123456789") == std::string_view::npos;
}

// --- AWS's answers.

AwsError NotSubscribed(std::string_view account_id) {
  // AWS's answer to any call of an account without Security Hub (DescribeHub,
  // DescribeOrganizationConfiguration, CreateActionTarget, ... in user reports).
  return errors::InvalidAccessException("Account " + std::string(account_id) +
                                        " is not subscribed to AWS Security Hub");
}

AwsError NotAnAdministrator(std::string_view account_id) {
  // UpdateOrganizationConfiguration from an account that is not the Region's administrator
  // (terraform-provider-aws issues 23079, 30285).
  return errors::InvalidAccessException("Account " + std::string(account_id) +
                                        " is not an administrator for this organization");
}

AwsError NotInOrganization() {
  // Security Hub passes on Organizations' own message (terraform-provider-aws matches
  // "Your account is not a member of an organization" on ListOrganizationAdminAccounts).
  return errors::AccessDeniedException("Your account is not a member of an organization.");
}

AwsError NotFound(std::string_view arn) {
  return errors::ResourceNotFoundException("The resource " + std::string(arn) + " was not found.");
}

AwsError InvalidNextToken() {
  return errors::InvalidInputException("The NextToken value is not valid.");
}

// Page sizes: the model's maximum where MaxResults is not given.
const services::PagingRules kAdminPaging{"securityhub", "MaxResults", 10, false, InvalidNextToken};
const services::PagingRules kMemberPaging{"securityhub", "MaxResults", 50, false, InvalidNextToken};
const services::PagingRules kAggregatorPaging{"securityhub", "MaxResults", 100, false,
                                              InvalidNextToken};

// --- The organization, as Organizations sees it.

struct OrgAccount {
  std::string organization_id;
  std::string status;  // ACTIVE | SUSPENDED | PENDING_CLOSURE
  std::string email;
};

std::optional<OrgAccount> FindOrgAccount(const org::Directory& directory,
                                         std::string_view account_id) {
  return directory.Read([&](const org::State& state) -> std::optional<OrgAccount> {
    const org::Account* account = state.accounts.Find(account_id);
    if (!account || account->organization_id.empty()) return std::nullopt;
    return OrgAccount{account->organization_id, account->status, account->email};
  });
}

// The account Organizations has as delegated administrator for Security Hub (empty: none).
std::string RegisteredAdministrator(const org::Directory& directory,
                                    std::string_view organization_id) {
  return directory.Read([&](const org::State& state) {
    const std::string prefix = std::string(organization_id) + "/";
    for (auto item = state.delegations.LowerBound(prefix);
         item != state.delegations.items().end() && item->first.starts_with(prefix); ++item) {
      if (item->second.principal == kServicePrincipal) return item->second.account_id;
    }
    return std::string();
  });
}

// Where the organization `organization_id` stands, through its management account.
org::Membership MembershipOfOrganization(const org::Directory& directory,
                                         std::string_view organization_id) {
  const std::string management_id = directory.Read([&](const org::State& state) {
    const org::Organization* organization = state.organizations.Find(organization_id);
    return organization ? organization->management_account_id : std::string();
  });
  return management_id.empty() ? org::Membership{} : directory.MembershipOf(management_id);
}

// Whether a designation still stands in Organizations (see the top of this file).
bool Stands(const org::Directory& directory, const AdminAccount& admin) {
  const org::Membership membership = directory.MembershipOf(admin.account_id);
  if (membership.organization_id != admin.organization_id) return false;
  if (!directory.IsTrustedAccessEnabled(admin.organization_id, kServicePrincipal)) return false;
  return admin.account_id == membership.management_account_id ||
         directory.IsDelegatedAdministrator(admin.account_id, kServicePrincipal);
}

// --- Reading the hub family's state.

const FindingAggregator* AggregatorOf(const HubState& hub, std::string_view account_id) {
  const std::string prefix = std::string(account_id) + "/";
  auto item = hub.aggregators.LowerBound(prefix);
  return item != hub.aggregators.items().end() && item->first.starts_with(prefix) ? &item->second
                                                                                  : nullptr;
}

// An organization's central configuration while it is ENABLED.
struct Central {
  const AdminAccount* admin = nullptr;  // the designation in the home Region
  const FindingAggregator* aggregator = nullptr;
  const OrganizationConfiguration* configuration = nullptr;
  bool Covers(std::string_view region) const { return admin && aggregator->Links(region); }
};

// Whether a designation of the organization's management account names an ENABLED delegated
// administrator of Security Hub in the organization (what both DelegatedAdministrator and
// CentralOf skip otherwise; whether it still stands in Organizations is Stands()).
bool EnabledDelegation(const AdminAccount& admin, const org::Membership& membership) {
  return admin.feature == kFeature && admin.status == "ENABLED" &&
         admin.organization_id == membership.organization_id &&
         admin.account_id != membership.management_account_id;
}

// The administrator's central configuration when `admin` is a candidate for CentralOf: its
// organization configuration is CENTRAL for the organization, and its finding aggregator is in
// the designation's Region (the home Region). Empty otherwise.
Central CentralCandidate(const HubState& hub, const AdminAccount& admin,
                         const org::Membership& membership) {
  const OrganizationConfiguration* configuration =
      hub.org_configs.Find(ConfigurationKey(admin.account_id, admin.region));
  if (!configuration || !configuration->central_enabled() ||
      configuration->organization_id != membership.organization_id) {
    return {};
  }
  const FindingAggregator* aggregator = AggregatorOf(hub, admin.account_id);
  if (!aggregator || aggregator->region != admin.region) return {};
  return Central{&admin, aggregator, configuration};
}

Central CentralOf(const HubState& hub, const org::Directory& directory,
                  const org::Membership& membership) {
  if (!membership.in_organization()) return {};
  const std::string prefix = membership.management_account_id + "/";
  for (auto item = hub.admins.LowerBound(prefix);
       item != hub.admins.items().end() && item->first.starts_with(prefix); ++item) {
    const AdminAccount& admin = item->second;
    if (!EnabledDelegation(admin, membership)) continue;
    const Central central = CentralCandidate(hub, admin, membership);
    if (central.admin && Stands(directory, admin)) return central;
  }
  return {};
}

// The organization's Security Hub administrator in `region` (ENABLED and standing), or null:
// designated there, or the central configuration's administrator in a linked Region.
const AdminAccount* AdminIn(const HubState& hub, const org::Directory& directory,
                            const org::Membership& membership, std::string_view region,
                            std::string_view feature = kFeature) {
  if (!membership.in_organization()) return nullptr;
  if (const AdminAccount* admin =
          hub.admins.Find(AdminKey(membership.management_account_id, region, feature))) {
    const bool current =
        admin->organization_id == membership.organization_id && Stands(directory, *admin);
    if (current) return admin->status == "ENABLED" ? admin : nullptr;
  }
  if (feature != kFeature) return nullptr;
  const Central central = CentralOf(hub, directory, membership);
  return central.Covers(region) ? central.admin : nullptr;
}

bool IsAdministrator(const HubState& hub, const org::Directory& directory,
                     std::string_view account_id, std::string_view region) {
  const AdminAccount* admin = AdminIn(hub, directory, directory.MembershipOf(account_id), region);
  return admin && admin->account_id == account_id;
}

// Whether a member record of `admin_id` is visible to it now: accounts it added by invitation
// always, organization accounts only while it administers their organization in the Region.
bool Visible(const Member& member, std::string_view organization_id, bool is_admin) {
  return member.organization_id.empty() || (is_admin && member.organization_id == organization_id);
}

// The administrator `account_id` is an associated member of in `region`, if any.
const Member* MembershipIn(const HubState& hub, std::string_view account_id,
                           std::string_view region) {
  const std::string suffix = "/" + std::string(region) + "/" + std::string(account_id);
  for (const auto& [key, member] : hub.members.items()) {
    if (key.ends_with(suffix) && member.associated()) return &member;
  }
  return nullptr;
}

size_t MemberCount(const HubState& hub, std::string_view admin_id, std::string_view region) {
  const std::string prefix = ScopePrefix(admin_id, region);
  size_t count = 0;
  for (auto item = hub.members.LowerBound(prefix);
       item != hub.members.items().end() && item->first.starts_with(prefix); ++item) {
    ++count;
  }
  return count;
}

Result<const Hub*> RequireHub(const HubState& hub, const gateway::RequestContext& context) {
  const Hub* found = hub.hubs.Find(HubKey(context.account_id, context.region));
  if (!found) return NotSubscribed(context.account_id);
  return found;
}

bool IsOwnHubArn(const HubState& hub, const gateway::RequestContext& context,
                 std::string_view arn) {
  const std::optional<ArnParts> parts = ParseArn(arn);
  return parts && parts->resource == "hub/default" && parts->account_id == context.account_id &&
         parts->region == context.region &&
         hub.hubs.Find(HubKey(context.account_id, context.region));
}

// The caller's finding aggregator named by `arn`, or ResourceNotFoundException.
Result<const FindingAggregator*> FindAggregator(const HubState& hub,
                                                const gateway::RequestContext& context,
                                                std::string_view arn) {
  const FindingAggregator* aggregator = AggregatorOf(hub, context.account_id);
  if (!aggregator || aggregator->arn != arn) return NotFound(arn);
  return aggregator;
}

// --- Changing it.

// Enables Security Hub in an account on its behalf (designation, CreateMembers, AutoEnable);
// an account that has it keeps its settings, as AWS documents.
void EnableHubFor(HubState& hub, store::Transaction& txn, std::string_view account_id,
                  std::string_view region, double now, bool default_standards) {
  const std::string key = HubKey(account_id, region);
  if (hub.hubs.Find(key)) return;
  Hub enabled;
  enabled.account_id = account_id;
  enabled.region = region;
  enabled.subscribed_at = now;
  enabled.enable_default_standards = default_standards;
  hub.hubs.Put(txn, key, std::move(enabled));
}

// Erases the members `admin_id` added through `organization_id` in `region` (they leave with
// their administrator), or every organization's when `organization_id` is empty.
void EraseOrganizationMembers(HubState& hub, store::Transaction& txn, std::string_view admin_id,
                              std::string_view region, std::string_view organization_id) {
  const std::string prefix = ScopePrefix(admin_id, region);
  std::vector<std::string> doomed;
  for (auto item = hub.members.LowerBound(prefix);
       item != hub.members.items().end() && item->first.starts_with(prefix); ++item) {
    const std::string& member_org = item->second.organization_id;
    if (!member_org.empty() && (organization_id.empty() || member_org == organization_id))
      doomed.push_back(item->first);
  }
  for (const std::string& key : doomed) hub.members.Erase(txn, key);
}

Result<Ok> CheckLinking(std::string_view mode, const std::vector<std::string>& regions) {
  // RegionLinkingMode is a plain string in the model; the API reference names four values.
  if (mode != "ALL_REGIONS" && mode != "ALL_REGIONS_EXCEPT_SPECIFIED" &&
      mode != "SPECIFIED_REGIONS" && mode != "NO_REGIONS") {
    return errors::InvalidInputException(
        "Invalid RegionLinkingMode " + std::string(mode) +
        ". Valid values are ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED, SPECIFIED_REGIONS and "
        "NO_REGIONS.");
  }
  // "An InvalidInputException error results if you populate this field while
  // RegionLinkingMode is NO_REGIONS." (CreateFindingAggregator, Regions)
  if (mode == "NO_REGIONS" && !regions.empty()) {
    return errors::InvalidInputException(
        "Regions can't be specified when RegionLinkingMode is NO_REGIONS.");
  }
  for (const std::string& region : regions) {
    if (!IsRegionName(region))
      return errors::InvalidInputException("Invalid Region " + region + ".");
  }
  return Ok{};
}

}  // namespace

void Provider::BindHub(gateway::OperationTable& table) {
  const std::pair<std::string_view, Output (Provider::*)(const Context&, Input&)> kOperations[] = {
      {"EnableSecurityHub", &Provider::EnableSecurityHub},
      {"DisableSecurityHub", &Provider::DisableSecurityHub},
      {"DescribeHub", &Provider::DescribeHub},
      {"UpdateSecurityHubConfiguration", &Provider::UpdateSecurityHubConfiguration},
      {"EnableOrganizationAdminAccount", &Provider::EnableOrganizationAdminAccount},
      {"DisableOrganizationAdminAccount", &Provider::DisableOrganizationAdminAccount},
      {"ListOrganizationAdminAccounts", &Provider::ListOrganizationAdminAccounts},
      {"UpdateOrganizationConfiguration", &Provider::UpdateOrganizationConfiguration},
      {"DescribeOrganizationConfiguration", &Provider::DescribeOrganizationConfiguration},
      {"CreateFindingAggregator", &Provider::CreateFindingAggregator},
      {"GetFindingAggregator", &Provider::GetFindingAggregator},
      {"UpdateFindingAggregator", &Provider::UpdateFindingAggregator},
      {"DeleteFindingAggregator", &Provider::DeleteFindingAggregator},
      {"ListFindingAggregators", &Provider::ListFindingAggregators},
      {"CreateMembers", &Provider::CreateMembers},
      {"GetMembers", &Provider::GetMembers},
      {"ListMembers", &Provider::ListMembers},
      {"TagResource", &Provider::TagResource},
      {"UntagResource", &Provider::UntagResource},
      {"ListTagsForResource", &Provider::ListTagsForResource},
  };
  for (const auto& [name, method] : kOperations) table.Bind(name, this, method);
  // The constructor's listener belongs to the policies family; the hub family follows the
  // organization with its own, added here because Bind runs once, at startup, before any
  // request (Directory::AddListener's contract).
  directory_.AddListener([this](const org::Event& event) { OnHubOrganizationEvent(event); });
}

// --- Between families

bool Provider::HubEnabled(std::string_view account_id, std::string_view region) const {
  return hub_.hubs.Find(HubKey(account_id, region)) != nullptr;
}

std::string Provider::DelegatedAdministrator(std::string_view organization_id) const {
  const org::Membership membership = MembershipOfOrganization(directory_, organization_id);
  if (!membership.in_organization()) return {};
  // The management account may also be designated, but only a member account is the
  // organization's delegated administrator (Organizations refuses to register the management
  // account, and central configuration requires a member account).
  const std::string prefix = membership.management_account_id + "/";
  for (auto item = hub_.admins.LowerBound(prefix);
       item != hub_.admins.items().end() && item->first.starts_with(prefix); ++item) {
    const AdminAccount& admin = item->second;
    if (EnabledDelegation(admin, membership) && Stands(directory_, admin)) return admin.account_id;
  }
  return {};
}

bool Provider::IsCentralAdministrator(const org::Membership& membership,
                                      std::string_view account_id) const {
  // DelegatedAdministrator(organization) == account_id && CentralConfigurationEnabled(
  // organization) in one walk of the designations, without asking Organizations again for the
  // organization (the caller's membership is the management account's) nor twice whether a
  // designation stands: this ran on every central configuration request (issue 8).
  if (!membership.in_organization()) return false;
  const auto stands = [&](const AdminAccount& admin) {
    if (admin.account_id != account_id) return Stands(directory_, admin);
    // Stands() for the caller, whose membership is known: one read of Organizations.
    if (membership.organization_id != admin.organization_id) return false;
    return directory_.Read([&](const org::State& state) {
      return state.IsTrustedAccessEnabled(admin.organization_id, kServicePrincipal) &&
             (admin.account_id == membership.management_account_id ||
              state.IsDelegatedAdministrator(admin.organization_id, admin.account_id,
                                             kServicePrincipal));
    });
  };
  const std::string prefix = membership.management_account_id + "/";
  bool delegated =
      false;             // the first standing designation (DelegatedAdministrator's) is the caller
  bool central = false;  // CentralOf found a central configuration administrator
  for (auto item = hub_.admins.LowerBound(prefix);
       item != hub_.admins.items().end() && item->first.starts_with(prefix); ++item) {
    const AdminAccount& admin = item->second;
    if (!EnabledDelegation(admin, membership)) continue;
    const bool central_candidate = CentralCandidate(hub_, admin, membership).admin != nullptr;
    if (delegated && !central_candidate) continue;
    if (!stands(admin)) continue;
    if (!delegated) {
      if (admin.account_id != account_id) return false;
      delegated = true;
    }
    // The first standing central candidate is CentralOf's answer; it follows (or is) the
    // first standing designation, which is the caller's.
    if (central_candidate) return true;
  }
  return false;
}

std::string Provider::HomeRegion(std::string_view admin_account_id) const {
  const FindingAggregator* aggregator = AggregatorOf(hub_, admin_account_id);
  return aggregator ? aggregator->region : std::string();
}

bool Provider::CentralConfigurationEnabled(std::string_view organization_id) const {
  return CentralOf(hub_, directory_, MembershipOfOrganization(directory_, organization_id)).admin !=
         nullptr;
}

void Provider::PutResourceTags(store::Transaction& txn, std::string_view scope,
                               std::string_view arn, std::map<std::string, std::string> tags) {
  const std::string key = TagsKey(scope, arn);
  if (tags.empty()) {
    hub_.tags.Erase(txn, key);
  } else {
    hub_.tags.Put(txn, key, TagSet{std::move(tags)});
  }
}

void Provider::ResumeHub() {
  std::vector<std::pair<double, std::string>> configurations;
  std::vector<std::pair<double, std::string>> disabling;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, configuration] : hub_.org_configs.items()) {
      if (configuration.status == "PENDING")
        configurations.emplace_back(configuration.status_due, key);
    }
    for (const auto& [key, admin] : hub_.admins.items()) {
      if (admin.status == "DISABLE_IN_PROGRESS") disabling.emplace_back(admin.disabled_at, key);
    }
  }
  for (const auto& [due, key] : configurations) {
    scheduler_.At(due, [this, key = key] { FinishOrganizationConfiguration(key); });
  }
  for (const auto& [due, key] : disabling) {
    scheduler_.At(due, [this, key = key] { FinishAdminDisable(key); });
  }
}

// --- Hub

Provider::Output Provider::EnableSecurityHub(const Context& context, Input& input) {
  std::map<std::string, std::string> tags = TagsFrom(input, "Tags");
  const bool default_standards = Flag(input, "EnableDefaultStandards", true);
  const std::string generator = input.contains("ControlFindingGenerator")
                                    ? Text(input, "ControlFindingGenerator")
                                    : std::string("SECURITY_CONTROL");
  return Write([&](store::Transaction& txn) -> Output {
    const std::string key = HubKey(context.account_id, context.region);
    // The message AWS sends (terraform-aws-secure-baseline issues 110, 135).
    if (hub_.hubs.Find(key))
      return errors::ResourceConflictException("Account is already subscribed to Security Hub");
    Hub hub;
    hub.account_id = context.account_id;
    hub.region = context.region;
    hub.subscribed_at = context.now;
    hub.control_finding_generator = generator;
    hub.enable_default_standards = default_standards;
    const std::string arn = hub.Arn();
    hub_.hubs.Put(txn, key, std::move(hub));
    PutResourceTags(txn, ScopePrefix(context.account_id, context.region), arn, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::DisableSecurityHub(const Context& context, Input&) {
  return Write([&](store::Transaction& txn) -> Output {
    const std::string key = HubKey(context.account_id, context.region);
    const Hub* hub = hub_.hubs.Find(key);
    // ResourceNotFoundException is what terraform-provider-aws treats as "already disabled".
    if (!hub) {
      return errors::ResourceNotFoundException("Account " + std::string(context.account_id) +
                                               " is not subscribed to AWS Security Hub");
    }
    // The administrator, including while its designation is being disabled: terraform-provider-aws
    // retries on this message until DisableOrganizationAdminAccount has finished.
    const org::Membership membership = directory_.MembershipOf(context.account_id);
    const AdminAccount* designated =
        membership.in_organization()
            ? hub_.admins.Find(AdminKey(membership.management_account_id, context.region, kFeature))
            : nullptr;
    const bool administers =
        (designated && designated->account_id == context.account_id &&
         designated->organization_id == membership.organization_id &&
         Stands(directory_, *designated)) ||
        IsAdministrator(hub_, directory_, context.account_id, context.region) ||
        MemberCount(hub_, context.account_id, context.region) > 0;
    if (administers)
      return errors::InvalidInputException(
          "Cannot disable Security Hub on the Security Hub administrator");
    const std::string scope = ScopePrefix(context.account_id, context.region);
    PutResourceTags(txn, scope, hub->Arn(), {});
    ForgetStandards(txn, scope);
    hub_.hubs.Erase(txn, key);
    // "any Security Hub configuration settings are deleted" (DisableSecurityHub): the
    // aggregator of this Region and an old organization configuration go with the hub.
    std::vector<std::string> doomed;
    for (auto item = hub_.aggregators.LowerBound(scope);
         item != hub_.aggregators.items().end() && item->first.starts_with(scope); ++item) {
      doomed.push_back(item->first);
    }
    for (const std::string& aggregator_key : doomed) hub_.aggregators.Erase(txn, aggregator_key);
    hub_.org_configs.Erase(txn, ConfigurationKey(context.account_id, context.region));
    return json::object{};
  });
}

Provider::Output Provider::DescribeHub(const Context& context, Input& input) {
  const std::string hub_arn = Text(input, "HubArn");
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  const std::string arn = (*hub)->Arn();
  if (!hub_arn.empty() && hub_arn != arn) return NotFound(hub_arn);
  return json::object{{"HubArn", arn},
                      {"SubscribedAt", time_format::Iso8601((*hub)->subscribed_at)},
                      {"AutoEnableControls", (*hub)->auto_enable_controls},
                      {"ControlFindingGenerator", (*hub)->control_finding_generator}};
}

Provider::Output Provider::UpdateSecurityHubConfiguration(const Context& context, Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<const Hub*> hub = RequireHub(hub_, context);
    if (!hub.ok()) return std::move(hub).error();
    hub_.hubs.Update(txn, HubKey(context.account_id, context.region), [&](Hub& stored) {
      if (input.contains("AutoEnableControls"))
        stored.auto_enable_controls = Flag(input, "AutoEnableControls", true);
      if (input.contains("ControlFindingGenerator")) {
        stored.control_finding_generator = Text(input, "ControlFindingGenerator");
      }
    });
    return json::object{};
  });
}

// --- Organization administrator

Provider::Output Provider::EnableOrganizationAdminAccount(const Context& context, Input& input) {
  const std::string admin_id = Text(input, "AdminAccountId");
  const std::string feature =
      input.contains("Feature") ? Text(input, "Feature") : std::string(kFeature);
  return Write([&](store::Transaction& txn) -> Output {
    const org::Membership membership = directory_.MembershipOf(context.account_id);
    if (!membership.in_organization()) return NotInOrganization();
    if (membership.management_account_id != context.account_id)
      return errors::AccessDeniedException();
    const std::string& organization_id = membership.organization_id;
    const std::optional<OrgAccount> account = FindOrgAccount(directory_, admin_id);
    if (!account || account->organization_id != organization_id) {
      return errors::InvalidInputException(
          "Account " + admin_id + " is not a member of organization " + organization_id + ".");
    }
    if (account->status != "ACTIVE") {
      return errors::InvalidInputException("Account " + admin_id +
                                           " is not active in the organization.");
    }
    const bool is_management = admin_id == membership.management_account_id;
    // Security Hub (V2) takes a member account only (securityhub-v2-set-da.html).
    if (feature == kFeatureV2 && is_management) {
      return errors::InvalidInputException(
          "The organization management account can't be the delegated administrator for Security "
          "Hub.");
    }
    const std::string key = AdminKey(membership.management_account_id, context.region, feature);
    const AdminAccount* existing = hub_.admins.Find(key);
    const bool existing_stands =
        existing && existing->organization_id == organization_id && Stands(directory_, *existing);
    // "To choose a different account, you must remove the current Security Hub administrator
    // account" (designate-orgs-admin-account.html).
    if (existing_stands && existing->account_id != admin_id) {
      return errors::InvalidInputException(
          "Account " + existing->account_id +
          " is already the Security Hub administrator account in this Region. "
          "Disable it before you designate another account.");
    }
    // "Once you have a delegated administrator account in Organizations, then you can choose
    // either that account or the organization management account as the Security Hub
    // administrator account in all Regions."
    if (!is_management) {
      const std::string registered = RegisteredAdministrator(directory_, organization_id);
      if (!registered.empty() && registered != admin_id) {
        return errors::InvalidInputException(
            "Account " + registered +
            " is the delegated administrator for Security Hub in AWS Organizations. "
            "Designate that account or the organization management account.");
      }
    }
    // A designation that Organizations ended leaves now, with what it administered.
    if (existing && !existing_stands && feature == kFeature) {
      hub_.org_configs.Erase(txn, ConfigurationKey(existing->account_id, context.region));
      EraseOrganizationMembers(hub_, txn, existing->account_id, context.region,
                               existing->organization_id);
    }
    AdminAccount admin;
    admin.organization_id = organization_id;
    admin.account_id = admin_id;
    admin.region = context.region;
    admin.feature = feature;
    admin.enabled_at = existing_stands ? existing->enabled_at : context.now;
    hub_.admins.Put(txn, key, std::move(admin));
    if (feature == kFeature) {
      // "It also enables Security Hub CSPM in the current AWS Region for the delegated
      // administrator account" (designate-orgs-admin-account.html).
      EnableHubFor(hub_, txn, admin_id, context.region, context.now, true);
      const std::string configuration_key = ConfigurationKey(admin_id, context.region);
      const OrganizationConfiguration* configuration = hub_.org_configs.Find(configuration_key);
      if (!configuration || configuration->organization_id != organization_id) {
        OrganizationConfiguration fresh;
        fresh.organization_id = organization_id;
        fresh.admin_account_id = admin_id;
        fresh.region = context.region;
        hub_.org_configs.Put(txn, configuration_key, std::move(fresh));
      }
    }
    // "This enables Security Hub CSPM as a trusted service in Organizations", and the first
    // designation "calls Organizations to make that account the delegated administrator".
    directory_.EnableTrustedAccess(organization_id, kServicePrincipal, context.now);
    if (!is_management) {
      directory_.RegisterDelegatedAdministrator(organization_id, admin_id, kServicePrincipal,
                                                context.now);
    }
    return json::object{{"AdminAccountId", admin_id}, {"Feature", feature}};
  });
}

Provider::Output Provider::DisableOrganizationAdminAccount(const Context& context, Input& input) {
  const std::string admin_id = Text(input, "AdminAccountId");
  const std::string feature =
      input.contains("Feature") ? Text(input, "Feature") : std::string(kFeature);
  std::string key;
  double due = 0;
  Output disabled = Write([&](store::Transaction& txn) -> Output {
    const org::Membership membership = directory_.MembershipOf(context.account_id);
    if (!membership.in_organization()) return NotInOrganization();
    if (membership.management_account_id != context.account_id)
      return errors::AccessDeniedException();
    key = AdminKey(membership.management_account_id, context.region, feature);
    const AdminAccount* admin = hub_.admins.Find(key);
    if (!admin || admin->account_id != admin_id ||
        admin->organization_id != membership.organization_id || !Stands(directory_, *admin)) {
      return errors::InvalidInputException(
          "Account " + admin_id + " is not the Security Hub administrator account in this Region.");
    }
    if (admin->status == "DISABLE_IN_PROGRESS") return json::object{};
    // "When you use central configuration, you can't use the Security Hub CSPM console or
    // Security Hub CSPM APIs to change or remove the delegated administrator account."
    const Central central = CentralOf(hub_, directory_, membership);
    if (feature == kFeature && central.admin && central.admin->account_id == admin_id) {
      return errors::AccessDeniedException(
          "You can't remove the delegated administrator while central configuration is enabled. "
          "Stop central "
          "configuration first, or remove the delegated administrator through AWS Organizations.");
    }
    due = context.now + kDisableAdminSeconds;
    hub_.admins.Update(txn, key, [&](AdminAccount& stored) {
      stored.status = "DISABLE_IN_PROGRESS";
      stored.disabled_at = due;
    });
    return json::object{};
  });
  if (disabled.ok() && due > 0) {
    scheduler_.At(due, [this, key] { FinishAdminDisable(key); });
  }
  return disabled;
}

void Provider::FinishAdminDisable(const std::string& key) {
  const double now = scheduler_.now();
  // The Write's result is only for rolling back; a designation that moved on is not an error.
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    const AdminAccount* admin = hub_.admins.Find(key);
    if (!admin || admin->status != "DISABLE_IN_PROGRESS" || now < admin->disabled_at) return Ok{};
    const AdminAccount gone = *admin;
    hub_.admins.Erase(txn, key);
    if (gone.feature == kFeature) {
      // AWS deletes the central configuration with its administrator.
      ForgetCentralConfiguration(txn, ScopePrefix(gone.account_id, gone.region));
      hub_.org_configs.Erase(txn, ConfigurationKey(gone.account_id, gone.region));
      EraseOrganizationMembers(hub_, txn, gone.account_id, gone.region, gone.organization_id);
    }
    return Ok{};
  });
}

Provider::Output Provider::ListOrganizationAdminAccounts(const Context& context, Input& input) {
  const std::string feature =
      input.contains("Feature") ? Text(input, "Feature") : std::string(kFeature);
  std::shared_lock lock(mutex_);
  const org::Membership membership = directory_.MembershipOf(context.account_id);
  if (!membership.in_organization()) return NotInOrganization();
  if (membership.management_account_id != context.account_id)
    return errors::AccessDeniedException();
  const services::Paging paging(tokens_, context, input, "ListOrganizationAdminAccounts", feature,
                                kAdminPaging);
  if (Result<std::string> start = paging.Start(); !start.ok()) return std::move(start).error();
  // One designation per Region and feature, so the list fits one page. A designation being
  // disabled is listed DISABLE_IN_PROGRESS until it is gone (terraform-provider-aws waits
  // for that).
  json::array admins;
  const AdminAccount* designated =
      hub_.admins.Find(AdminKey(context.account_id, context.region, feature));
  if (designated && designated->organization_id == membership.organization_id &&
      Stands(directory_, *designated)) {
    admins.push_back({{"AccountId", designated->account_id}, {"Status", designated->status}});
  } else if (const AdminAccount* linked =
                 AdminIn(hub_, directory_, membership, context.region, feature)) {
    admins.push_back({{"AccountId", linked->account_id}, {"Status", "ENABLED"}});
  }
  return json::object{{"AdminAccounts", std::move(admins)}, {"Feature", feature}};
}

// --- Organization configuration

Provider::Output Provider::UpdateOrganizationConfiguration(const Context& context, Input& input) {
  const bool auto_enable = Flag(input, "AutoEnable", false);
  const std::optional<std::string> standards =
      input.contains("AutoEnableStandards")
          ? std::optional<std::string>(Text(input, "AutoEnableStandards"))
          : std::nullopt;
  std::optional<std::string> requested_type;
  if (const json::value* configuration = input.if_contains("OrganizationConfiguration");
      configuration && configuration->is_object() &&
      configuration->get_object().contains("ConfigurationType")) {
    requested_type = Text(configuration->get_object(), "ConfigurationType");
  }
  const std::string key = ConfigurationKey(context.account_id, context.region);
  double due = 0;
  Output updated = Write([&](store::Transaction& txn) -> Output {
    const org::Membership membership = directory_.MembershipOf(context.account_id);
    const AdminAccount* admin = AdminIn(hub_, directory_, membership, context.region);
    if (!admin || admin->account_id != context.account_id)
      return NotAnAdministrator(context.account_id);
    const Central central = CentralOf(hub_, directory_, membership);
    const bool covered = central.Covers(context.region);
    const OrganizationConfiguration* stored = hub_.org_configs.Find(key);
    OrganizationConfiguration configuration;
    if (stored && stored->organization_id == membership.organization_id) {
      configuration = *stored;
    } else {
      configuration.organization_id = membership.organization_id;
      configuration.admin_account_id = context.account_id;
      configuration.region = context.region;
    }
    const std::string current_type =
        covered ? std::string("CENTRAL") : configuration.configuration_type;
    const std::string target_type = requested_type.value_or(current_type);
    // "If the ConfigurationType of your organization is set to CENTRAL, then this field is set
    // to false [NONE] and can't be changed in the home Region and linked Regions." The message
    // is AWS's (schubergphilis/terraform-aws-mcaf-landing-zone#213).
    if (target_type == "CENTRAL" && (auto_enable || standards.value_or("NONE") == "DEFAULT")) {
      return errors::InvalidInputException(
          "Auto Enable and AutoEnableStandards can not be enabled for Central Configuration");
    }
    if (covered && context.region != central.admin->region) {
      // A linked Region follows the home Region.
      if (target_type != "CENTRAL") {
        return errors::InvalidInputException(
            "Central configuration can only be changed in the home Region " +
            central.admin->region + ".");
      }
      return json::object{};
    }
    if (target_type == "CENTRAL") {
      const bool already = configuration.configuration_type == "CENTRAL" &&
                           (configuration.status == "ENABLED" || configuration.status == "PENDING");
      if (already) return json::object{};
      configuration.configuration_type = "CENTRAL";
      configuration.status = "PENDING";
      configuration.status_message.clear();
      configuration.auto_enable = false;
      configuration.auto_enable_standards = "NONE";
      due = context.now + kCentralConfigurationSeconds;
      configuration.status_due = due;
    } else {
      // "Before you can stop using central configuration, you must disassociate and delete
      // your configuration policies" (user guide, "Disabling central configuration"). AWS
      // documents no error code for it; cairn answers ResourceConflictException (409).
      if (configuration.configuration_type == "CENTRAL" &&
          CentralConfigurationInUse(ScopePrefix(context.account_id, context.region))) {
        return errors::ResourceConflictException(
            "Central configuration can't be stopped while configuration policies or policy "
            "associations exist. Disassociate and delete them first.");
      }
      // Local configuration is always ENABLED (OrganizationConfiguration.Status).
      configuration.configuration_type = "LOCAL";
      configuration.status = "ENABLED";
      configuration.status_message.clear();
      configuration.status_due = 0;
      configuration.auto_enable = auto_enable;
      if (standards) configuration.auto_enable_standards = *standards;
    }
    hub_.org_configs.Put(txn, key, std::move(configuration));
    return json::object{};
  });
  if (updated.ok() && due > 0)
    scheduler_.At(due, [this, key] { FinishOrganizationConfiguration(key); });
  return updated;
}

void Provider::FinishOrganizationConfiguration(const std::string& key) {
  const double now = scheduler_.now();
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    const OrganizationConfiguration* configuration = hub_.org_configs.Find(key);
    if (!configuration || configuration->status != "PENDING" || now < configuration->status_due)
      return Ok{};
    // Central configuration's prerequisites (start-central-configuration.html): a delegated
    // administrator that is a member account, designated in the home Region, whose finding
    // aggregator makes this Region the home Region. AWS reports an unmet one as FAILED with a
    // StatusMessage; the wording is cairn's.
    const org::Membership membership = directory_.MembershipOf(configuration->admin_account_id);
    const AdminAccount* admin = AdminIn(hub_, directory_, membership, configuration->region);
    const FindingAggregator* aggregator = AggregatorOf(hub_, configuration->admin_account_id);
    std::string failure;
    if (!admin || admin->account_id != configuration->admin_account_id ||
        membership.organization_id != configuration->organization_id) {
      failure = "Account " + configuration->admin_account_id +
                " is no longer the delegated administrator in this Region.";
    } else if (configuration->admin_account_id == membership.management_account_id) {
      failure =
          "The organization management account can't be the delegated administrator for central "
          "configuration.";
    } else if (!aggregator || aggregator->region != configuration->region) {
      failure = "Central configuration requires a finding aggregator in the home Region " +
                configuration->region +
                (aggregator ? ", but the aggregation Region is " + aggregator->region + "." : ".");
    }
    hub_.org_configs.Update(txn, key, [&](OrganizationConfiguration& stored) {
      stored.status = failure.empty() ? "ENABLED" : "FAILED";
      stored.status_message = failure.empty() ? std::string(kCentralEnabledMessage) : failure;
      stored.status_due = 0;
    });
    return Ok{};
  });
}

Provider::Output Provider::DescribeOrganizationConfiguration(const Context& context, Input&) {
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  const org::Membership membership = directory_.MembershipOf(context.account_id);
  const AdminAccount* admin = AdminIn(hub_, directory_, membership, context.region);
  if (!admin || admin->account_id != context.account_id)
    return NotAnAdministrator(context.account_id);
  const bool limit_reached =
      MemberCount(hub_, context.account_id, context.region) >= kMemberAccountLimit;
  const Central central = CentralOf(hub_, directory_, membership);
  if (central.Covers(context.region)) return central.configuration->Describe(limit_reached);
  const OrganizationConfiguration* stored =
      hub_.org_configs.Find(ConfigurationKey(context.account_id, context.region));
  if (stored && stored->organization_id == membership.organization_id)
    return stored->Describe(limit_reached);
  return OrganizationConfiguration{}.Describe(limit_reached);
}

// --- Finding aggregators

Provider::Output Provider::CreateFindingAggregator(const Context& context, Input& input) {
  const std::string mode = Text(input, "RegionLinkingMode");
  const std::vector<std::string> regions = Strings(input, "Regions");
  return Write([&](store::Transaction& txn) -> Output {
    Result<const Hub*> hub = RequireHub(hub_, context);
    if (!hub.ok()) return std::move(hub).error();
    // AWS's message (nozaq/terraform-aws-secure-baseline#254), sent with status 401 there;
    // cairn keeps the model's 400 for InvalidInputException.
    if (MembershipIn(hub_, context.account_id, context.region)) {
      return errors::InvalidInputException(
          "A finding aggregator cannot be created by a member account.");
    }
    if (Result<Ok> linking = CheckLinking(mode, regions); !linking.ok())
      return std::move(linking).error();
    // One aggregator per account: its Region is the account's only home Region.
    if (const FindingAggregator* existing = AggregatorOf(hub_, context.account_id)) {
      return errors::ResourceConflictException(
          "A finding aggregator already exists for this account: " + existing->arn + ".");
    }
    const std::string id = ids::Uuid();
    FindingAggregator aggregator;
    aggregator.arn = "arn:aws:securityhub:" + std::string(context.region) + ":" +
                     std::string(context.account_id) + ":finding-aggregator/" + id;
    aggregator.account_id = context.account_id;
    aggregator.region = context.region;
    aggregator.linking_mode = mode;
    aggregator.regions = regions;
    aggregator.created = context.now;
    const FindingAggregator& stored = hub_.aggregators.Put(
        txn, ScopePrefix(context.account_id, context.region) + id, std::move(aggregator));
    return stored.Describe();
  });
}

Provider::Output Provider::GetFindingAggregator(const Context& context, Input& input) {
  const std::string arn = Text(input, "FindingAggregatorArn");
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  Result<const FindingAggregator*> aggregator = FindAggregator(hub_, context, arn);
  if (!aggregator.ok()) return std::move(aggregator).error();
  return (*aggregator)->Describe();
}

Provider::Output Provider::UpdateFindingAggregator(const Context& context, Input& input) {
  const std::string arn = Text(input, "FindingAggregatorArn");
  const std::string mode = Text(input, "RegionLinkingMode");
  const std::vector<std::string> regions = Strings(input, "Regions");
  return Write([&](store::Transaction& txn) -> Output {
    Result<const Hub*> hub = RequireHub(hub_, context);
    if (!hub.ok()) return std::move(hub).error();
    Result<const FindingAggregator*> aggregator = FindAggregator(hub_, context, arn);
    if (!aggregator.ok()) return std::move(aggregator).error();
    // "You can invoke this operation from the current home Region only." (API reference)
    if ((*aggregator)->region != context.region) {
      return errors::InvalidInputException(
          "The finding aggregator can only be updated from its home Region " +
          (*aggregator)->region + ".");
    }
    if (Result<Ok> linking = CheckLinking(mode, regions); !linking.ok())
      return std::move(linking).error();
    const std::string key =
        ScopePrefix(context.account_id, context.region) + arn.substr(arn.rfind('/') + 1);
    hub_.aggregators.Update(txn, key, [&](FindingAggregator& stored) {
      stored.linking_mode = mode;
      stored.regions = regions;
    });
    return hub_.aggregators.Find(key)->Describe();
  });
}

Provider::Output Provider::DeleteFindingAggregator(const Context& context, Input& input) {
  const std::string arn = Text(input, "FindingAggregatorArn");
  return Write([&](store::Transaction& txn) -> Output {
    Result<const Hub*> hub = RequireHub(hub_, context);
    if (!hub.ok()) return std::move(hub).error();
    Result<const FindingAggregator*> aggregator = FindAggregator(hub_, context, arn);
    if (!aggregator.ok()) return std::move(aggregator).error();
    if ((*aggregator)->region != context.region) {
      return errors::InvalidInputException(
          "The finding aggregator can only be deleted from its home Region " +
          (*aggregator)->region + ".");
    }
    // Central configuration's home Region is the aggregation Region: it has to stop first
    // (terraform-provider-aws: with CENTRAL, "dependent resources (i.e finding_aggregator,
    // delegated_admin) cannot be removed").
    const Central central =
        CentralOf(hub_, directory_, directory_.MembershipOf(context.account_id));
    if (central.aggregator == *aggregator) {
      return errors::InvalidInputException(
          "The finding aggregator can't be deleted while central configuration uses its Region as "
          "the home "
          "Region. Switch the organization to local configuration first.");
    }
    hub_.aggregators.Erase(
        txn, ScopePrefix(context.account_id, context.region) + arn.substr(arn.rfind('/') + 1));
    return json::object{};
  });
}

Provider::Output Provider::ListFindingAggregators(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  const services::Paging paging(tokens_, context, input, "ListFindingAggregators", "",
                                kAggregatorPaging);
  return services::ListPage(
      paging, hub_.aggregators, std::string(context.account_id) + "/", "FindingAggregators",
      [](const FindingAggregator&) { return true; },
      [](const FindingAggregator& aggregator) {
        return json::object{{"FindingAggregatorArn", aggregator.arn}};
      });
}

// --- Members

Provider::Output Provider::CreateMembers(const Context& context, Input& input) {
  struct Detail {
    std::string account_id;
    std::string email;
  };
  std::vector<Detail> details;
  if (const json::value* list = input.if_contains("AccountDetails"); list && list->is_array()) {
    for (const json::value& item : list->get_array()) {
      details.push_back({Text(item.as_object(), "AccountId"), Text(item.as_object(), "Email")});
    }
  }
  return Write([&](store::Transaction& txn) -> Output {
    Result<const Hub*> hub = RequireHub(hub_, context);
    if (!hub.ok()) return std::move(hub).error();
    const org::Membership membership = directory_.MembershipOf(context.account_id);
    const AdminAccount* admin = AdminIn(hub_, directory_, membership, context.region);
    const bool organization_admin = admin && admin->account_id == context.account_id;
    json::array unprocessed;
    auto refuse = [&](const std::string& account_id, std::string why) {
      unprocessed.push_back({{"AccountId", account_id}, {"ProcessingResult", std::move(why)}});
    };
    // The ProcessingResult texts are cairn's: AWS's are not documented.
    for (const Detail& detail : details) {
      if (!IsAccountId(detail.account_id)) {
        refuse(detail.account_id, "Invalid account ID " + detail.account_id + ".");
        continue;
      }
      if (detail.account_id == context.account_id) {
        refuse(detail.account_id, "The administrator account can't be its own member account.");
        continue;
      }
      // "Member accounts can only be associated with a single administrator account."
      if (const Member* elsewhere = MembershipIn(hub_, detail.account_id, context.region);
          elsewhere && elsewhere->administrator_id != context.account_id) {
        refuse(detail.account_id, "Account " + detail.account_id +
                                      " is already a member of administrator account " +
                                      elsewhere->administrator_id + ".");
        continue;
      }
      const std::string key = MemberKey(context.account_id, context.region, detail.account_id);
      const Member* existing = hub_.members.Find(key);
      if (existing && Visible(*existing, membership.organization_id, organization_admin)) continue;
      Member member;
      member.account_id = detail.account_id;
      member.administrator_id = context.account_id;
      member.email = detail.email;
      member.invited_at = context.now;
      member.updated_at = context.now;
      const std::optional<OrgAccount> account = FindOrgAccount(directory_, detail.account_id);
      if (organization_admin && account && account->organization_id == membership.organization_id) {
        // Organization accounts "automatically become a member account" with Security Hub and
        // the default standards enabled, except the management account, which "must enable
        // Security Hub before the administrator account enables it as a member account"
        // (CreateMembers); suspended accounts can't be enabled (orgs-accounts-enable.html).
        if (account->status != "ACTIVE") {
          refuse(detail.account_id, "Account " + detail.account_id + " is suspended.");
          continue;
        }
        if (detail.account_id == membership.management_account_id &&
            !hub_.hubs.Find(HubKey(detail.account_id, context.region))) {
          refuse(detail.account_id,
                 "Security Hub can't be enabled automatically in the organization management "
                 "account. Enable "
                 "Security Hub in account " +
                     detail.account_id + " first.");
          continue;
        }
        EnableHubFor(hub_, txn, detail.account_id, context.region, context.now, true);
        member.status = "Enabled";
        member.organization_id = membership.organization_id;
        if (member.email.empty()) member.email = account->email;
      } else {
        // An account outside the organization: the association waits for InviteMembers.
        member.status = "Created";
      }
      hub_.members.Put(txn, key, std::move(member));
    }
    return json::object{{"UnprocessedAccounts", std::move(unprocessed)}};
  });
}

Provider::Output Provider::GetMembers(const Context& context, Input& input) {
  const std::vector<std::string> account_ids = Strings(input, "AccountIds");
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  const org::Membership membership = directory_.MembershipOf(context.account_id);
  const bool organization_admin =
      IsAdministrator(hub_, directory_, context.account_id, context.region);
  json::array members;
  json::array unprocessed;
  for (const std::string& account_id : account_ids) {
    const Member* member =
        hub_.members.Find(MemberKey(context.account_id, context.region, account_id));
    if (member && Visible(*member, membership.organization_id, organization_admin)) {
      members.push_back(member->Describe());
    } else {
      unprocessed.push_back(
          {{"AccountId", account_id},
           {"ProcessingResult", "Account " + account_id + " is not a member account."}});
    }
  }
  return json::object{{"Members", std::move(members)},
                      {"UnprocessedAccounts", std::move(unprocessed)}};
}

Provider::Output Provider::ListMembers(const Context& context, Input& input) {
  // "The default value is TRUE": only members whose relationship is enabled.
  const bool only_associated = Flag(input, "OnlyAssociated", true);
  std::shared_lock lock(mutex_);
  Result<const Hub*> hub = RequireHub(hub_, context);
  if (!hub.ok()) return std::move(hub).error();
  const org::Membership membership = directory_.MembershipOf(context.account_id);
  const bool organization_admin =
      IsAdministrator(hub_, directory_, context.account_id, context.region);
  const services::Paging paging(tokens_, context, input, "ListMembers",
                                only_associated ? "associated" : "all", kMemberPaging);
  return services::ListPage(
      paging, hub_.members, ScopePrefix(context.account_id, context.region), "Members",
      [&](const Member& member) {
        return Visible(member, membership.organization_id, organization_admin) &&
               (!only_associated || member.associated());
      },
      [](const Member& member) { return member.Describe(); });
}

// --- Organization events

void Provider::OnHubOrganizationEvent(const org::Event& event) {
  using Kind = org::Event::Kind;
  if (event.kind != Kind::kAccountJoined && event.kind != Kind::kAccountLeft &&
      event.kind != Kind::kOrganizationDeleted) {
    return;
  }
  const double now = scheduler_.now();
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    if (event.kind == Kind::kAccountJoined) {
      // AutoEnable: "Security Hub begins to enable new accounts as they are added to the
      // organization", in each Region where the administrator turned it on (local
      // configuration; central configuration enables accounts through policies).
      std::vector<std::pair<AdminAccount, std::string>> enabling;
      for (const auto& [key, admin] : hub_.admins.items()) {
        if (admin.feature != kFeature || admin.status != "ENABLED" ||
            admin.organization_id != event.organization_id) {
          continue;
        }
        const OrganizationConfiguration* configuration =
            hub_.org_configs.Find(ConfigurationKey(admin.account_id, admin.region));
        if (!configuration || configuration->organization_id != event.organization_id ||
            configuration->configuration_type != "LOCAL" || !configuration->auto_enable) {
          continue;
        }
        if (!Stands(directory_, admin)) continue;
        enabling.emplace_back(admin, configuration->auto_enable_standards);
      }
      const std::optional<OrgAccount> account = FindOrgAccount(directory_, event.account_id);
      for (const auto& [admin, standards] : enabling) {
        if (event.account_id == admin.account_id ||
            MembershipIn(hub_, event.account_id, admin.region))
          continue;
        EnableHubFor(hub_, txn, event.account_id, admin.region, now, standards == "DEFAULT");
        Member member;
        member.account_id = event.account_id;
        member.administrator_id = admin.account_id;
        member.email = account ? account->email : std::string();
        member.status = "Enabled";
        member.organization_id = event.organization_id;
        member.invited_at = now;
        member.updated_at = now;
        hub_.members.Put(txn, MemberKey(admin.account_id, admin.region, event.account_id),
                         std::move(member));
      }
      return Ok{};
    }
    // An account that leaves is no longer a member through the organization; a deleted
    // organization takes its designations, configurations and members along.
    std::vector<std::string> doomed;
    for (const auto& [key, member] : hub_.members.items()) {
      const bool gone =
          member.organization_id == event.organization_id &&
          (event.kind == Kind::kOrganizationDeleted || member.account_id == event.account_id);
      if (gone) doomed.push_back(key);
    }
    for (const std::string& key : doomed) hub_.members.Erase(txn, key);
    if (event.kind == Kind::kOrganizationDeleted) {
      doomed.clear();
      for (const auto& [key, admin] : hub_.admins.items()) {
        if (admin.organization_id == event.organization_id) doomed.push_back(key);
      }
      for (const std::string& key : doomed) hub_.admins.Erase(txn, key);
      doomed.clear();
      for (const auto& [key, configuration] : hub_.org_configs.items()) {
        if (configuration.organization_id == event.organization_id) doomed.push_back(key);
      }
      for (const std::string& key : doomed) hub_.org_configs.Erase(txn, key);
    }
    return Ok{};
  });
}

// --- Tags

Provider::Output Provider::TagResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  const std::map<std::string, std::string> added = TagsFrom(input, "Tags");
  return Write([&](store::Transaction& txn) -> Output {
    const std::string scope = ScopePrefix(context.account_id, context.region);
    if (!IsOwnHubArn(hub_, context, arn) && !PoliciesOwnArn(scope, arn)) return NotFound(arn);
    const TagSet* existing = hub_.tags.Find(TagsKey(scope, arn));
    std::map<std::string, std::string> tags =
        existing ? existing->tags : std::map<std::string, std::string>{};
    for (const auto& [key, value] : added) tags[key] = value;
    if (tags.size() > kMaxTags) {
      return errors::InvalidInputException("A resource can have at most " +
                                           std::to_string(kMaxTags) + " tags.");
    }
    PutResourceTags(txn, scope, arn, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::UntagResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  const std::vector<std::string> keys = Strings(input, "TagKeys");
  return Write([&](store::Transaction& txn) -> Output {
    const std::string scope = ScopePrefix(context.account_id, context.region);
    if (!IsOwnHubArn(hub_, context, arn) && !PoliciesOwnArn(scope, arn)) return NotFound(arn);
    const TagSet* existing = hub_.tags.Find(TagsKey(scope, arn));
    if (!existing) return json::object{};
    std::map<std::string, std::string> tags = existing->tags;
    for (const std::string& key : keys) tags.erase(key);
    PutResourceTags(txn, scope, arn, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::ListTagsForResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  std::shared_lock lock(mutex_);
  const std::string scope = ScopePrefix(context.account_id, context.region);
  if (!IsOwnHubArn(hub_, context, arn) && !PoliciesOwnArn(scope, arn)) return NotFound(arn);
  json::object tags;
  if (const TagSet* existing = hub_.tags.Find(TagsKey(scope, arn))) {
    for (const auto& [key, value] : existing->tags) tags[key] = value;
  }
  return json::object{{"Tags", std::move(tags)}};
}

}  // namespace cairn::securityhub
