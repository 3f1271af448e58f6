// Security Hub central configuration: configuration policies, their associations with the
// organization's root, OUs and accounts, and the inheritance between them.
//
// Every target of the organization has one association record in the delegated
// administrator's scope (home Region): APPLIED where the administrator associated a policy or
// self-managed behaviour directly, INHERITED from the nearest APPLIED ancestor otherwise, and
// self-managed by default where nothing applies above it ("By default, all accounts and OUs
// are self-managed when you start central configuration through the Security Hub API", user
// guide, "Choosing the management type"). A target whose configuration changes goes PENDING
// and its propagation finishes at a due time kept in the record (FinishPropagation,
// rescheduled by ResumePolicies after a restart). Roots and OUs take the status of their
// inheriting children.
//
// ReconcileAssociations recomputes the whole scope in one O(n) pass: after an organization
// event, a policy update (its targets start over), a propagation step (FinishPropagation), and
// whenever the scope is stale. It leaves behind a ScopeTree (policies_state.h): the tree it
// saw, and for each root/OU the counts of its INHERITED children that are PENDING or FAILED.
// StartConfigurationPolicyAssociation / Disassociation change one target T and, when the scope
// is current (not stale, its tree built at the directory's present generation, no step fallen
// due, no record a pass would change on its own), take the incremental path
// (ChangeAssociation): T's record changes, the targets that inherit through T and whose
// configuration changes restart (the walk stops below any target whose configuration holds,
// an APPLIED one among them), and the aggregate status of T and then of its ancestors is
// recomputed from the counts, up to the first ancestor whose status holds. The cost is what
// the change touches plus the depth of T, not the size of the organization, and every record
// comes out as the full pass would leave it (policies_differential_test.cc checks this on
// random organizations). Any other case takes the full pass.
//
// Reads cost what they return, not the size of the organization: a scope's associations carry
// a mark of the directory generation they were reconciled at (AssociationsStale compares it,
// O(1)), unfiltered pages seek in the collection, and filtered pages merge the matching groups
// of PoliciesState::index (O(groups log n + page)).
#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <mutex>

#include "base/ids.h"
#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/securityhub/errors.h"
#include "services/securityhub/provider.h"

namespace cairn::securityhub {
namespace json = boost::json;

namespace {

using json_fields::Text;

// How long the propagation of a configuration to one target takes. AWS takes up to 24 hours
// (user guide, "Reviewing the association status"); cairn finishes within seconds so that
// tests can wait for it or advance the clock.
constexpr double kPropagationSeconds = 2.0;
// Default page size where MaxResults is not given (the model allows 1..100).
constexpr size_t kDefaultPageSize = 100;
// Security Hub quota: configuration policies per organization (user guide, "Quotas").
constexpr size_t kMaxPolicies = 20;

const services::PagingRules kPaging{
    "securityhub", "MaxResults", kDefaultPageSize, false,
    [] { return errors::InvalidInputException("The NextToken value is invalid."); }};

// The organization as inheritance needs it, copied out under the directory's lock.
OrgTree Snapshot(const org::Directory& directory, std::string_view organization_id) {
  return directory.Read([&](const org::State& state) {
    OrgTree tree;
    const org::Organization* organization = state.organizations.Find(organization_id);
    if (!organization) return tree;
    tree.root_id = organization->root_id;
    const std::vector<const org::OrganizationalUnit*> units = state.UnitsOf(organization_id);
    tree.units.reserve(units.size());
    for (const org::OrganizationalUnit* unit : units) {
      tree.units.push_back({unit->id, unit->parent_id, true});
    }
    const std::vector<const org::Account*> accounts = state.AccountsOf(organization_id);
    tree.accounts.reserve(accounts.size());
    for (const org::Account* account : accounts) {
      tree.accounts.push_back({account->id, account->parent_id, account->status == "ACTIVE"});
    }
    return tree;
  });
}

// The id a configuration policy identifier names: the UUID itself, or the last part of an ARN.
std::string PolicyIdOf(std::string_view identifier) {
  if (!identifier.starts_with("arn:")) return std::string(identifier);
  constexpr std::string_view kResource = ":configuration-policy/";
  const size_t at = identifier.find(kResource);
  return at == std::string_view::npos ? std::string()
                                      : std::string(identifier.substr(at + kResource.size()));
}

const ConfigurationPolicy* FindPolicy(const PoliciesState& state, const CentralScope& scope,
                                      std::string_view identifier) {
  const std::string id = PolicyIdOf(identifier);
  if (id.empty()) return nullptr;
  const ConfigurationPolicy* policy = state.policies.Find(scope.prefix + id);
  if (policy && identifier.starts_with("arn:") && policy->arn != identifier) return nullptr;
  return policy;
}

AwsError PolicyNotFound(std::string_view identifier) {
  return errors::ResourceNotFoundException("Configuration policy " + std::string(identifier) +
                                           " was not found.");
}

// The policy id an association identifier names (a policy of the scope, or self-managed).
Result<std::string> AssociatedPolicyId(const PoliciesState& state, const CentralScope& scope,
                                       std::string_view identifier) {
  if (identifier == kSelfManaged) return std::string(kSelfManaged);
  const ConfigurationPolicy* policy = FindPolicy(state, scope, identifier);
  if (!policy) return PolicyNotFound(identifier);
  return policy->id;
}

struct TargetRef {
  std::string id;
  std::string type;
};

// The Target union of an association request, checked for the shape of its id.
Result<TargetRef> TargetOf(const json::object& target) {
  static constexpr std::pair<std::string_view, std::string_view> kMembers[] = {
      {"AccountId", kTargetAccount},
      {"OrganizationalUnitId", kTargetUnit},
      {"RootId", kTargetRoot}};
  for (const auto& [member, type] : kMembers) {
    const std::string id = Text(target, member);
    if (id.empty()) continue;
    bool well_formed = false;
    if (type == kTargetAccount) {
      well_formed = id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos;
    } else if (type == kTargetUnit) {
      well_formed = id.starts_with("ou-");
    } else {
      well_formed = id.starts_with("r-");
    }
    if (!well_formed) {
      return errors::InvalidInputException("Invalid " + std::string(member) + ": " + id);
    }
    return TargetRef{id, std::string(type)};
  }
  return errors::InvalidInputException(
      "A Target with an AccountId, OrganizationalUnitId or RootId must be specified.");
}

AwsError TargetNotFound(const TargetRef& target) {
  return errors::ResourceNotFoundException("Target " + target.id +
                                           " was not found in the organization.");
}

// The association record of a target of the organization, or the error for one not in it.
Result<const PolicyAssociation*> AssociationOf(const PoliciesState& state,
                                               const CentralScope& scope, const TargetRef& target) {
  const PolicyAssociation* association = state.associations.Find(scope.prefix + target.id);
  if (!association || association->target_type != target.type) return TargetNotFound(target);
  return association;
}

json::object AssociationJson(const PolicyAssociation& association) {
  json::object out{{"ConfigurationPolicyId", association.policy_id},
                   {"TargetId", association.target_id},
                   {"TargetType", association.target_type},
                   {"AssociationType", association.association_type},
                   {"UpdatedAt", association.updated},
                   {"AssociationStatus", association.status}};
  if (!association.message.empty()) out["AssociationStatusMessage"] = association.message;
  return out;
}

json::object PolicyJson(const ConfigurationPolicy& policy) {
  json::object out{{"Arn", policy.arn},           {"Id", policy.id},
                   {"Name", policy.name},         {"UpdatedAt", policy.updated},
                   {"CreatedAt", policy.created}, {"ConfigurationPolicy", policy.policy}};
  if (!policy.description.empty()) out["Description"] = policy.description;
  return out;
}

json::object PolicySummaryJson(const ConfigurationPolicy& policy) {
  bool service_enabled = false;
  if (const json::value* hub = policy.policy.if_contains("SecurityHub"); hub && hub->is_object()) {
    const json::value* enabled = hub->get_object().if_contains("ServiceEnabled");
    service_enabled = enabled && enabled->is_bool() && enabled->get_bool();
  }
  json::object out{{"Arn", policy.arn},
                   {"Id", policy.id},
                   {"Name", policy.name},
                   {"UpdatedAt", policy.updated},
                   {"ServiceEnabled", service_enabled}};
  if (!policy.description.empty()) out["Description"] = policy.description;
  return out;
}

// Erases every item of `collection` whose key starts with `prefix`.
template <typename T>
void EraseScope(store::Collection<T>& collection, store::Transaction& txn,
                std::string_view prefix) {
  std::vector<std::string> doomed;
  for (auto item = collection.LowerBound(prefix);
       item != collection.items().end() && item->first.starts_with(prefix); ++item) {
    doomed.push_back(item->first);
  }
  for (const std::string& key : doomed) collection.Erase(txn, key);
}

// Guards the derived state (the filter index) of a write that changes associations: unless the
// write reaches kept() -- it succeeded and its changes commit --, the transaction rolls those
// changes back under the index, and the index must be rebuilt before it is used again.
class DerivedGuard {
 public:
  explicit DerivedGuard(PoliciesState& state) : state_(state) {}
  DerivedGuard(const DerivedGuard&) = delete;
  DerivedGuard& operator=(const DerivedGuard&) = delete;
  ~DerivedGuard() {
    if (!kept_) state_.derived_valid = false;
  }
  void kept() { kept_ = true; }

