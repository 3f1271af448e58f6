// The store: every resource cairn holds lives in a Collection, and every change to one goes
// through a Transaction.
//
//   Collection<T>  resources of one type in memory, ordered by key (so pagination can seek),
//                  each with a stable serialized form (T::ToJson / T::FromJson).
//   Transaction    the changes of one request. Changes apply to memory at once (a provider
//                  reads its own writes); Commit() queues them in the Journal, and a request
//                  that fails is rolled back: memory returns to where it was, and nothing
//                  reaches the journal. The Transaction's destructor waits until its changes
//                  are durable, so a provider declares it before taking its lock: the wait
//                  happens after the lock is released (other requests go on meanwhile, and
//                  their commits join the same batch) but before the response is sent.
//   DeferredDurability  a request's scope on its thread: while one is open, a Transaction's
//                  destructor does not block but hands its ticket to the scope, and the
//                  request's answer is sent from Then()'s callback once the ticket is durable.
//                  The HTTP worker thus goes on with other connections during the commit, and
//                  the commits of many requests share one batch (one SQLite transaction).
//   Journal        where committed changes go. MemoryJournal keeps nothing; SqliteJournal
//                  writes every batch of queued commits in one SQLite transaction (group
//                  commit) and replays the database into the collections at startup.
//
// Threading: a Collection is guarded by its owner's lock (a provider's mutex); a Transaction's
// changes and Commit() happen under that same lock, so commits of one provider reach the
// journal's queue in the order they applied. Journals are thread-safe.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cairn::store {

// One committed change: (collection, key) now holds `document`, or was erased (nullopt); or,
// with `clear_collection`, every item of the collection was erased.
struct Change {
  std::string collection;
  std::string key;
  std::optional<std::string> document;
  bool clear_collection = false;
};

class Journal {
 public:
  virtual ~Journal() = default;
  // Whether commits need serialized documents (false: skip the serialization cost).
  virtual bool durable() const = 0;
  // Queues changes, in commit order, to be made durable all together; returns a ticket for
  // WaitDurable. A journal that cannot write ends the process (the changes are already in
  // memory, where other requests may have read them: carrying on would serve state that a
  // restart would not have).
  virtual uint64_t Enqueue(std::vector<Change> changes) = 0;
  // Returns once the changes of `ticket` (and everything queued before them) are durable.
  virtual void WaitDurable(uint64_t ticket) = 0;
  // Calls `done` once the changes of `ticket` (and everything queued before them) are durable:
  // at once, on the calling thread, if they already are; otherwise later, on a thread of the
  // journal's (so `done` must be quick and must not block). Callbacks whose tickets become
  // durable together are called in ticket order. This default waits, then calls.
  virtual void WhenDurable(uint64_t ticket, std::function<void()> done) {
    WaitDurable(ticket);
    done();
  }
  // Enqueue and wait.
  void Commit(std::vector<Change> changes) { WaitDurable(Enqueue(std::move(changes))); }
  // Calls `apply` with every (key, document) stored for a collection, in key order.
  virtual void Load(
      std::string_view collection,
      const std::function<void(std::string_view key, std::string_view document)>& apply) = 0;
  // Forgets every item of one collection (POST /_cairn/reset), in order with commits.
  void ClearCollection(std::string_view collection) {
    Commit({Change{std::string(collection), {}, std::nullopt, true}});
  }
};

// Keeps nothing: state lives in memory only, for the life of the process.
class MemoryJournal final : public Journal {
 public:
  bool durable() const override { return false; }
  uint64_t Enqueue(std::vector<Change>) override { return 0; }
  void WaitDurable(uint64_t) override {}
  void WhenDurable(uint64_t, std::function<void()> done) override { done(); }
  void Load(std::string_view,
            const std::function<void(std::string_view, std::string_view)>&) override {}
};

class Transaction;

