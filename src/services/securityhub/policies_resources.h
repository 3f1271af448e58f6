// The resources of Security Hub central configuration (configuration policies and their
// associations with the organization's root, OUs and accounts) and the pure computations
// behind them: how a policy document is checked and stored, and how associations are
// inherited down the organization tree. Nothing here takes a lock or reads the clock; the
// provider (policies.cc) calls these under its own lock.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cairn::securityhub {

// The ConfigurationPolicyId of self-managed behaviour (StartConfigurationPolicyAssociation).
inline constexpr std::string_view kSelfManaged = "SELF_MANAGED_SECURITY_HUB";

inline constexpr std::string_view kTargetRoot = "ROOT";
inline constexpr std::string_view kTargetUnit = "ORGANIZATIONAL_UNIT";
inline constexpr std::string_view kTargetAccount = "ACCOUNT";

inline constexpr std::string_view kApplied = "APPLIED";
inline constexpr std::string_view kInherited = "INHERITED";

inline constexpr std::string_view kPending = "PENDING";
inline constexpr std::string_view kSuccess = "SUCCESS";
inline constexpr std::string_view kFailed = "FAILED";

struct ConfigurationPolicy {
  std::string id;   // a UUID
  std::string arn;  // arn:aws:securityhub:<region>:<account>:configuration-policy/<id>
  std::string name;
  std::string description;
  std::string updated_reason;  // UpdateConfigurationPolicy's UpdatedReason (never returned)
  double created = 0;
  double updated = 0;
  // The Policy union as AWS returns it: {"SecurityHub": {...}}, normalized by CheckPolicy.
  // (Its tags are kept by the hub family with every taggable resource's.)
  boost::json::object policy;

  boost::json::value ToJson() const;
  static ConfigurationPolicy FromJson(const boost::json::value& value);
};

// The association of one target (root, OU or account) with a configuration or self-managed
// behaviour: APPLIED when the delegated administrator associated it directly, INHERITED from
// the nearest ancestor with an APPLIED association otherwise.
struct PolicyAssociation {
  std::string target_id;
  std::string target_type;       // ROOT | ORGANIZATIONAL_UNIT | ACCOUNT
  std::string policy_id;         // a policy UUID or SELF_MANAGED_SECURITY_HUB
  std::string association_type;  // APPLIED | INHERITED
  std::string status;            // PENDING | SUCCESS | FAILED
  std::string message;           // AssociationStatusMessage (empty: none)
  double updated = 0;
  // While PENDING: when the propagation to this target finishes (the lifecycle step).
  double due = 0;

  boost::json::value ToJson() const;
  static PolicyAssociation FromJson(const boost::json::value& value);
};

// The filters of ListConfigurationPolicyAssociations; an empty member matches anything.
struct AssociationFilter {
  std::string policy_id;         // a policy id or kSelfManaged
  std::string association_type;  // APPLIED | INHERITED
  std::string status;            // PENDING | SUCCESS | FAILED
  bool empty() const { return policy_id.empty() && association_type.empty() && status.empty(); }
  bool Matches(const PolicyAssociation& association) const;
};

// The target ids of each scope's associations, grouped by what the filters of
// ListConfigurationPolicyAssociations look at (policy id, association type, status), each group
// in the order of the collection (within a scope, target id order is key order). A filtered
// page merges the groups that match from where the page starts: O(g log n + page log g) for g
// matching groups, and g is at most (policies + 1) x 2 x 3 whatever the size of the
// organization, where a scan of the collection would skip every association that does not
// match. Derived from the associations collection (never persisted); PoliciesState keeps it in
// step with every write.
class AssociationIndex {
 public:
  void Insert(std::string_view prefix, const PolicyAssociation& association);
  void Erase(std::string_view prefix, const PolicyAssociation& association);
  void ClearScope(std::string_view prefix);
  void Clear() { groups_.clear(); }
  size_t size() const;

  struct Page {
    std::vector<std::string_view> target_ids;
    bool more = false;  // more matching targets follow the last one
  };
  // At most `limit` target ids of `prefix`'s associations that pass `filter`, after
  // `start_after` (a target id; empty: from the first), in order.
  Page Collect(std::string_view prefix, const AssociationFilter& filter,
               std::string_view start_after, size_t limit) const;