 private:
  PoliciesState& state_;
  bool kept_ = false;
};

// The parts of a scope prefix `<account>/<region>/`.
std::pair<std::string, std::string> ScopeParts(std::string_view prefix) {
  const size_t slash = prefix.find('/');
  if (slash == std::string_view::npos || prefix.size() < slash + 2) return {};
  return {std::string(prefix.substr(0, slash)),
          std::string(prefix.substr(slash + 1, prefix.size() - slash - 2))};
}

}  // namespace

void Provider::BindPolicies(gateway::OperationTable& table) {
  table.Bind("CreateConfigurationPolicy", this, &Provider::CreateConfigurationPolicy);
  table.Bind("GetConfigurationPolicy", this, &Provider::GetConfigurationPolicy);
  table.Bind("UpdateConfigurationPolicy", this, &Provider::UpdateConfigurationPolicy);
  table.Bind("DeleteConfigurationPolicy", this, &Provider::DeleteConfigurationPolicy);
  table.Bind("ListConfigurationPolicies", this, &Provider::ListConfigurationPolicies);
  table.Bind("StartConfigurationPolicyAssociation", this,
             &Provider::StartConfigurationPolicyAssociation);
  table.Bind("StartConfigurationPolicyDisassociation", this,
             &Provider::StartConfigurationPolicyDisassociation);
  table.Bind("GetConfigurationPolicyAssociation", this,
             &Provider::GetConfigurationPolicyAssociation);
  table.Bind("BatchGetConfigurationPolicyAssociations", this,
             &Provider::BatchGetConfigurationPolicyAssociations);
  table.Bind("ListConfigurationPolicyAssociations", this,
             &Provider::ListConfigurationPolicyAssociations);
}

// --- Access

// The order of the checks follows AWS: a caller without Security Hub is told so first; then
// only the delegated administrator with central configuration, in the home Region, passes.
// Both AccessDeniedException messages are observed answers (aws-samples sra-verify
// securityhub check, hashicorp/terraform-provider-aws configuration_policy.go).
Result<CentralScope> Provider::AuthorizeCentralConfiguration(const Context& context) const {
  const std::string account_id(context.account_id);
  if (!HubEnabled(context.account_id, context.region)) {
    return errors::InvalidAccessException("Account " + account_id +
                                          " is not subscribed to AWS Security Hub");
  }
  const org::Membership membership = directory_.MembershipOf(account_id);
  if (!IsCentralAdministrator(membership, account_id)) {
    return errors::AccessDeniedException(
        "Must be a Security Hub delegated administrator with Central Configuration "
        "enabled");
  }
  if (HomeRegion(account_id) != context.region) {
    return errors::AccessDeniedException(
        "Central Configuration APIs can only be called from the aggregation region");
  }
  return CentralScope{ScopePrefix(account_id, context.region), account_id,
                      std::string(context.region), membership.organization_id};
}

std::optional<CentralScope> Provider::CentralScopeOf(std::string_view organization_id) const {
  const std::string admin = DelegatedAdministrator(organization_id);
  if (admin.empty() || !CentralConfigurationEnabled(organization_id)) return std::nullopt;
  const std::string region = HomeRegion(admin);
  if (region.empty()) return std::nullopt;
  return CentralScope{ScopePrefix(admin, region), admin, region, std::string(organization_id)};
}

// --- Inheritance and propagation

// O(1): the associations of a scope are current while nothing changed in the organization
// since they were last reconciled with it (every write of the policies family reconciles what
// it changes, and organization events reconcile at once; changes that raise no event, such as
// a new OU, move the directory's generation all the same). This used to compare a snapshot of
// the whole organization with every association on every read: 10-30 ms per page at 1,000 to
// 5,000 accounts.
bool Provider::AssociationsStale(const CentralScope& scope) const {
  if (!policies_.derived_valid) return true;
  auto mark = policies_.reconciled.find(scope.prefix);
  return mark == policies_.reconciled.end() || mark->second != directory_.generation();
}

void Provider::ReconcileAssociations(store::Transaction& txn, const CentralScope& scope, double now,
                                     std::string_view repropagate_policy) {
  auto& associations = policies_.associations;
  // Read before the snapshot: a change of the organization after this point moves the
  // generation past the mark, and the next read reconciles again.
  const uint64_t generation = directory_.generation();
  if (!policies_.derived_valid) policies_.RebuildDerived();
  const OrgTree tree = Snapshot(directory_, scope.organization_id);
  if (tree.root_id.empty()) {
    policies_.EraseScope(txn, scope.prefix);
    policies_.reconciled[scope.prefix] = generation;
    return;
  }
  // The scope's records in target id order, read in one walk of its key range: the pass then
  // finds a record by a binary search of short ids instead of building `<prefix><id>` and
  // descending the collection, which holds every scope (issue 8: that was most of a
  // StartConfigurationPolicyAssociation). Ids view the collection's keys or the tree's ids,
  // records point at the collection's nodes: all outlive the pass, and Put/Update of an
  // existing key keep its node.
  struct Record {
    std::string_view id;
    const PolicyAssociation* association;
    bool present = false;
  };
  std::vector<Record> records;
  records.reserve(tree.size());
  for (auto item = associations.LowerBound(scope.prefix);
       item != associations.items().end() && item->first.starts_with(scope.prefix); ++item) {
    records.push_back({std::string_view(item->first).substr(scope.prefix.size()), &item->second});
  }
  const auto lookup = [&](std::string_view id) -> Record* {
    auto found = std::lower_bound(
        records.begin(), records.end(), id,
        [](const Record& record, std::string_view key) { return record.id < key; });
    return found == records.end() || found->id != id ? nullptr : &*found;
  };
  const auto find = [&](std::string_view id) -> const PolicyAssociation* {
    const Record* record = lookup(id);
    return record ? record->association : nullptr;
  };
  const auto applied = [&](std::string_view id) -> const std::string* {
    const PolicyAssociation* association = find(id);
    return association && association->association_type == kApplied ? &association->policy_id
                                                                    : nullptr;
  };
  const std::vector<EffectiveTarget> targets = ComputeInheritance(tree, applied);
  const double due = now + kPropagationSeconds;
  // The earliest step still to come in the scope once this pass is done.
  double next_step = 0;
  const auto step_at = [&](double when) {
    if (when > now && (next_step == 0 || when < next_step)) next_step = when;
  };

  // Each target: start its propagation over when its configuration changed, finish its own
  // step when that fell due.
  std::vector<Record> added;  // targets new to the scope, merged into `records` after the loop
  for (const EffectiveTarget& target : targets) {
    Record* record = lookup(target.id);
    if (record) record->present = true;
    const PolicyAssociation* existing = record ? record->association : nullptr;
    const bool active = !target.node || target.node->active;
    const std::string_view association_type = target.applied ? kApplied : kInherited;
    const bool changed = !existing || existing->policy_id != target.policy_id ||
                         existing->association_type != association_type ||
                         existing->target_type != target.type;
    const bool restart = changed ||
                         (!repropagate_policy.empty() && target.policy_id == repropagate_policy) ||
                         (!active && existing->status == kSuccess);
    if (restart) {
      PolicyAssociation association;
      association.target_id = std::string(target.id);
      association.target_type = std::string(target.type);
      association.policy_id = target.policy_id;
      association.association_type = std::string(association_type);
      association.updated = now;
      if (!existing && !target.covered) {
        // Self-managed from the start: there is nothing to propagate.
        association.status = std::string(kSuccess);
      } else {
        association.status = std::string(kPending);
        association.due = due;
        step_at(due);
      }
      const PolicyAssociation& stored =
          policies_.PutAssociation(txn, scope.prefix, std::move(association));
      if (record) {
        record->association = &stored;
      } else {
        added.push_back({target.id, &stored, true});
      }
    } else if (existing->status == kPending && existing->due > 0 && existing->due <= now) {
      policies_.UpdateAssociation(
          txn, scope.prefix, target.id, [&](PolicyAssociation& association) {
            association.due = 0;
            if (target.type == kTargetAccount) {
              StatusAndMessage outcome = AccountOutcome(association.policy_id, active);
              association.status = std::move(outcome.status);
              association.message = std::move(outcome.message);
              association.updated = now;
            }
          });
    } else if (existing->status == kPending && existing->due > 0) {
      step_at(existing->due);
    }
  }

  // Targets that left the organization (accounts removed, OUs deleted): the records the
  // loop did not visit, in key order.
  std::vector<std::string> gone;
  for (const Record& record : records) {
    if (!record.present) gone.emplace_back(record.id);
  }
  std::erase_if(records, [](const Record& record) { return !record.present; });
  for (const std::string& target_id : gone) {
    policies_.EraseAssociation(txn, scope.prefix, target_id);
  }
  if (!added.empty()) {
    records.insert(records.end(), added.begin(), added.end());
    std::sort(records.begin(), records.end(),
              [](const Record& left, const Record& right) { return left.id < right.id; });
  }

  // Roots and OUs take the status of their inheriting children: bottom up, children first.
  std::vector<std::vector<size_t>> children(targets.size());
  for (size_t target_idx = 1; target_idx < targets.size(); ++target_idx) {
    children[static_cast<size_t>(targets[target_idx].parent)].push_back(target_idx);
  }
  std::vector<std::string_view> child_statuses;
  for (size_t target_idx = targets.size(); target_idx-- > 0;) {
    const EffectiveTarget& target = targets[target_idx];
    if (target.type == kTargetAccount) continue;
    const PolicyAssociation* association = find(target.id);
    child_statuses.clear();
    for (size_t child_idx : children[target_idx]) {
      const PolicyAssociation* child = find(targets[child_idx].id);
      if (child && child->association_type == kInherited) child_statuses.push_back(child->status);
    }
    const bool own_pending = association->status == kPending && association->due > now;
    StatusAndMessage aggregate =
        AggregateStatus(target.type, association->policy_id, own_pending, child_statuses);
    if (aggregate.status != association->status || aggregate.message != association->message) {
      policies_.UpdateAssociation(txn, scope.prefix, target.id, [&](PolicyAssociation& stored) {
        stored.status = std::move(aggregate.status);
        stored.message = std::move(aggregate.message);
        stored.updated = now;
      });
    }
  }

  // What the incremental path (ChangeAssociation) needs of this pass: the tree, kept while
  // the organization stays as it is, and the counts behind every aggregate status.
  ScopeTree& scope_tree = policies_.trees[scope.prefix];
  bool same_tree = scope_tree.generation == generation && scope_tree.nodes.size() == targets.size();
  for (size_t target_idx = 0; same_tree && target_idx < targets.size(); ++target_idx) {
    same_tree = scope_tree.nodes[target_idx].id == targets[target_idx].id &&
                scope_tree.nodes[target_idx].parent == targets[target_idx].parent;
  }
  if (!same_tree) {
    scope_tree.at.clear();
    scope_tree.nodes.clear();
    scope_tree.nodes.reserve(targets.size());
    for (const EffectiveTarget& target : targets) {
      scope_tree.nodes.push_back({std::string(target.id), target.type, target.parent, {}, 0, 0});
    }
    // Views of the ids: `nodes` is complete and never grows again.
    scope_tree.at.reserve(targets.size());
    for (size_t node_idx = 0; node_idx < scope_tree.nodes.size(); ++node_idx) {
      ScopeTree::Node& node = scope_tree.nodes[node_idx];
      scope_tree.at.emplace(node.id, static_cast<int>(node_idx));
      if (node.parent >= 0) {
        scope_tree.nodes[static_cast<size_t>(node.parent)].children.push_back(
            static_cast<int>(node_idx));
      }
    }
    scope_tree.generation = generation;
  }
  bool settled = true;
  for (ScopeTree::Node& node : scope_tree.nodes) node.pending_children = node.failed_children = 0;
  for (size_t target_idx = 1; target_idx < targets.size(); ++target_idx) {
    const PolicyAssociation* association = find(targets[target_idx].id);
    ScopeTree::Node& parent = scope_tree.nodes[static_cast<size_t>(targets[target_idx].parent)];
    if (association->association_type == kInherited) {
      if (association->status == kPending) ++parent.pending_children;
      if (association->status == kFailed) ++parent.failed_children;
    }
    // A pass restarts an inactive account left SUCCESS (self-managed from the start) even
    // when nothing changed: the incremental path would not.
    const OrgNode* node = targets[target_idx].node;
    if (node && !node->active && association->status == kSuccess) settled = false;
  }
  scope_tree.settled = settled;
  scope_tree.earliest_due = next_step;

  if (next_step > 0) ScheduleFinishPropagation(scope.prefix, next_step);
  policies_.reconciled[scope.prefix] = generation;
}

bool Provider::ChangeAssociation(store::Transaction& txn, const CentralScope& scope, double now,
                                 std::string_view target_id,
                                 const std::function<void(PolicyAssociation&)>& change) {
  if (AssociationsStale(scope)) return false;
  {
    auto found = policies_.trees.find(scope.prefix);
    if (found == policies_.trees.end()) return false;
    const ScopeTree& tree = found->second;
    // A step that fell due is finished by a full pass, as FinishPropagation would.
    if (tree.generation != directory_.generation() || !tree.settled ||
        (tree.earliest_due > 0 && tree.earliest_due <= now) || tree.Find(target_id) < 0) {
      return false;
    }
  }
  // Test hook: what a full pass makes of the same change, from the same state.
  std::vector<PolicyAssociation> expected;
  if (policies_.verify_incremental) expected = FullPassOf(scope, now, target_id, change);

  ScopeTree& tree = policies_.trees.find(scope.prefix)->second;
  std::vector<ScopeTree::Node>& nodes = tree.nodes;
  const int target = tree.Find(target_id);
  std::string key = scope.prefix;
  const auto find = [&](int node_idx) -> const PolicyAssociation* {
    key.resize(scope.prefix.size());
    key += nodes[static_cast<size_t>(node_idx)].id;
    return policies_.associations.Find(key);
  };
  // Every change goes through here: the parent's counts follow the record.
  const auto counted = [](const PolicyAssociation& association) {
    if (association.association_type != kInherited) return 0;
    if (association.status == kPending) return 1;
    if (association.status == kFailed) return 2;
    return 0;
  };
  const auto update = [&](int node_idx, const std::function<void(PolicyAssociation&)>& mutate) {
    const ScopeTree::Node& node = nodes[static_cast<size_t>(node_idx)];
    const int before = counted(*find(node_idx));
    policies_.UpdateAssociation(txn, scope.prefix, node.id, mutate);
    const int after = counted(*find(node_idx));
    if (node.parent < 0 || before == after) return;
    ScopeTree::Node& parent = nodes[static_cast<size_t>(node.parent)];
    if (before == 1) --parent.pending_children;
    if (before == 2) --parent.failed_children;
    if (after == 1) ++parent.pending_children;
    if (after == 2) ++parent.failed_children;
  };
  const double due = now + kPropagationSeconds;
  bool stepped = false;

  // The target, then what inherits through it: each target whose configuration changes starts
  // its propagation over, as in the full pass. Below a target whose configuration did not
  // change (an APPLIED one among them), nothing does.
  const std::string before = find(target)->policy_id;
  update(target, change);
  stepped = find(target)->due > 0;
  // Whether the target's configuration changed (as the full pass would restart it): its
  // APPLIED policy, or its parent's.
  const auto settle = [&](int node_idx) {
    const PolicyAssociation* existing = find(node_idx);
    const ScopeTree::Node& node = nodes[static_cast<size_t>(node_idx)];
    const bool applied = existing->association_type == kApplied;
    std::string policy_id = applied           ? existing->policy_id
                            : node.parent < 0 ? std::string(kSelfManaged)
                                              : find(node.parent)->policy_id;
    if (policy_id == existing->policy_id) return false;
    update(node_idx, [&](PolicyAssociation& association) {
      association = PolicyAssociation{};
      association.target_id = node.id;
      association.target_type = std::string(node.type);
      association.policy_id = std::move(policy_id);
      association.association_type = std::string(applied ? kApplied : kInherited);
      association.updated = now;
      association.status = std::string(kPending);
      association.due = due;
    });
    stepped = true;
    return true;
  };
  settle(target);
  std::vector<int> stack;
  if (find(target)->policy_id != before) stack.push_back(target);
  while (!stack.empty()) {
    const int parent_idx = stack.back();
    stack.pop_back();
    for (int child_idx : nodes[static_cast<size_t>(parent_idx)].children) {
      if (settle(child_idx)) stack.push_back(child_idx);
    }
  }

  // Roots and OUs take the status of their inheriting children. The targets restarted above
  // are PENDING on their own account; the ones whose children changed without them are the
  // target and its ancestors, each from its counts, up to the first whose status holds.
  for (int node_idx = target; node_idx >= 0;
       node_idx = nodes[static_cast<size_t>(node_idx)].parent) {
    const ScopeTree::Node& node = nodes[static_cast<size_t>(node_idx)];
    if (node.type == kTargetAccount) continue;
    const PolicyAssociation* association = find(node_idx);
    const bool own_pending = association->status == kPending && association->due > now;
    StatusAndMessage aggregate = AggregateStatus(node.type, association->policy_id, own_pending,
                                                 static_cast<size_t>(node.pending_children),
                                                 static_cast<size_t>(node.failed_children));
    if (aggregate.status == association->status && aggregate.message == association->message) {
      if (node_idx != target) break;
      continue;
    }
    const bool status_holds = aggregate.status == association->status;
    update(node_idx, [&](PolicyAssociation& stored) {
      stored.status = std::move(aggregate.status);
      stored.message = std::move(aggregate.message);
      stored.updated = now;
    });
    if (status_holds && node_idx != target) break;
  }

  if (stepped) {
    if (tree.earliest_due == 0 || due < tree.earliest_due) tree.earliest_due = due;
    ScheduleFinishPropagation(scope.prefix, due);
  }
  ++policies_.incremental_changes;
  if (policies_.verify_incremental) CompareWithFullPass(scope, expected);
  return true;
}

std::vector<PolicyAssociation> Provider::FullPassOf(
    const CentralScope& scope, double now, std::string_view target_id,
    const std::function<void(PolicyAssociation&)>& change) {
  // The derived state as it stands, put back once the probe is rolled back. Moving the map of
  // trees keeps its nodes (and the ids the trees view) where they are.
  const AssociationIndex index = policies_.index;
  const auto reconciled = policies_.reconciled;
  const auto next_finish = policies_.next_finish;
  auto trees = std::move(policies_.trees);
  policies_.trees.clear();
  std::vector<PolicyAssociation> expected;
  {
    store::Transaction probe(journal_);
    policies_.UpdateAssociation(probe, scope.prefix, target_id, change);
    ReconcileAssociations(probe, scope, now);
    const auto& associations = policies_.associations;
    for (auto item = associations.LowerBound(scope.prefix);
         item != associations.items().end() && item->first.starts_with(scope.prefix); ++item) {
      expected.push_back(item->second);
    }
    probe.Rollback();
  }
  policies_.index = index;
  policies_.reconciled = reconciled;
  policies_.next_finish = next_finish;
  policies_.trees = std::move(trees);
  return expected;
}

void Provider::CompareWithFullPass(const CentralScope& scope,
                                   const std::vector<PolicyAssociation>& expected) {
  const auto describe = [](const PolicyAssociation* association) {
    if (!association) return std::string("(none)");
    return association->target_id + " " + association->target_type + " " + association->policy_id +
           " " + association->association_type + " " + association->status + " '" +
           association->message + "' updated=" + std::to_string(association->updated) +
           " due=" + std::to_string(association->due);
  };
  std::vector<const PolicyAssociation*> actual;
  const auto& associations = policies_.associations;
  for (auto item = associations.LowerBound(scope.prefix);
       item != associations.items().end() && item->first.starts_with(scope.prefix); ++item) {
    actual.push_back(&item->second);
  }
  for (size_t record_idx = 0; record_idx < std::max(actual.size(), expected.size()); ++record_idx) {
    const PolicyAssociation* got = record_idx < actual.size() ? actual[record_idx] : nullptr;
    const PolicyAssociation* want = record_idx < expected.size() ? &expected[record_idx] : nullptr;
    const bool same = got && want && got->target_id == want->target_id &&
                      got->target_type == want->target_type && got->policy_id == want->policy_id &&
                      got->association_type == want->association_type &&
                      got->status == want->status && got->message == want->message &&
                      got->updated == want->updated && got->due == want->due;
    if (!same) {
      policies_.verify_failures.push_back("incremental: " + describe(got) +
                                          "; full pass: " + describe(want));
    }
  }
}

// One FinishPropagation task per scope is enough while it is due no later than every step
// still to come: it finishes all that fell due by the time it runs (the clock may have moved
// past several), and its own pass schedules the next. Before, every write and every pass
// scheduled a task of its own, each a whole pass over the scope: under steady writes, the
// scheduler thread ran one O(organization) pass per write (issue 8). A task scheduled in a
// write that is then rolled back still runs, and finds nothing or the next step.
void Provider::ScheduleFinishPropagation(const std::string& prefix, double due) {
  auto [next, inserted] = policies_.next_finish.try_emplace(prefix, due);
  if (!inserted) {
    if (next->second <= due) return;
    next->second = due;
  }
  scheduler_.At(due, [this, prefix, due] { FinishPropagation(prefix, due); });
}

void Provider::FinishPropagation(const std::string& prefix, double due) {
  const double now = scheduler_.now();
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    // This task is no longer ahead: the pass below schedules what remains.
    if (auto next = policies_.next_finish.find(prefix);
        next != policies_.next_finish.end() && next->second == due) {
      policies_.next_finish.erase(next);
    }
    const auto [account_id, region] = ScopeParts(prefix);
    const org::Membership membership = directory_.MembershipOf(account_id);
    if (!membership.in_organization()) return Ok{};
    ReconcileAssociations(txn, CentralScope{prefix, account_id, region, membership.organization_id},
                          now);
    return Ok{};
  });
}

