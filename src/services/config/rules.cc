// Organization config rules: the five operations and the deployment of each rule into the
// member accounts of its organization.
//
// A rule lives in the account and region of the management account or delegated
// administrator that put it (only that account sees it, as AWS's DescribeOrganizationConfigRules
// documents). Putting it deploys it to every account of the organization, the management
// account included, except ExcludedAccounts; accounts that join later get it too, and accounts
// that leave lose it. Each member account moves CREATE_IN_PROGRESS -> CREATE_SUCCESSFUL (or
// UPDATE_*, or DELETE_IN_PROGRESS -> gone) in one scheduler step per rule and due time, which
// settles every member account due at once (a batch, so 1,000 accounts cost one step). The
// organization status follows: *_IN_PROGRESS while any member account is in progress, then
// *_SUCCESSFUL, or *_FAILED with a failed account's error. A deleted rule is gone once every
// member account has dropped it. Which member accounts' deployments fail is the switch that
// organization conformance packs use too (PacksState::FailureFor, set through
// POST /_cairn/config/deployment-failures), read when a step settles an account.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>

#include "base/ids.h"
#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/config/errors.h"
#include "services/config/provider.h"

namespace cairn::config {
namespace json = boost::json;
namespace {

using json_fields::Text;

// "The default is 100" (API reference of the three Describe/Get operations).
constexpr size_t kDefaultPageSize = 100;
const services::PagingRules kPaging{"config", "Limit", kDefaultPageSize,
                                    /*zero_means_default=*/true,
                                    [] { return errors::InvalidNextTokenException(); }};

// OrganizationAccessDeniedException as AWS Config answers these operations: to a member
// account (Terraform's AWS provider retries on this exact text), and to an account in no
// organization (the provider treats this one as "not found" after an organization is gone).
constexpr std::string_view kManagementOnly =
    "This action can be only made by AWS Organization's master account.";
constexpr std::string_view kNotInOrganization =
    "This action can only be made by accounts in an AWS Organization";

constexpr std::string_view kPolicyMetadata = "OrganizationCustomPolicyRuleMetadata";

std::vector<std::string> Strings(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* value = object.if_contains(key); value && value->is_array()) {
    for (const json::value& item : value->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

json::array StringsJson(const std::vector<std::string>& strings) {
  json::array out;
  for (const std::string& text : strings) out.emplace_back(text);
  return out;
}

bool Contains(const std::vector<std::string>& strings, std::string_view wanted) {
  return std::find(strings.begin(), strings.end(), wanted) != strings.end();
}

enum class Operation { kPut, kOther };

// The caller's place in its organization, if it may manage organization rules: the management
// account, or a delegated administrator for config-multiaccountsetup.amazonaws.com (a delegated
// administrator for another service principal is a member like any other). The rules of
// AuthorizeOrganizationCaller (packs_resources.h), with the message AWS Config sends members
// for these operations.
Result<org::Membership> AuthorizeRules(const org::Directory& directory, std::string_view account_id,
                                       Operation operation) {
  org::Membership membership = directory.MembershipOf(account_id);
  if (!membership.in_organization()) {
    // NoAvailableOrganizationException is modelled for PutOrganizationConfigRule only.
    if (operation == Operation::kPut) return errors::NoAvailableOrganizationException();
    return errors::OrganizationAccessDeniedException(std::string(kNotInOrganization));
  }
  if (operation == Operation::kPut && membership.feature_set != "ALL") {
    return errors::OrganizationAllFeaturesNotEnabledException();
  }
  if (membership.management_account_id == account_id ||
      directory.IsDelegatedAdministrator(account_id, kMultiAccountSetupPrincipal)) {
    return membership;
  }
  return errors::OrganizationAccessDeniedException(std::string(kManagementOnly));
}

// `<account>/<region>/` of a rule's key.
std::string ScopeOf(std::string_view rule_key) {
  const size_t region_end = rule_key.find('/', rule_key.find('/') + 1);
  return std::string(rule_key.substr(0, region_end + 1));
}

std::string MembersPrefix(std::string_view scope, const OrganizationConfigRule& rule) {
  return std::string(scope) + rule.id + "/";
}

bool AnyKeyWithPrefix(const store::Collection<MemberRuleStatus>& members, std::string_view prefix) {
  auto first = members.LowerBound(prefix);
  return first != members.items().end() && first->first.starts_with(prefix);
}

std::vector<std::string> KeysWithPrefix(const store::Collection<MemberRuleStatus>& members,
                                        std::string_view prefix) {
  std::vector<std::string> keys;
  for (auto item = members.LowerBound(prefix);
       item != members.items().end() && item->first.starts_with(prefix); ++item) {
    keys.push_back(item->first);
  }
  return keys;
}

// "CREATE" of "CREATE_IN_PROGRESS", "CREATE_FAILED", ...
std::string_view PhaseOf(std::string_view status) { return status.substr(0, status.find('_')); }

// Sets the member at `key` (account `account_id`) in progress toward `status`, due at `due`.
void StartMember(RulesState& state, store::Transaction& txn, const std::string& key,
                 std::string_view account_id, std::string status, double now, double due) {
  state.members.Put(txn, key,
                    MemberRuleStatus{std::string(account_id), std::move(status), "", "", now, due});
}

// Starts deploying `rule` (already stored at its key in `scope`) to the `targets` accounts:
// new ones are created, present ones updated (or created again where their creation failed),
// and accounts no longer targeted (newly excluded) are deleted from.
void StartDeployment(RulesState& state, store::Transaction& txn, std::string_view scope,
                     const OrganizationConfigRule& rule, const std::set<std::string>& targets,
                     double now, double due) {
  const std::string prefix = MembersPrefix(scope, rule);
  for (const std::string& key : KeysWithPrefix(state.members, prefix)) {
    const std::string account_id = key.substr(prefix.size());
    if (!targets.contains(account_id)) {
      StartMember(state, txn, key, account_id, "DELETE_IN_PROGRESS", now, due);
    }
  }
  for (const std::string& account_id : targets) {
    const std::string key = prefix + account_id;
    const MemberRuleStatus* member = state.members.Find(key);
    const bool created = member && PhaseOf(member->status) != "DELETE" &&
                         member->status != "CREATE_FAILED" &&
                         member->status != "CREATE_IN_PROGRESS";
    StartMember(state, txn, key, account_id, created ? "UPDATE_IN_PROGRESS" : "CREATE_IN_PROGRESS",
                now, due);
  }
}

// Recomputes the organization status of the rule at `rule_key` from its members once none is
// in progress: *_SUCCESSFUL, *_FAILED with the first failed account's error, and for a
// deletion, the rule's end. Keeps the phase (CREATE, UPDATE, DELETE) the rule is in.
void RefreshRuleStatus(RulesState& state, store::Transaction& txn, const std::string& rule_key,
                       double now) {
  const OrganizationConfigRule* rule = state.rules.Find(rule_key);
  if (!rule || rule->due > now) return;
  const std::string prefix = MembersPrefix(ScopeOf(rule_key), *rule);
  const MemberRuleStatus* failed = nullptr;
  bool any_member = false;
  for (auto item = state.members.LowerBound(prefix);
       item != state.members.items().end() && item->first.starts_with(prefix); ++item) {
    if (item->second.due > 0) return;  // a step is still to come
    any_member = true;
    if (!failed && item->second.status.ends_with("_FAILED")) failed = &item->second;
  }
  const std::string phase(PhaseOf(rule->status));
  if (phase == "DELETE" && !any_member) {
    state.rules.Erase(txn, rule_key);
    return;
  }
  const std::string status = phase + (failed ? "_FAILED" : "_SUCCESSFUL");
  const std::string error_code = failed ? failed->error_code : "";
  const std::string error_message = failed ? failed->error_message : "";
  if (status == rule->status && error_code == rule->error_code && rule->due == 0) return;
  state.rules.Update(txn, rule_key, [&](OrganizationConfigRule& stored) {
    if (stored.status != status) stored.status_time = now;
    stored.status = status;
    stored.error_code = error_code;
    stored.error_message = error_message;
    stored.due = 0;
  });
}

json::object RuleJson(const OrganizationConfigRule& rule) {
  json::object out{{"OrganizationConfigRuleName", rule.name},
                   {"OrganizationConfigRuleArn", rule.arn},
                   {"LastUpdateTime", rule.last_update_time}};
  json::object metadata = rule.metadata;
  // The output shape is OrganizationCustomPolicyRuleMetadataNoPolicy: the policy text is
  // only returned by GetOrganizationCustomRulePolicy.
  if (rule.metadata_member == kPolicyMetadata) metadata.erase("PolicyText");
  out[rule.metadata_member] = std::move(metadata);
  if (!rule.excluded_accounts.empty())
    out["ExcludedAccounts"] = StringsJson(rule.excluded_accounts);
  return out;
}

json::object StatusJson(const OrganizationConfigRule& rule) {
  json::object out{{"OrganizationConfigRuleName", rule.name},
                   {"OrganizationRuleStatus", rule.status},
                   {"LastUpdateTime", rule.status_time}};
  if (!rule.error_code.empty()) out["ErrorCode"] = rule.error_code;
  if (!rule.error_message.empty()) out["ErrorMessage"] = rule.error_message;
  return out;
}

json::object MemberJson(const OrganizationConfigRule& rule, const MemberRuleStatus& member) {
  json::object out{{"AccountId", member.account_id},
                   {"ConfigRuleName", rule.MemberRuleName()},
                   {"MemberAccountRuleStatus", member.status},
                   {"LastUpdateTime", member.last_update_time}};
  if (!member.error_code.empty()) out["ErrorCode"] = member.error_code;
  if (!member.error_message.empty()) out["ErrorMessage"] = member.error_message;
  return out;
}

// The metadata object as stored: the request's, without members sent as null.
json::object StoredMetadata(const json::object& given) {
  json::object out;
  for (const auto& entry : given) {
    if (!entry.value().is_null()) out[entry.key()] = entry.value();
  }
  return out;
}

// The names of a name filter, each once, in the order given.
std::vector<std::string> UniqueNames(const json::object& input) {
  std::vector<std::string> names;
  for (std::string& name : Strings(input, "OrganizationConfigRuleNames")) {
    if (!Contains(names, name)) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

void Provider::BindRules(gateway::OperationTable& table) {
  table.Bind("PutOrganizationConfigRule", this, &Provider::PutOrganizationConfigRule);
  table.Bind("DescribeOrganizationConfigRules", this, &Provider::DescribeOrganizationConfigRules);
  table.Bind("DescribeOrganizationConfigRuleStatuses", this,
             &Provider::DescribeOrganizationConfigRuleStatuses);
  table.Bind("GetOrganizationConfigRuleDetailedStatus", this,
             &Provider::GetOrganizationConfigRuleDetailedStatus);
  table.Bind("DeleteOrganizationConfigRule", this, &Provider::DeleteOrganizationConfigRule);
}

void Provider::ScheduleRuleStep(const std::string& rule_key, double due) {
  scheduler_.At(due, [this, rule_key] { SettleRuleDeployments(rule_key); });
}

void Provider::SettleRuleDeployments(const std::string& rule_key) {
  const double now = scheduler_.now();
  // The Write's result is only for rolling back; a rule already settled or gone is no error.
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    const OrganizationConfigRule* rule = rules_.rules.Find(rule_key);
    if (!rule) return Ok{};
    for (const std::string& key :
         KeysWithPrefix(rules_.members, MembersPrefix(ScopeOf(rule_key), *rule))) {
      const MemberRuleStatus& member = *rules_.members.Find(key);
      if (member.due == 0 || member.due > now) continue;
      const std::string phase(PhaseOf(member.status));
      if (phase == "DELETE") {
        rules_.members.Erase(txn, key);
        continue;
      }
      const DeploymentFailure* failure = packs_.FailureFor(member.account_id);
      rules_.members.Update(txn, key, [&](MemberRuleStatus& stored) {
        stored.status = phase + (failure ? "_FAILED" : "_SUCCESSFUL");
        stored.error_code = failure ? failure->error_code : "";
        stored.error_message = failure ? failure->error_message : "";
        stored.last_update_time = now;
        stored.due = 0;
      });
    }
    RefreshRuleStatus(rules_, txn, rule_key, now);
    return Ok{};
  });
}

void Provider::ResumeRules() {
  std::set<std::pair<std::string, double>> steps;
  {
    std::shared_lock lock(mutex_);
    std::map<std::string, std::string> rule_by_members_prefix;
    for (const auto& [key, rule] : rules_.rules.items()) {
      rule_by_members_prefix[MembersPrefix(ScopeOf(key), rule)] = key;
      if (rule.InProgress()) steps.emplace(key, rule.due);
    }
    for (const auto& [key, member] : rules_.members.items()) {
      if (member.due == 0) continue;
      const std::string prefix = key.substr(0, key.rfind('/') + 1);
      if (auto rule = rule_by_members_prefix.find(prefix); rule != rule_by_members_prefix.end()) {
        steps.emplace(rule->second, member.due);
      }
    }
  }
  for (const auto& [rule_key, due] : steps) ScheduleRuleStep(rule_key, due);
}

void Provider::OnOrganizationEventRules(const org::Event& event) {
  const double now = scheduler_.now();
  const double due = now + kRuleDeploymentSeconds;
  std::vector<std::string> started;
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    std::vector<std::string> rule_keys;
    for (const auto& [key, rule] : rules_.rules.items()) {
      if (rule.organization_id == event.organization_id) rule_keys.push_back(key);
    }
    for (const std::string& rule_key : rule_keys) {
      const OrganizationConfigRule& rule = *rules_.rules.Find(rule_key);
      const std::string prefix = MembersPrefix(ScopeOf(rule_key), rule);
      switch (event.kind) {
        case org::Event::Kind::kAccountJoined: {
          // "If a new account joins an organization, the rule is deployed to that account"
          // (AWS Config developer guide, config-rule-multi-account-deployment).
          const std::string key = prefix + event.account_id;
          if (rule.status == "DELETE_IN_PROGRESS" ||
              Contains(rule.excluded_accounts, event.account_id) || rules_.members.Find(key)) {
            break;
          }
          StartMember(rules_, txn, key, event.account_id, "CREATE_IN_PROGRESS", now, due);
          // "AWS Config rule status is updated when one or more member accounts join or leave
          // an organization" (OrganizationConfigRuleStatus).
          if (!rule.InProgress()) {
            rules_.rules.Update(txn, rule_key, [&](OrganizationConfigRule& stored) {
              stored.status = "UPDATE_IN_PROGRESS";
              stored.error_code.clear();
              stored.error_message.clear();
              stored.status_time = now;
            });
          }
          started.push_back(rule_key);
          break;
        }
        case org::Event::Kind::kAccountLeft:
          // "When an account leaves an organization, the rule is removed."
          if (rules_.members.Erase(txn, prefix + event.account_id))
            RefreshRuleStatus(rules_, txn, rule_key, now);
          break;
        case org::Event::Kind::kOrganizationDeleted:
          rules_.members.ErasePrefix(txn, prefix);
          rules_.rules.Erase(txn, rule_key);
          break;
        case org::Event::Kind::kAccountMoved:
        case org::Event::Kind::kAccountSuspended:
          break;
      }
    }
    return Ok{};
  });
  for (const std::string& rule_key : started) ScheduleRuleStep(rule_key, due);
}

// --- Operations

Provider::Output Provider::PutOrganizationConfigRule(const Context& context, Input& input) {
  Result<org::Membership> membership =
      AuthorizeRules(directory_, context.account_id, Operation::kPut);
  if (!membership.ok()) return std::move(membership).error();
  Result<std::string> metadata_member = CheckRuleMetadata(input);
  if (!metadata_member.ok()) return std::move(metadata_member).error();

  const std::string name = Text(input, "OrganizationConfigRuleName");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string rule_key = scope + name;
  const std::vector<std::string> excluded = Strings(input, "ExcludedAccounts");
  const double due = context.now + kRuleDeploymentSeconds;
  Output put = Write([&](store::Transaction& txn) -> Output {
    // Read under mutex_: an account joining meanwhile is either among the targets or, once
    // its event gets the lock, finds the rule stored and gets it from there.
    const std::vector<std::string> targets =
        DeploymentTargets(directory_, membership->organization_id, excluded);
    const OrganizationConfigRule* existing = rules_.rules.Find(rule_key);
    if (existing && existing->status == "DELETE_IN_PROGRESS") {
      // "For PutConfigOrganizationRule, organization Config rule deletion is in progress"
      // (ResourceInUseException, API reference).
      return errors::ResourceInUseException(
          "Organization Config rule deletion is in progress. Try your request again later.");
    }
    OrganizationConfigRule rule;
    if (existing) {
      rule = *existing;
      // An update while the creation is still going keeps creating.
      if (rule.status != "CREATE_IN_PROGRESS") rule.status = "UPDATE_IN_PROGRESS";
    } else {
      size_t count = 0;
      for (auto item = rules_.rules.LowerBound(scope);
           item != rules_.rules.items().end() && item->first.starts_with(scope); ++item) {
        ++count;
      }
      if (count >= kMaxOrganizationConfigRules)
        return errors::MaxNumberOfOrganizationConfigRulesExceededException();
      rule.name = name;
      // The id keys the rule's member accounts: it must not be another rule's.
      do {
        rule.id = ids::RandomLowerAlnum(8);
      } while (AnyKeyWithPrefix(rules_.members, MembersPrefix(scope, rule)));
      rule.arn = "arn:aws:config:" + std::string(context.region) + ":" +
                 std::string(context.account_id) + ":organization-config-rule/" + name + "-" +
                 rule.id;
      rule.organization_id = membership->organization_id;
      rule.status = "CREATE_IN_PROGRESS";
    }
    rule.metadata_member = *metadata_member;
    rule.metadata = StoredMetadata(input.at(*metadata_member).as_object());
    rule.excluded_accounts = excluded;
    rule.last_update_time = context.now;
    rule.error_code.clear();
    rule.error_message.clear();
    rule.status_time = context.now;
    rule.due = due;
    const OrganizationConfigRule& stored = rules_.rules.Put(txn, rule_key, std::move(rule));
    StartDeployment(rules_, txn, scope, stored,
                    std::set<std::string>(targets.begin(), targets.end()), context.now, due);
    return json::object{{"OrganizationConfigRuleArn", stored.arn}};
  });
  if (!put.ok()) return put;
  ScheduleRuleStep(rule_key, due);
  // "This API enables organization service access through the EnableAWSServiceAccess action"
  // (API reference): for the management account; a delegated administrator exists only where
  // it is enabled already.
  if (membership->management_account_id == context.account_id) {
    directory_.EnableTrustedAccess(membership->organization_id, kMultiAccountSetupPrincipal,
                                   context.now);
  }
  return put;
}

Provider::Output Provider::DescribeOrganizationConfigRules(const Context& context, Input& input) {
  Result<org::Membership> membership =
      AuthorizeRules(directory_, context.account_id, Operation::kOther);
  if (!membership.ok()) return std::move(membership).error();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::vector<std::string> names = UniqueNames(input);
  const services::Paging paging(tokens_, context, input, "DescribeOrganizationConfigRules", "",
                                kPaging);
  std::shared_lock lock(mutex_);
  // "Limit and next token are not applicable if you specify organization Config rule names"
  // (API reference).
  return services::ListNamedOrPage(paging, rules_.rules, scope, names, "OrganizationConfigRules",
                                   RuleJson,
                                   [] { return errors::NoSuchOrganizationConfigRuleException(); });
}

Provider::Output Provider::DescribeOrganizationConfigRuleStatuses(const Context& context,
                                                                  Input& input) {
  Result<org::Membership> membership =
      AuthorizeRules(directory_, context.account_id, Operation::kOther);
  if (!membership.ok()) return std::move(membership).error();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::vector<std::string> names = UniqueNames(input);
  const services::Paging paging(tokens_, context, input, "DescribeOrganizationConfigRuleStatuses",
                                "", kPaging);
  std::shared_lock lock(mutex_);
  // "Limit and next token are not applicable if you specify organization Config rule names"
  // (API reference).
  return services::ListNamedOrPage(paging, rules_.rules, scope, names,
                                   "OrganizationConfigRuleStatuses", StatusJson,
                                   [] { return errors::NoSuchOrganizationConfigRuleException(); });
}

Provider::Output Provider::GetOrganizationConfigRuleDetailedStatus(const Context& context,
                                                                   Input& input) {
  Result<org::Membership> membership =
      AuthorizeRules(directory_, context.account_id, Operation::kOther);
  if (!membership.ok()) return std::move(membership).error();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string name = Text(input, "OrganizationConfigRuleName");
  std::string account_filter;
  std::string status_filter;
  if (const json::value* filters = input.if_contains("Filters"); filters && filters->is_object()) {
    account_filter = Text(filters->get_object(), "AccountId");
    status_filter = Text(filters->get_object(), "MemberAccountRuleStatus");
  }
  std::shared_lock lock(mutex_);
  const OrganizationConfigRule* rule = rules_.rules.Find(scope + name);
  if (!rule) return errors::NoSuchOrganizationConfigRuleException();
  const std::string query = PageScope({name, rule->id, account_filter, status_filter});
  const services::Paging paging(tokens_, context, input, "GetOrganizationConfigRuleDetailedStatus",
                                query, kPaging);
  return services::ListPage(
      paging, rules_.members, MembersPrefix(scope, *rule), "OrganizationConfigRuleDetailedStatus",
      [&](const MemberRuleStatus& member) {
        return (account_filter.empty() || member.account_id == account_filter) &&
               (status_filter.empty() || member.status == status_filter);
      },
      [&](const MemberRuleStatus& member) { return MemberJson(*rule, member); });
}

Provider::Output Provider::DeleteOrganizationConfigRule(const Context& context, Input& input) {
  Result<org::Membership> membership =
      AuthorizeRules(directory_, context.account_id, Operation::kOther);
  if (!membership.ok()) return std::move(membership).error();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string rule_key = scope + Text(input, "OrganizationConfigRuleName");
  const double due = context.now + kRuleDeploymentSeconds;
  Output deleted = Write([&](store::Transaction& txn) -> Output {
    const OrganizationConfigRule* rule = rules_.rules.Find(rule_key);
    if (!rule) return errors::NoSuchOrganizationConfigRuleException();
    if (rule->InProgress()) {
      // "For DeleteOrganizationConfigRule, organization Config rule creation is in progress"
      // (ResourceInUseException, API reference); an update or a deletion under way likewise.
      std::string doing = rule->status == "CREATE_IN_PROGRESS"   ? "creation"
                          : rule->status == "UPDATE_IN_PROGRESS" ? "update"
                                                                 : "deletion";
      return errors::ResourceInUseException("Organization Config rule " + doing +
                                            " is in progress. Try your request again later.");
    }
    for (const std::string& key : KeysWithPrefix(rules_.members, MembersPrefix(scope, *rule))) {
      StartMember(rules_, txn, key, key.substr(key.rfind('/') + 1), "DELETE_IN_PROGRESS",
                  context.now, due);
    }
    rules_.rules.Update(txn, rule_key, [&](OrganizationConfigRule& stored) {
      stored.status = "DELETE_IN_PROGRESS";
      stored.error_code.clear();
      stored.error_message.clear();
      stored.status_time = context.now;
      stored.due = due;
    });
    return json::object{};
  });
  if (deleted.ok()) ScheduleRuleStep(rule_key, due);
  return deleted;
}

}  // namespace cairn::config
