#include "services/ssm/provider.h"

#include <charconv>
#include <mutex>

namespace cairn::ssm {

std::string PaddedNumber(uint64_t number, int width) {
  char digits[20];
  const size_t length =
      static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, number).ptr - digits);
  std::string padded(length < static_cast<size_t>(width) ? static_cast<size_t>(width) - length : 0,
                     '0');
  padded.append(digits, length);
  return padded;
}

Provider::Provider(store::Journal& journal, lifecycle::Scheduler& scheduler,
                   const PageTokens& tokens, const org::Directory& directory)
    : journal_(journal), scheduler_(scheduler), tokens_(tokens), directory_(directory) {
  // Associations per account and Region, for CreateAssociation's limit: the scope is a key's
  // prefix up to its second '/' (ScopePrefix).
  state_.associations.CountGroups(2);
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
