// Ids and ARNs of Organizations resources in AWS's formats (API reference, "ARN" and "Id"
// patterns of the model): o-<10>, r-<4>, ou-<root suffix>-<8>, car-<8+>, 12-digit accounts.
#pragma once

#include <string>
#include <string_view>

namespace cairn::org {

std::string NewOrganizationId();
std::string NewRootId();
// An OU id under the root `root_id` (ou-<root suffix>-<8 random>).
std::string NewOrganizationalUnitId(std::string_view root_id);
std::string NewCreateAccountRequestId();
std::string NewAccountId();

std::string OrganizationArn(std::string_view management_id, std::string_view organization_id);
std::string RootArn(std::string_view management_id, std::string_view organization_id,
                    std::string_view root_id);
std::string OrganizationalUnitArn(std::string_view management_id, std::string_view organization_id,
                                  std::string_view unit_id);
std::string AccountArn(std::string_view management_id, std::string_view organization_id,
                       std::string_view account_id);

// AWS has each account's e-mail and name from sign-up; cairn knows an account only by its id
// when no world file names it, so it makes up stable ones.
std::string DefaultEmail(std::string_view account_id);
std::string DefaultName(std::string_view account_id);

}  // namespace cairn::org