// Parses the stored documents of a restore, one after another, with one parser (its stacks
// are reused) and, for Scratch, one block of memory reused by every document: a restore of
// 100,000 documents otherwise spends most of its time allocating and freeing the nodes of
// each document's tree (issue 8). Not thread-safe; large (the block is inline): keep one per
// restore, on the heap or in a frame that can hold it.
class DocumentReader {
 public:
  DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  // The document, in the default memory (a value that may be kept). Throws
  // std::runtime_error naming `collection` when it is corrupt.
  boost::json::value Parse(std::string_view collection, std::string_view document);
  // The document in the reader's memory, valid until the next Parse or Scratch. Nothing of it
  // may be kept: a boost::json copy keeps its source's memory, so a container copied out must
  // name another (`boost::json::object(member, boost::json::storage_ptr())`).
  const boost::json::value& Scratch(std::string_view collection, std::string_view document);

 private:
  void Start(std::string_view collection, std::string_view document,
             boost::json::storage_ptr storage);

  unsigned char block_[16 * 1024];
  // Made again for every document rather than release()d: boost 1.81's release() keeps the
  // size of the next block it would allocate, which doubles with every block, so documents
  // that overflow block_ now and then made it grow without bound (std::bad_alloc).
  std::optional<boost::json::monotonic_resource> scratch_;
  boost::json::parser parser_;
  std::optional<boost::json::value> scratch_value_;  // in scratch_
};

// Type-erased face of a collection, for transactions and restore.
class CollectionBase {
 public:
  explicit CollectionBase(std::string name) : name_(std::move(name)) {}
  virtual ~CollectionBase() = default;
  const std::string& name() const { return name_; }
  // The serialized form of the resource at `key`, or nullopt if there is none.
  virtual std::optional<std::string> Serialize(std::string_view key) const = 0;
  // Replaces the resource at `key` with the deserialized document (restore). Keys usually
  // come in ascending order (LoadAll): each one is then appended at the end of the map, in
  // constant time.
  virtual void Restore(std::string_view key, std::string_view document, DocumentReader& reader) = 0;
  void Restore(std::string_view key, std::string_view document) {
    const auto reader = std::make_unique<DocumentReader>();
    Restore(key, document, *reader);
  }
  virtual void Clear() = 0;

 private:
  std::string name_;
};

// What undoes one change of a transaction, called with the changed key: a move-only callable
// that keeps a pointer and a map node handle (an erased item, kept whole for its undo) in
// place. std::function allocated for either, and cannot hold a node handle at all; a write
// records one of these per changed key (68 for an aggregator over every Region; issue 8).
class Undo {
 public:
  Undo() = default;
  template <typename Fn>
  requires(!std::is_same_v<std::decay_t<Fn>, Undo>)
      Undo(Fn&& fn) {  // NOLINT(google-explicit-constructor): a closure is an Undo
    using Stored = std::decay_t<Fn>;
    if constexpr (sizeof(Stored) <= kInline && alignof(Stored) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Stored>) {
      new (buffer_) Stored(std::forward<Fn>(fn));
      ops_ = &kInlineOps<Stored>;
    } else {
      *reinterpret_cast<Stored**>(buffer_) = new Stored(std::forward<Fn>(fn));
      ops_ = &kHeapOps<Stored>;
    }
  }
  Undo(Undo&& other) noexcept : ops_(other.ops_) {
    if (ops_) ops_->move(other.buffer_, buffer_);
    other.ops_ = nullptr;
  }
  Undo& operator=(Undo&& other) noexcept {
    if (this != &other) {
      Reset();
      ops_ = other.ops_;
      if (ops_) ops_->move(other.buffer_, buffer_);
      other.ops_ = nullptr;
    }
    return *this;
  }
  Undo(const Undo&) = delete;
  Undo& operator=(const Undo&) = delete;
  ~Undo() { Reset(); }

  void operator()(std::string_view key) { ops_->call(buffer_, key); }

