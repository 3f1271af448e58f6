// Managed nodes: the admin registration that stands in for SSM Agent (POST /_cairn/ssm/instances),
// DescribeInstanceInformation, and CreateActivation.
//
// EC2 instances (`i-` ids) are ResourceType EC2Instance, hybrid nodes (`mi-` ids) ManagedInstance.
// A node's tags live in state_.tags under ("ManagedInstance", id): for a hybrid node they are the
// tags AddTagsToResource manages, for an EC2 instance they stand in for its EC2 tags, which is
// what DescribeInstanceInformation's tag filters read in AWS.
#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "base/ids.h"
#include "base/time_format.h"
#include "services/common/paging.h"
#include "services/ssm/errors.h"
#include "services/ssm/filters.h"
#include "services/ssm/provider.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

// What every node reports: cairn's nodes run one current SSM Agent and are always reachable.
constexpr std::string_view kAgentVersion = "3.3.1142.0";
constexpr std::string_view kPingStatus = "Online";
// The API reference: "MaxResults ... The default value is 10 items."
constexpr size_t kDefaultPageSize = 10;
// "Most resources can have a maximum of 50 tags" (AddTagsToResource).
constexpr size_t kMaxTags = 50;
// CreateActivation: "You can specify a date up to 30 days in advance. If you don't provide an
// expiration date, the activation code expires in 24 hours."
constexpr double kMaxActivationSeconds = 30 * 24 * 3600.0;
constexpr size_t kActivationCodeLength = 20;

const services::PagingRules kPaging{"ssm", "MaxResults", kDefaultPageSize, false,
                                    [] { return errors::InvalidNextToken(); }};

// The admin API's refusals: 400 with this code and message.
AwsError BadRegistration(std::string message) {
  return AwsError::Make("ValidationException", std::move(message));
}

std::string ResourceTypeOf(std::string_view id) {
  return id.starts_with("mi-") ? "ManagedInstance" : "EC2Instance";
}

std::string SourceTypeOf(std::string_view resource_type) {
  return resource_type == "ManagedInstance" ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance";
}

// An operating system typical of the platform, for nodes registered without one.
std::pair<std::string, std::string> DefaultPlatform(std::string_view platform_type) {
  if (platform_type == "Windows") return {"Microsoft Windows Server 2022 Datacenter", "10.0.20348"};
  if (platform_type == "MacOS") return {"macOS", "14.5"};
  return {"Amazon Linux", "2023"};
}

// FNV-1a: a stable hash, so a node's invented address is the same on every run.
uint32_t StableHash(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char character : text) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 16777619u;
  }
  return hash;
}

std::string DefaultIpAddress(std::string_view id) {
  const uint32_t hash = StableHash(id);
  return "10." + std::to_string((hash >> 16) & 0xff) + "." + std::to_string((hash >> 8) & 0xff) +
         "." + std::to_string(1 + (hash & 0xff) % 254);
}

// EC2's private DNS name (ip-10-0-0-1.ec2.internal in us-east-1, ip-...<region>.compute.internal
// elsewhere); a hybrid node gets a plain host name.
std::string DefaultComputerName(std::string_view id, std::string_view region,
                                std::string_view ip_address) {
  std::string host = "ip-" + std::string(ip_address);
  std::replace(host.begin(), host.end(), '.', '-');
  if (id.starts_with("mi-")) return host + ".localdomain";
  return host + (region == "us-east-1" ? ".ec2.internal"
                                       : "." + std::string(region) + ".compute.internal");
}

