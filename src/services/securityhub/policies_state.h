// The collections of the policies family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`: the delegated administrator's
// account and the home Region, where central configuration lives.
#pragma once

#include <vector>

#include "services/securityhub/policies_resources.h"
#include "store/store.h"

namespace cairn::securityhub {

struct PoliciesState {
  // <account>/<region>/<policy id>
  store::Collection<ConfigurationPolicy> policies{"securityhub.configuration_policies"};
  // <account>/<region>/<target id>: one per target of the organization (root, OUs, accounts)
  // once central configuration has been looked at, APPLIED or INHERITED.
  store::Collection<PolicyAssociation> associations{
      "securityhub.configuration_policy_associations"};

  std::vector<store::CollectionBase*> All() { return {&policies, &associations}; }
};

}  // namespace cairn::securityhub