 private:
  static constexpr size_t kInline = 32;
  struct Ops {
    void (*call)(void* stored, std::string_view key);
    void (*move)(void* from, void* to);  // leaves `from` destroyed
    void (*destroy)(void* stored);
  };
  template <typename Stored>
  static constexpr Ops kInlineOps{
      [](void* stored, std::string_view key) { (*static_cast<Stored*>(stored))(key); },
      [](void* from, void* to) {
        new (to) Stored(std::move(*static_cast<Stored*>(from)));
        static_cast<Stored*>(from)->~Stored();
      },
      [](void* stored) { static_cast<Stored*>(stored)->~Stored(); }};
  template <typename Stored>
  static constexpr Ops kHeapOps{
      [](void* stored, std::string_view key) { (**static_cast<Stored**>(stored))(key); },
      [](void* from, void* to) { *static_cast<Stored**>(to) = *static_cast<Stored**>(from); },
      [](void* stored) { delete *static_cast<Stored**>(stored); }};

  void Reset() {
    if (ops_) ops_->destroy(buffer_);
    ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buffer_[kInline];
  const Ops* ops_ = nullptr;
};

class Transaction {
 public:
  explicit Transaction(Journal& journal) : journal_(journal) {}
  // A transaction left uncommitted is rolled back.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Records that `key` of `collection` changed, with what undoes it (called with the key).
  // `key` views the key as the collection stores it, in the map or in a node an undo keeps:
  // the transaction keeps no copy. Nothing frees those before the transaction ends (an erase
  // keeps the node; only a rollback frees one, newest change first).
  void Record(CollectionBase& collection, std::string_view key, Undo undo);
  // Queues the changes in the journal (under the owner's lock, so in order).
  void Commit();
  // Undoes every change, newest first (under the owner's lock).
  void Rollback();
  // Waits until the committed changes are durable. The destructor does it too, or, when a
  // DeferredDurability is open on this thread, hands the ticket to it instead of waiting.
  void AwaitDurable();
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    CollectionBase* collection;
    std::string_view key;
    Undo undo;
  };
  Journal& journal_;
  std::vector<Entry> entries_;
  bool done_ = false;
  std::optional<uint64_t> ticket_;  // set by a Commit that queued changes
};

// Opened by whoever answers a request (the gateway) around its handling, on the handling
// thread; scopes nest (the innermost collects). While open, transactions that end on this
// thread leave the wait for their durability to it; Then() calls back once all of them are
// durable, so the answer is never sent before the changes it reports, while the thread serves
// other requests in between. A scope closed without Then() waits, as a transaction would.
class DeferredDurability {
 public:
  DeferredDurability();
  ~DeferredDurability();
  DeferredDurability(const DeferredDurability&) = delete;
  DeferredDurability& operator=(const DeferredDurability&) = delete;

  // Closes the scope and calls `done` once every ticket it collected is durable: at once, on
  // this thread, if there is none or they already are; otherwise on the journal's thread (see
  // Journal::WhenDurable).
  void Then(std::function<void()> done);
  // Whether a transaction has handed a ticket to the scope that is not known durable yet.
  bool pending() const { return journal_ != nullptr; }

  // Hands `ticket` of `journal` to this thread's innermost open scope; false when none is open.
  static bool Defer(Journal& journal, uint64_t ticket);

 private:
  void Close();

  DeferredDurability* outer_;
  bool open_ = true;
  Journal* journal_ = nullptr;  // the journal of `ticket_`; null while nothing is collected
  uint64_t ticket_ = 0;         // the highest ticket collected: the later ones follow it
};

template <typename T>
class Collection final : public CollectionBase {
 public:
  using Map = std::map<std::string, T, std::less<>>;

  explicit Collection(std::string name) : CollectionBase(std::move(name)) {}

  const T* Find(std::string_view key) const {
    auto found = items_.find(key);
    return found == items_.end() ? nullptr : &found->second;
  }
  size_t size() const { return items_.size(); }
  const Map& items() const { return items_; }
  // First item whose key is greater than `key`: where the page after `key` starts.
  typename Map::const_iterator After(std::string_view key) const { return items_.upper_bound(key); }
  typename Map::const_iterator LowerBound(std::string_view key) const {
    return items_.lower_bound(key);
  }