void Provider::ResumePolicies() {
  std::unique_lock lock(mutex_);
  policies_.derived_valid = false;  // restored associations: the index is rebuilt on first use
  policies_.next_finish.clear();
  for (const auto& [key, association] : policies_.associations.items()) {
    if (association.status != kPending || association.due <= 0) continue;
    ScheduleFinishPropagation(std::string(PoliciesState::PrefixOf(key)), association.due);
  }
}

void Provider::OnOrganizationEvent(const org::Event& event) {
  std::optional<CentralScope> scope;
  {
    std::shared_lock lock(mutex_);
    scope = CentralScopeOf(event.organization_id);
  }
  if (!scope) return;
  const double now = scheduler_.now();
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    if (event.kind == org::Event::Kind::kOrganizationDeleted) {
      policies_.EraseScope(txn, scope->prefix);
    } else {
      ReconcileAssociations(txn, *scope, now);
    }
    return Ok{};
  });
}

bool Provider::CentralConfigurationInUse(std::string_view scope) const {
  const auto& policies = policies_.policies;
  auto policy = policies.LowerBound(scope);
  if (policy != policies.items().end() && policy->first.starts_with(scope)) return true;
  const auto& associations = policies_.associations;
  for (auto item = associations.LowerBound(scope);
       item != associations.items().end() && item->first.starts_with(scope); ++item) {
    if (item->second.association_type == kApplied) return true;
  }
  return false;
}

