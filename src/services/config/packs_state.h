// The collections of the packs family of AWS Config (see provider.h), guarded by the
// provider's lock. Keys start with `<account>/<region>/`.
#pragma once

#include <vector>

#include "store/store.h"

namespace cairn::config {

struct PacksState {
  std::vector<store::CollectionBase*> All() { return {}; }
};

}  // namespace cairn::config
