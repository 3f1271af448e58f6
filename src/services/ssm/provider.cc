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

void Provider::Bind(gateway::OperationTable& table) {
  BindAssociations(table);
  BindDocuments(table);
  BindNodes(table);
  BindCompliance(table);
  BindTags(table);
}

void Provider::Reset() {
  std::unique_lock lock(mutex_);
  store::ClearAll(journal_, state_.All());
}

void Provider::Restore() {
  {
    std::unique_lock lock(mutex_);
    store::LoadAll(journal_, state_.All());
  }
  ResumeAssociations();
  ResumeDocuments();
}

}  // namespace cairn::ssm
