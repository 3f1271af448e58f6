// The collections of the hub family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`, the scope that owns the resource:
//   hubs             `<scope>hub`
//   admins           `<management scope><feature>`: the organization's administrator in a Region,
//                    owned by the management account that designated it
//   org_configs      `<admin scope>organization-configuration`
//   aggregators      `<scope><uuid>` (one per account, in its home Region)
//   members          `<admin scope><member account>`
//   tags             `<scope><resource ARN>` (the hub, configuration policies)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/securityhub/hub_resources.h"
#include "store/store.h"

namespace cairn::securityhub {

struct HubState {
  store::Collection<Hub> hubs{"securityhub.hubs"};
  store::Collection<AdminAccount> admins{"securityhub.admin_accounts"};
  store::Collection<OrganizationConfiguration> org_configs{
      "securityhub.organization_configurations"};
  store::Collection<FindingAggregator> aggregators{"securityhub.finding_aggregators"};
  store::Collection<Member> members{"securityhub.members"};
  store::Collection<TagSet> tags{"securityhub.tags"};

  std::vector<store::CollectionBase*> All() {
    return {&hubs, &admins, &org_configs, &aggregators, &members, &tags};
  }
};

}  // namespace cairn::securityhub