  // Test hook: the groups and ids Collect has looked at, to show that the work of a page does
  // not grow with the number of associations.
  size_t visited() const { return visited_; }

 private:
  struct Group {
    std::string association_type;
    std::string status;
    std::set<std::string, std::less<>> target_ids;
  };
  // `<prefix><policy id>\n<association type>\n<status>`
  static std::string GroupKey(std::string_view prefix, const PolicyAssociation& association);
  std::map<std::string, Group, std::less<>> groups_;
  mutable size_t visited_ = 0;
};

// Where an organization's central configuration lives: the delegated administrator's account
// in the home Region.
struct CentralScope {
  std::string prefix;  // `<account>/<region>/`, the key prefix of the scope's resources
  std::string account_id;
  std::string region;
  std::string organization_id;
};

// --- The organization tree, as inheritance needs it.

struct OrgNode {
  std::string id;
  std::string parent_id;
  bool active = true;  // accounts: Organizations status ACTIVE (not SUSPENDED/PENDING_CLOSURE)
};

struct OrgTree {
  std::string root_id;
  std::vector<OrgNode> units;
  std::vector<OrgNode> accounts;
  size_t size() const { return 1 + units.size() + accounts.size(); }
};

// Where one target stands: its configuration, and how it got it.
struct EffectiveTarget {
  const OrgNode* node = nullptr;  // null for the root
  std::string_view id;
  std::string_view type;  // kTargetRoot | kTargetUnit | kTargetAccount
  std::string policy_id;  // a policy id or kSelfManaged
  bool applied = false;   // an APPLIED association of its own
  // False when nothing is applied at or above the target: self-managed by default, which is
  // where every target starts when central configuration is turned on through the API.
  bool covered = false;
  int parent = -1;  // index of the parent in the result; -1 for the root
};

// The effective association of every target of `tree`, parents before children (the root
// first), in one pass over the tree: children lists are built once, then walked depth first
// carrying the nearest APPLIED ancestor's configuration down. `applied(id)` gives the policy
// id of a target's APPLIED association, or null. Nodes whose parent is not in the tree are
// left out.
std::vector<EffectiveTarget> ComputeInheritance(
    const OrgTree& tree,
    const std::function<const std::string*(std::string_view target_id)>& applied);

// The AssociationStatus of a root or OU from its own step and its INHERITED children: a
// parent is PENDING while its own propagation or any child's is, FAILED when a child failed,
// SUCCESS otherwise (Security Hub user guide, "Reviewing the association status").
struct StatusAndMessage {
  std::string status;
  std::string message;
};
StatusAndMessage AggregateStatus(std::string_view target_type, std::string_view policy_id,
                                 bool own_pending,
                                 std::span<const std::string_view> child_statuses);
// The same from the counts of its INHERITED children that are PENDING and FAILED.
StatusAndMessage AggregateStatus(std::string_view target_type, std::string_view policy_id,
                                 bool own_pending, size_t pending_children, size_t failed_children);
// The status a finished propagation leaves on an account.
StatusAndMessage AccountOutcome(std::string_view policy_id, bool account_active);

// --- Configuration policy documents.

// What CheckPolicy needs to know of the standards and controls catalog (standards.cc).
struct ControlCatalog {
  std::function<bool(std::string_view standards_arn)> is_standard;
  std::function<bool(std::string_view control_id)> is_control;
  // The control's ParameterDefinitions (name -> {Description, ConfigurationOptions}), or null.
  std::function<const boost::json::object*(std::string_view control_id)> parameters;
};

// Checks a Policy union (CreateConfigurationPolicy / UpdateConfigurationPolicy) the way
// Security Hub does, answering InvalidInputException "Invalid semantics: ...", and returns
// it as Security Hub keeps it: a disabled-service policy keeps only ServiceEnabled, and a
// DEFAULT parameter keeps no value.
Result<boost::json::object> CheckPolicy(const boost::json::object& policy,
                                        const ControlCatalog& catalog);

}  // namespace cairn::securityhub
