#include "store/sqlite_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "base/log.h"

namespace cairn::store {
namespace {

AwsError DataDirError(const std::string& message) {
  return AwsError::Make("DataDirError", message);
}

// Executes SQL with no result rows; returns SQLite's message on failure.
std::string Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return {};
  std::string message = error ? error : sqlite3_errmsg(db);
  sqlite3_free(error);
  return message;
}

// The migrations that bring a database of version N-1 to version N, in order. Version 0 is
// a new, empty file.
const char* const kMigrations[kSchemaVersion] = {
    // 0 -> 1: one table of resources, each the serialized form of one store item.
    "CREATE TABLE resources (collection TEXT NOT NULL, key TEXT NOT NULL, document TEXT NOT NULL,"
    " PRIMARY KEY (collection, key)) WITHOUT ROWID;",
};

Result<int> ReadVersion(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1,
                              &statement, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    if (message.find("no such table") != std::string::npos) return 0;
    return DataDirError("cannot read the database: " + message);
  }
  int version = 0;
  if (sqlite3_step(statement) == SQLITE_ROW) version = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  return version;
}

Result<sqlite3*> OpenDatabase(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return DataDirError("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  // A file that is not a SQLite database fails on its first read, here.
  if (const std::string error = Exec(db, "SELECT count(*) FROM sqlite_master;"); !error.empty()) {
    sqlite3_close(db);
    return DataDirError(path + " is not a cairn database (" + error + "); it was left untouched");
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::Open(const std::string& data_dir,
                                                           Durability durability) {
  if (mkdir(data_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return DataDirError("cannot create data dir " + data_dir + ": " + std::strerror(errno));
  }
  const std::string lock_path = data_dir + "/cairn.lock";
  const int lock_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return DataDirError("cannot open " + lock_path + ": " + std::strerror(errno));
  if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    close(lock_fd);
    return DataDirError("data dir " + data_dir + " is in use by another cairn process");
  }
  auto release = [lock_fd] { close(lock_fd); };

  const std::string path = data_dir + "/cairn.db";
  Result<sqlite3*> opened =
      OpenDatabase(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!opened.ok()) {
    release();
    return std::move(opened).error();
  }
  sqlite3* db = *opened;
  auto fail = [&](const std::string& message) -> Result<std::unique_ptr<SqliteJournal>> {
    sqlite3_close(db);
    release();
    return DataDirError(message);
  };
  if (const std::string error = Exec(db, "PRAGMA journal_mode=WAL;"); !error.empty()) {
    return fail("cannot use WAL in " + path + ": " + error);
  }
  Exec(db,
       durability == Durability::kFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");

  Result<int> version = ReadVersion(db);
  if (!version.ok()) return fail(version.error().message);
  if (*version > kSchemaVersion) {
    return fail(path + " was written by a newer cairn (schema " + std::to_string(*version) +
                ", this cairn knows " + std::to_string(kSchemaVersion) +
                "); it was left untouched");
  }
  if (*version < kSchemaVersion) {
    std::string error = Exec(db, "BEGIN IMMEDIATE;");
    if (error.empty() && *version == 0) {
      error = Exec(
          db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);");
    }
    for (int step = *version; error.empty() && step < kSchemaVersion; ++step)
      error = Exec(db, kMigrations[step]);
    if (error.empty()) {
      error = Exec(db, ("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', " +
                        std::to_string(kSchemaVersion) + ");")
                           .c_str());
    }
    if (error.empty()) error = Exec(db, "COMMIT;");
    if (!error.empty()) {
      Exec(db, "ROLLBACK;");
      return fail("cannot migrate " + path + ": " + error);
    }
  }
  std::unique_ptr<SqliteJournal> journal(new SqliteJournal(db, lock_fd));
  if (Status prepared = journal->Prepare(); !prepared.ok()) return std::move(prepared).error();
  return journal;
}

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::OpenReadOnly(const std::string& data_dir) {
  const std::string path = data_dir + "/cairn.db";
  if (access(path.c_str(), R_OK) != 0) return DataDirError("no cairn database at " + path);
  Result<sqlite3*> opened = OpenDatabase(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  if (!opened.ok()) return std::move(opened).error();
  Result<int> version = ReadVersion(*opened);
  if (!version.ok() || *version != kSchemaVersion) {
    sqlite3_close(*opened);
    return DataDirError(path + " has schema " + (version.ok() ? std::to_string(*version) : "?") +
                        "; start cairn on it once to migrate it");
  }
  return std::unique_ptr<SqliteJournal>(new SqliteJournal(*opened, -1));
}

Status SqliteJournal::Prepare() {
  if (sqlite3_prepare_v3(
          db_, "INSERT OR REPLACE INTO resources (collection, key, document) VALUES (?, ?, ?)", -1,
          SQLITE_PREPARE_PERSISTENT, &upsert_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v3(db_, "DELETE FROM resources WHERE collection = ? AND key = ?", -1,
                         SQLITE_PREPARE_PERSISTENT, &erase_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v3(db_, "DELETE FROM resources WHERE collection = ?", -1,
                         SQLITE_PREPARE_PERSISTENT, &clear_, nullptr) != SQLITE_OK) {
    return DataDirError(std::string("cannot prepare statements: ") + sqlite3_errmsg(db_));
  }
  writer_ = std::thread([this] { WriteQueued(); });
  return Ok{};
}

SqliteJournal::~SqliteJournal() {
  if (writer_.joinable()) {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queued_.notify_all();
    writer_.join();
  }
  sqlite3_finalize(upsert_);
  sqlite3_finalize(erase_);
  sqlite3_finalize(clear_);
  sqlite3_close(db_);
  if (lock_fd_ >= 0) close(lock_fd_);
}

void SqliteJournal::WriteLocked(std::string_view begin_sql, const std::vector<Change>& changes) {
  if (const std::string error = Exec(db_, std::string(begin_sql).c_str()); !error.empty()) {
    Exec(db_, "ROLLBACK;");
    throw std::runtime_error("journal: cannot begin: " + error);
  }
  for (const Change& change : changes) {
    sqlite3_stmt* statement = change.clear_collection ? clear_ : change.document ? upsert_ : erase_;
    sqlite3_bind_text(statement, 1, change.collection.data(),
                      static_cast<int>(change.collection.size()), SQLITE_STATIC);
    if (!change.clear_collection) {
      sqlite3_bind_text(statement, 2, change.key.data(), static_cast<int>(change.key.size()),
                        SQLITE_STATIC);
    }
    if (change.document) {
      sqlite3_bind_text(statement, 3, change.document->data(),
                        static_cast<int>(change.document->size()), SQLITE_STATIC);
    }
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (rc != SQLITE_DONE) {
      const std::string message = sqlite3_errmsg(db_);
      Exec(db_, "ROLLBACK;");
      throw std::runtime_error("journal: cannot write: " + message);
    }
  }
  if (const std::string error = Exec(db_, "COMMIT;"); !error.empty()) {
    Exec(db_, "ROLLBACK;");
    throw std::runtime_error("journal: cannot commit: " + error);
  }
}

uint64_t SqliteJournal::Enqueue(std::vector<Change> changes) {
  uint64_t ticket;
  {
    std::lock_guard lock(queue_mutex_);
    pending_.insert(pending_.end(), std::make_move_iterator(changes.begin()),
                    std::make_move_iterator(changes.end()));
    ticket = ++enqueued_;
  }
  queued_.notify_one();
  return ticket;
}

void SqliteJournal::WaitDurable(uint64_t ticket) {
  std::unique_lock lock(queue_mutex_);
  written_.wait(lock, [&] { return durable_ >= ticket; });
}

void SqliteJournal::WhenDurable(uint64_t ticket, std::function<void()> done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (durable_ < ticket) {
      waiters_.emplace_back(ticket, std::move(done));
      return;
    }
  }
  done();
}

uint64_t SqliteJournal::batches_written() {
  std::lock_guard lock(queue_mutex_);
  return batches_;
}

void SqliteJournal::WriteQueued() {
  std::unique_lock lock(queue_mutex_);
  std::vector<std::pair<uint64_t, std::function<void()>>> ready;
  while (true) {
    queued_.wait(lock, [&] { return !pending_.empty() || stopping_; });
    // Stopping, with nothing left to write: every ticket handed out is durable, so no
    // callback can be left waiting (see the destructor).
    if (pending_.empty()) return;
    std::vector<Change> batch = std::move(pending_);
    pending_.clear();
    const uint64_t last = enqueued_;
    lock.unlock();
    try {
      std::lock_guard db_lock(mutex_);
      WriteLocked("BEGIN;", batch);
    } catch (const std::exception& failure) {
      // See Journal::Enqueue: memory is ahead of the disk now, and nothing may be answered
      // as if it were durable.
      log::Error(std::string("cannot write the data dir, stopping: ") + failure.what());
      std::abort();
    }
    lock.lock();
    durable_ = last;
    ++batches_;
    written_.notify_all();
    // The callbacks of the batch, called in ticket order and without the lock, so that they
    // may queue or wait for more.
    auto still_waiting = std::stable_partition(
        waiters_.begin(), waiters_.end(), [&](const auto& waiter) { return waiter.first > last; });
    if (still_waiting == waiters_.end()) continue;
    ready.assign(std::make_move_iterator(still_waiting), std::make_move_iterator(waiters_.end()));
    waiters_.erase(still_waiting, waiters_.end());
    lock.unlock();
    std::stable_sort(ready.begin(), ready.end(),
                     [](const auto& left, const auto& right) { return left.first < right.first; });
    for (auto& [ticket, done] : ready) done();
    ready.clear();
    lock.lock();
  }
}

void SqliteJournal::Load(std::string_view collection,
                         const std::function<void(std::string_view, std::string_view)>& apply) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db_, "SELECT key, document FROM resources WHERE collection = ? ORDER BY key",
                     -1, &statement, nullptr);
  // Finalized however the loop ends: `apply` throws for a corrupt document, and a statement
  // left open makes sqlite3_close fail, leaking the connection (found by LeakSanitizer).
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(statement, sqlite3_finalize);
  sqlite3_bind_text(statement, 1, collection.data(), static_cast<int>(collection.size()),
                    SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    apply(std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)),
                           static_cast<size_t>(sqlite3_column_bytes(statement, 0))),
          std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(statement, 1)),
                           static_cast<size_t>(sqlite3_column_bytes(statement, 1))));
  }
  if (rc != SQLITE_DONE)
    throw std::runtime_error(std::string("journal: cannot read: ") + sqlite3_errmsg(db_));
}

void SqliteJournal::ForEach(
    const std::function<void(std::string_view, std::string_view, std::string_view)>& visit) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db_,
                     "SELECT collection, key, document FROM resources ORDER BY collection, key", -1,
                     &statement, nullptr);
  auto column = [statement](int index) {
    return std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(statement, index)),
                            static_cast<size_t>(sqlite3_column_bytes(statement, index)));
  };
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(statement, sqlite3_finalize);
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) visit(column(0), column(1), column(2));
  if (rc != SQLITE_DONE)
    throw std::runtime_error(std::string("journal: cannot read: ") + sqlite3_errmsg(db_));
}

void SqliteJournal::ReplaceAll(const std::vector<Change>& changes) {
  std::lock_guard lock(mutex_);
  WriteLocked("BEGIN; DELETE FROM resources;", changes);
}

}  // namespace cairn::store