void Provider::ForgetCentralConfiguration(store::Transaction& txn, std::string_view scope) {
  std::vector<std::string> arns;
  for (auto item = policies_.policies.LowerBound(scope);
       item != policies_.policies.items().end() && item->first.starts_with(scope); ++item) {
    arns.push_back(item->second.arn);
  }
  for (const std::string& arn : arns) PutResourceTags(txn, scope, arn, {});
  EraseScope(policies_.policies, txn, scope);
  policies_.EraseScope(txn, scope);
  // The hub family's request may still fail and roll this back under the index.
  policies_.derived_valid = false;
}

bool Provider::PoliciesOwnArn(std::string_view scope, std::string_view arn) const {
  const std::string id = PolicyIdOf(arn);
  if (id.empty() || !arn.starts_with("arn:")) return false;
  const ConfigurationPolicy* policy = policies_.policies.Find(std::string(scope) + id);
  return policy && policy->arn == arn;
}

// --- Configuration policies

Provider::Output Provider::CreateConfigurationPolicy(const Context& context, Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    const std::string name = Text(input, "Name");
    size_t count = 0;
    for (auto item = policies_.policies.LowerBound(scope->prefix);
         item != policies_.policies.items().end() && item->first.starts_with(scope->prefix);
         ++item) {
      ++count;
      if (item->second.name == name) {
        return errors::ResourceConflictException("A configuration policy named " + name +
                                                 " already exists.");
      }
    }
    if (count >= kMaxPolicies) {
      return errors::LimitExceededException(
          "The organization already has the maximum number of configuration "
          "policies (" +
          std::to_string(kMaxPolicies) + ").");
    }
    const ControlCatalog catalog{
        [&](std::string_view arn) { return IsStandardArn(arn, context.region); },
        [&](std::string_view control) { return IsSecurityControl(control); },
        [&](std::string_view control) { return ControlParameters(control); }};
    Result<json::object> document =
        CheckPolicy(input.at("ConfigurationPolicy").as_object(), catalog);
    if (!document.ok()) return std::move(document).error();

    ConfigurationPolicy policy;
    policy.id = ids::Uuid();
    policy.arn = "arn:aws:securityhub:" + scope->region + ":" + scope->account_id +
                 ":configuration-policy/" + policy.id;
    policy.name = name;
    policy.description = Text(input, "Description");
    policy.created = policy.updated = context.now;
    policy.policy = std::move(*document);
    // The tags live with the hub family's, where TagResource and ListTagsForResource find them.
    std::map<std::string, std::string> tags;
    if (const json::value* given = input.if_contains("Tags"); given && given->is_object()) {
      for (const auto& tag : given->get_object())
        tags[tag.key()] = std::string(tag.value().as_string());
    }
    PutResourceTags(txn, scope->prefix, policy.arn, std::move(tags));
    const std::string key = scope->prefix + policy.id;
    return PolicyJson(policies_.policies.Put(txn, key, std::move(policy)));
  });
}