bool IsAccountId(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRegionName(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A string member of the admin body: nullopt when absent, an error when not a string.
Result<std::optional<std::string>> OptionalString(const json::object& body,
                                                  std::string_view member) {
  const json::value* value = body.if_contains(member);
  if (!value || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return BadRegistration(std::string(member) + " must be a string");
  return std::optional<std::string>(std::string(value->get_string()));
}

// Tags as [{"Key","Value"}] (AWS's shape) or {"key":"value"} (a world file's).
Result<std::map<std::string, std::string>> RegistrationTags(const json::value& value) {
  std::map<std::string, std::string> tags;
  const auto add = [&tags](const json::value& key, const json::value& tag_value) -> Result<Ok> {
    if (!key.is_string() || !tag_value.is_string()) {
      return BadRegistration("Tags keys and values must be strings");
    }
    const size_t key_size = key.get_string().size();
    if (key_size < 1 || key_size > 128) {
      return BadRegistration("a tag key must have 1 to 128 characters");
    }
    if (tag_value.get_string().size() > 256) {
      return BadRegistration("a tag value must have at most 256 characters");
    }
    tags[std::string(key.get_string())] = std::string(tag_value.get_string());
    return Ok{};
  };
  if (value.is_array()) {
    for (const json::value& tag : value.get_array()) {
      const json::object* object = tag.if_object();
      if (!object || !object->contains("Key") || !object->contains("Value")) {
        return BadRegistration(
            "Tags must be [{\"Key\": ..., \"Value\": ...}] or {\"key\": \"value\"}");
      }
      if (Result<Ok> added = add(object->at("Key"), object->at("Value")); !added.ok()) {
        return std::move(added).error();
      }
    }
  } else if (value.is_object()) {
    for (const auto& entry : value.get_object()) {
      if (Result<Ok> added = add(json::value(entry.key()), entry.value()); !added.ok()) {
        return std::move(added).error();
      }
    }
  } else {
    return BadRegistration("Tags must be [{\"Key\": ..., \"Value\": ...}] or {\"key\": \"value\"}");
  }
  if (tags.size() > kMaxTags) return BadRegistration("a node can have at most 50 tags");
  return tags;
}

// The associations of one node, as DescribeInstanceInformation's AssociationOverview tells them:
// each association that ran on it counts with its latest status there.
struct NodeAssociations {
  std::map<std::string, int> counts;
  std::string status;  // "" when none ran on the node
};

NodeAssociations AssociationsOf(const State& state, std::string_view scope,
                                const ManagedNode& node) {
  NodeAssociations out;
  const std::string prefix = std::string(scope) + node.id + "/";
  const auto& statuses = state.instance_statuses.items();
  for (auto status = statuses.lower_bound(prefix);
       status != statuses.end() && status->first.starts_with(prefix); ++status) {
    // The status of an association deleted since no longer counts.
    if (!state.associations.Find(std::string(scope) + status->second.association_id)) continue;
    ++out.counts[status->second.status];
  }
  if (out.counts.contains("Failed")) {
    out.status = "Failed";
  } else if (out.counts.contains("Pending")) {
    out.status = "Pending";
  } else if (!out.counts.empty()) {
    out.status = "Success";
  } else if (node.last_association > 0) {
    out.status = node.last_successful_association >= node.last_association ? "Success" : "Failed";
  }
  return out;
}

json::object InstanceInformationJson(const ManagedNode& node, const NodeAssociations& associations,
                                     double now) {
  json::object out{{"InstanceId", node.id},
                   {"PingStatus", kPingStatus},
                   {"LastPingDateTime", now},
                   {"AgentVersion", kAgentVersion},
                   {"IsLatestVersion", true},
                   {"PlatformType", node.platform_type},
                   {"PlatformName", node.platform_name},
                   {"PlatformVersion", node.platform_version},
                   {"ResourceType", node.resource_type},
                   {"IPAddress", node.ip_address},
                   {"ComputerName", node.computer_name},
                   {"SourceId", node.id},
                   {"SourceType", SourceTypeOf(node.resource_type)}};
  // Registration dates belong to hybrid activations; AWS shows none for EC2 instances.
  if (node.resource_type == "ManagedInstance") out["RegistrationDate"] = node.registered;
  if (!associations.status.empty()) {
    out["AssociationStatus"] = associations.status;
    json::object counts;
    for (const auto& [status, count] : associations.counts) counts[status] = count;
    out["AssociationOverview"] =
        json::object{{"DetailedStatus", associations.status},
                     {"InstanceAssociationStatusAggregatedCount", std::move(counts)}};
  }
  if (node.last_association > 0) out["LastAssociationExecutionDate"] = node.last_association;
  if (node.last_successful_association > 0) {
    out["LastSuccessfulAssociationExecutionDate"] = node.last_successful_association;
  }
  return out;
}

std::optional<double> TimestampOf(const json::value& value) {
  if (value.is_number()) return value.to_number<double>();
  if (value.is_string()) return time_format::ParseIso8601(value.get_string());
  return std::nullopt;
}

}  // namespace

void Provider::BindNodes(gateway::OperationTable& table) {
  table.Bind("DescribeInstanceInformation", this, &Provider::DescribeInstanceInformation);
  table.Bind("CreateActivation", this, &Provider::CreateActivation);
  table.BindAdmin("/_cairn/ssm/instances",
                  [this](const json::object& body, double now) { return RegisterNode(body, now); });
}

Provider::Output Provider::RegisterNode(const json::object& body, double now) {
  static const std::set<std::string_view> kMembers = {
      "AccountId",       "Region",       "InstanceId", "PlatformType", "PlatformName",
      "PlatformVersion", "ComputerName", "IPAddress",  "Tags",         "AssociationOutcome"};
  for (const auto& entry : body) {
    if (!kMembers.contains(entry.key())) {
      return BadRegistration(
          "unknown member " + std::string(entry.key()) +
          "; a registration takes AccountId, Region, InstanceId, PlatformType, PlatformName, "
          "PlatformVersion, ComputerName, IPAddress, Tags, AssociationOutcome");
    }
  }
  std::optional<std::string> account_id, region, instance_id, platform_type, platform_name,
      platform_version, computer_name, ip_address, outcome;
  const std::pair<std::string_view, std::optional<std::string>*> kStringMembers[] = {
      {"AccountId", &account_id},       {"Region", &region},
      {"InstanceId", &instance_id},     {"PlatformType", &platform_type},
      {"PlatformName", &platform_name}, {"PlatformVersion", &platform_version},
      {"ComputerName", &computer_name}, {"IPAddress", &ip_address},
      {"AssociationOutcome", &outcome}};
  for (const auto& [member, out] : kStringMembers) {
    Result<std::optional<std::string>> field = OptionalString(body, member);
    if (!field.ok()) return std::move(field).error();
    *out = std::move(field).value();
  }
  if (!account_id || !IsAccountId(*account_id)) {
    return BadRegistration("AccountId must be a 12-digit account id");
  }
  if (!region || !IsRegionName(*region)) {
    return BadRegistration("Region must be a region name such as us-east-1");
  }
  if (instance_id && !filters::IsInstanceId(*instance_id)) {
    return BadRegistration("InstanceId " + *instance_id +
                           " must match (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)");
  }
  if (platform_type && *platform_type != "Linux" && *platform_type != "Windows" &&
      *platform_type != "MacOS") {
    return BadRegistration("PlatformType must be Linux, Windows or MacOS");
  }
  if (outcome && *outcome != "Success" && *outcome != "Failed") {
    return BadRegistration("AssociationOutcome must be Success or Failed");
  }
  std::optional<std::map<std::string, std::string>> tags;
  if (const json::value* value = body.if_contains("Tags"); value && !value->is_null()) {
    Result<std::map<std::string, std::string>> parsed = RegistrationTags(*value);
    if (!parsed.ok()) return std::move(parsed).error();
    tags = std::move(parsed).value();
  }

  const std::string scope = ScopePrefix(*account_id, *region);
  const std::string id = instance_id ? *instance_id : "mi-" + ids::RandomHex(17);
  Output registered = Write([&](State& state, store::Transaction& txn) -> Output {
    const ManagedNode* existing = state.nodes.Find(scope + id);
    ManagedNode node = existing ? *existing : ManagedNode{};
    if (!existing) {
      node.id = id;
      node.resource_type = ResourceTypeOf(id);
      node.registered = now;
    }
    const bool platform_changed = platform_type && *platform_type != node.platform_type;
    if (platform_type) node.platform_type = *platform_type;
    if (!existing || platform_changed) {
      std::tie(node.platform_name, node.platform_version) = DefaultPlatform(node.platform_type);
    }
    if (platform_name) node.platform_name = *platform_name;
    if (platform_version) node.platform_version = *platform_version;
    if (ip_address) node.ip_address = *ip_address;
    if (node.ip_address.empty()) node.ip_address = DefaultIpAddress(id);
    if (computer_name) node.computer_name = *computer_name;
    if (node.computer_name.empty()) {
      node.computer_name = DefaultComputerName(id, *region, node.ip_address);
    }
    if (outcome) node.association_outcome = *outcome;
    state.nodes.Put(txn, scope + id, std::move(node));
    if (tags) {
      const std::string tag_key = TagKey(scope, "ManagedInstance", id);
      if (tags->empty()) {
        state.tags.Erase(txn, tag_key);
      } else {
        state.tags.Put(txn, tag_key, TagSet{*tags});
      }
    }
    return json::object{{"InstanceId", id}};
  });
  // After the commit and outside the lock: associations targeting the node run on it.
  if (registered.ok()) OnNodeRegistered(scope, id);
  return registered;
}

Provider::Output Provider::DescribeInstanceInformation(const Context& context, Input& input) {
  const json::value* legacy = input.if_contains("InstanceInformationFilterList");
  const json::value* string_filters = input.if_contains("Filters");
  Result<filters::InstanceFilter> filter = filters::InstanceFilter::Parse(legacy, string_filters);
  if (!filter.ok()) return std::move(filter).error();
  // A token is good only for the filters it was issued with.
  const std::string query =
      json::serialize(json::object{{"legacy", legacy ? *legacy : json::value()},
                                   {"filters", string_filters ? *string_filters : json::value()}});
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const services::Paging paging(tokens_, context, input, "DescribeInstanceInformation", query,
                                kPaging);

  std::shared_lock lock(mutex_);
  const bool wants_tags = filter->UsesTags();
  const bool wants_associations = filter->UsesAssociationStatus();
  const auto keep = [&](const ManagedNode& node) {
    const std::map<std::string, std::string> tags =
        wants_tags ? TagsOf(state_, scope, "ManagedInstance", node.id)
                   : std::map<std::string, std::string>{};
    const std::string association_status =
        wants_associations ? AssociationsOf(state_, scope, node).status : "";
    const std::string source_type = SourceTypeOf(node.resource_type);
    filters::NodeFacts facts;
    facts.instance_id = node.id;
    facts.agent_version = kAgentVersion;
    facts.ping_status = kPingStatus;
    facts.platform_type = node.platform_type;
    facts.resource_type = node.resource_type;
    facts.source_id = node.id;
    facts.source_type = source_type;
    facts.association_status = association_status;
    facts.tags = &tags;
    return filter->Matches(facts);
  };
  return services::ListPage(
      paging, state_.nodes, scope, "InstanceInformationList", keep, [&](const ManagedNode& node) {
        return InstanceInformationJson(node, AssociationsOf(state_, scope, node), context.now);
      });
}

Provider::Output Provider::CreateActivation(const Context& context, Input& input) {
  if (const json::value* expiration = input.if_contains("ExpirationDate")) {
    const std::optional<double> when = TimestampOf(*expiration);
    // The model has no error for this rule; AWS's CreateActivation answers its other
    // parameter problems with ValidationException (aws/aws-cli#4232).
    if (!when || *when <= context.now || *when > context.now + kMaxActivationSeconds) {
      return AwsError::Make(
          "ValidationException",
          "ExpirationDate must be in the future and no more than 30 days from now.");
    }
  }
  // Activation codes are 20 characters of the base64 alphabet (a real one: QC2CV0/lRfn+LTqf23Bf).
  static constexpr std::string_view kCodeAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string code(kActivationCodeLength, 'A');
  for (char& character : code) character = kCodeAlphabet[ids::RandomBits() % kCodeAlphabet.size()];
  return json::object{{"ActivationId", ids::Uuid()}, {"ActivationCode", std::move(code)}};
}

}  // namespace cairn::ssm
