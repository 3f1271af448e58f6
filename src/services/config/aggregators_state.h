// The collections of the aggregators family of AWS Config (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`, the scope of the account and Region
// that owns the resource:
//   aggregators     `<scope><aggregator name>`
//   authorizations  `<source scope><authorized account>/<authorized region>`
//   pending         `<source scope><requester account>/<requester region>`
// so a source account's authorizations and pending requests are one key range, and whether a
// source authorized an aggregator is one lookup.
#pragma once

#include <vector>

#include "services/config/aggregators_resources.h"
#include "store/store.h"

namespace cairn::config {

struct AggregatorsState {
  store::Collection<Aggregator> aggregators{"config.aggregators"};
  store::Collection<AggregationAuthorization> authorizations{"config.aggregation_authorizations"};
  store::Collection<PendingRequest> pending{"config.pending_aggregation_requests"};

  std::vector<store::CollectionBase*> All() { return {&aggregators, &authorizations, &pending}; }
};

}  // namespace cairn::config
