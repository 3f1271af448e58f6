#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindNodes(gateway::OperationTable&) {}

}  // namespace cairn::ssm
