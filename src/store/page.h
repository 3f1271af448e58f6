// One page of an ordered collection: the items after a position, up to a limit, that pass a
// filter, and whether any more would follow. Cost: O(log n) to seek plus the items visited,
// independent of how many items precede the page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace cairn::store {

template <typename T>
struct Page {
  std::vector<const T*> items;
  // Key of the last item returned when more matching items follow; a NextToken encodes it.
  std::optional<std::string> last_key;
};

// Items of `collection` whose key starts with `prefix`, after `start_after` (empty: from the
// beginning), that satisfy `keep`, at most `limit` of them.
template <typename T, typename Keep>
Page<T> CollectPage(const Collection<T>& collection, std::string_view prefix,
                    std::string_view start_after, size_t limit, Keep&& keep) {
  Page<T> page;
  auto item = start_after.empty() ? collection.LowerBound(prefix) : collection.After(start_after);
  std::string last_key;
  for (; item != collection.items().end() && item->first.starts_with(prefix); ++item) {
    if (!keep(item->second)) continue;
    if (page.items.size() == limit) {
      page.last_key = std::move(last_key);
      break;
    }
    page.items.push_back(&item->second);
    last_key = item->first;
  }
  return page;
}

}  // namespace cairn::store
