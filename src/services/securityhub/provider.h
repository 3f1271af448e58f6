// AWS Security Hub (restJson): hubs, the organization's delegated administrator and
// configuration (LOCAL or CENTRAL), finding aggregators, members, standards and security
// controls, central configuration policies and their associations across the organization,
// and tags. One method per AWS operation, named after it, implemented by family:
//   hub.cc        hubs, organization admin and configuration, finding aggregators, members,
//                 tags (state: hub_state.h)
//   standards.cc  the standards/controls catalog and per-account standards subscriptions
//                 (state: standards_state.h)
//   policies.cc   configuration policies, associations and inheritance (state:
//                 policies_state.h)
// Everything is per account and region (keys start with `<account>/<region>/`). One
// reader/writer lock guards all of it. The families call each other only through the
// functions declared in the "between families" block below.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <shared_mutex>

#include "base/page_token.h"
#include "base/shared_mutex.h"
#include "gateway/service.h"
#include "lifecycle/scheduler.h"
#include "org/directory.h"
#include "services/securityhub/hub_state.h"
#include "services/securityhub/policies_state.h"
#include "services/securityhub/standards_state.h"
#include "store/store.h"

namespace cairn::securityhub {

class Provider final : public gateway::Service {
 public:
  using Input = boost::json::object;
  using Output = Result<boost::json::object>;
  using Context = gateway::RequestContext;

  Provider(store::Journal& journal, lifecycle::Scheduler& scheduler, const PageTokens& tokens,
           org::Directory& directory);

  std::string_view Name() const override { return "securityhub"; }
  void Bind(gateway::OperationTable& table) override;
  void Reset() override;
  // Loads state from the journal and reschedules what was moving (startup).
  void Restore();

  // --- hub.cc
  Output EnableSecurityHub(const Context& context, Input& input);
  Output DisableSecurityHub(const Context& context, Input& input);
  Output DescribeHub(const Context& context, Input& input);
  Output UpdateSecurityHubConfiguration(const Context& context, Input& input);
  Output EnableOrganizationAdminAccount(const Context& context, Input& input);
  Output DisableOrganizationAdminAccount(const Context& context, Input& input);
  Output ListOrganizationAdminAccounts(const Context& context, Input& input);
  Output UpdateOrganizationConfiguration(const Context& context, Input& input);
  Output DescribeOrganizationConfiguration(const Context& context, Input& input);
  Output CreateFindingAggregator(const Context& context, Input& input);
  Output GetFindingAggregator(const Context& context, Input& input);
  Output UpdateFindingAggregator(const Context& context, Input& input);
  Output DeleteFindingAggregator(const Context& context, Input& input);
  Output ListFindingAggregators(const Context& context, Input& input);
  Output CreateMembers(const Context& context, Input& input);
  Output GetMembers(const Context& context, Input& input);
  Output ListMembers(const Context& context, Input& input);
  Output TagResource(const Context& context, Input& input);
  Output UntagResource(const Context& context, Input& input);
  Output ListTagsForResource(const Context& context, Input& input);

  // --- standards.cc
  Output BatchEnableStandards(const Context& context, Input& input);
  Output BatchDisableStandards(const Context& context, Input& input);
  Output GetEnabledStandards(const Context& context, Input& input);
  Output DescribeStandards(const Context& context, Input& input);
  Output DescribeStandardsControls(const Context& context, Input& input);
  Output ListSecurityControlDefinitions(const Context& context, Input& input);
  Output GetSecurityControlDefinition(const Context& context, Input& input);

  // --- policies.cc
  Output CreateConfigurationPolicy(const Context& context, Input& input);
  Output GetConfigurationPolicy(const Context& context, Input& input);
  Output UpdateConfigurationPolicy(const Context& context, Input& input);
  Output DeleteConfigurationPolicy(const Context& context, Input& input);
  Output ListConfigurationPolicies(const Context& context, Input& input);
  Output StartConfigurationPolicyAssociation(const Context& context, Input& input);
  Output StartConfigurationPolicyDisassociation(const Context& context, Input& input);
  Output GetConfigurationPolicyAssociation(const Context& context, Input& input);
  Output BatchGetConfigurationPolicyAssociations(const Context& context, Input& input);
  Output ListConfigurationPolicyAssociations(const Context& context, Input& input);

