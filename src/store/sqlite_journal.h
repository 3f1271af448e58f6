// SqliteJournal: durable state in one SQLite database (WAL) inside a data directory.
//
// Every Commit() is one SQLite transaction, finished before the request's response is sent.
// The database runs with synchronous=NORMAL: a committed transaction survives the process
// being killed at any point (kill -9), which is what a test suite's emulator meets; fsync per
// commit (power-loss durability) is `Durability::kFull`, at a cost of one fsync per write.
//
// The data directory is held with an exclusive flock on `cairn.lock` for the life of the
// journal: a second cairn on the same directory is refused, never allowed to write. The schema
// is versioned (table `meta`); an older database is migrated on open, a newer or corrupt one
// is refused with a clear error and left untouched.
//
// Thread-safe: one connection behind a mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace cairn::store {

inline constexpr int kSchemaVersion = 1;

enum class Durability { kProcessCrash, kFull };

class SqliteJournal final : public Journal {
 public:
  // Opens (creating if needed) `data_dir`/cairn.db. Errors: the directory is locked by another
  // process, the database is corrupt or from a newer cairn, or it cannot be created.
  static Result<std::unique_ptr<SqliteJournal>> Open(const std::string& data_dir, Durability durability);
  // Opens an existing database read-only, without taking the lock (export).
  static Result<std::unique_ptr<SqliteJournal>> OpenReadOnly(const std::string& data_dir);
  ~SqliteJournal() override;

  bool durable() const override { return true; }
  void Commit(const std::vector<Change>& changes) override;
  void Load(std::string_view collection,
            const std::function<void(std::string_view key, std::string_view document)>& apply) override;
  void ClearCollection(std::string_view collection) override;

  // Every (collection, key, document), in order, for snapshots.
  void ForEach(const std::function<void(std::string_view collection, std::string_view key,
                                        std::string_view document)>& visit);
  // Replaces the whole content in one transaction (snapshot import).
  void ReplaceAll(const std::vector<Change>& changes);

 private:
  SqliteJournal(sqlite3* db, int lock_fd) : db_(db), lock_fd_(lock_fd) {}
  Status Prepare();
  // Runs `begin_sql`, writes the changes and commits, all or nothing. Caller holds mutex_.
  void WriteLocked(std::string_view begin_sql, const std::vector<Change>& changes);

  std::mutex mutex_;
  sqlite3* db_;  // guarded by mutex_
  int lock_fd_;  // -1 for read-only
  sqlite3_stmt* upsert_ = nullptr;
  sqlite3_stmt* erase_ = nullptr;
};

}  // namespace cairn::store
