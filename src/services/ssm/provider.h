// SSM State Manager: associations and their runs, documents, managed nodes, compliance and
// tags. One method per AWS operation, named after it; the methods are implemented by family:
//   associations.cc  associations, versions, executions and the lifecycle of runs
//   documents.cc     documents (account-owned and the AWS-owned catalog), versions, sharing
//   nodes.cc         managed nodes (DescribeInstanceInformation, the admin registration)
//   compliance.cc    compliance items and summaries
//   tags.cc          tags of associations, documents and managed nodes
//
// Everything is per account and region (keys start with ScopePrefix). State is guarded by
// one reader/writer lock: reads share it, writes hold it exclusively for one transaction.
#pragma once

#include <boost/json/object.hpp>
#include <shared_mutex>

#include "base/page_token.h"
#include "base/shared_mutex.h"
#include "gateway/service.h"
#include "lifecycle/scheduler.h"
#include "org/directory.h"
#include "services/ssm/state.h"
#include "store/store.h"

namespace cairn::ssm {

// A document an association or a run can use: the account's own, one shared with it, or an
// AWS-owned one, at the version asked for.
struct ResolvedDocument {
  std::string name;            // as the association stores it (name or ARN as given)
  std::string version;         // the concrete version: "1", "2", ...
  std::string document_type;   // Command, Automation, ...
  std::string schema_version;  // "1.2", "2.2", ...
  // The DocumentParameter list of that version: the AWS catalog's own, or parsed from the
  // account's document; shared, not copied (CreateAssociation reads it on every call).
  std::shared_ptr<const boost::json::array> parameters;
  const std::string* content = nullptr;  // the version's; valid while the state's lock is held
};

class Provider final : public gateway::Service {
 public:
  using Input = boost::json::object;
  using Output = Result<boost::json::object>;
  using Context = gateway::RequestContext;

  Provider(store::Journal& journal, lifecycle::Scheduler& scheduler, const PageTokens& tokens,
           const org::Directory& directory);

  std::string_view Name() const override { return "ssm"; }
  void Bind(gateway::OperationTable& table) override;
  void Reset() override;
  // Loads state from the journal and reschedules what was moving (startup).
  void Restore();

  // --- associations.cc
  Output CreateAssociation(const Context& context, Input& input);
  Output CreateAssociationBatch(const Context& context, Input& input);
  Output DescribeAssociation(const Context& context, Input& input);
  Output UpdateAssociation(const Context& context, Input& input);
  Output DeleteAssociation(const Context& context, Input& input);
  Output ListAssociations(const Context& context, Input& input);
  Output ListAssociationVersions(const Context& context, Input& input);
  Output DescribeAssociationExecutions(const Context& context, Input& input);
  Output DescribeAssociationExecutionTargets(const Context& context, Input& input);
  Output StartAssociationsOnce(const Context& context, Input& input);
  Output UpdateAssociationStatus(const Context& context, Input& input);
  Output DescribeInstanceAssociationsStatus(const Context& context, Input& input);
  Output DescribeEffectiveInstanceAssociations(const Context& context, Input& input);

  // --- documents.cc
  Output CreateDocument(const Context& context, Input& input);
  Output DescribeDocument(const Context& context, Input& input);
  Output GetDocument(const Context& context, Input& input);
  Output ListDocuments(const Context& context, Input& input);
  Output UpdateDocument(const Context& context, Input& input);
  Output DeleteDocument(const Context& context, Input& input);
  Output ListDocumentVersions(const Context& context, Input& input);
  Output UpdateDocumentDefaultVersion(const Context& context, Input& input);
  Output DescribeDocumentPermission(const Context& context, Input& input);
  Output ModifyDocumentPermission(const Context& context, Input& input);

  // --- nodes.cc
  Output DescribeInstanceInformation(const Context& context, Input& input);
  Output CreateActivation(const Context& context, Input& input);
  // POST /_cairn/ssm/instances: {"AccountId","Region","InstanceId"?,"PlatformType"?,
  // "ComputerName"?,"Tags"?,"AssociationOutcome"?} -> {"InstanceId"}.
  Output RegisterNode(const boost::json::object& body, double now);

  // --- compliance.cc
  Output PutComplianceItems(const Context& context, Input& input);
  Output ListComplianceItems(const Context& context, Input& input);
  Output ListComplianceSummaries(const Context& context, Input& input);
  Output ListResourceComplianceSummaries(const Context& context, Input& input);

  // --- tags.cc
  Output AddTagsToResource(const Context& context, Input& input);
  Output RemoveTagsFromResource(const Context& context, Input& input);
  Output ListTagsForResource(const Context& context, Input& input);

