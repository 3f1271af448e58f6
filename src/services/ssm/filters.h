// The filters SSM evaluates itself: DescribeInstanceInformation's node filters (the legacy
// InstanceInformationFilterList and the Filters that replaced it) and the ComplianceStringFilter
// of the compliance list operations. Parsing checks keys and values and answers with AWS's
// errors; matching is a pure function of the values the caller supplies, so both are tested
// here without a provider. Values only; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cairn::ssm::filters {

// Whether `id` matches the model's InstanceId pattern `(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`.
bool IsInstanceId(std::string_view id);

// Whether `id` is a hybrid node id as the tagging operations require: `mi-[0-9a-f]{17}`.
bool IsHybridNodeId(std::string_view id);

// What the node filters look at in one managed node.
struct NodeFacts {
  std::string_view instance_id;
  std::string_view agent_version;
  std::string_view ping_status;
  std::string_view platform_type;
  std::string_view resource_type;
  std::string_view source_id;
  std::string_view source_type;
  std::string_view activation_id;
  std::string_view iam_role;
  std::string_view association_status;  // "" when no association ran on the node
  const std::map<std::string, std::string>* tags = nullptr;
};

class InstanceFilter {
 public:
  // Parses DescribeInstanceInformation's `InstanceInformationFilterList` and `Filters` (either
  // may be null). Errors: ValidationException (both lists, or tag filters mixed with others),
  // InvalidFilterKey, InvalidInstanceInformationFilterValue, InvalidInstanceId.
  static Result<InstanceFilter> Parse(const boost::json::value* legacy,
                                      const boost::json::value* filters);

  // Every filter holds (AND); within one filter, any of its values (OR).
  bool Matches(const NodeFacts& node) const;
  // Whether matching needs NodeFacts::association_status (costly to work out).
  bool UsesAssociationStatus() const;
  // Whether matching needs NodeFacts::tags.
  bool UsesTags() const;

 private:
  enum class Field {
    kInstanceIds,
    kAgentVersion,
    kPingStatus,
    kPlatformTypes,
    kActivationIds,
    kIamRole,
    kResourceType,
    kAssociationStatus,
    kSourceIds,
    kSourceTypes,
    kTagKey,  // tag-key: the node has a tag with one of these keys
    kTag,     // tag:<key>: the node's tag <key> has one of these values
  };
  struct Clause {
    Field field;
    std::string tag_key;
    std::set<std::string, std::less<>> values;
  };
  static Result<Clause> ParseClause(std::string_view key, const boost::json::value* values,
                                    bool legacy);

  std::vector<Clause> clauses_;
};

// ComplianceStringFilter.Type.
enum class Comparison { kEqual, kNotEqual, kBeginWith, kLessThan, kGreaterThan };

struct ComplianceFilter {
  std::string key;
  std::vector<std::string> values;
  Comparison comparison = Comparison::kEqual;
  std::vector<double> times;  // for ExecutionTime: the values as instants
};

// Parses a ComplianceStringFilter list (null: none), allowing the keys in `keys`. A filter
// without a key, with a key outside `keys`, or an ExecutionTime value that is no time is
// InvalidFilter.
Result<std::vector<ComplianceFilter>> ParseComplianceFilters(
    const boost::json::value* filters, std::initializer_list<std::string_view> keys);

// Whether a text value passes. Severity and OverallSeverity compare by rank (LESS_THAN HIGH:
// MEDIUM, LOW, ...); other keys as text.
bool Passes(const ComplianceFilter& filter, std::string_view actual);
// Whether an instant (ExecutionTime, epoch seconds) passes.
bool PassesTime(const ComplianceFilter& filter, double actual);

// CRITICAL 5, HIGH 4, MEDIUM 3, LOW 2, INFORMATIONAL 1, UNSPECIFIED (and anything else) 0.
int SeverityRank(std::string_view severity);

}  // namespace cairn::ssm::filters
