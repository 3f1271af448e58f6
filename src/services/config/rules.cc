#include "services/config/provider.h"

namespace cairn::config {

void Provider::BindRules(gateway::OperationTable&) {}

void Provider::ResumeRules() {}

void Provider::OnOrganizationEventRules(const org::Event&) {}

}  // namespace cairn::config