  // Inserts or replaces. Returns the stored value.
  T& Put(Transaction& txn, std::string key, T value) {
    auto found = items_.find(key);
    if (found == items_.end()) {
      auto added = items_.emplace(std::move(key), std::move(value)).first;
      Added(txn, added);
      return added->second;
    }
    txn.Record(*this, found->first,
               [this, old = std::move(found->second)](std::string_view changed) mutable {
                 Assign(changed, std::move(old));
               });
    found->second = std::move(value);
    return found->second;
  }

  // Inserts `value` under `key` unless the key is taken; returns whether it did. One descent
  // of the map where a Find and then a Put take two (and the key is copied only when new).
  bool Insert(Transaction& txn, std::string_view key, T value) {
    auto at = items_.lower_bound(key);
    if (at != items_.end() && at->first == key) return false;
    Added(txn, items_.emplace_hint(at, std::string(key), std::move(value)));
    return true;
  }

  // Changes a stored value in place: `mutate` gets a reference. Returns false if absent.
  template <typename Mutate>
  bool Update(Transaction& txn, std::string_view key, Mutate&& mutate) {
    auto found = items_.find(key);
    if (found == items_.end()) return false;
    txn.Record(*this, found->first, [this, old = found->second](std::string_view changed) mutable {
      Assign(changed, std::move(old));
    });
    mutate(found->second);
    return true;
  }

  // The erased item's node is kept whole by the undo (no copy of key or value), and freed with
  // the transaction's record.
  bool Erase(Transaction& txn, std::string_view key) {
    auto found = items_.find(key);
    if (found == items_.end()) return false;
    Counted(found->first, -1);
    typename Map::node_type node = items_.extract(found);
    const std::string_view stored_key = node.key();  // in the node, which does not move
    txn.Record(*this, stored_key, [this, node = std::move(node)](std::string_view) mutable {
      Counted(node.key(), +1);
      items_.insert(std::move(node));
    });
    return true;
  }

  // Keeps a count of items per group from now on, a group being the prefix of a key up to and
  // including its `separators`-th '/' (a key with fewer belongs to none): GroupSize then says
  // how many items a scope holds in constant time, whatever the collection holds (SSM's limit
  // of 2,000 associations per account and Region is checked on every create; issue 8). Exact
  // under every change, undo, restore and clear.
  void CountGroups(int separators) {
    group_separators_ = separators;
    groups_.clear();
    for (const auto& item : items_) Counted(item.first, +1);
  }
  size_t GroupSize(std::string_view group) const {
    auto found = groups_.find(group);
    return found == groups_.end() ? 0 : found->second;
  }

  // Erases every item whose key starts with `prefix`; returns how many.
  size_t ErasePrefix(Transaction& txn, std::string_view prefix) {
    std::vector<std::string> doomed;
    for (auto item = items_.lower_bound(prefix);
         item != items_.end() && item->first.starts_with(prefix); ++item) {
      doomed.push_back(item->first);
    }
    for (const std::string& key : doomed) Erase(txn, key);
    return doomed.size();
  }

  std::optional<std::string> Serialize(std::string_view key) const override;
  using CollectionBase::Restore;
  void Restore(std::string_view key, std::string_view document, DocumentReader& reader) override;
  void Clear() override {
    items_.clear();
    groups_.clear();
  }

 private:
  struct GroupHash {
    using is_transparent = void;
    size_t operator()(std::string_view group) const { return std::hash<std::string_view>{}(group); }
  };

