// Tags of associations, documents and managed nodes (AddTagsToResource, RemoveTagsFromResource,
// ListTagsForResource), kept in state_.tags under TagKey(scope, resource type, resource id).
//
// The other types the model's ResourceTypeForTagging names (MaintenanceWindow, Parameter,
// PatchBaseline, OpsItem, OpsMetadata, Automation) are outside cairn and answer
// InvalidResourceType. A resource must exist in the caller's account and region, or be a
// document shared with the caller and named by its ARN ("If you're tagging a shared document,
// you must use the full ARN of the document"), whose tags are the owner's.
#include <boost/json.hpp>
#include <mutex>
#include <shared_mutex>

#include "services/ssm/errors.h"
#include "services/ssm/filters.h"
#include "services/ssm/provider.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

// "Most resources can have a maximum of 50 tags" (AddTagsToResource); Automation executions,
// which have 5, are outside cairn.
constexpr size_t kMaxTags = 50;

std::string Text(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// AWS answers InvalidResourceId with no message (a recorded response in getmoto/moto#4360).
AwsError NoSuchResource() { return errors::InvalidResourceId(""); }

// Where the tags of (resource_type, resource_id) live for a caller in `scope`, or AWS's error.
Result<std::string> TagKeyFor(const State& state, std::string_view caller_account,
                              std::string_view scope, std::string_view resource_type,
                              std::string_view resource_id) {
  if (resource_type == "ManagedInstance") {
    // Tagging is for hybrid nodes only; AWS refuses EC2 instance ids before looking anything up
    // (boto/boto3#4265, #4609: the message is AWS's).
    if (!filters::IsHybridNodeId(resource_id)) {
      return AwsError::Make(
          "ValidationException",
          "resourceId should be in format mi-[0-9a-f]{17} for resource type ManagedInstance");
    }
    if (!state.nodes.Find(std::string(scope) + std::string(resource_id))) return NoSuchResource();
    return TagKey(scope, resource_type, resource_id);
  }
  if (resource_type == "Association") {
    if (!state.associations.Find(std::string(scope) + std::string(resource_id))) {
      return NoSuchResource();
    }
    return TagKey(scope, resource_type, resource_id);
  }
  if (resource_type == "Document") {
    // A name, or an ARN arn:<partition>:ssm:<region>:<account>:document/<name>. AWS-owned
    // documents are not the account's to tag: they are not among state.documents.
    std::string owner_scope(scope);
    std::string_view name = resource_id;
    if (resource_id.starts_with("arn:")) {
      std::vector<std::string_view> parts;
      size_t begin = 0;
      for (int part_idx = 0; part_idx < 5; ++part_idx) {
        const size_t colon = resource_id.find(':', begin);
        if (colon == std::string_view::npos) return NoSuchResource();
        parts.push_back(resource_id.substr(begin, colon - begin));
        begin = colon + 1;
      }
      const std::string_view resource = resource_id.substr(begin);
      if (parts[2] != "ssm" || !resource.starts_with("document/")) return NoSuchResource();
      owner_scope = ScopePrefix(parts[4], parts[3]);
      name = resource.substr(std::string_view("document/").size());
    }
    const Document* document = state.documents.Find(owner_scope + std::string(name));
    if (!document) return NoSuchResource();
    if (owner_scope != scope && !document->shared_with.contains(std::string(caller_account)) &&
        !document->shared_with.contains("all")) {
      return NoSuchResource();
    }
    return TagKey(owner_scope, resource_type, name);
  }
  return errors::InvalidResourceType();
}

json::array TagListJson(const std::map<std::string, std::string>& tags) {
  json::array out;
  for (const auto& [key, value] : tags) out.push_back(json::object{{"Key", key}, {"Value", value}});
  return out;
}

// Stores a tag set; an empty one is not kept.
void PutTags(State& state, store::Transaction& txn, const std::string& key,
             std::map<std::string, std::string> tags) {
  if (tags.empty()) {
    state.tags.Erase(txn, key);
  } else {
    state.tags.Put(txn, key, TagSet{std::move(tags)});
  }
}

}  // namespace

void Provider::BindTags(gateway::OperationTable& table) {
  table.Bind("AddTagsToResource", this, &Provider::AddTagsToResource);
  table.Bind("RemoveTagsFromResource", this, &Provider::RemoveTagsFromResource);
  table.Bind("ListTagsForResource", this, &Provider::ListTagsForResource);
}

std::map<std::string, std::string> Provider::TagsOf(const State& state, std::string_view scope,
                                                    std::string_view resource_type,
                                                    std::string_view resource_id) const {
  const TagSet* tags = state.tags.Find(TagKey(scope, resource_type, resource_id));
  return tags ? tags->tags : std::map<std::string, std::string>{};
}

Provider::Output Provider::AddTagsToResource(const Context& context, Input& input) {
  const std::string resource_type = Text(input, "ResourceType");
  const std::string resource_id = Text(input, "ResourceId");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    Result<std::string> key =
        TagKeyFor(state, context.account_id, scope, resource_type, resource_id);
    if (!key.ok()) return std::move(key).error();
    const TagSet* existing = state.tags.Find(*key);
    std::map<std::string, std::string> tags =
        existing ? existing->tags : std::map<std::string, std::string>{};
    // "Adds or overwrites one or more tags": a key given again takes the new value.
    for (const json::value& tag : input.at("Tags").as_array()) {
      tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
    if (tags.size() > kMaxTags) {
      return errors::TooManyTagsError("The resource would have " + std::to_string(tags.size()) +
                                      " tags; a resource can have at most 50 tags.");
    }
    PutTags(state, txn, *key, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::RemoveTagsFromResource(const Context& context, Input& input) {
  const std::string resource_type = Text(input, "ResourceType");
  const std::string resource_id = Text(input, "ResourceId");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    Result<std::string> key =
        TagKeyFor(state, context.account_id, scope, resource_type, resource_id);
    if (!key.ok()) return std::move(key).error();
    const TagSet* existing = state.tags.Find(*key);
    if (!existing) return json::object{};
    std::map<std::string, std::string> tags = existing->tags;
    for (const json::value& tag_key : input.at("TagKeys").as_array()) {
      tags.erase(std::string(tag_key.as_string()));
    }
    PutTags(state, txn, *key, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::ListTagsForResource(const Context& context, Input& input) {
  const std::string resource_type = Text(input, "ResourceType");
  const std::string resource_id = Text(input, "ResourceId");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  Result<std::string> key =
      TagKeyFor(state_, context.account_id, scope, resource_type, resource_id);
  if (!key.ok()) return std::move(key).error();
  const TagSet* tags = state_.tags.Find(*key);
  return json::object{{"TagList", tags ? TagListJson(tags->tags) : json::array()}};
}

}  // namespace cairn::ssm
