#include "store/store.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>
#include <utility>

namespace cairn::store {

namespace {
// The innermost DeferredDurability open on this thread, or null.
thread_local DeferredDurability* open_scope = nullptr;
}  // namespace

Transaction::~Transaction() {
  if (!done_) Rollback();
  if (ticket_ && DeferredDurability::Defer(journal_, *ticket_)) return;
  AwaitDurable();
}

void Transaction::AwaitDurable() {
  if (!ticket_) return;
  journal_.WaitDurable(*ticket_);
  ticket_.reset();
}

void Transaction::Record(CollectionBase& collection, std::string_view key, Undo undo) {
  // Room for a typical write at once, rather than growing through 1, 2, 4, ... entries.
  if (entries_.capacity() == 0) entries_.reserve(64);
  entries_.push_back(Entry{&collection, key, std::move(undo)});
}

void Transaction::Commit() {
  if (done_) return;
  if (journal_.durable() && !entries_.empty()) {
    std::vector<Change> changes;
    changes.reserve(entries_.size());
    // A key changed twice in one transaction is written once, with its final value, where it
    // first changed. Beyond a few changes, a set rather than a scan of the changes so far: a
    // reconcile of a whole organization changes thousands of keys in one transaction (issue 8).
    const bool many = entries_.size() > 16;
    std::set<std::pair<const CollectionBase*, std::string_view>> seen;
    for (const Entry& entry : entries_) {
      const bool repeated =
          many ? !seen.emplace(entry.collection, entry.key).second
               : std::any_of(changes.begin(), changes.end(), [&](const Change& change) {
                   return change.collection == entry.collection->name() && change.key == entry.key;
                 });
      if (repeated) continue;
      changes.push_back(Change{entry.collection->name(), std::string(entry.key),
                               entry.collection->Serialize(entry.key)});
    }
    ticket_ = journal_.Enqueue(std::move(changes));
  }
  done_ = true;
  entries_.clear();
}

void Transaction::Rollback() {
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) entry->undo(entry->key);
  entries_.clear();
  done_ = true;
}

DeferredDurability::DeferredDurability() : outer_(open_scope) { open_scope = this; }

DeferredDurability::~DeferredDurability() {
  Close();
  if (journal_) journal_->WaitDurable(ticket_);
}

void DeferredDurability::Close() {
  if (!open_) return;
  open_ = false;
  // Scopes close innermost first (they live on the stack of one thread).
  open_scope = outer_;
}

bool DeferredDurability::Defer(Journal& journal, uint64_t ticket) {
  DeferredDurability* scope = open_scope;
  if (!scope) return false;
  // One process has one journal; should a second one appear, the first one's ticket is
  // waited for here, so that the scope only has to remember one.
  if (scope->journal_ && scope->journal_ != &journal) scope->journal_->WaitDurable(scope->ticket_);
  if (scope->journal_ != &journal) scope->ticket_ = 0;
  scope->journal_ = &journal;
  scope->ticket_ = std::max(scope->ticket_, ticket);
  return true;
}

void DeferredDurability::Then(std::function<void()> done) {
  Close();
  Journal* journal = std::exchange(journal_, nullptr);
  if (!journal) return done();
  journal->WhenDurable(ticket_, std::move(done));
}

void ClearAll(Journal& journal, const std::vector<CollectionBase*>& collections) {
  for (CollectionBase* collection : collections) {
    collection->Clear();
    journal.ClearCollection(collection->name());
  }
}

void LoadAll(Journal& journal, const std::vector<CollectionBase*>& collections) {
  const auto reader = std::make_unique<DocumentReader>();
  for (CollectionBase* collection : collections) {
    journal.Load(collection->name(),
                 [collection, &reader](std::string_view key, std::string_view document) {
                   collection->Restore(key, document, *reader);
                 });
  }
}

namespace {
// Past the end of the JSON string whose opening quote is at `at`; null if it does not end.
const char* SkipString(const char* at, const char* end) {
  // memchr to each quote (most bytes of a document are in strings, and memchr goes a vector at
  // a time); a quote after an odd number of backslashes is escaped.
  for (const char* c = at + 1; c < end; ++c) {
    c = static_cast<const char*>(std::memchr(c, '"', static_cast<size_t>(end - c)));
    if (!c) return nullptr;
    size_t backslashes = 0;
    while (c - backslashes - 1 > at && c[-1 - static_cast<ptrdiff_t>(backslashes)] == '\\') {
      ++backslashes;
    }
    if (backslashes % 2 == 0) return c + 1;
  }
  return nullptr;
}

// Past the end of the compact JSON value that starts at `at` (at the ',', '}' or ']' that
// follows it); null if it does not end.
const char* SkipValue(const char* at, const char* end) {
  if (at >= end) return nullptr;
  if (*at == '"') return SkipString(at, end);
  int depth = 0;
  for (const char* c = at; c < end; ++c) {
    switch (*c) {
      case '"':
        c = SkipString(c, end);
        if (!c) return nullptr;
        --c;
        break;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (depth == 0) return c;  // the end of the enclosing container
        if (--depth == 0) return c + 1;
        break;
      case ',':
        if (depth == 0) return c;
        break;
      default:
        break;
    }
  }
  return depth == 0 ? end : nullptr;
}
}  // namespace

std::optional<std::string_view> StoredMember(std::string_view document, std::string_view member) {
  if (document.empty() || document.front() != '{') return std::nullopt;
  const char* const end = document.data() + document.size();
  const char* at = document.data() + 1;
  while (at < end && *at == '"') {
    const char* key_end = SkipString(at, end);
    if (!key_end || key_end >= end || *key_end != ':') return std::nullopt;
    const char* value_end = SkipValue(key_end + 1, end);
    if (!value_end || value_end >= end) return std::nullopt;
    if (std::string_view(at + 1, static_cast<size_t>(key_end - at - 2)) == member) {
      return std::string_view(key_end + 1, static_cast<size_t>(value_end - key_end - 1));
    }
    if (*value_end != ',') return std::nullopt;
    at = value_end + 1;
  }
  return std::nullopt;
}

DocumentReader::DocumentReader() = default;

void DocumentReader::Start(std::string_view collection, std::string_view document,
                           boost::json::storage_ptr storage) {
  parser_.reset(std::move(storage));
  boost::system::error_code error;
  parser_.write(document.data(), document.size(), error);
  if (error) {
    throw std::runtime_error("corrupt document in " + std::string(collection) + ": " +
                             error.message());
  }
}

boost::json::value DocumentReader::Parse(std::string_view collection, std::string_view document) {
  Start(collection, document, {});
  return parser_.release();
}

const boost::json::value& DocumentReader::Scratch(std::string_view collection,
                                                  std::string_view document) {
  // The previous document goes first (destroying a value in monotonic memory frees nothing),
  // then the memory it used.
  scratch_value_.reset();
  scratch_.emplace(block_, sizeof block_);
  Start(collection, document, boost::json::storage_ptr(&*scratch_));
  // Moved, not assigned: an assignment would copy the tree into the target's memory.
  return scratch_value_.emplace(parser_.release());
}

boost::json::value ParseDocument(std::string_view collection, std::string_view document) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(document, error);
  if (error)
    throw std::runtime_error("corrupt document in " + std::string(collection) + ": " +
                             error.message());
  return value;
}

std::string SerializeDocument(const boost::json::value& value) {
  return boost::json::serialize(value);
}

}  // namespace cairn::store
