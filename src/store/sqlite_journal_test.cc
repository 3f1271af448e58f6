#include "store/sqlite_journal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace cairn::store {
namespace {

class SqliteJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn-journal-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::map<std::string, std::string> Contents(Journal& journal, std::string_view collection) {
    std::map<std::string, std::string> out;
    journal.Load(collection, [&](std::string_view key, std::string_view document) {
      out.emplace(key, document);
    });
    return out;
  }

  std::string dir_;
};

TEST_F(SqliteJournalTest, CommitsSurviveReopening) {
  {
    auto journal = SqliteJournal::Open(dir_, Durability::kProcessCrash);
    ASSERT_TRUE(journal.ok()) << journal.error().message;
    (*journal)->Commit(
        {{"accounts", "a", R"({"n":1})"}, {"accounts", "b", R"({"n":2})"}, {"units", "u", "{}"}});
    (*journal)->Commit({{"accounts", "a", std::nullopt}, {"accounts", "b", R"({"n":3})"}});
  }
  auto reopened = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Contents(**reopened, "accounts"),
            (std::map<std::string, std::string>{{"b", R"({"n":3})"}}));
  (*reopened)->ClearCollection("accounts");
  EXPECT_TRUE(Contents(**reopened, "accounts").empty());
  EXPECT_EQ(Contents(**reopened, "units").size(), 1u);
}

TEST_F(SqliteJournalTest, ConcurrentCommitsAreAllDurableAndOrdered) {
  {
    auto journal = SqliteJournal::Open(dir_, Durability::kProcessCrash);
    ASSERT_TRUE(journal.ok());
    std::vector<std::thread> writers;
    for (int writer_idx = 0; writer_idx < 4; ++writer_idx) {
      writers.emplace_back([&, writer_idx] {
        for (int item_idx = 0; item_idx < 200; ++item_idx) {
          (*journal)->Commit(
              {{"items", std::to_string(writer_idx) + "/" + std::to_string(item_idx), "{}"}});
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    // The same key written then erased, in one order, ends erased.
    const uint64_t put = (*journal)->Enqueue({{"items", "x", "{}"}});
    const uint64_t erase = (*journal)->Enqueue({{"items", "x", std::nullopt}});
    EXPECT_LT(put, erase);
    (*journal)->WaitDurable(erase);
    (*journal)->ClearCollection("other");
  }
  auto reopened = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Contents(**reopened, "items").size(), 800u);
}

TEST_F(SqliteJournalTest, OneBatchCompletesManyWaitersInTicketOrderOnceDurable) {
  auto opened = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_TRUE(opened.ok());
  SqliteJournal& journal = **opened;
  journal.Commit({{"items", "first", "{}"}});
  const uint64_t batches_before = journal.batches_written();

  constexpr int kWaiters = 100;
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<uint64_t> completed;  // tickets, in the order their callbacks ran
  // ForEach holds the database while it visits: the writer cannot write meanwhile, so every
  // commit queued here waits for the same batch (or two, if the writer took the first one
  // before it blocked).
  journal.ForEach([&](std::string_view, std::string_view, std::string_view) {
    std::vector<uint64_t> tickets;
    for (int waiter_idx = 0; waiter_idx < kWaiters; ++waiter_idx) {
      tickets.push_back(journal.Enqueue({{"items", "k" + std::to_string(waiter_idx), "{}"}}));
    }
    // Registered newest first: the callbacks must still run oldest first.
    for (auto ticket = tickets.rbegin(); ticket != tickets.rend(); ++ticket) {
      journal.WhenDurable(*ticket, [&, ticket = *ticket] {
        std::lock_guard lock(mutex);
        completed.push_back(ticket);
        if (completed.size() == kWaiters) all_done.notify_all();
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mutex);
    EXPECT_TRUE(completed.empty()) << "a callback ran before its batch was written";
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(all_done.wait_for(lock, std::chrono::seconds(10),
                                  [&] { return completed.size() == kWaiters; }));
  }
  EXPECT_TRUE(std::is_sorted(completed.begin(), completed.end()));
  EXPECT_LE(journal.batches_written() - batches_before, 2u)
      << "one commit per batch, not per write";
  EXPECT_EQ(Contents(journal, "items").size(), kWaiters + 1u);

  // A ticket already durable is answered at once, on the calling thread.
  const std::thread::id caller = std::this_thread::get_id();
  bool called_here = false;
  journal.WhenDurable(completed.back(),
                      [&] { called_here = std::this_thread::get_id() == caller; });
  EXPECT_TRUE(called_here);
}

TEST_F(SqliteJournalTest, ClosingWritesEveryQueuedCommitAndCompletesItsWaiters) {
  constexpr int kCommits = 500;
  std::atomic<int> completed{0};
  {
    auto journal = SqliteJournal::Open(dir_, Durability::kFull);
    ASSERT_TRUE(journal.ok());
    for (int commit_idx = 0; commit_idx < kCommits; ++commit_idx) {
      const uint64_t ticket =
          (*journal)->Enqueue({{"items", "k" + std::to_string(commit_idx), "{}"}});
      (*journal)->WhenDurable(ticket, [&] { ++completed; });
    }
    // Closed with commits and waiters pending, as at the end of a graceful stop.
  }
  EXPECT_EQ(completed.load(), kCommits);
  auto reopened = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Contents(**reopened, "items").size(), static_cast<size_t>(kCommits));
}

TEST_F(SqliteJournalTest, ASecondProcessCannotOpenTheSameDataDir) {
  auto first = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_TRUE(first.ok());
  auto second = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("in use by another cairn"), std::string::npos);
  EXPECT_TRUE(SqliteJournal::OpenReadOnly(dir_).ok()) << "export reads without the lock";
}

TEST_F(SqliteJournalTest, RefusesCorruptAndNewerDatabasesWithoutTouchingThem) {
  {
    std::ofstream corrupt(dir_ + "/cairn.db");
    corrupt << "this is not a database, just some text that is long enough to have a header";
  }
  auto corrupt = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find("not a cairn database"), std::string::npos);
  std::ifstream still(dir_ + "/cairn.db");
  std::string first_word;
  still >> first_word;
  EXPECT_EQ(first_word, "this");

  std::filesystem::remove(dir_ + "/cairn.db");
  {
    auto journal = SqliteJournal::Open(dir_, Durability::kProcessCrash);
    ASSERT_TRUE(journal.ok());
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ + "/cairn.db").c_str(), &db);
    sqlite3_exec(db, "UPDATE meta SET value = 99 WHERE key = 'schema_version';", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
  }
  auto newer = SqliteJournal::Open(dir_, Durability::kProcessCrash);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("newer cairn"), std::string::npos);
}

TEST_F(SqliteJournalTest, MigratesAnEmptyFileAndReplacesAllForImports) {
  { std::ofstream empty(dir_ + "/cairn.db"); }  // a zero-length file is an empty database
  auto journal = SqliteJournal::Open(dir_, Durability::kFull);
  ASSERT_TRUE(journal.ok()) << journal.error().message;
  (*journal)->Commit({{"accounts", "old", "{}"}});
  (*journal)->ReplaceAll({{"accounts", "new", R"({"x":1})"}});
  std::vector<std::string> seen;
  (*journal)->ForEach([&](std::string_view collection, std::string_view key, std::string_view) {
    seen.push_back(std::string(collection) + "/" + std::string(key));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"accounts/new"}));
}

}  // namespace
}  // namespace cairn::store
