#include "services/ssm/filters.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "base/time_format.h"
#include "services/ssm/errors.h"

namespace cairn::ssm::filters {
namespace json = boost::json;
namespace {

bool IsWordCharacter(char character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
         (character >= '0' && character <= '9') || character == '_';
}

bool IsHexDigit(char character) {
  return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f');
}

bool AllOf(std::string_view text, bool (*predicate)(char)) {
  return std::all_of(text.begin(), text.end(), predicate);
}

// The values an enumerated filter key accepts, in the order AWS lists them in its message.
struct Enumerated {
  std::string_view key;
  std::vector<std::string_view> values;
};

std::string Joined(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::string_view value : values) {
    if (!out.empty()) out.append(", ");
    out.append(value);
  }
  return out;
}

AwsError InvalidValue(std::string_view key, const std::vector<std::string_view>& valid) {
  // The wording of AWS's answer to `ResourceType=Document` (aws/aws-sdk#130).
  return errors::InvalidInstanceInformationFilterValue(
      std::string(key) + " filter is invalid, valid values are " + Joined(valid));
}

std::optional<double> TimeOf(std::string_view text) {
  if (std::optional<double> instant = time_format::ParseIso8601(text)) return instant;
  // Epoch seconds as text, as some clients send ExecutionTime filters.
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  const double number = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return number;
}

bool IsSeverityKey(std::string_view key) { return key == "Severity" || key == "OverallSeverity"; }

}  // namespace

bool IsInstanceId(std::string_view id) {
  if (id.starts_with("mi-")) return id.size() == 3 + 17 && AllOf(id.substr(3), IsWordCharacter);
  if (id.starts_with("i-")) {
    return (id.size() == 2 + 8 || id.size() == 2 + 17) && AllOf(id.substr(2), IsWordCharacter);
  }
  return false;
}

bool IsHybridNodeId(std::string_view id) {
  return id.starts_with("mi-") && id.size() == 3 + 17 && AllOf(id.substr(3), IsHexDigit);
}

Result<InstanceFilter::Clause> InstanceFilter::ParseClause(std::string_view key,
                                                           const json::value* values, bool legacy) {
  static const std::map<std::string_view, Field, std::less<>> kFields = {
      {"InstanceIds", Field::kInstanceIds},     {"AgentVersion", Field::kAgentVersion},
      {"PingStatus", Field::kPingStatus},       {"PlatformTypes", Field::kPlatformTypes},
      {"ActivationIds", Field::kActivationIds}, {"IamRole", Field::kIamRole},
      {"ResourceType", Field::kResourceType},   {"AssociationStatus", Field::kAssociationStatus},
  };
  // Keys that only the newer Filters take. The API reference spelled the platform key
  // `PlatformType` for years before correcting it to `PlatformTypes` (boto/boto3#4657): both
  // are accepted.
  static const std::map<std::string_view, Field, std::less<>> kStringFields = {
      {"SourceIds", Field::kSourceIds},
      {"SourceTypes", Field::kSourceTypes},
      {"PlatformType", Field::kPlatformTypes},
      {"tag-key", Field::kTagKey},
  };
  Clause clause;
  if (auto found = kFields.find(key); found != kFields.end()) {
    clause.field = found->second;
  } else if (auto string_found = kStringFields.find(key);
             !legacy && string_found != kStringFields.end()) {
    clause.field = string_found->second;
  } else if (!legacy && key.starts_with("tag:") && key.size() > 4) {
    clause.field = Field::kTag;
    clause.tag_key = std::string(key.substr(4));
  } else {
    return errors::InvalidFilterKey("The filter key " + std::string(key) + " isn't valid.");
  }
  if (values && values->is_array()) {
    for (const json::value& value : values->get_array()) {
      if (value.is_string()) clause.values.emplace(value.get_string());
    }
  }

  static const std::array<Enumerated, 4> kEnumerated = {{
      {"PingStatus", {"ConnectionLost", "Inactive", "Online"}},
      {"PlatformTypes", {"Linux", "MacOS", "Windows"}},
      {"ResourceType", {"EC2Instance", "ManagedInstance"}},
      {"AssociationStatus", {"Failed", "Pending", "Success"}},
  }};
  static const Enumerated kSourceTypes{
      "SourceTypes", {"AWS::EC2::Instance", "AWS::IoT::Thing", "AWS::SSM::ManagedInstance"}};
  const Enumerated* enumerated = nullptr;
  for (const Enumerated& candidate : kEnumerated) {
    if (kFields.at(candidate.key) == clause.field) enumerated = &candidate;
  }
  if (clause.field == Field::kSourceTypes) enumerated = &kSourceTypes;
  if (enumerated) {
    for (const std::string& value : clause.values) {
      if (std::find(enumerated->values.begin(), enumerated->values.end(), value) ==
          enumerated->values.end()) {
        return InvalidValue(key, enumerated->values);
      }
    }
  }
  // A node is one resource type or the other: AWS refuses a ResourceType filter with both
  // rather than answering everything (boto/boto3#3027).
  if (clause.field == Field::kResourceType && clause.values.size() > 1) {
    return errors::InvalidInstanceInformationFilterValue(std::string(key) +
                                                         " filter may contain only one value.");
  }
  if (clause.field == Field::kInstanceIds) {
    for (const std::string& value : clause.values) {
      if (!IsInstanceId(value)) {
        return errors::InvalidInstanceId(
            "The instance ID " + value +
            " isn't valid. Managed node IDs match (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$).");
      }
    }
  }
  return clause;
}

