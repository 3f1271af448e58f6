#include "store/store.h"

#include <boost/json.hpp>
#include <stdexcept>

namespace cairn::store {

Transaction::~Transaction() {
  if (!done_) Rollback();
  AwaitDurable();
}

void Transaction::AwaitDurable() {
  if (!ticket_) return;
  journal_.WaitDurable(*ticket_);
  ticket_.reset();
}

void Transaction::Record(CollectionBase& collection, std::string key, std::function<void()> undo) {
  entries_.push_back(Entry{&collection, std::move(key), std::move(undo)});
}

void Transaction::Commit() {
  if (done_) return;
  if (journal_.durable() && !entries_.empty()) {
    std::vector<Change> changes;
    changes.reserve(entries_.size());
    for (const Entry& entry : entries_) {
      // A key changed twice in one transaction is written once, with its final value.
      bool seen_later = false;
      for (const Change& change : changes) {
        seen_later |= change.collection == entry.collection->name() && change.key == entry.key;
      }
      if (seen_later) continue;
      changes.push_back(
          Change{entry.collection->name(), entry.key, entry.collection->Serialize(entry.key)});
    }
    ticket_ = journal_.Enqueue(std::move(changes));
  }
  done_ = true;
  entries_.clear();
}

void Transaction::Rollback() {
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) entry->undo();
  entries_.clear();
  done_ = true;
}

void ClearAll(Journal& journal, const std::vector<CollectionBase*>& collections) {
  for (CollectionBase* collection : collections) {
    collection->Clear();
    journal.ClearCollection(collection->name());
  }
}

void LoadAll(Journal& journal, const std::vector<CollectionBase*>& collections) {
  for (CollectionBase* collection : collections) {
    journal.Load(collection->name(), [collection](std::string_view key, std::string_view document) {
      collection->Restore(key, document);
    });
  }
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
