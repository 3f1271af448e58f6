// SqliteJournal: durable state in one SQLite database (WAL) inside a data directory.
//
// Commits are written by one writer thread, every batch of queued commits in one SQLite
// transaction (group commit); a request's response is sent once its batch is written (the
// writer thread calls WhenDurable's callbacks after each batch, so an HTTP worker need not
// block meanwhile, and every request in flight can join the next batch). The
// database runs with synchronous=NORMAL: a committed transaction survives the process being
// killed at any point (kill -9), which is what a test suite's emulator meets; power-loss
// durability is `Durability::kFull`, at the cost of an fsync per batch.
//
// The data directory is held with an exclusive flock on `cairn.lock` for the life of the
// journal: a second cairn on the same directory is refused, never allowed to write. The schema
// is versioned (table `meta`); an older database is migrated on open, a newer or corrupt one
// is refused with a clear error and left untouched.
//
// Thread-safe: one connection behind a mutex.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace cairn::store {

inline constexpr int kSchemaVersion = 1;

enum class Durability { kProcessCrash, kFull };

class SqliteJournal final : public Journal {
 public:
  // Opens (creating if needed) `data_dir`/cairn.db. Errors: the directory is locked by another
  // process, the database is corrupt or from a newer cairn, or it cannot be created.
  static Result<std::unique_ptr<SqliteJournal>> Open(const std::string& data_dir,
                                                     Durability durability);
  // Opens an existing database read-only, without taking the lock (export).
  static Result<std::unique_ptr<SqliteJournal>> OpenReadOnly(const std::string& data_dir);
  ~SqliteJournal() override;

  bool durable() const override { return true; }
  uint64_t Enqueue(std::vector<Change> changes) override;
  void WaitDurable(uint64_t ticket) override;
  void WhenDurable(uint64_t ticket, std::function<void()> done) override;
  void Load(
      std::string_view collection,
      const std::function<void(std::string_view key, std::string_view document)>& apply) override;

  // How many batches (SQLite transactions) the writer thread has written.
  uint64_t batches_written();

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
  // The writer thread: takes everything queued, writes it in one transaction, repeats.
  void WriteQueued();

  std::mutex mutex_;
  sqlite3* db_;  // guarded by mutex_
  int lock_fd_;  // -1 for read-only
  sqlite3_stmt* upsert_ = nullptr;
  sqlite3_stmt* erase_ = nullptr;
  sqlite3_stmt* clear_ = nullptr;

  // The queue of commits, guarded by queue_mutex_.
  std::mutex queue_mutex_;
  std::condition_variable queued_;   // signalled when commits are queued (or on stop)
  std::condition_variable written_;  // signalled when a batch is durable
  std::vector<Change> pending_;
  // WhenDurable callbacks waiting for their ticket, in no particular order.
  std::vector<std::pair<uint64_t, std::function<void()>>> waiters_;
  uint64_t enqueued_ = 0;  // tickets handed out
  uint64_t durable_ = 0;   // every ticket up to this one is durable
  uint64_t batches_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace cairn::store