Result<InstanceFilter> InstanceFilter::Parse(const json::value* legacy,
                                             const json::value* filters) {
  const bool has_legacy = legacy && legacy->is_array() && !legacy->get_array().empty();
  const bool has_filters = filters && filters->is_array() && !filters->get_array().empty();
  if (has_legacy && has_filters) {
    // The API reference: "Attempting to use InstanceInformationFilterList and Filters leads to
    // an exception error."
    return AwsError::Make(
        "ValidationException",
        "InstanceInformationFilterList and Filters can't be used in the same request.");
  }
  InstanceFilter filter;
  if (has_legacy) {
    for (const json::value& item : legacy->get_array()) {
      const json::object& object = item.as_object();
      const json::value* key = object.if_contains("key");
      Result<Clause> clause =
          ParseClause(key && key->is_string() ? std::string_view(key->get_string()) : "",
                      object.if_contains("valueSet"), true);
      if (!clause.ok()) return std::move(clause).error();
      filter.clauses_.push_back(std::move(clause).value());
    }
  }
  if (has_filters) {
    bool any_tag = false;
    bool any_other = false;
    for (const json::value& item : filters->get_array()) {
      const json::object& object = item.as_object();
      const json::value* key = object.if_contains("Key");
      Result<Clause> clause =
          ParseClause(key && key->is_string() ? std::string_view(key->get_string()) : "",
                      object.if_contains("Values"), false);
      if (!clause.ok()) return std::move(clause).error();
      const bool is_tag = clause->field == Field::kTag || clause->field == Field::kTagKey;
      any_tag = any_tag || is_tag;
      any_other = any_other || !is_tag;
      filter.clauses_.push_back(std::move(clause).value());
    }
    if (any_tag && any_other) {
      // AWS's answer, as reported in danmx/sigil#61; the API reference: "Tag filters can't be
      // combined with other filter types."
      return AwsError::Make("ValidationException",
                            "Cannot mix tag or inventory filter with any other filter.");
    }
  }
  return filter;
}

bool InstanceFilter::Matches(const NodeFacts& node) const {
  for (const Clause& clause : clauses_) {
    const auto has = [&clause](std::string_view value) { return clause.values.contains(value); };
    bool passed = false;
    switch (clause.field) {
      case Field::kInstanceIds:
        passed = has(node.instance_id);
        break;
      case Field::kAgentVersion:
        passed = has(node.agent_version);
        break;
      case Field::kPingStatus:
        passed = has(node.ping_status);
        break;
      case Field::kPlatformTypes:
        passed = has(node.platform_type);
        break;
      case Field::kActivationIds:
        passed = !node.activation_id.empty() && has(node.activation_id);
        break;
      case Field::kIamRole:
        passed = !node.iam_role.empty() && has(node.iam_role);
        break;
      case Field::kResourceType:
        passed = has(node.resource_type);
        break;
      case Field::kAssociationStatus:
        passed = !node.association_status.empty() && has(node.association_status);
        break;
      case Field::kSourceIds:
        passed = has(node.source_id);
        break;
      case Field::kSourceTypes:
        passed = has(node.source_type);
        break;
      case Field::kTagKey:
        if (node.tags) {
          for (const auto& [key, value] : *node.tags) passed = passed || has(key);
        }
        break;
      case Field::kTag:
        if (node.tags) {
          auto tag = node.tags->find(clause.tag_key);
          passed = tag != node.tags->end() && has(tag->second);
        }
        break;
    }
    if (!passed) return false;
  }
  return true;
}

