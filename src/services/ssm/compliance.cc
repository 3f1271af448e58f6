#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindCompliance(gateway::OperationTable&) {}

}  // namespace cairn::ssm
