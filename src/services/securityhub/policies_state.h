// The collections of the policies family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`: the delegated administrator's
// account and the home Region, where central configuration lives.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "services/securityhub/policies_resources.h"
#include "store/store.h"

namespace cairn::securityhub {

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
  // False when `index` and `reconciled` cannot be trusted: at startup, after a restore or a
  // reset, and after a write that changed associations failed (its changes rolled back under
  // the index). The next reconcile rebuilds them (RebuildDerived).
  bool derived_valid = false;
  // Scope prefix -> due time of the earliest FinishPropagation task scheduled for it and not
  // yet run (Provider::ScheduleFinishPropagation). Not derived from `associations`: it follows
  // the scheduler's tasks, forgotten with them at a reset and rebuilt by ResumePolicies.
  std::map<std::string, double, std::less<>> next_finish;

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
  }

  void RebuildDerived() {
    index.Clear();
    reconciled.clear();
    for (const auto& [key, association] : associations.items()) {
      index.Insert(PrefixOf(key), association);
    }
    derived_valid = true;
  }
};

}  // namespace cairn::securityhub
