#include "store/store.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <mutex>
#include <thread>

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
  // Keeps the callback, for the test to call as if the batch were written.
  void WhenDurable(uint64_t ticket, std::function<void()> done) override {
    deferred.emplace_back(ticket, std::move(done));
  }
  void Load(std::string_view,
            const std::function<void(std::string_view, std::string_view)>& apply) override {
    for (const Change& change : committed) {
      if (change.document) apply(change.key, *change.document);
    }
  }
  uint64_t tickets = 0;
  std::vector<uint64_t> awaited;
  std::vector<std::pair<uint64_t, std::function<void()>>> deferred;
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

// Past a few changes, Commit finds repeated keys with a set: the same outcome, in the order
// keys first changed, including a key erased after it changed.
TEST(StoreTest, CommitSendsFinalValuesOnceInLargeTransactions) {
  RecordingJournal journal;
  Collection<Item> items("items");
  Collection<Item> others("others");
  Transaction txn(journal);
  for (int round = 1; round <= 3; ++round) {
    for (int key_idx = 0; key_idx < 20; ++key_idx) {
      items.Put(txn, "k" + std::to_string(key_idx), Item{"item", round});
    }
  }
  others.Put(txn, "k0", Item{"other", 1});
  items.Erase(txn, "k5");
  txn.Commit();
  ASSERT_EQ(journal.committed.size(), 21u);
  for (int key_idx = 0; key_idx < 20; ++key_idx) {
    const Change& change = journal.committed[static_cast<size_t>(key_idx)];
    EXPECT_EQ(change.collection, "items");
    EXPECT_EQ(change.key, "k" + std::to_string(key_idx));
    if (key_idx == 5) {
      EXPECT_FALSE(change.document.has_value());
    } else {
      EXPECT_EQ(*change.document, R"({"name":"item","version":3})");
    }
  }
  EXPECT_EQ(journal.committed[20].collection, "others");
  EXPECT_EQ(journal.committed[20].key, "k0");
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

TEST(StoreTest, GroupCountsFollowEveryChangeUndoRestoreAndClear) {
  RecordingJournal journal;
  Collection<Item> items("items");
  const auto counts = [&] {
    return std::vector<size_t>{items.GroupSize("a/r1/"), items.GroupSize("a/r2/"),
                               items.GroupSize("b/r1/")};
  };
  {
    Transaction setup(journal);
    items.Put(setup, "a/r1/x", Item{"x", 1});
    items.Put(setup, "a/r1/y", Item{"y", 1});
    items.Put(setup, "b/r1/z", Item{"z", 1});
    items.Put(setup, "nogroup", Item{"n", 1});  // fewer separators: counted nowhere
    setup.Commit();
  }
  items.CountGroups(2);  // counts what is there already
  EXPECT_EQ(counts(), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(items.GroupSize("a/"), 0u);
  {
    Transaction txn(journal);
    items.Put(txn, "a/r1/x", Item{"x", 2});  // a replacement: no new item
    items.Put(txn, "a/r2/w", Item{"w", 1});
    items.Erase(txn, "b/r1/z");
    items.Update(txn, "a/r1/y", [](Item& item) { item.version = 5; });
    EXPECT_EQ(counts(), (std::vector<size_t>{2, 1, 0}));
    items.Put(txn, "b/r1/z", Item{"z", 2});  // erased, then back in the same transaction
    items.Erase(txn, "a/r1/x");
    EXPECT_EQ(counts(), (std::vector<size_t>{1, 1, 1}));
    // Rolled back, newest first: the counts are what they were.
  }
  EXPECT_EQ(counts(), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(items.Find("a/r1/x")->version, 1);
  {
    Transaction txn(journal);
    EXPECT_EQ(items.ErasePrefix(txn, "a/r1/"), 2u);
    txn.Commit();
  }
  EXPECT_EQ(counts(), (std::vector<size_t>{0, 0, 1}));
  DocumentReader reader;
  items.Restore("a/r2/q", R"({"name":"q","version":1})", reader);  // appended
  items.Restore("a/r1/p", R"({"name":"p","version":1})", reader);  // inserted before
  items.Restore("a/r1/p", R"({"name":"p","version":2})", reader);  // replaced
  EXPECT_EQ(counts(), (std::vector<size_t>{1, 1, 1}));
  items.Clear();
  EXPECT_EQ(counts(), (std::vector<size_t>{0, 0, 0}));
  {
    Transaction txn(journal);
    items.Put(txn, "a/r1/x", Item{"x", 1});
    EXPECT_FALSE(items.Insert(txn, "a/r1/x", Item{"x", 7}));  // taken: left as it is
    EXPECT_TRUE(items.Insert(txn, "a/r2/y", Item{"y", 1}));
    txn.Commit();
  }
  EXPECT_EQ(counts(), (std::vector<size_t>{1, 1, 0}));
  EXPECT_EQ(items.Find("a/r1/x")->version, 1);
  {
    Transaction failing(journal);
    EXPECT_TRUE(items.Insert(failing, "b/r1/z", Item{"z", 1}));
  }
  EXPECT_EQ(counts(), (std::vector<size_t>{1, 1, 0}));
  EXPECT_EQ(items.Find("b/r1/z"), nullptr);
}

// Every mix of changes to one key within a transaction rolls back to the state before it and
// commits its final value once, whether an undo keeps its value in place or on the heap
// (Undo's inline room is 32 bytes) and whether the key fits in a string's own buffer or not.
TEST(StoreTest, MixedChangesToOneKeyRollBackAndCommitExactly) {
  struct Big {
    std::string name;
    std::array<char, 200> padding{};
    boost::json::value ToJson() const { return {{"name", name}}; }
    static Big FromJson(const boost::json::value& value) {
      return Big{std::string(value.at("name").as_string())};
    }
  };
  for (const std::string key : {std::string("k"), std::string(40, 'x')}) {
    RecordingJournal journal;
    Collection<Big> items("big");
    {
      Transaction setup(journal);
      items.Put(setup, key, Big{"v1"});
      items.Put(setup, "other", Big{"o"});
      setup.Commit();
    }
    {
      Transaction failing(journal);
      items.Erase(failing, key);
      items.Put(failing, key, Big{"v2"});                             // new again
      items.Update(failing, key, [](Big& big) { big.name = "v3"; });  // heap undo
      items.Erase(failing, key);
      items.Erase(failing, "other");
      items.Put(failing, "fresh", Big{"f"});
      items.Erase(failing, "fresh");
    }
    ASSERT_EQ(items.size(), 2u) << key.size();
    EXPECT_EQ(items.Find(key)->name, "v1");
    EXPECT_EQ(items.Find("other")->name, "o");
    EXPECT_EQ(items.Find("fresh"), nullptr);
    journal.committed.clear();
    {
      Transaction txn(journal);
      items.Erase(txn, key);
      items.Put(txn, key, Big{"v2"});
      items.Put(txn, "fresh", Big{"f"});
      items.Erase(txn, "fresh");
      txn.Commit();
    }
    EXPECT_EQ(items.Find(key)->name, "v2");
    EXPECT_EQ(items.Find("fresh"), nullptr);
    ASSERT_EQ(journal.committed.size(), 2u);  // one change per key, its final value
    EXPECT_EQ(journal.committed[0].key, key);
    EXPECT_EQ(*journal.committed[0].document, R"({"name":"v2"})");
    EXPECT_EQ(journal.committed[1].key, "fresh");
    EXPECT_FALSE(journal.committed[1].document.has_value());
  }
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

// A provider's write: a transaction declared before the lock, committed under it.
void WriteItem(std::mutex& mutex, Journal& journal, Collection<Item>& items, std::string key,
               bool succeed = true) {
  struct Outcome {
    bool succeeded;
    bool ok() const { return succeeded; }
  };
  WriteLocked(mutex, journal, [&](Transaction& txn) {
    items.Put(txn, key, Item{key, 1});
    return Outcome{succeed};
  });
}

TEST(StoreTest, AnOpenScopeCollectsTheHighestTicketInsteadOfWaiting) {
  RecordingJournal journal;
  Collection<Item> items("items");
  std::mutex mutex;
  bool answered = false;
  {
    DeferredDurability scope;
    EXPECT_FALSE(scope.pending());
    WriteItem(mutex, journal, items, "a");
    WriteItem(mutex, journal, items, "b");
    WriteItem(mutex, journal, items, "c", /*succeed=*/false);
    EXPECT_TRUE(journal.awaited.empty()) << "no transaction blocked";
    EXPECT_TRUE(scope.pending());
    scope.Then([&] { answered = true; });
    ASSERT_EQ(journal.deferred.size(), 1u);
    EXPECT_EQ(journal.deferred[0].first, 2u) << "the later of the two commits; the failed none";
  }
  EXPECT_TRUE(journal.awaited.empty()) << "a scope that called Then does not wait on close";
  EXPECT_FALSE(answered) << "not before the batch is written";
  journal.deferred[0].second();
  EXPECT_TRUE(answered);
  EXPECT_EQ(items.Find("c"), nullptr);

  // Once the scope is closed, a transaction blocks again.
  WriteItem(mutex, journal, items, "d");
  EXPECT_EQ(journal.awaited, (std::vector<uint64_t>{3}));
}

TEST(StoreTest, AScopeWithNothingDurableToWaitForAnswersAtOnce) {
  RecordingJournal journal;
  Collection<Item> items("items");
  std::mutex mutex;
  bool answered = false;
  {
    DeferredDurability scope;
    WriteItem(mutex, journal, items, "failed", /*succeed=*/false);
    EXPECT_FALSE(scope.pending());
    scope.Then([&] { answered = true; });
    EXPECT_TRUE(answered) << "a failed request changed nothing and waits for nothing";
  }
  MemoryJournal memory;
  answered = false;
  {
    DeferredDurability scope;
    WriteItem(mutex, memory, items, "in-memory");
    EXPECT_FALSE(scope.pending()) << "a journal that keeps nothing hands out no ticket";
    scope.Then([&] { answered = true; });
    EXPECT_TRUE(answered);
  }
  EXPECT_TRUE(journal.deferred.empty());
}

TEST(StoreTest, ScopesNestAndAScopeClosedWithoutThenWaits) {
  RecordingJournal journal;
  Collection<Item> items("items");
  std::mutex mutex;
  {
    DeferredDurability outer;
    WriteItem(mutex, journal, items, "a");
    {
      DeferredDurability inner;
      WriteItem(mutex, journal, items, "b");
      EXPECT_TRUE(inner.pending());
      // Closed without Then (say, the handler threw): it waits like the transaction would.
    }
    EXPECT_EQ(journal.awaited, (std::vector<uint64_t>{2}));
    WriteItem(mutex, journal, items, "c");  // collected by the outer scope again
    EXPECT_EQ(journal.awaited.size(), 1u);
    outer.Then([] {});
    ASSERT_EQ(journal.deferred.size(), 1u);
    EXPECT_EQ(journal.deferred[0].first, 3u);
  }
  // A scope on another thread does not collect this thread's transactions.
  DeferredDurability here;
  std::thread([&] { WriteItem(mutex, journal, items, "elsewhere"); }).join();
  EXPECT_FALSE(here.pending());
  EXPECT_EQ(journal.awaited, (std::vector<uint64_t>{2, 4}));
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

// A type that restores from scratch memory: keeps a copy of its "tags" object (in the default
// memory) and the text of its "spec" member as stored.
struct Scratchy {
  std::string name;
  boost::json::object tags;
  std::string spec_text;
  bool from_stored = false;
  boost::json::value ToJson() const { return {{"name", name}, {"tags", tags}}; }
  static Scratchy FromJson(const boost::json::value& value) {
    return Scratchy{std::string(value.at("name").as_string()), value.at("tags").as_object(), {}};
  }
  static Scratchy FromStored(const boost::json::value& scratch, std::string_view document) {
    return Scratchy{std::string(scratch.at("name").as_string()),
                    boost::json::object(scratch.at("tags").as_object(), boost::json::storage_ptr()),
                    std::string(StoredMember(document, "spec").value_or("?")), true};
  }
};

TEST(StoreTest, RestoreAppendsKeysInOrderAndReplacesOthers) {
  Collection<Item> items("items");
  DocumentReader reader;
  items.Restore("b", R"({"name":"b","version":1})", reader);
  items.Restore("c", R"({"name":"c","version":1})", reader);
  items.Restore("a", R"({"name":"a","version":1})", reader);  // out of order
  items.Restore("c", R"({"name":"c","version":2})", reader);  // again: replaces
  std::vector<std::string> keys;
  for (const auto& [key, item] : items.items()) keys.push_back(key + std::to_string(item.version));
  EXPECT_EQ(keys, (std::vector<std::string>{"a1", "b1", "c2"}));
  EXPECT_THROW(items.Restore("d", "{broken", reader), std::runtime_error);
  EXPECT_THROW(items.Restore("d", R"({"name":"d"} trailing)", reader), std::runtime_error);
  EXPECT_EQ(items.size(), 3u);
  // The reader goes on after a failure.
  items.Restore("d", R"({"name":"d","version":4})", reader);
  EXPECT_EQ(items.Find("d")->version, 4);
}

TEST(StoreTest, ScratchRestoresKeepNothingOfTheReadersMemory) {
  Collection<Scratchy> items("scratchy");
  {
    DocumentReader reader;
    for (int i = 0; i < 200; ++i) {
      // Large enough that the reader's block overflows now and then.
      const std::string filler(i % 7 == 0 ? 20000 : 10, 'x');
      const std::string document = R"({"name":"n)" + std::to_string(i) +
                                   R"(","spec":{"a":[1,{"b":"}\"]"}]},"tags":{"k":")" + filler +
                                   R"("}})";
      char key[8];
      std::snprintf(key, sizeof key, "%04d", i);
      items.Restore(key, document, reader);
    }
  }  // the reader's memory is gone
  ASSERT_EQ(items.size(), 200u);
  const Scratchy& last = items.items().rbegin()->second;
  EXPECT_TRUE(last.from_stored);
  EXPECT_EQ(last.name, "n199");
  EXPECT_EQ(last.spec_text, R"({"a":[1,{"b":"}\"]"}]})");
  EXPECT_EQ(items.Find("0196")->tags.at("k").as_string().size(), 20000u);
  EXPECT_EQ(*items.Find("0196")->tags.storage(), *boost::json::storage_ptr());
}

