// The AWS Organizations API on cairn's organization model (org::Directory): organizations,
// accounts (created asynchronously through the lifecycle scheduler), OUs, trusted service
// access, delegated administrators and tags. One method per AWS operation, named after it.
//
// Access, as AWS documents it: DescribeOrganization for any account of the organization;
// reads for the management account and delegated administrators (of any service); every
// change for the management account only. An account in no organization gets
// AWSOrganizationsNotInUseException, a member AccessDeniedException.
//
// State lives in the Directory (thread-safe); the provider itself holds only references.
#pragma once

#include <boost/json/object.hpp>

#include "base/page_token.h"
#include "gateway/service.h"
#include "lifecycle/scheduler.h"
#include "org/directory.h"

namespace cairn::organizations {

// How long AWS's asynchronous steps take in cairn (seconds of clock time).
inline constexpr double kCreateAccountSeconds = 1.0;
inline constexpr double kCloseAccountSeconds = 1.0;

class Provider final : public gateway::Service {
 public:
  using Input = boost::json::object;
  using Output = Result<boost::json::object>;
  using Context = gateway::RequestContext;

  Provider(org::Directory& directory, lifecycle::Scheduler& scheduler, const PageTokens& tokens)
      : directory_(directory), scheduler_(scheduler), tokens_(tokens) {}

  std::string_view Name() const override { return "organizations"; }
  void Bind(gateway::OperationTable& table) override;
  void Reset() override;
  // Schedules the steps of every request still in progress (after state is restored).
  void Resume();

  Output CreateOrganization(const Context& context, Input& input);
  Output DescribeOrganization(const Context& context, Input& input);
  Output DeleteOrganization(const Context& context, Input& input);
  Output CreateAccount(const Context& context, Input& input);
  Output DescribeCreateAccountStatus(const Context& context, Input& input);
  Output ListCreateAccountStatus(const Context& context, Input& input);
  Output ListAccounts(const Context& context, Input& input);
  Output DescribeAccount(const Context& context, Input& input);
  Output MoveAccount(const Context& context, Input& input);
  Output RemoveAccountFromOrganization(const Context& context, Input& input);
  Output CloseAccount(const Context& context, Input& input);
  Output ListRoots(const Context& context, Input& input);
  Output CreateOrganizationalUnit(const Context& context, Input& input);
  Output DescribeOrganizationalUnit(const Context& context, Input& input);
  Output UpdateOrganizationalUnit(const Context& context, Input& input);
  Output DeleteOrganizationalUnit(const Context& context, Input& input);
  Output ListOrganizationalUnitsForParent(const Context& context, Input& input);
  Output ListAccountsForParent(const Context& context, Input& input);
  Output ListParents(const Context& context, Input& input);
  Output ListChildren(const Context& context, Input& input);
  Output EnableAWSServiceAccess(const Context& context, Input& input);
  Output DisableAWSServiceAccess(const Context& context, Input& input);
  Output ListAWSServiceAccessForOrganization(const Context& context, Input& input);
  Output RegisterDelegatedAdministrator(const Context& context, Input& input);
  Output DeregisterDelegatedAdministrator(const Context& context, Input& input);
  Output ListDelegatedAdministrators(const Context& context, Input& input);
  Output ListDelegatedServicesForAccount(const Context& context, Input& input);
  Output TagResource(const Context& context, Input& input);
  Output UntagResource(const Context& context, Input& input);
  Output ListTagsForResource(const Context& context, Input& input);

 private:
  void FinishCreateAccount(const std::string& request_id);
  void FinishCloseAccount(const std::string& account_id);

  org::Directory& directory_;
  lifecycle::Scheduler& scheduler_;
  const PageTokens& tokens_;
};

}  // namespace cairn::organizations
