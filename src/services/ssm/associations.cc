#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindAssociations(gateway::OperationTable&) {}

void Provider::ResumeAssociations() {}

void Provider::OnNodeRegistered(const std::string&, const std::string&) {}

}  // namespace cairn::ssm
