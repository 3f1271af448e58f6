// The collections of the standards family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`:
//   subscriptions  `<scope><standard path>` (e.g. `<scope>pci-dss/v/3.2.1`): the account's
//                  subscription to one standard of the catalog (standards_catalog.h)
//
// The standards AWS enables with the hub (EnableSecurityHub's EnableDefaultStandards) have no
// record until something changes them: the hub's own record says whether they were enabled and
// when, and a record of the same hub (hub_subscribed_at) overrides them.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace cairn::securityhub {

struct StandardsSubscription {
  std::string account_id;
  std::string region;
  std::string standards_path;  // Standard::path
  // PENDING | READY | DELETING as AWS reports them; REMOVED once a DELETING subscription has
  // gone (kept only so that a default standard the account disabled stays disabled).
  std::string status = "PENDING";
  double status_due = 0;  // when PENDING or DELETING ends (the lifecycle step's due time)
  double created_at = 0;  // when the subscription was requested (ControlStatusUpdatedAt)
  // The SubscribedAt of the hub the subscription belongs to: a subscription outlives neither
  // DisableSecurityHub nor a hub enabled again.
  double hub_subscribed_at = 0;
  std::map<std::string, std::string> input;  // StandardsInput

  boost::json::value ToJson() const;
  static StandardsSubscription FromJson(const boost::json::value& value);
};

struct StandardsState {
  store::Collection<StandardsSubscription> subscriptions{"securityhub.standards_subscriptions"};

  std::vector<store::CollectionBase*> All() { return {&subscriptions}; }
};

}  // namespace cairn::securityhub