  // Test hook: the policies family's state (callers hold no lock and no other thread runs).
  PoliciesState& policies_for_test() { return policies_; }

 private:
  // Each family binds the operations it implements (an operation not bound answers 501).
  void BindHub(gateway::OperationTable& table);
  void BindStandards(gateway::OperationTable& table);
  void BindPolicies(gateway::OperationTable& table);
  std::vector<store::CollectionBase*> AllCollections();

  // --- Between families (each implemented by the family named; callers hold mutex_).
  // hub.cc: whether the account has Security Hub enabled in the region.
  bool HubEnabled(std::string_view account_id, std::string_view region) const;
  // hub.cc: the organization's Security Hub delegated administrator (empty: none).
  std::string DelegatedAdministrator(std::string_view organization_id) const;
  // hub.cc: DelegatedAdministrator(organization) == account_id and
  // CentralConfigurationEnabled(organization), where `membership` is the account's, at the cost
  // of one walk of the designations.
  bool IsCentralAdministrator(const org::Membership& membership, std::string_view account_id) const;
  // hub.cc: the home Region of central configuration: the delegated admin's finding
  // aggregation Region (empty: no aggregator).
  std::string HomeRegion(std::string_view admin_account_id) const;
  // hub.cc: whether the organization uses CENTRAL configuration and it is ENABLED.
  bool CentralConfigurationEnabled(std::string_view organization_id) const;
  // standards.cc: whether the standards ARN (in `region`) names a standard of the catalog.
  bool IsStandardArn(std::string_view arn, std::string_view region) const;
  // standards.cc: whether the security control id is in the catalog; and its parameter
  // definitions (the catalog's Parameters object of the control, or null).
  bool IsSecurityControl(std::string_view control_id) const;
  const boost::json::object* ControlParameters(std::string_view control_id) const;
  // policies.cc: whether a resource ARN is a configuration policy of the scope (tags).
  bool PoliciesOwnArn(std::string_view scope, std::string_view arn) const;
  // Each family reschedules, after a restore, what was moving; and follows the organization.
  void ResumeHub();
  void ResumePolicies();
  void OnOrganizationEvent(const org::Event& event);

  // Runs `fn(txn)` under the exclusive lock in one transaction, committed when it returns a
  // successful Result and rolled back otherwise.
  template <typename Fn>
  auto Write(Fn&& fn) {
    return store::WriteLocked(mutex_, journal_, std::forward<Fn>(fn));
  }

  store::Journal& journal_;
  lifecycle::Scheduler& scheduler_;
  const PageTokens& tokens_;
  org::Directory& directory_;

  // All of the below guarded by mutex_.
  mutable base::SharedMutex mutex_;
  HubState hub_;
  StandardsState standards_;
  PoliciesState policies_;

