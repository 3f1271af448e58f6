#include "services/securityhub/provider.h"

namespace cairn::securityhub {

void Provider::BindPolicies(gateway::OperationTable&) {}
bool Provider::PoliciesOwnArn(std::string_view, std::string_view) const { return false; }
void Provider::ResumePolicies() {}
void Provider::OnOrganizationEvent(const org::Event&) {}

}  // namespace cairn::securityhub