Provider::Output Provider::GetConfigurationPolicy(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
  if (!scope.ok()) return std::move(scope).error();
  const std::string identifier = Text(input, "Identifier");
  const ConfigurationPolicy* policy = FindPolicy(policies_, *scope, identifier);
  if (!policy) return PolicyNotFound(identifier);
  return PolicyJson(*policy);
}

Provider::Output Provider::UpdateConfigurationPolicy(const Context& context, Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    const std::string identifier = Text(input, "Identifier");
    const ConfigurationPolicy* found = FindPolicy(policies_, *scope, identifier);
    if (!found) return PolicyNotFound(identifier);
    const std::string id = found->id;
    const std::string key = scope->prefix + id;
    if (input.contains("Name")) {
      const std::string name = Text(input, "Name");
      for (auto item = policies_.policies.LowerBound(scope->prefix);
           item != policies_.policies.items().end() && item->first.starts_with(scope->prefix);
           ++item) {
        if (item->second.id != id && item->second.name == name) {
          return errors::ResourceConflictException("A configuration policy named " + name +
                                                   " already exists.");
        }
      }
    }
    std::optional<json::object> document;
    if (const json::value* given = input.if_contains("ConfigurationPolicy");
        given && given->is_object()) {
      const ControlCatalog catalog{
          [&](std::string_view arn) { return IsStandardArn(arn, context.region); },
          [&](std::string_view control) { return IsSecurityControl(control); },
          [&](std::string_view control) { return ControlParameters(control); }};
      Result<json::object> checked = CheckPolicy(given->get_object(), catalog);
      if (!checked.ok()) return std::move(checked).error();
      document = std::move(*checked);
    }
    // The policy's targets take the updated configuration: their propagation starts over.
    const bool settings_changed = document && *document != found->policy;
    DerivedGuard guard(policies_);
    policies_.policies.Update(txn, key, [&](ConfigurationPolicy& policy) {
      if (input.contains("Name")) policy.name = Text(input, "Name");
      if (input.contains("Description")) policy.description = Text(input, "Description");
      if (input.contains("UpdatedReason")) policy.updated_reason = Text(input, "UpdatedReason");
      if (document) policy.policy = std::move(*document);
      policy.updated = context.now;
    });
    if (settings_changed) ReconcileAssociations(txn, *scope, context.now, id);
    guard.kept();
    return PolicyJson(*policies_.policies.Find(key));
  });
}