bool InstanceFilter::UsesAssociationStatus() const {
  return std::any_of(clauses_.begin(), clauses_.end(), [](const Clause& clause) {
    return clause.field == Field::kAssociationStatus;
  });
}

bool InstanceFilter::UsesTags() const {
  return std::any_of(clauses_.begin(), clauses_.end(), [](const Clause& clause) {
    return clause.field == Field::kTag || clause.field == Field::kTagKey;
  });
}

Result<std::vector<ComplianceFilter>> ParseComplianceFilters(
    const json::value* filters, std::initializer_list<std::string_view> keys) {
  std::vector<ComplianceFilter> parsed;
  if (!filters || !filters->is_array()) return parsed;
  static const std::map<std::string_view, Comparison, std::less<>> kComparisons = {
      {"EQUAL", Comparison::kEqual},
      {"NOT_EQUAL", Comparison::kNotEqual},
      {"BEGIN_WITH", Comparison::kBeginWith},
      {"LESS_THAN", Comparison::kLessThan},
      {"GREATER_THAN", Comparison::kGreaterThan},
  };
  for (const json::value& item : filters->get_array()) {
    const json::object& object = item.as_object();
    ComplianceFilter filter;
    if (const json::value* key = object.if_contains("Key"); key && key->is_string()) {
      filter.key = key->get_string();
    }
    if (std::find(keys.begin(), keys.end(), filter.key) == keys.end()) {
      return errors::InvalidFilter();
    }
    if (const json::value* values = object.if_contains("Values"); values && values->is_array()) {
      for (const json::value& value : values->get_array()) {
        if (value.is_string()) filter.values.emplace_back(value.get_string());
      }
    }
    if (const json::value* type = object.if_contains("Type"); type && type->is_string()) {
      filter.comparison = kComparisons.at(type->get_string());  // the model's enum checked it
    }
    if (filter.key == "ExecutionTime") {
      for (const std::string& value : filter.values) {
        std::optional<double> instant = TimeOf(value);
        if (!instant) {
          return errors::InvalidFilter("The ExecutionTime filter value " + value +
                                       " isn't a valid time.");
        }
        filter.times.push_back(*instant);
      }
    }
    parsed.push_back(std::move(filter));
  }
  return parsed;
}

namespace {

// -1, 0, 1 as `actual` is below, equal to or above `wanted`.
template <typename T>
int Compare(const T& actual, const T& wanted) {
  return actual < wanted ? -1 : (wanted < actual ? 1 : 0);
}

bool Holds(Comparison comparison, int order, bool prefix) {
  switch (comparison) {
    case Comparison::kEqual:
      return order == 0;
    case Comparison::kNotEqual:
      return order != 0;
    case Comparison::kBeginWith:
      return prefix;
    case Comparison::kLessThan:
      return order < 0;
    case Comparison::kGreaterThan:
      return order > 0;
  }
  return false;
}

// NOT_EQUAL holds when the value differs from every listed value; the others when any holds.
template <typename Each>
bool OverValues(const ComplianceFilter& filter, size_t count, Each&& each) {
  if (filter.comparison == Comparison::kNotEqual) {
    for (size_t value_idx = 0; value_idx < count; ++value_idx) {
      if (!each(value_idx)) return false;
    }
    return true;
  }
  for (size_t value_idx = 0; value_idx < count; ++value_idx) {
    if (each(value_idx)) return true;
  }
  return false;
}

}  // namespace

bool Passes(const ComplianceFilter& filter, std::string_view actual) {
  const bool by_rank = IsSeverityKey(filter.key);
  return OverValues(filter, filter.values.size(), [&](size_t value_idx) {
    const std::string& wanted = filter.values[value_idx];
    const int order = by_rank ? Compare(SeverityRank(actual), SeverityRank(wanted))
                              : Compare(actual, std::string_view(wanted));
    return Holds(filter.comparison, order, actual.starts_with(wanted));
  });
}

bool PassesTime(const ComplianceFilter& filter, double actual) {
  return OverValues(filter, filter.times.size(), [&](size_t value_idx) {
    return Holds(filter.comparison, Compare(actual, filter.times[value_idx]), false);
  });
}

int SeverityRank(std::string_view severity) {
  static const std::map<std::string_view, int, std::less<>> kRanks = {
      {"CRITICAL", 5}, {"HIGH", 4},          {"MEDIUM", 3},
      {"LOW", 2},      {"INFORMATIONAL", 1}, {"UNSPECIFIED", 0}};
  auto found = kRanks.find(severity);
  return found == kRanks.end() ? 0 : found->second;
}

}  // namespace cairn::ssm::filters
