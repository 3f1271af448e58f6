#include "services/config/provider.h"

namespace cairn::config {

void Provider::BindTags(gateway::OperationTable&) {}

}  // namespace cairn::config
