#include "services/securityhub/provider.h"

#include <mutex>

namespace cairn::securityhub {

std::string ScopePrefix(std::string_view account_id, std::string_view region) {
  std::string prefix;
  prefix.reserve(account_id.size() + region.size() + 2);
  prefix.append(account_id).push_back('/');
  prefix.append(region).push_back('/');
  return prefix;
}

Provider::Provider(store::Journal& journal, lifecycle::Scheduler& scheduler,
                   const PageTokens& tokens, org::Directory& directory)
    : journal_(journal), scheduler_(scheduler), tokens_(tokens), directory_(directory) {
  directory_.AddListener([this](const org::Event& event) { OnOrganizationEvent(event); });
}

void Provider::Bind(gateway::OperationTable& table) {
  BindHub(table);
  BindStandards(table);
  BindPolicies(table);
}

std::vector<store::CollectionBase*> Provider::AllCollections() {
  std::vector<store::CollectionBase*> all;
  for (store::CollectionBase* collection : hub_.All()) all.push_back(collection);
  for (store::CollectionBase* collection : standards_.All()) all.push_back(collection);
  for (store::CollectionBase* collection : policies_.All()) all.push_back(collection);
  return all;
}

void Provider::Reset() {
  std::unique_lock lock(mutex_);
  store::ClearAll(journal_, AllCollections());
  policies_.derived_valid = false;  // the policies family's filter index
  policies_.next_finish.clear();    // the scheduler's tasks were cleared with the state
}

void Provider::Restore() {
  {
    std::unique_lock lock(mutex_);
    store::LoadAll(journal_, AllCollections());
  }
  ResumeHub();
  ResumeStandards();
  ResumePolicies();
}

}  // namespace cairn::securityhub
