// Page tokens: the opaque NextToken of every paginated operation.
//
// A token carries the sort key of the last item of its page (encrypted, so clients cannot
// read or build one), so the next page starts right after it: cost independent of how many items
// exist, and items created or deleted between pages shift nothing (no item is skipped or repeated).
// It is bound to a scope (the caller's account and region, the operation and its filters) by an
// HMAC with a per-process secret, so a forged token, or one reused with another query or by another
// account, is refused. Thread-safe; the secret is fixed at construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

class PageTokens {
 public:
  // A fresh random secret.
  PageTokens();
  explicit PageTokens(std::string secret) : secret_(std::move(secret)) {}

  std::string Encode(std::string_view scope, std::string_view last_key) const;
  // The last key, or nullopt when the token was not made by Encode for this scope.
  std::optional<std::string> Decode(std::string_view scope, std::string_view token) const;

 private:
  std::string Mac(std::string_view scope, std::string_view last_key) const;
  std::string Crypt(std::string_view mac, std::string_view bytes) const;
  std::string secret_;
};

// The scope string of a query: parts joined with a separator that cannot occur in them.
std::string PageScope(std::initializer_list<std::string_view> parts);

}  // namespace cairn
