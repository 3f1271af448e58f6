// AWS Config: configuration aggregators and aggregation authorizations, conformance packs and
// organization conformance packs, organization config rules, and tags. One method per AWS
// operation, named after it, implemented by family:
//   aggregators.cc     aggregators, authorizations, pending aggregation requests, sources
//                      status, aggregate conformance-pack compliance; tags.cc: tags
//   packs.cc           conformance packs, organization conformance packs and their deployment
//                      into member accounts through the lifecycle scheduler
//   rules.cc           organization config rules and their deployment
// Each family keeps its collections in its own state struct (aggregators_state.h,
// packs_state.h, rules_state.h). Everything is per account and region (keys start with
// `<account>/<region>/`). One reader/writer lock guards all of it.
//
// Access to organization-wide operations is decided by org::Directory: the management
// account, or a delegated administrator for config.amazonaws.com (aggregators) or
// config-multiaccountsetup.amazonaws.com (organization packs and rules).
#pragma once

#include <boost/json/object.hpp>
#include <shared_mutex>

#include "base/page_token.h"
#include "base/shared_mutex.h"
#include "gateway/service.h"
#include "lifecycle/scheduler.h"
#include "org/directory.h"
#include "services/config/aggregators_state.h"
#include "services/config/packs_state.h"
#include "services/config/rules_state.h"
#include "store/store.h"

namespace cairn::config {

// Tags of every taggable Config resource, by `<account>/<region>/<resource ARN>`.
struct TagSet {
  std::map<std::string, std::string> tags;
  boost::json::value ToJson() const;
  static TagSet FromJson(const boost::json::value& value);
};

class Provider final : public gateway::Service {
 public:
  using Input = boost::json::object;
  using Output = Result<boost::json::object>;
  using Context = gateway::RequestContext;

  Provider(store::Journal& journal, lifecycle::Scheduler& scheduler, const PageTokens& tokens,
           org::Directory& directory);

  std::string_view Name() const override { return "config"; }
  void Bind(gateway::OperationTable& table) override;
  void Reset() override;
  // Loads state from the journal and reschedules what was moving (startup).
  void Restore();

  // --- aggregators.cc
  Output PutConfigurationAggregator(const Context& context, Input& input);
  Output DescribeConfigurationAggregators(const Context& context, Input& input);
  Output DeleteConfigurationAggregator(const Context& context, Input& input);
  Output DescribeConfigurationAggregatorSourcesStatus(const Context& context, Input& input);
  Output PutAggregationAuthorization(const Context& context, Input& input);
  Output DescribeAggregationAuthorizations(const Context& context, Input& input);
  Output DeleteAggregationAuthorization(const Context& context, Input& input);
  Output DescribePendingAggregationRequests(const Context& context, Input& input);
  Output DeletePendingAggregationRequest(const Context& context, Input& input);
  Output DescribeAggregateComplianceByConformancePacks(const Context& context, Input& input);
  Output GetAggregateConformancePackComplianceSummary(const Context& context, Input& input);

  // --- tags.cc
  Output TagResource(const Context& context, Input& input);
  Output UntagResource(const Context& context, Input& input);
  Output ListTagsForResource(const Context& context, Input& input);

  // --- packs.cc
  Output PutConformancePack(const Context& context, Input& input);
  Output DescribeConformancePacks(const Context& context, Input& input);
  Output DescribeConformancePackStatus(const Context& context, Input& input);
  Output DeleteConformancePack(const Context& context, Input& input);
  Output DescribeConformancePackCompliance(const Context& context, Input& input);
  Output GetConformancePackComplianceDetails(const Context& context, Input& input);
  Output GetConformancePackComplianceSummary(const Context& context, Input& input);
  Output ListConformancePackComplianceScores(const Context& context, Input& input);
  Output PutOrganizationConformancePack(const Context& context, Input& input);
  Output DescribeOrganizationConformancePacks(const Context& context, Input& input);
  Output DescribeOrganizationConformancePackStatuses(const Context& context, Input& input);
  Output GetOrganizationConformancePackDetailedStatus(const Context& context, Input& input);
  Output DeleteOrganizationConformancePack(const Context& context, Input& input);

  // --- rules.cc
  Output PutOrganizationConfigRule(const Context& context, Input& input);
  Output DescribeOrganizationConfigRules(const Context& context, Input& input);
  Output DescribeOrganizationConfigRuleStatuses(const Context& context, Input& input);
  Output GetOrganizationConfigRuleDetailedStatus(const Context& context, Input& input);
  Output DeleteOrganizationConfigRule(const Context& context, Input& input);

 private:
  // Each family binds the operations it implements (an operation not bound answers 501).
  void BindAggregators(gateway::OperationTable& table);
  void BindTags(gateway::OperationTable& table);
  void BindPacks(gateway::OperationTable& table);
  void BindRules(gateway::OperationTable& table);

  // Each family reschedules, after a restore, what was moving.
  void ResumePacks();
  void ResumeRules();
  // Each family follows the organization (accounts joining, leaving, suspended).
  void OnOrganizationEvent(const org::Event& event);
  void OnOrganizationEventPacks(const org::Event& event);
  void OnOrganizationEventRules(const org::Event& event);

  // Whether a resource with this ARN exists in the scope (tags.cc asks each family).
  bool AggregatorsOwnArn(std::string_view scope, std::string_view arn) const;
  bool PacksOwnArn(std::string_view scope, std::string_view arn) const;

  std::vector<store::CollectionBase*> AllCollections();

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
  AggregatorsState aggregators_;
  PacksState packs_;
  RulesState rules_;
  store::Collection<TagSet> tags_{"config.tags"};

  // --- rules.cc: the deployment lifecycle of organization config rules (declared here for
  // the scheduler's closures, which run them under mutex_ like requests).
  // Runs SettleRuleDeployments(rule_key) once the clock reads `due`.
  void ScheduleRuleStep(const std::string& rule_key, double due);
  // Settles the member deployments of the rule at `rule_key` that fell due, then the rule.
  void SettleRuleDeployments(const std::string& rule_key);

  // --- packs.cc: the lifecycle steps of conformance packs and organization conformance packs
  // (declared here for the scheduler's closures, which run them under mutex_ like requests),
  // and POST /_cairn/config/deployment-failures.
  // Finishes the create or delete of the account's own conformance pack at `pack_key`.
  void ScheduleConformancePackStep(const std::string& pack_key, double due);
  // Completes the member deployments of the organization pack at `pack_key` that fell due
  // (all accounts in one step, under one lock), then its organization status.
  void ScheduleOrganizationPackStep(const std::string& pack_key, double due);
  Output SetDeploymentFailure(const boost::json::object& body, double now);
};

// `<account>/<region>/`: the prefix of every key of one scope.
std::string ScopePrefix(std::string_view account_id, std::string_view region);

}  // namespace cairn::config
