// TagResource, UntagResource and ListTagsForResource for the Config resources cairn holds:
// configuration aggregators and aggregation authorizations (aggregators.cc) and conformance
// packs (packs.cc). Tags live in tags_ under `<scope><resource ARN>`; a resource is found only
// in the caller's account and Region, as AWS finds it.
#include <boost/json.hpp>
#include <mutex>
#include <shared_mutex>

#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/config/errors.h"
#include "services/config/provider.h"

namespace cairn::config {
namespace json = boost::json;
namespace {

using json_fields::Text;

// "Each resource can have a maximum of 50 tags" (TagResource); ListTagsForResource: "The limit
// maximum is 50. You cannot specify a number greater than 50."
constexpr size_t kMaxTags = 50;
constexpr int64_t kMaxListLimit = 50;

const services::PagingRules kPaging{"config", "Limit", kMaxTags, true,
                                    [] { return errors::InvalidNextTokenException(); }};

// getmoto/moto's message for a Config ARN that names nothing.
AwsError NoSuchResource(std::string_view arn) {
  return errors::ResourceNotFoundException("ResourceArn '" + std::string(arn) + "' does not exist");
}

}  // namespace

void Provider::BindTags(gateway::OperationTable& table) {
  table.Bind("TagResource", this, &Provider::TagResource);
  table.Bind("UntagResource", this, &Provider::UntagResource);
  table.Bind("ListTagsForResource", this, &Provider::ListTagsForResource);
}

Provider::Output Provider::TagResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key = scope + arn;
  return Write([&](store::Transaction& txn) -> Output {
    if (!AggregatorsOwnArn(scope, arn) && !PacksOwnArn(scope, arn)) return NoSuchResource(arn);
    const TagSet* existing = tags_.Find(key);
    std::map<std::string, std::string> tags =
        existing ? existing->tags : std::map<std::string, std::string>{};
    // A key given again takes the new value.
    for (const json::value& tag : input.at("Tags").as_array()) {
      tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
    if (tags.size() > kMaxTags) return errors::TooManyTagsException();
    tags_.Put(txn, key, TagSet{std::move(tags)});
    return json::object{};
  });
}

Provider::Output Provider::UntagResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key = scope + arn;
  return Write([&](store::Transaction& txn) -> Output {
    if (!AggregatorsOwnArn(scope, arn) && !PacksOwnArn(scope, arn)) return NoSuchResource(arn);
    const TagSet* existing = tags_.Find(key);
    if (!existing) return json::object{};
    std::map<std::string, std::string> tags = existing->tags;
    // Keys the resource does not have are ignored.
    for (const json::value& tag_key : input.at("TagKeys").as_array())
      tags.erase(std::string(tag_key.as_string()));
    if (tags.empty()) {
      tags_.Erase(txn, key);
    } else {
      tags_.Put(txn, key, TagSet{std::move(tags)});
    }
    return json::object{};
  });
}

Provider::Output Provider::ListTagsForResource(const Context& context, Input& input) {
  const std::string arn = Text(input, "ResourceArn");
  if (const json::value* limit = input.if_contains("Limit");
      limit && limit->is_int64() && limit->get_int64() > kMaxListLimit) {
    return errors::InvalidLimitException(
        "Value '" + std::to_string(limit->get_int64()) +
        "' at 'limit' failed to satisfy constraint: Member must have value less "
        "than or equal to " +
        std::to_string(kMaxListLimit));
  }
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  if (!AggregatorsOwnArn(scope, arn) && !PacksOwnArn(scope, arn)) return NoSuchResource(arn);
  const services::Paging paging(tokens_, context, input, "ListTagsForResource", arn, kPaging);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  json::object out;
  json::array tags;
  if (const TagSet* set = tags_.Find(scope + arn)) {
    auto tag = start->empty() ? set->tags.begin() : set->tags.upper_bound(*start);
    std::string last_key;
    for (; tag != set->tags.end(); ++tag) {
      if (tags.size() == paging.limit()) {
        out["NextToken"] = paging.NextToken(last_key);
        break;
      }
      tags.push_back(json::object{{"Key", tag->first}, {"Value", tag->second}});
      last_key = tag->first;
    }
  }
  out["Tags"] = std::move(tags);
  return out;
}

}  // namespace cairn::config
