#include "services/ssm/provider.h"

#include <cstdio>
#include <mutex>

namespace cairn::ssm {

std::string PaddedNumber(uint64_t number, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*llu", width, static_cast<unsigned long long>(number));
  return buffer;
}

Provider::Provider(store::Journal& journal, lifecycle::Scheduler& scheduler,
                   const PageTokens& tokens, const org::Directory& directory)
    : journal_(journal), scheduler_(scheduler), tokens_(tokens), directory_(directory) {}

void Provider::BindMethod(gateway::OperationTable& table, std::string_view operation,
                          Output (Provider::*method)(const Context&, Input&)) {
  table.Bind(operation, [this, method](const Context& context, Input& input) {
    return (this->*method)(context, input);
  });
}

void Provider::Bind(gateway::OperationTable& table) {
  BindAssociations(table);
  BindDocuments(table);
  BindNodes(table);
  BindCompliance(table);
  BindTags(table);
}

void Provider::Reset() {
  std::unique_lock lock(mutex_);
  for (store::CollectionBase* collection : state_.All()) {
    collection->Clear();
    journal_.ClearCollection(collection->name());
  }
}

void Provider::Restore() {
  {
    std::unique_lock lock(mutex_);
    for (store::CollectionBase* collection : state_.All()) {
      journal_.Load(collection->name(),
                    [collection](std::string_view key, std::string_view document) {
                      collection->Restore(key, document);
                    });
    }
  }
  ResumeAssociations();
  ResumeDocuments();
}

}  // namespace cairn::ssm
