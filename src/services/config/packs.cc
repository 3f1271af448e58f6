#include "services/config/provider.h"

namespace cairn::config {

void Provider::BindPacks(gateway::OperationTable&) {}

void Provider::ResumePacks() {}

void Provider::OnOrganizationEventPacks(const org::Event&) {}

bool Provider::PacksOwnArn(std::string_view, std::string_view) const { return false; }

}  // namespace cairn::config
