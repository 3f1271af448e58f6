// The collections of the rules family of AWS Config (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`.
#pragma once

#include <vector>

#include "store/store.h"

namespace cairn::config {

struct RulesState {
  std::vector<store::CollectionBase*> All() { return {}; }
};

}  // namespace cairn::config
