// The collections of the packs family of AWS Config (see provider.h and packs_resources.h),
// guarded by the provider's lock. Account-level keys start with `<account>/<region>/`;
// organization packs belong to the organization, so their keys start with
// `<organization id>/<region>/`.
#pragma once

#include <string_view>
#include <vector>

#include "services/config/packs_resources.h"
#include "store/store.h"

namespace cairn::config {

struct PacksState {
  // `<account>/<region>/<name>`
  store::Collection<ConformancePack> packs{"config.conformance_packs"};
  // `<organization id>/<region>/<name>`
  store::Collection<OrganizationConformancePack> organization_packs{
      "config.organization_conformance_packs"};
  // `<organization pack key>/<account>`
  store::Collection<MemberDeployment> deployments{
      "config.organization_conformance_pack_deployments"};
  // by account id: accounts whose organization-wide deployments fail (all regions)
  store::Collection<DeploymentFailure> deployment_failures{"config.deployment_failures"};

  std::vector<store::CollectionBase*> All() {
    return {&packs, &organization_packs, &deployments, &deployment_failures};
  }

  // How a deployment into `account_id` fails, or null when it succeeds. Organization config
  // rules (rules.cc) consult it too, so one switch makes an account fail every deployment.
  const DeploymentFailure* FailureFor(std::string_view account_id) const {
    return deployment_failures.Find(account_id);
  }
};

}  // namespace cairn::config
