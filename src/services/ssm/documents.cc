#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindDocuments(gateway::OperationTable&) {}

}  // namespace cairn::ssm
