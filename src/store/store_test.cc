#include "store/store.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::store {
namespace {

struct Item {
  std::string name;
  int version = 0;
  boost::json::value ToJson() const { return {{"name", name}, {"version", version}}; }
  static Item FromJson(const boost::json::value& value) {
    return Item{std::string(value.at("name").as_string()),
                static_cast<int>(value.at("version").as_int64())};
  }
};

// Records what reached it and which tickets were awaited.
class RecordingJournal final : public Journal {
 public:
  bool durable() const override { return true; }
  uint64_t Enqueue(std::vector<Change> changes) override {
    committed.insert(committed.end(), changes.begin(), changes.end());
    return ++tickets;
  }
  void WaitDurable(uint64_t ticket) override { awaited.push_back(ticket); }
  void Load(std::string_view,
            const std::function<void(std::string_view, std::string_view)>& apply) override {
    for (const Change& change : committed) {
      if (change.document) apply(change.key, *change.document);
    }
  }
  uint64_t tickets = 0;
  std::vector<uint64_t> awaited;
  std::vector<Change> committed;
};

TEST(StoreTest, CommitSendsFinalValuesOnce) {
  RecordingJournal journal;
  Collection<Item> items("items");
  Transaction txn(journal);
  items.Put(txn, "a", Item{"first", 1});
  items.Update(txn, "a", [](Item& item) { item.version = 2; });
  items.Put(txn, "b", Item{"second", 1});
  txn.Commit();
  ASSERT_EQ(journal.committed.size(), 2u);
  EXPECT_EQ(journal.committed[0].key, "a");
  EXPECT_EQ(*journal.committed[0].document, R"({"name":"first","version":2})");
}

TEST(StoreTest, UncommittedTransactionsRollBack) {
  RecordingJournal journal;
  Collection<Item> items("items");
  {
    Transaction setup(journal);
    items.Put(setup, "keep", Item{"kept", 1});
    setup.Commit();
  }
  {
    Transaction failing(journal);
    items.Put(failing, "new", Item{"new", 1});
    items.Update(failing, "keep", [](Item& item) { item.version = 9; });
    items.Erase(failing, "keep");
  }
  EXPECT_EQ(items.size(), 1u);
  EXPECT_EQ(items.Find("keep")->version, 1);
  EXPECT_EQ(journal.committed.size(), 1u);
}

TEST(StoreTest, CommittedChangesAreAwaitedOnceRollbacksNever) {
  RecordingJournal journal;
  Collection<Item> items("items");
  {
    Transaction txn(journal);
    items.Put(txn, "a", Item{"a", 1});
    txn.Commit();
    EXPECT_TRUE(journal.awaited.empty()) << "commit only queues";
    txn.AwaitDurable();
    EXPECT_EQ(journal.awaited, (std::vector<uint64_t>{1}));
  }
  EXPECT_EQ(journal.awaited.size(), 1u) << "awaited once";
  {
    Transaction rolled_back(journal);
    items.Put(rolled_back, "b", Item{"b", 1});
  }
  EXPECT_EQ(journal.tickets, 1u) << "a rollback queues nothing";
  EXPECT_EQ(items.Find("b"), nullptr);
  journal.ClearCollection("items");
  ASSERT_EQ(journal.committed.size(), 2u);
  EXPECT_TRUE(journal.committed.back().clear_collection);
}

TEST(StoreTest, RestoresFromTheJournalAndSeeksForPages) {
  RecordingJournal journal;
  Collection<Item> items("items");
  Transaction txn(journal);
  for (const char* key : {"c", "a", "b"}) items.Put(txn, key, Item{key, 1});
  txn.Commit();
  Collection<Item> restored("items");
  journal.Load("items", [&](std::string_view key, std::string_view document) {
    restored.Restore(key, document);
  });
  ASSERT_EQ(restored.size(), 3u);
  EXPECT_EQ(restored.After("a")->first, "b");
  EXPECT_EQ(restored.After("c"), restored.items().end());
  EXPECT_THROW(restored.Restore("x", "{broken"), std::runtime_error);
}

}  // namespace
}  // namespace cairn::store
