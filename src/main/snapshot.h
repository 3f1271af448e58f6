// Snapshots: `cairn export FILE` writes the durable state of a data dir as one JSON file, and
// `cairn import FILE` replaces a data dir's state with one, so a world can be copied between
// machines or checked into a repository. Format:
//   {"format": "cairn-snapshot", "schema_version": 1,
//    "collections": {"<collection>": {"<key>": <document>, ...}, ...}}
#pragma once

#include <string>

#include "base/result.h"

namespace cairn::snapshot {

// Reads the data dir without locking it (a running cairn may keep serving).
Result<Ok> Export(const std::string& data_dir, const std::string& file);
// Takes the data dir's lock: refused while a cairn is running on it. All or nothing.
Result<Ok> Import(const std::string& data_dir, const std::string& file);

}  // namespace cairn::snapshot
