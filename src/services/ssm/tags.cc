#include "services/ssm/provider.h"

namespace cairn::ssm {

void Provider::BindTags(gateway::OperationTable&) {}

}  // namespace cairn::ssm
