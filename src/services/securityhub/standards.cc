#include "services/securityhub/provider.h"

namespace cairn::securityhub {

void Provider::BindStandards(gateway::OperationTable&) {}
bool Provider::IsStandardArn(std::string_view, std::string_view) const { return false; }
bool Provider::IsSecurityControl(std::string_view) const { return false; }
const boost::json::object* Provider::ControlParameters(std::string_view) const { return nullptr; }

}  // namespace cairn::securityhub
