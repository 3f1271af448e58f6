#include "services/common/paging.h"

namespace cairn::services {

Paging::Paging(const PageTokens& tokens, const gateway::RequestContext& context,
               const boost::json::object& input, std::string_view operation, std::string_view query,
               const PagingRules& rules)
    : tokens_(tokens),
      rules_(rules),
      scope_(PageScope({context.account_id, context.region, rules.service, operation, query})),
      limit_(rules.default_limit) {
  if (const boost::json::value* limit = input.if_contains(rules.limit_member);
      limit && limit->is_int64()) {
    const int64_t requested = limit->get_int64();
    if (requested > 0 || !rules.zero_means_default) limit_ = static_cast<size_t>(requested);
  }
  if (const boost::json::value* token = input.if_contains("NextToken");
      token && token->is_string() && !token->get_string().empty()) {
    token_ = std::string(token->get_string());
  }
}

Result<std::string> Paging::Start() const {
  if (!token_) return std::string();
  std::optional<std::string> key = tokens_.Decode(scope_, *token_);
  if (!key) return rules_.invalid_token();
  return *key;
}

}  // namespace cairn::services
