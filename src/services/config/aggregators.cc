#include "services/config/provider.h"

namespace cairn::config {

void Provider::BindAggregators(gateway::OperationTable&) {}

bool Provider::AggregatorsOwnArn(std::string_view, std::string_view) const { return false; }

}  // namespace cairn::config