Provider::Output Provider::DeleteConfigurationPolicy(const Context& context, Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    const std::string identifier = Text(input, "Identifier");
    const ConfigurationPolicy* policy = FindPolicy(policies_, *scope, identifier);
    if (!policy) return PolicyNotFound(identifier);
    // "Before you can delete a configuration policy, you must disassociate the policy from
    // accounts, OUs, or the root to which it currently applies" (user guide, "Deleting
    // configuration policies"). A policy that applies anywhere is APPLIED somewhere.
    const auto& associations = policies_.associations;
    for (auto item = associations.LowerBound(scope->prefix);
         item != associations.items().end() && item->first.starts_with(scope->prefix); ++item) {
      if (item->second.association_type == kApplied && item->second.policy_id == policy->id) {
        return errors::ResourceConflictException(
            "Configuration policy " + policy->id +
            " is associated with one or more targets. Disassociate it from "
            "every target before deleting it.");
      }
    }
    PutResourceTags(txn, scope->prefix, policy->arn, {});
    policies_.policies.Erase(txn, scope->prefix + policy->id);
    return json::object{};
  });
}

Provider::Output Provider::ListConfigurationPolicies(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
  if (!scope.ok()) return std::move(scope).error();
  const services::Paging paging(tokens_, context, input, "ListConfigurationPolicies", "", kPaging);
  return services::ListPage(
      paging, policies_.policies, scope->prefix, "ConfigurationPolicySummaries",
      [](const ConfigurationPolicy&) { return true; }, PolicySummaryJson);
}