 private:
  // --- documents.cc: the document `name_or_arn` at `version` ("" or "$DEFAULT": the default
  // version, "$LATEST", or a number) as `account` in `region` may use it. Errors:
  // InvalidDocument (no such document, or not shared with the account), InvalidDocumentVersion.
  Result<ResolvedDocument> FindDocument(const State& state, std::string_view account,
                                        std::string_view region, std::string_view name_or_arn,
                                        std::string_view version) const;

  // --- compliance.cc: records the `Association` compliance of a node after a run (for
  // associations with SyncCompliance AUTO).
  void RecordAssociationCompliance(State& state, store::Transaction& txn, std::string_view scope,
                                   const Association& association, std::string_view node_id,
                                   std::string_view status, double now);

  // --- tags.cc: the tags of a resource (empty if none).
  std::map<std::string, std::string> TagsOf(const State& state, std::string_view scope,
                                            std::string_view resource_type,
                                            std::string_view resource_id) const;

  // Each family binds the operations it implements (an operation not bound answers 501).
  void BindAssociations(gateway::OperationTable& table);
  void BindDocuments(gateway::OperationTable& table);
  void BindNodes(gateway::OperationTable& table);
  void BindCompliance(gateway::OperationTable& table);
  void BindTags(gateway::OperationTable& table);
  // Binds `method` as the handler of `operation`.

  // --- associations.cc
  // The cross-field rules of an association's members; returns the document it uses.
  Result<ResolvedDocument> CheckSpec(const State& state, const Context& context,
                                     const boost::json::object& spec) const;
  // Tags (the request's Tags member, null when absent) that AWS refuses.
  Result<Ok> CheckTags(const boost::json::value* tags) const;
  // The request members an association stores (all but Tags and the identifying members).
  static boost::json::object StoredSpec(boost::json::object input);
  // What ScheduleAfterCommit needs of an association a write created or updated.
  struct Scheduled {
    std::string id;
    double next_run = 0;
    bool at_cron_interval_only = false;  // ApplyOnlyAtCronInterval
  };
  // Creates one association in `txn`; returns its AssociationDescription and fills
  // `scheduled` for ScheduleAfterCommit once the transaction committed.
  Result<boost::json::object> CreateOne(State& state, store::Transaction& txn,
                                        const Context& context, boost::json::object input,
                                        Scheduled& scheduled);
  const Association* FindAssociation(const State& state, std::string_view scope,
                                     const boost::json::object& input) const;
  // Whether the association targets the node (with these tags).
  static bool Targets(const Association& association, const ManagedNode& node,
                      const std::map<std::string, std::string>& tags);
  // When the association's schedule next fires after `after` (0: never).
  double NextRun(const boost::json::object& spec, double after) const;
  static Scheduled ScheduledOf(const Association& association, const boost::json::object& spec);
  void ScheduleAfterCommit(const std::string& scope, const Scheduled& association, double now);
  // The lifecycle of runs. StartRun resolves the targets (only `only_node` when given) and
  // creates the execution; `scheduled_for` is the due time of a schedule's run (0: a run on
  // demand). AdvanceRun moves it one wave on; FinishRun applies its outcome.
  void StartRun(std::string scope, std::string association_id, std::string only_node,
                double scheduled_for);
  void AdvanceRun(std::string scope, std::string execution_key);
  void FinishRun(State& state, store::Transaction& txn, const std::string& scope,
                 const Association& association, const std::vector<std::string>& target_keys,
                 const std::map<std::string, int>& counts, const std::string& status, double now);
  // Reschedules, after a restore, every association schedule and run that was moving.
  void ResumeAssociations();

 public:
  // A node was registered or changed (nodes.cc calls it after its write committed): the
  // associations whose targets now include it run on it, as AWS runs dynamic targets.
  void OnNodeRegistered(const std::string& scope, const std::string& node_id);

 private:
  // --- documents.cc: the lifecycle of document versions (Creating or Updating, then Active).
  // ResumeDocuments reschedules, after a restore, every version still moving; Restore() calls it.
  void ResumeDocuments();
  void ActivateDocumentVersion(std::string version_key);

  template <typename Fn>
  auto Write(Fn&& fn);

  store::Journal& journal_;
  lifecycle::Scheduler& scheduler_;
  const PageTokens& tokens_;
  const org::Directory& directory_;
  mutable base::SharedMutex mutex_;
  State state_;  // guarded by mutex_
};

// Runs `fn(State&, Transaction&)` under the exclusive lock in one transaction, committed when
// `fn` returns a successful Result and rolled back otherwise.
template <typename Fn>
auto Provider::Write(Fn&& fn) {
  return store::WriteLocked(mutex_, journal_,
                            [&](store::Transaction& txn) { return fn(state_, txn); });
}

}  // namespace cairn::ssm