TEST(StoreTest, StoredMemberFindsTopLevelMembersAsWritten) {
  const std::string document = SerializeDocument(boost::json::parse(
      R"({"Id":"x\"y","Nested":{"Spec":1,"s":"},{"},"List":[[],{"a":"]"}],"N":-1.5E3,)"
      R"("Spec":{"Name":"n","Targets":[{"Key":"k","Values":["v,}"]}]},"T":true,"Z":null})"));
  EXPECT_EQ(StoredMember(document, "Spec"),
            R"({"Name":"n","Targets":[{"Key":"k","Values":["v,}"]}]})");
  EXPECT_EQ(StoredMember(document, "Id"), R"("x\"y")");
  EXPECT_EQ(StoredMember(document, "N"), "-1.5E3");
  EXPECT_EQ(StoredMember(document, "List"), R"([[],{"a":"]"}])");
  EXPECT_EQ(StoredMember(document, "Z"), "null");
  EXPECT_EQ(StoredMember(document, "Missing"), std::nullopt);
  EXPECT_EQ(StoredMember("[1]", "Spec"), std::nullopt);
  EXPECT_EQ(StoredMember("{ \"Spec\": {}}", "Spec"), std::nullopt);  // not compact
  EXPECT_EQ(StoredMember("{}", "Spec"), std::nullopt);
}

}  // namespace
}  // namespace cairn::store
