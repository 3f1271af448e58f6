// The collections of the standards family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`.
#pragma once

#include <vector>

#include "store/store.h"

namespace cairn::securityhub {

struct StandardsState {
  std::vector<store::CollectionBase*> All() { return {}; }
};

}  // namespace cairn::securityhub
