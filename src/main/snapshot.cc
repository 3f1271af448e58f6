#include "main/snapshot.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "store/sqlite_journal.h"

namespace cairn::snapshot {
namespace json = boost::json;
namespace {

constexpr std::string_view kFormat = "cairn-snapshot";

AwsError SnapshotError(const std::string& message) {
  return AwsError::Make("SnapshotError", message);
}

}  // namespace

Result<Ok> Export(const std::string& data_dir, const std::string& file) {
  Result<std::unique_ptr<store::SqliteJournal>> journal =
      store::SqliteJournal::OpenReadOnly(data_dir);
  if (!journal.ok()) return std::move(journal).error();
  json::object collections;
  (*journal)->ForEach(
      [&](std::string_view collection, std::string_view key, std::string_view document) {
        json::value& items = collections[collection];
        if (!items.is_object()) items = json::object();
        items.as_object()[key] = json::parse(document);
      });
  const json::object snapshot{{"format", kFormat},
                              {"schema_version", store::kSchemaVersion},
                              {"collections", std::move(collections)}};
  std::ofstream out(file, std::ios::trunc);
  out << json::serialize(snapshot) << "\n";
  out.close();
  if (!out) return SnapshotError("cannot write " + file);
  return Ok{};
}

Result<Ok> Import(const std::string& data_dir, const std::string& file) {
  std::ifstream in(file);
  if (!in) return SnapshotError("cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code error;
  const json::value snapshot = json::parse(text.str(), error);
  if (error || !snapshot.is_object())
    return SnapshotError(file + " is not JSON: " + error.message());
  const json::object& root = snapshot.as_object();
  const json::value* format = root.if_contains("format");
  const json::value* version = root.if_contains("schema_version");
  const json::value* collections = root.if_contains("collections");
  if (!format || !format->is_string() || format->get_string() != kFormat || !collections ||
      !collections->is_object()) {
    return SnapshotError(file + " is not a cairn snapshot");
  }
  if (!version || !version->is_int64() || version->get_int64() != store::kSchemaVersion) {
    return SnapshotError(file + " has schema version " +
                         (version ? json::serialize(*version) : "none") + "; this cairn reads " +
                         std::to_string(store::kSchemaVersion));
  }
  std::vector<store::Change> changes;
  for (const auto& [collection, items] : collections->get_object()) {
    if (!items.is_object())
      return SnapshotError(std::string(collection) + ": items must be an object");
    for (const auto& [key, document] : items.get_object()) {
      if (!document.is_object())
        return SnapshotError(std::string(collection) + "/" + std::string(key) + ": not an object");
      changes.push_back({std::string(collection), std::string(key), json::serialize(document)});
    }
  }
  Result<std::unique_ptr<store::SqliteJournal>> journal =
      store::SqliteJournal::Open(data_dir, store::Durability::kFull);
  if (!journal.ok()) return std::move(journal).error();
  try {
    (*journal)->ReplaceAll(changes);
  } catch (const std::exception& failure) {
    return SnapshotError(failure.what());
  }
  return Ok{};
}

}  // namespace cairn::snapshot
