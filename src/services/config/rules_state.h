// The collections of the rules family of AWS Config (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/` (see rules_resources.h).
#pragma once

#include <vector>

#include "services/config/rules_resources.h"
#include "store/store.h"

namespace cairn::config {

struct RulesState {
  // By `<account>/<region>/<name>`: the account that put the rule sees it.
  store::Collection<OrganizationConfigRule> rules{"config.organization_config_rules"};
  // By `<account>/<region>/<rule id>/<member account>`: one rule's members are adjacent, in
  // account order (GetOrganizationConfigRuleDetailedStatus pages through them).
  store::Collection<MemberRuleStatus> members{"config.organization_config_rule_members"};

  std::vector<store::CollectionBase*> All() { return {&rules, &members}; }
};

}  // namespace cairn::config
