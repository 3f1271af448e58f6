// The resources of organization config rules as cairn stores them, and the checks of
// PutOrganizationConfigRule that the model cannot express. Each resource has a stable
// serialized form (ToJson/FromJson) because the store may persist it.
//
//   OrganizationConfigRule  one rule, as the management account or delegated administrator
//                           that put it sees it (keyed `<account>/<region>/<name>`), with its
//                           organization-wide status
//   MemberRuleStatus        the rule in one member account (keyed `<account>/<region>/<rule
//                           id>/<member account>`): its status, and when an in-progress status
//                           settles
// Which member accounts' deployments fail is the packs family's switch (PacksState::FailureFor,
// POST /_cairn/config/deployment-failures), shared by every organization-wide deployment.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cairn::config {

// How long one deployment step (create, update or delete of the rule in a batch of member
// accounts) takes on the lifecycle clock.
inline constexpr double kRuleDeploymentSeconds = 2.0;
// "The maximum number of organization config rules that AWS Config supports is 150"
// (API reference, PutOrganizationConfigRule).
inline constexpr size_t kMaxOrganizationConfigRules = 150;

struct OrganizationConfigRule {
  std::string name;
  std::string id;  // 8 random characters: the ARN's suffix and the member rules' name suffix
  std::string arn;
  std::string organization_id;
  // Which metadata the rule was put with: OrganizationManagedRuleMetadata,
  // OrganizationCustomRuleMetadata or OrganizationCustomPolicyRuleMetadata; and its value.
  std::string metadata_member;
  boost::json::object metadata;
  std::vector<std::string> excluded_accounts;
  double last_update_time = 0;
  // OrganizationRuleStatus, with the error of a failed deployment.
  std::string status;
  std::string error_code;
  std::string error_message;
  double status_time = 0;
  // When the step that settles an in-progress status is due (0: none pending).
  double due = 0;

  // The name of the config rule that the organization rule creates in member accounts.
  std::string MemberRuleName() const { return "OrgConfigRule-" + name + "-" + id; }
  bool InProgress() const { return status.ends_with("_IN_PROGRESS"); }

  boost::json::value ToJson() const;
  static OrganizationConfigRule FromJson(const boost::json::value& value);
};

struct MemberRuleStatus {
  std::string account_id;
  std::string status;  // MemberAccountRuleStatus
  std::string error_code;
  std::string error_message;
  double last_update_time = 0;
  double due = 0;  // when an *_IN_PROGRESS status settles (0: settled)

  boost::json::value ToJson() const;
  static MemberRuleStatus FromJson(const boost::json::value& value);
};

// The checks of PutOrganizationConfigRule beyond the model's, with AWS's messages. `input` is
// the validated request.
//   - exactly one of the three metadata members;
//   - InputParameters, where given, a JSON object;
//   - a managed rule's RuleIdentifier in the form of AWS's identifiers, and the parameters
//     that AWS requires for that rule present in InputParameters.
// Returns the name of the metadata member that was given.
Result<std::string> CheckRuleMetadata(const boost::json::object& input);

}  // namespace cairn::config
