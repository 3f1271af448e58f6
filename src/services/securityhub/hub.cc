#include "services/securityhub/provider.h"

namespace cairn::securityhub {

void Provider::BindHub(gateway::OperationTable&) {}
bool Provider::HubEnabled(std::string_view, std::string_view) const { return false; }
std::string Provider::DelegatedAdministrator(std::string_view) const { return {}; }
std::string Provider::HomeRegion(std::string_view) const { return {}; }
bool Provider::CentralConfigurationEnabled(std::string_view) const { return false; }
void Provider::ResumeHub() {}

}  // namespace cairn::securityhub
