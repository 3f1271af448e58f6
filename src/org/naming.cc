#include "org/naming.h"

#include "base/ids.h"

namespace cairn::org {

std::string NewOrganizationId() { return "o-" + ids::RandomLowerAlnum(10); }
std::string NewRootId() { return "r-" + ids::RandomLowerAlnum(4); }

std::string NewOrganizationalUnitId(std::string_view root_id) {
  return "ou-" + std::string(root_id.substr(2)) + "-" + ids::RandomLowerAlnum(8);
}

std::string NewCreateAccountRequestId() { return "car-" + ids::RandomLowerAlnum(32); }
std::string NewAccountId() { return ids::RandomDigits(12); }

std::string OrganizationArn(std::string_view management_id, std::string_view organization_id) {
  return "arn:aws:organizations::" + std::string(management_id) + ":organization/" +
         std::string(organization_id);
}

std::string RootArn(std::string_view management_id, std::string_view organization_id,
                    std::string_view root_id) {
  return "arn:aws:organizations::" + std::string(management_id) + ":root/" +
         std::string(organization_id) + "/" + std::string(root_id);
}

std::string OrganizationalUnitArn(std::string_view management_id, std::string_view organization_id,
                                  std::string_view unit_id) {
  return "arn:aws:organizations::" + std::string(management_id) + ":ou/" +
         std::string(organization_id) + "/" + std::string(unit_id);
}

std::string AccountArn(std::string_view management_id, std::string_view organization_id,
                       std::string_view account_id) {
  return "arn:aws:organizations::" + std::string(management_id) + ":account/" +
         std::string(organization_id) + "/" + std::string(account_id);
}

std::string DefaultEmail(std::string_view account_id) {
  return "account-" + std::string(account_id) + "@example.com";
}

std::string DefaultName(std::string_view account_id) {
  return "account-" + std::string(account_id);
}

}  // namespace cairn::org
