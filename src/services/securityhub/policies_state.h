// The collections of the policies family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`: the delegated administrator's
// account and the home Region, where central configuration lives.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/securityhub/policies_resources.h"
#include "store/store.h"

namespace cairn::securityhub {

// The organization tree of one scope as its last full reconcile saw it, and what the
// incremental path of a change at one target needs of it (Provider::ChangeAssociation): each
// node's parent and children, and for the root and every OU how many of its INHERITED children
// are PENDING or FAILED (its aggregate status without visiting them). Derived: built by
// ReconcileAssociations, kept exact by the incremental path, forgotten with the rest of the
// derived state (a failed write, a restore, a reset).
struct ScopeTree {
  struct Node {
    std::string id;
    std::string_view type;  // kTargetRoot | kTargetUnit | kTargetAccount
    int parent = -1;        // -1 for the root
    std::vector<int> children;
    // Direct children whose association is INHERITED and PENDING / FAILED.
    int pending_children = 0;
    int failed_children = 0;
  };
  // Parents before children, the root first (ComputeInheritance's order).
  std::vector<Node> nodes;
  std::unordered_map<std::string_view, int> at;  // target id -> index in `nodes`
  // The directory generation the structure was built at (the scope's `reconciled` mark).
  uint64_t generation = 0;
  // No due time of a PENDING association of the scope is earlier than this (0: none is
  // pending with a due time). A lower bound: the incremental path only adds later ones.
  double earliest_due = 0;
  // False when a full pass would change a record that nothing changed since the last one (an
  // inactive account left SUCCESS, self-managed from the start): only full passes then.
  bool settled = true;

  // The node of `id`, or -1.
  int Find(std::string_view id) const {
    auto found = at.find(id);
    return found == at.end() ? -1 : found->second;
  }
};

struct PoliciesState {
  // <account>/<region>/<policy id>
  store::Collection<ConfigurationPolicy> policies{"securityhub.configuration_policies"};
  // <account>/<region>/<target id>: one per target of the organization (root, OUs, accounts)
  // once central configuration has been looked at, APPLIED or INHERITED. Written only through
  // PutAssociation / UpdateAssociation / EraseAssociation, which keep `index` in step.
  store::Collection<PolicyAssociation> associations{
      "securityhub.configuration_policy_associations"};

  std::vector<store::CollectionBase*> All() { return {&policies, &associations}; }

  // --- Derived from `associations`, never persisted.
  // The filtered pages of ListConfigurationPolicyAssociations.
  AssociationIndex index;
  // Scope prefix -> org::Directory::generation() read just before the scope's associations were
  // last reconciled with the organization: while the directory's generation is still that,
  // the associations are current and reads need not look at the organization at all.
  std::map<std::string, uint64_t, std::less<>> reconciled;
  // Scope prefix -> the scope's tree as its last full reconcile saw it (see ScopeTree).
  std::map<std::string, ScopeTree, std::less<>> trees;
  // False when `index` and `reconciled` cannot be trusted: at startup, after a restore or a
  // reset, and after a write that changed associations failed (its changes rolled back under
  // the index). The next reconcile rebuilds them (RebuildDerived).
  bool derived_valid = false;
  // Scope prefix -> due time of the earliest FinishPropagation task scheduled for it and not
  // yet run (Provider::ScheduleFinishPropagation). Not derived from `associations`: it follows
  // the scheduler's tasks, forgotten with them at a reset and rebuilt by ResumePolicies.
  std::map<std::string, double, std::less<>> next_finish;

  // Test hook (policies_differential_test.cc): when set, every change the incremental path
  // makes is also made by a full reconcile in a transaction rolled back at once, and every
  // record of the scope where the two differ is described in `verify_failures`.
  bool verify_incremental = false;
  std::vector<std::string> verify_failures;
  size_t incremental_changes = 0;  // changes the incremental path made (test hook)

  static std::string_view PrefixOf(std::string_view key) {
    const size_t region_end = key.find('/', key.find('/') + 1);
    return region_end == std::string_view::npos ? std::string_view()
                                                : key.substr(0, region_end + 1);
  }

  const PolicyAssociation& PutAssociation(store::Transaction& txn, std::string_view prefix,
                                          PolicyAssociation association) {
    std::string key(prefix);
    key += association.target_id;
    if (const PolicyAssociation* existing = associations.Find(key)) index.Erase(prefix, *existing);
    const PolicyAssociation& stored = associations.Put(txn, std::move(key), std::move(association));
    index.Insert(prefix, stored);
    return stored;
  }

  template <typename Mutate>
  void UpdateAssociation(store::Transaction& txn, std::string_view prefix,
                         std::string_view target_id, Mutate&& mutate) {
    std::string key(prefix);
    key += target_id;
    const PolicyAssociation* existing = associations.Find(key);
    if (!existing) return;
    index.Erase(prefix, *existing);
    associations.Update(txn, key, std::forward<Mutate>(mutate));
    index.Insert(prefix, *associations.Find(key));
  }

  void EraseAssociation(store::Transaction& txn, std::string_view prefix,
                        std::string_view target_id) {
    std::string key(prefix);
    key += target_id;
    const PolicyAssociation* existing = associations.Find(key);
    if (!existing) return;
    index.Erase(prefix, *existing);
    associations.Erase(txn, key);
  }

  // Every association of `prefix` erased, the scope forgotten by the derived state.
  void EraseScope(store::Transaction& txn, std::string_view prefix) {
    std::vector<std::string> doomed;
    for (auto item = associations.LowerBound(prefix);
         item != associations.items().end() && item->first.starts_with(prefix); ++item) {
      doomed.push_back(item->first);
    }
    for (const std::string& key : doomed) associations.Erase(txn, key);
    index.ClearScope(prefix);
    if (auto mark = reconciled.find(prefix); mark != reconciled.end()) reconciled.erase(mark);
    if (auto tree = trees.find(prefix); tree != trees.end()) trees.erase(tree);
  }

  void RebuildDerived() {
    index.Clear();
    reconciled.clear();
    trees.clear();
    for (const auto& [key, association] : associations.items()) {
      index.Insert(PrefixOf(key), association);
    }
    derived_valid = true;
  }
};

}  // namespace cairn::securityhub
