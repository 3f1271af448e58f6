#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindAssociations(gateway::OperationTable&) {}

void Provider::ResumeAssociations() {}

}  // namespace cairn::ssm
