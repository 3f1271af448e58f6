#include "store/store.h"

#include <algorithm>
#include <boost/json.hpp>
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

void Transaction::Record(CollectionBase& collection, std::string key,
                         std::function<void(const std::string& key)> undo) {
  entries_.push_back(Entry{&collection, std::move(key), std::move(undo)});
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
      changes.push_back(
          Change{entry.collection->name(), entry.key, entry.collection->Serialize(entry.key)});
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
// Where the JSON string that starts at `at` (its opening quote) ends: past its closing quote;
// npos if it does not end.
size_t SkipString(std::string_view text, size_t at) {
  for (size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Where the compact JSON value that starts at `at` ends; npos if it does not.
size_t SkipValue(std::string_view text, size_t at) {
  if (at >= text.size()) return std::string_view::npos;
  if (text[at] == '"') return SkipString(text, at);
  int depth = 0;
  for (size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = SkipString(text, i);
      if (i == std::string_view::npos) return i;
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;  // the end of the enclosing container
      if (--depth == 0) return i + 1;
    } else if (c == ',' && depth == 0) {
      return i;
    }
  }
  return depth == 0 ? text.size() : std::string_view::npos;
}
}  // namespace

std::optional<std::string_view> StoredMember(std::string_view document, std::string_view member) {
  if (document.empty() || document.front() != '{') return std::nullopt;
  size_t at = 1;
  while (at < document.size() && document[at] == '"') {
    const size_t key_end = SkipString(document, at);
    if (key_end == std::string_view::npos || key_end >= document.size() ||
        document[key_end] != ':') {
      return std::nullopt;
    }
    const std::string_view key = document.substr(at + 1, key_end - at - 2);
    const size_t value_end = SkipValue(document, key_end + 1);
    if (value_end == std::string_view::npos || value_end >= document.size()) return std::nullopt;
    if (key == member) return document.substr(key_end + 1, value_end - key_end - 1);
    if (document[value_end] != ',') return std::nullopt;
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
