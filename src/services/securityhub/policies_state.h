// The collections of the policies family of Security Hub (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`.
#pragma once

#include <vector>

#include "store/store.h"

namespace cairn::securityhub {

struct PoliciesState {
  std::vector<store::CollectionBase*> All() { return {}; }
};

}  // namespace cairn::securityhub
