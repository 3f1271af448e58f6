#include "services/config/provider.h"

#include <boost/json.hpp>
#include <mutex>

namespace cairn::config {

std::string ScopePrefix(std::string_view account_id, std::string_view region) {
  std::string prefix;
  prefix.reserve(account_id.size() + region.size() + 2);
  prefix.append(account_id).push_back('/');
  prefix.append(region).push_back('/');
  return prefix;
}

boost::json::value TagSet::ToJson() const {
  boost::json::object out;
  for (const auto& [key, value] : tags) out[key] = value;
  return boost::json::object{{"Tags", std::move(out)}};
}

TagSet TagSet::FromJson(const boost::json::value& value) {
  TagSet set;
  if (const boost::json::value* tags = value.as_object().if_contains("Tags");
      tags && tags->is_object()) {
    for (const auto& entry : tags->get_object())
      set.tags[entry.key()] = std::string(entry.value().as_string());
  }
  return set;
}

Provider::Provider(store::Journal& journal, lifecycle::Scheduler& scheduler,
                   const PageTokens& tokens, org::Directory& directory)
    : journal_(journal), scheduler_(scheduler), tokens_(tokens), directory_(directory) {
  directory_.AddListener([this](const org::Event& event) { OnOrganizationEvent(event); });
}

void Provider::Bind(gateway::OperationTable& table) {
  BindAggregators(table);
  BindTags(table);
  BindPacks(table);
  BindRules(table);
}

std::vector<store::CollectionBase*> Provider::AllCollections() {
  std::vector<store::CollectionBase*> all{&tags_};
  for (store::CollectionBase* collection : aggregators_.All()) all.push_back(collection);
  for (store::CollectionBase* collection : packs_.All()) all.push_back(collection);
  for (store::CollectionBase* collection : rules_.All()) all.push_back(collection);
  return all;
}

void Provider::Reset() {
  std::unique_lock lock(mutex_);
  store::ClearAll(journal_, AllCollections());
}

void Provider::Restore() {
  {
    std::unique_lock lock(mutex_);
    store::LoadAll(journal_, AllCollections());
  }
  ResumePacks();
  ResumeRules();
}

void Provider::OnOrganizationEvent(const org::Event& event) {
  OnOrganizationEventPacks(event);
  OnOrganizationEventRules(event);
}

}  // namespace cairn::config