  // Counts a key just inserted and records its insertion, undone by erasing it again.
  void Added(Transaction& txn, typename Map::iterator added) {
    Counted(added->first, +1);
    txn.Record(*this, added->first, [this](std::string_view key) {
      auto doomed = items_.find(key);
      Counted(doomed->first, -1);
      items_.erase(doomed);
    });
  }
  // Stores `value` under `key`, counting the key when it is new.
  void Assign(std::string_view key, T&& value) {
    if (auto found = items_.find(key); found != items_.end()) {
      found->second = std::move(value);
      return;
    }
    Counted(key, +1);
    items_.emplace(std::string(key), std::move(value));
  }
  // Moves the count of `key`'s group by `delta` (one item in or out).
  void Counted(std::string_view key, int delta) {
    if (group_separators_ == 0) return;
    size_t end = 0;
    for (int separator = 0; separator < group_separators_; ++separator) {
      end = key.find('/', end);
      if (end == std::string_view::npos) return;
      ++end;
    }
    const std::string_view group = key.substr(0, end);
    if (delta > 0) {
      auto found = groups_.find(group);
      if (found == groups_.end()) {
        groups_.emplace(std::string(group), 1);
      } else {
        ++found->second;
      }
    } else if (auto found = groups_.find(group); found != groups_.end() && --found->second == 0) {
      groups_.erase(found);
    }
  }

  Map items_;
  int group_separators_ = 0;  // 0: no counts kept
  std::unordered_map<std::string, size_t, GroupHash, std::equal_to<>> groups_;
};

// Runs `fn(txn)` under `mutex` held exclusively, in one transaction: committed when `fn`
// returns a successful Result, rolled back (under the lock) otherwise. The transaction
// outlives the lock, so the wait for durability happens after the lock is released and
// commits of concurrent requests share a batch.
template <typename Mutex, typename Fn>
auto WriteLocked(Mutex& mutex, Journal& journal, Fn&& fn) {
  Transaction txn(journal);
  std::unique_lock lock(mutex);
  auto result = fn(txn);
  if (result.ok()) {
    txn.Commit();
  } else {
    txn.Rollback();
  }
  return result;
}

// Forgets every item of `collections`, in memory and in the journal (POST /_cairn/reset).
// The caller holds the collections' lock.
void ClearAll(Journal& journal, const std::vector<CollectionBase*>& collections);
// Loads every collection from the journal (startup). Throws on a corrupt document. The caller
// holds the collections' lock.
void LoadAll(Journal& journal, const std::vector<CollectionBase*>& collections);

// The text of the value of `member` in the top-level object of `document` (compact JSON as
// SerializeDocument writes it, already known to be well-formed: restore parses it first), as
// it stands there; nullopt when it is absent, or when `document` is not laid out that way.
std::optional<std::string_view> StoredMember(std::string_view document, std::string_view member);

// Parses a stored document; throws std::runtime_error naming the collection when corrupt.
boost::json::value ParseDocument(std::string_view collection, std::string_view document);
std::string SerializeDocument(const boost::json::value& value);

template <typename T>
std::optional<std::string> Collection<T>::Serialize(std::string_view key) const {
  const T* item = Find(key);
  if (!item) return std::nullopt;
  return SerializeDocument(item->ToJson());
}

// A resource type restores through `static T FromStored(const boost::json::value& scratch,
// std::string_view document)` when it has one: `scratch` is the document parsed into the
// reader's scratch memory (see DocumentReader::Scratch: nothing of it may be kept), so the type
// copies out only what it keeps, and may take parts of `document` (the stored text) as they
// are instead of serializing them again. Otherwise through T::FromJson of a parsed value.
template <typename T>
void Collection<T>::Restore(std::string_view key, std::string_view document,
                            DocumentReader& reader) {
  T value = [&] {
    if constexpr (requires { T::FromStored(reader.Scratch(name(), document), document); }) {
      return T::FromStored(reader.Scratch(name(), document), document);
    } else {
      return T::FromJson(reader.Parse(name(), document));
    }
  }();
  if (items_.empty() || std::prev(items_.end())->first < key) {
    items_.emplace_hint(items_.end(), std::piecewise_construct, std::forward_as_tuple(key),
                        std::forward_as_tuple(std::move(value)));
    Counted(key, +1);
  } else {
    Assign(key, std::move(value));
  }
}

}  // namespace cairn::store