// --- Associations

Provider::Output Provider::StartConfigurationPolicyAssociation(const Context& context,
                                                               Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    Result<std::string> policy_id =
        AssociatedPolicyId(policies_, *scope, Text(input, "ConfigurationPolicyIdentifier"));
    if (!policy_id.ok()) return std::move(policy_id).error();
    Result<TargetRef> target = TargetOf(input.at("Target").as_object());
    if (!target.ok()) return std::move(target).error();
    DerivedGuard guard(policies_);
    // The target's record must exist before it changes; current records need no pass.
    if (AssociationsStale(*scope)) ReconcileAssociations(txn, *scope, context.now);
    Result<const PolicyAssociation*> current = AssociationOf(policies_, *scope, *target);
    if (!current.ok()) return std::move(current).error();

    PolicyAssociation association;
    association.target_id = target->id;
    association.target_type = target->type;
    association.policy_id = *policy_id;
    association.association_type = std::string(kApplied);
    association.status = std::string(kPending);
    association.updated = context.now;
    association.due = context.now + kPropagationSeconds;
    const std::string key = scope->prefix + target->id;
    // Current records change where the target's change reaches; others take a full pass.
    if (!ChangeAssociation(txn, *scope, context.now, target->id,
                           [&](PolicyAssociation& stored) { stored = association; })) {
      policies_.PutAssociation(txn, scope->prefix, std::move(association));
      ReconcileAssociations(txn, *scope, context.now);
    }
    guard.kept();
    return AssociationJson(*policies_.associations.Find(key));
  });
}

Provider::Output Provider::StartConfigurationPolicyDisassociation(const Context& context,
                                                                  Input& input) {
  return Write([&](store::Transaction& txn) -> Output {
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    const std::string identifier = Text(input, "ConfigurationPolicyIdentifier");
    Result<std::string> policy_id = AssociatedPolicyId(policies_, *scope, identifier);
    if (!policy_id.ok()) return std::move(policy_id).error();
    const json::value* target_value = input.if_contains("Target");
    if (!target_value || !target_value->is_object()) {
      return errors::InvalidInputException(
          "A Target with an AccountId, OrganizationalUnitId or RootId must be "
          "specified.");
    }
    Result<TargetRef> target = TargetOf(target_value->get_object());
    if (!target.ok()) return std::move(target).error();
    DerivedGuard guard(policies_);
    // The target's record must exist before it changes; current records need no pass.
    if (AssociationsStale(*scope)) ReconcileAssociations(txn, *scope, context.now);
    Result<const PolicyAssociation*> current = AssociationOf(policies_, *scope, *target);
    if (!current.ok()) return std::move(current).error();
    // "You can disassociate only a directly applied configuration, not an inherited
    // configuration" (user guide, "Disassociating a configuration from its targets").
    if ((*current)->association_type != kApplied || (*current)->policy_id != *policy_id) {
      return errors::ResourceNotFoundException("Configuration " + identifier +
                                               " is not applied to target " + target->id + ".");
    }
    // The target now inherits from its closest parent, or becomes self-managed; either way
    // the change propagates like any other.
    const auto disassociate = [&](PolicyAssociation& association) {
      association.association_type = std::string(kInherited);
      association.status = std::string(kPending);
      association.message.clear();
      association.updated = context.now;
      association.due = context.now + kPropagationSeconds;
    };
    // Current records change where the target's change reaches; others take a full pass.
    if (!ChangeAssociation(txn, *scope, context.now, target->id, disassociate)) {
      policies_.UpdateAssociation(txn, scope->prefix, target->id, disassociate);
      ReconcileAssociations(txn, *scope, context.now);
    }
    guard.kept();
    return json::object{};
  });
}

