// The collections of the hub family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`.
#pragma once

#include <vector>

#include "store/store.h"

namespace cairn::securityhub {

struct HubState {
  std::vector<store::CollectionBase*> All() { return {}; }
};

}  // namespace cairn::securityhub
