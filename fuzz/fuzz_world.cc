// Fuzzes world files (main/world.h): YAML text -> plan -> apply to an empty organization.
// Whatever the text, LoadText() answers Ok or an error naming the file and line, and a
// refused file leaves the organization empty.
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "main/world.h"
#include "org/directory.h"
#include "store/store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn;
  const std::string text(reinterpret_cast<const char*>(data), size);
  store::MemoryJournal journal;
  org::Directory directory(journal);
  size_t nodes = 0;
  const Result<Ok> loaded = world::LoadText(
      text, "world.yaml", directory, 1714521600,
      [&nodes](const boost::json::object&, double) -> Result<boost::json::object> {
        ++nodes;
        return boost::json::object{{"InstanceId", "mi-0123456789abcdef0"}};
      });
  if (!loaded.ok()) {
    if (loaded.error().message.rfind("world.yaml", 0) != 0) std::abort();
    if (nodes != 0) std::abort();
  }
  return 0;
}
