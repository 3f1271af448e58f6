// Paging: the common body of every paginated operation. It reads the page size and the
// NextToken from the input, decodes the token (bound to the caller, the operation and its
// filters; see base/page_token.h), collects one page from an ordered collection, and writes
// the list and the next token into the output. Each service supplies its own names and error:
// ssm MaxResults + InvalidNextToken, config Limit + InvalidNextTokenException, organizations
// MaxResults + InvalidInputException(INVALID_NEXT_TOKEN), securityhub InvalidInputException.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/page_token.h"
#include "base/result.h"
#include "gateway/service.h"
#include "store/page.h"

namespace cairn::services {

struct PagingRules {
  std::string_view service;
  std::string_view limit_member = "MaxResults";
  size_t default_limit = 50;
  // What a limit of 0 means, where the model allows it (config: "0 means the default").
  bool zero_means_default = false;
  std::function<AwsError()> invalid_token;
};

class Paging {
 public:
  // `query` names everything besides the caller and the operation that decides what the pages
  // hold (filters, parent ids): a token is only good for the same query.
  Paging(const PageTokens& tokens, const gateway::RequestContext& context,
         const boost::json::object& input, std::string_view operation, std::string_view query,
         const PagingRules& rules);

  // The key to start after ("" for the first page), or the service's invalid-token error.
  Result<std::string> Start() const;
  size_t limit() const { return limit_; }
  // `out[list_member]` = the page's items through `to_json`, and NextToken when more follow.
  template <typename T, typename ToJson>
  void Write(boost::json::object& out, std::string_view list_member, const store::Page<T>& page,
             ToJson&& to_json) const {
    boost::json::array items;
    items.reserve(page.items.size());
    for (const T* item : page.items) items.push_back(to_json(*item));
    out[list_member] = std::move(items);
    if (page.last_key) out["NextToken"] = NextToken(*page.last_key);
  }
  std::string NextToken(std::string_view last_key) const {
    return tokens_.Encode(scope_, last_key);
  }

 private:
  const PageTokens& tokens_;
  const PagingRules& rules_;
  std::string scope_;
  size_t limit_;
  std::optional<std::string> token_;
};

// One page of `collection` within `prefix` whose items pass `keep`, as `list_member`.
template <typename T, typename Keep, typename ToJson>
Result<boost::json::object> ListPage(const Paging& paging, const store::Collection<T>& collection,
                                     std::string_view prefix, std::string_view list_member,
                                     Keep&& keep, ToJson&& to_json) {
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  const store::Page<T> page = store::CollectPage(collection, prefix, *start, paging.limit(), keep);
  boost::json::object out;
  paging.Write(out, list_member, page, to_json);
  return out;
}

// The Describe* form of AWS Config: with `names`, exactly those items in that order, each of
// which must exist (`missing()` otherwise) -- "Limit and next token are not applicable if you
// specify ... names" (DescribeOrganizationConformancePackStatuses and its kin); without, one
// page of the scope.
template <typename T, typename ToJson, typename Missing>
Result<boost::json::object> ListNamedOrPage(const Paging& paging,
                                            const store::Collection<T>& collection,
                                            std::string_view scope,
                                            const std::vector<std::string>& names,
                                            std::string_view list_member, ToJson&& to_json,
                                            Missing&& missing) {
  if (names.empty()) {
    return ListPage(
        paging, collection, scope, list_member, [](const T&) { return true; }, to_json);
  }
  boost::json::array items;
  for (const std::string& name : names) {
    const T* item = collection.Find(std::string(scope) + name);
    if (!item) return missing();
    items.push_back(to_json(*item));
  }
  return boost::json::object{{list_member, std::move(items)}};
}

}  // namespace cairn::services