  // --- policies.cc helpers (added by the policies family; callers hold mutex_ as noted).
  // The caller's central configuration scope, or the error AWS answers (shared lock).
  Result<CentralScope> AuthorizeCentralConfiguration(const Context& context) const;
  // The scope of an organization's central configuration, if it is in use (shared lock).
  std::optional<CentralScope> CentralScopeOf(std::string_view organization_id) const;
  // Whether the associations of `scope` no longer cover the organization's targets exactly
  // (shared lock).
  bool AssociationsStale(const CentralScope& scope) const;
  // Brings the associations of `scope` in line with the organization and the APPLIED
  // associations, and schedules the propagation steps; targets of `repropagate_policy` start
  // over (exclusive lock).
  void ReconcileAssociations(store::Transaction& txn, const CentralScope& scope, double now,
                             std::string_view repropagate_policy = {});
  // The incremental path of a change at one target of a current scope (not stale, its tree
  // kept by the last full pass, no step fallen due): applies `change` to the target's record,
  // then restarts what inherits through it and updates the aggregate status of it and its
  // ancestors, leaving every record as ReconcileAssociations would. False, having changed
  // nothing, when the scope needs a full pass (exclusive lock).
  bool ChangeAssociation(store::Transaction& txn, const CentralScope& scope, double now,
                         std::string_view target_id,
                         const std::function<void(PolicyAssociation&)>& change);
  // Test hook of ChangeAssociation (PoliciesState::verify_incremental): the scope's records
  // after `change` and a full pass, from a transaction rolled back at once; and the records
  // that differ from them, described in PoliciesState::verify_failures.
  std::vector<PolicyAssociation> FullPassOf(const CentralScope& scope, double now,
                                            std::string_view target_id,
                                            const std::function<void(PolicyAssociation&)>& change);
  void CompareWithFullPass(const CentralScope& scope,
                           const std::vector<PolicyAssociation>& expected);
  // The lifecycle step: finishes the propagations of the scope `prefix` that fell due. `due`
  // is the task's own due time (exclusive lock).
  void FinishPropagation(const std::string& prefix, double due);
  // Makes sure a FinishPropagation task of `prefix` runs no later than `due` (exclusive lock).
  void ScheduleFinishPropagation(const std::string& prefix, double due);
  // For the hub family (callers hold mutex_). Whether the central configuration of `scope`
  // still has configuration policies or APPLIED associations: AWS refuses to stop central
  // configuration until they are gone (user guide, "Disabling central configuration").
  bool CentralConfigurationInUse(std::string_view scope) const;
  // Deletes the configuration policies (and their tags) and associations of `scope`, as AWS
  // does when the delegated administrator is removed or the home Region changes.
  void ForgetCentralConfiguration(store::Transaction& txn, std::string_view scope);

  // --- hub.cc helpers (added by the hub family).
  // Tags of a taggable resource of `scope` (the hub, configuration policies), kept by the hub
  // family for TagResource/UntagResource/ListTagsForResource: replaces them, and an empty map
  // erases them (CreateConfigurationPolicy's Tags, DeleteConfigurationPolicy). Callers hold
  // mutex_.
  void PutResourceTags(store::Transaction& txn, std::string_view scope, std::string_view arn,
                       std::map<std::string, std::string> tags);
  // Lifecycle steps (the scheduler runs them; they take mutex_): a CENTRAL organization
  // configuration leaves PENDING, a DISABLE_IN_PROGRESS administrator goes. `key` is the
  // resource's key in hub_.
  void FinishOrganizationConfiguration(const std::string& key);
  void FinishAdminDisable(const std::string& key);
  // Follows the organization: accounts that join under AutoEnable, accounts that leave,
  // deleted organizations (takes mutex_).
  void OnHubOrganizationEvent(const org::Event& event);

  // --- standards.cc helpers (added by the standards family).
  // Reschedules, after a restore, the subscriptions that were PENDING or DELETING (for
  // Restore(), like ResumeHub and ResumePolicies).
  void ResumeStandards();
  // The lifecycle step (the scheduler runs it; it takes mutex_): a PENDING subscription
  // becomes READY, a DELETING one goes. `key` is the subscription's key in standards_.
  void FinishStandardsSubscription(const std::string& key);
  // For the hub family (callers hold mutex_): forgets the standards subscriptions of `scope`
  // (`<account>/<region>/`), as DisableSecurityHub does. Without it a subscription still ends
  // with its hub: it belongs to the hub's SubscribedAt, which a hub enabled again changes.
  void ForgetStandards(store::Transaction& txn, std::string_view scope);
};

// `<account>/<region>/`: the prefix of every key of one scope.
std::string ScopePrefix(std::string_view account_id, std::string_view region);

}  // namespace cairn::securityhub