Provider::Output Provider::GetConfigurationPolicyAssociation(const Context& context, Input& input) {
  Result<TargetRef> target = TargetOf(input.at("Target").as_object());
  for (bool refreshed = false;; refreshed = true) {
    std::shared_lock lock(mutex_);
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    if (!target.ok()) return target.error();
    if (!refreshed && AssociationsStale(*scope)) {
      lock.unlock();
      (void)Write([&](store::Transaction& txn) -> Result<Ok> {
        ReconcileAssociations(txn, *scope, context.now);
        return Ok{};
      });
      continue;
    }
    Result<const PolicyAssociation*> association = AssociationOf(policies_, *scope, *target);
    if (!association.ok()) return std::move(association).error();
    return AssociationJson(**association);
  }
}

Provider::Output Provider::BatchGetConfigurationPolicyAssociations(const Context& context,
                                                                   Input& input) {
  for (bool refreshed = false;; refreshed = true) {
    std::shared_lock lock(mutex_);
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    if (!refreshed && AssociationsStale(*scope)) {
      lock.unlock();
      (void)Write([&](store::Transaction& txn) -> Result<Ok> {
        ReconcileAssociations(txn, *scope, context.now);
        return Ok{};
      });
      continue;
    }
    json::array found;
    json::array unprocessed;
    for (const json::value& identifier :
         input.at("ConfigurationPolicyAssociationIdentifiers").as_array()) {
      const json::object& entry = identifier.as_object();
      const json::value* target_value = entry.if_contains("Target");
      Result<TargetRef> target =
          target_value && target_value->is_object()
              ? TargetOf(target_value->get_object())
              : Result<TargetRef>(errors::InvalidInputException(
                    "A Target with an AccountId, OrganizationalUnitId or RootId must be "
                    "specified."));
      // ErrorCode is "an HTTP status code that identifies why the configuration policy
      // association failed" (API reference, UnprocessedConfigurationPolicyAssociation).
      if (!target.ok()) {
        unprocessed.push_back({{"ConfigurationPolicyAssociationIdentifiers", entry},
                               {"ErrorCode", std::to_string(target.error().http_status)},
                               {"ErrorReason", target.error().message}});
        continue;
      }
      Result<const PolicyAssociation*> association = AssociationOf(policies_, *scope, *target);
      if (!association.ok()) {
        unprocessed.push_back({{"ConfigurationPolicyAssociationIdentifiers", entry},
                               {"ErrorCode", std::to_string(association.error().http_status)},
                               {"ErrorReason", association.error().message}});
        continue;
      }
      found.push_back(AssociationJson(**association));
    }
    return json::object{{"ConfigurationPolicyAssociations", std::move(found)},
                        {"UnprocessedConfigurationPolicyAssociations", std::move(unprocessed)}};
  }
}

Provider::Output Provider::ListConfigurationPolicyAssociations(const Context& context,
                                                               Input& input) {
  // Filters: ConfigurationPolicyId (a UUID, an ARN or SELF_MANAGED_SECURITY_HUB),
  // AssociationType and AssociationStatus, in any combination.
  AssociationFilter filter;
  if (const json::value* filters = input.if_contains("Filters"); filters && filters->is_object()) {
    const std::string identifier = Text(filters->get_object(), "ConfigurationPolicyId");
    filter.policy_id =
        identifier.empty() || identifier == kSelfManaged ? identifier : PolicyIdOf(identifier);
    if (!identifier.empty() && filter.policy_id.empty()) filter.policy_id = identifier;
    filter.association_type = Text(filters->get_object(), "AssociationType");
    filter.status = Text(filters->get_object(), "AssociationStatus");
  }
  const std::string query = PageScope({filter.policy_id, filter.association_type, filter.status});
  for (bool refreshed = false;; refreshed = true) {
    std::shared_lock lock(mutex_);
    Result<CentralScope> scope = AuthorizeCentralConfiguration(context);
    if (!scope.ok()) return std::move(scope).error();
    if (!refreshed && AssociationsStale(*scope)) {
      lock.unlock();
      (void)Write([&](store::Transaction& txn) -> Result<Ok> {
        ReconcileAssociations(txn, *scope, context.now);
        return Ok{};
      });
      continue;
    }
    const services::Paging paging(tokens_, context, input, "ListConfigurationPolicyAssociations",
                                  query, kPaging);
    // Unfiltered, the page is the collection's, from where the token points.
    if (filter.empty() || !policies_.derived_valid) {
      return services::ListPage(
          paging, policies_.associations, scope->prefix, "ConfigurationPolicyAssociationSummaries",
          [&](const PolicyAssociation& association) { return filter.Matches(association); },
          AssociationJson);
    }
    // Filtered, the index's: the same items in the same order, without visiting those that do
    // not match. The token holds the last key, as the collection's pages do.
    Result<std::string> start = paging.Start();
    if (!start.ok()) return std::move(start).error();
    std::string_view start_after;
    if (!start->empty()) {
      if (start->starts_with(scope->prefix)) {
        start_after = std::string_view(*start).substr(scope->prefix.size());
      } else if (*start > scope->prefix) {
        start_after = "\xff";  // past the scope: nothing follows
      }
    }
    const AssociationIndex::Page ids =
        policies_.index.Collect(scope->prefix, filter, start_after, paging.limit());
    store::Page<PolicyAssociation> page;
    page.items.reserve(ids.target_ids.size());
    for (std::string_view target_id : ids.target_ids) {
      const std::string key = scope->prefix + std::string(target_id);
      if (const PolicyAssociation* association = policies_.associations.Find(key)) {
        page.items.push_back(association);
      }
    }
    if (ids.more) page.last_key = scope->prefix + std::string(ids.target_ids.back());
    json::object out;
    paging.Write(out, "ConfigurationPolicyAssociationSummaries", page, AssociationJson);
    return out;
  }
}

}  // namespace cairn::securityhub
