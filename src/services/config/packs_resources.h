// The resources of the packs family of AWS Config (conformance packs, organization conformance
// packs and their deployments into member accounts) as cairn stores them, each with a stable
// serialized form (ToJson/FromJson) because the store may persist it; field names follow the
// AWS API. Also the organization rules shared by every organization-wide Config operation
// (packs here, organization config rules in rules.cc): who may call them and which accounts a
// deployment reaches.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "org/directory.h"

namespace cairn::config {

// The service principal of Config's organization-wide operations (organization conformance
// packs and organization config rules): their callers are the management account and the
// delegated administrators registered for it.
inline constexpr std::string_view kMultiAccountSetupPrincipal =
    "config-multiaccountsetup.amazonaws.com";

using InputParameters = std::vector<std::pair<std::string, std::string>>;  // name, value

// A conformance pack of one account and region: one the account put itself, or the member
// pack an organization conformance pack deployed into it (`organization_pack` set).
struct ConformancePack {
  std::string name;
  std::string id;   // conformance-pack-<9 random>
  std::string arn;  // arn:aws:config:<region>:<account>:conformance-pack/<name>/<id>
  std::string account_id;
  std::string region;
  std::string delivery_s3_bucket;
  std::string delivery_s3_key_prefix;
  InputParameters input_parameters;
  std::string created_by;  // the service that created it; empty for the account's own packs
  // ConformancePackState: CREATE_IN_PROGRESS | CREATE_COMPLETE | CREATE_FAILED |
  // DELETE_IN_PROGRESS | DELETE_FAILED (an update goes through CREATE_IN_PROGRESS again).
  std::string state;
  std::string status_reason;
  std::string stack_arn;
  double last_update_requested = 0;
  double last_update_completed = 0;  // 0: never completed
  // When the pending step (create or delete) finishes: the account's own packs keep their own
  // step; member packs are moved by their organization pack's deployment.
  double due = 0;
  // Names of the Config rules the pack deployed (`<ConfigRuleName>-<id>`), and those the
  // pending create or update deploys when it completes.
  std::vector<std::string> rule_names;
  std::vector<std::string> pending_rule_names;
  std::string organization_pack;  // key of the deploying organization pack, empty if none

  bool managed_by_organization() const { return !organization_pack.empty(); }
  bool in_progress() const {
    return state == "CREATE_IN_PROGRESS" || state == "DELETE_IN_PROGRESS";
  }

  boost::json::value ToJson() const;
  static ConformancePack FromJson(const boost::json::value& value);
};

// An organization conformance pack, shared by the organization's management account and
// delegated administrators in one region.
struct OrganizationConformancePack {
  std::string organization_id;
  std::string region;
  std::string name;
  std::string
      arn;  // arn:aws:config:<region>:<creator>:organization-conformance-pack/<name>-<suffix>
  std::string creator_account_id;
  std::string suffix;  // 8 random characters, shared by the ARN and the member packs' names
  std::string template_body;
  InputParameters input_parameters;
  std::string delivery_s3_bucket;
  std::string delivery_s3_key_prefix;
  std::vector<std::string> excluded_accounts;
  // The last operation asked for (CREATE | UPDATE | DELETE) and where it stands
  // (OrganizationResourceStatus, e.g. UPDATE_IN_PROGRESS).
  std::string phase;
  std::string status;
  std::string error_code;
  std::string error_message;
  double last_update_time = 0;  // the last PutOrganizationConformancePack
  double status_time = 0;       // when `status` last changed
  double step_due = 0;          // when the step of the last operation runs

  // `OrgConformsPack-<name>-<suffix>`: the conformance pack it deploys into each account.
  std::string MemberPackName() const { return "OrgConformsPack-" + name + "-" + suffix; }
  bool in_progress() const { return status.ends_with("_IN_PROGRESS"); }

  boost::json::value ToJson() const;
  static OrganizationConformancePack FromJson(const boost::json::value& value);
};

// Where the deployment of one organization conformance pack stands in one account
// (OrganizationConformancePackDetailedStatus).
struct MemberDeployment {
  std::string account_id;
  std::string status;  // OrganizationResourceDetailedStatus, e.g. CREATE_IN_PROGRESS
  std::string error_code;
  std::string error_message;
  double last_update_time = 0;
  double due = 0;  // when the step in progress completes

  bool in_progress() const { return status.ends_with("_IN_PROGRESS"); }

  boost::json::value ToJson() const;
  static MemberDeployment FromJson(const boost::json::value& value);
};

// An account whose organization-wide deployments fail, with the ErrorCode and ErrorMessage
// they report (set through POST /_cairn/config/deployment-failures).
struct DeploymentFailure {
  std::string account_id;
  std::string error_code;
  std::string error_message;

  boost::json::value ToJson() const;
  static DeploymentFailure FromJson(const boost::json::value& value);
};

// The ErrorCode and ErrorMessage of a failing account when the test does not give its own:
// the member account has no configuration recorder, the usual cause of a failed deployment
// (the message is PutConfigRule's NoAvailableConfigurationRecorderException).
inline constexpr std::string_view kDefaultDeploymentErrorCode =
    "NoAvailableConfigurationRecorderException";
inline constexpr std::string_view kDefaultDeploymentErrorMessage =
    "You must create a configuration recorder before you can create or update a Config rule.";

// Whether `account_id` may call the organization-wide Config operations, and its membership
// when it may: the management account, or a delegated administrator for
// config-multiaccountsetup.amazonaws.com. `for_put` is for the Put operations, which
// answer NoAvailableOrganizationException outside an organization and
// OrganizationAllFeaturesNotEnabledException in a consolidated-billing one; the others answer
// OrganizationAccessDeniedException "This action can only be made by accounts in an AWS
// Organization" outside one (the answer of DescribeOrganizationConformancePacks quoted in
// aws-samples/aws2tf#86 and matched by the Terraform provider). Members, and delegated
// administrators of other services, get OrganizationAccessDeniedException.
Result<org::Membership> AuthorizeOrganizationCaller(const org::Directory& directory,
                                                    std::string_view account_id, bool for_put);

// The accounts an organization-wide deployment reaches: every ACTIVE account of the
// organization, the management account included (a suspended or closing account cannot
// receive one), minus `excluded`, in id order.
std::vector<std::string> DeploymentTargets(const org::Directory& directory,
                                           std::string_view organization_id,
                                           const std::vector<std::string>& excluded);

}  // namespace cairn::config
