// State Manager associations: the operations of the associations family and the lifecycle of
// the runs they start. A run is an execution over the association's targets, resolved when the
// run starts: targets go Pending -> InProgress -> Success/Failed in waves of MaxConcurrency,
// one wave per kRunStepSeconds of clock time, until MaxErrors is exceeded (the targets not
// reached then are Skipped). The association's Overview, LastExecutionDate,
// LastSuccessfulExecutionDate, each node's association status and (SyncCompliance AUTO) its
// Association compliance follow from the finished run.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <mutex>
#include <set>

#include "base/ids.h"
#include "base/json_fields.h"
#include "base/time_format.h"
#include "services/common/paging.h"
#include "services/ssm/errors.h"
#include "services/ssm/provider.h"
#include "services/ssm/schedule.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

using json_fields::Flag;
using json_fields::Text;

// How long one wave of a run takes in cairn (seconds of clock time).
constexpr double kRunStepSeconds = 1.0;
// "You can have at most 2,000 active associations" (CreateAssociation, AssociationLimitExceeded),
// per account and Region.
constexpr size_t kMaxAssociations = 2000;
// Each association has a limit of 1,000 versions (AssociationVersionLimitExceeded).
constexpr int kMaxVersions = 1000;
// AWS's default page size for the association List/Describe operations.
constexpr size_t kDefaultPageSize = 50;

const services::PagingRules kPaging{"ssm", "MaxResults", kDefaultPageSize, false,
                                    [] { return errors::InvalidNextToken(); }};
const services::PagingRules kEffectivePaging{"ssm", "MaxResults", 5, false,
                                             [] { return errors::InvalidNextToken(); }};

// Members of CreateAssociation that the seed page says InstanceId excludes.
constexpr std::string_view kExcludedByInstanceId[] = {"AssociationName", "DocumentVersion",
                                                      "MaxErrors",       "MaxConcurrency",
                                                      "OutputLocation",  "ScheduleExpression"};
// Request members that are not part of the association's description.
constexpr std::string_view kNotStored[] = {"Tags", "AssociationId", "AssociationVersion"};

std::optional<int> OptionalInt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_number()) return std::nullopt;
  return static_cast<int>(value->to_number<double>());
}

std::string AssociationKey(std::string_view scope, std::string_view id) {
  return std::string(scope) + std::string(id);
}

std::string VersionKey(std::string_view scope, std::string_view id, int version) {
  return AssociationKey(scope, id) + "/" + PaddedNumber(static_cast<uint64_t>(version));
}

std::string ExecutionPrefix(std::string_view scope, std::string_view id) {
  return AssociationKey(scope, id) + "/";
}

// Newest first: the sequence counts down from the far future.
std::string ExecutionKey(std::string_view scope, std::string_view id, double created,
                         std::string_view execution_id) {
  const auto millis = static_cast<uint64_t>(std::llround(created * 1000.0));
  return ExecutionPrefix(scope, id) + PaddedNumber(9'999'999'999'999'999ULL - millis, 16) + "/" +
         std::string(execution_id);
}

std::string TargetPrefix(std::string_view scope, std::string_view id,
                         std::string_view execution_id) {
  return AssociationKey(scope, id) + "/" + std::string(execution_id) + "/";
}

std::string StatusKey(std::string_view scope, std::string_view node_id,
                      std::string_view association_id) {
  return std::string(scope) + std::string(node_id) + "/" + std::string(association_id);
}

json::object CountsJson(const std::map<std::string, int>& counts) {
  json::object out;
  for (const auto& [status, count] : counts) out[status] = count;
  return out;
}

// What an association looks like to a client: the members it was given, AWS's defaults for
// the ones it reports anyway (CreateAssociation's sample response: DocumentVersion $DEFAULT,
// ApplyOnlyAtCronInterval false, a legacy InstanceId shown as an InstanceIds target), and
// cairn's own fields. The output shapes keep what they have of it (AssociationDescription,
// Association, ...): the serializer drops the rest.
// `out` starts as the association's spec, parsed (a caller that holds it parsed already passes
// it instead of parsing the stored text again).
json::object DescriptionJson(const Association& association, json::object out) {
  out.reserve(out.size() + 12);  // the members added below, without growing the table twice
  const std::string instance_id = Text(out, "InstanceId");
  out["AssociationId"] = association.id;
  out["AssociationVersion"] = std::to_string(association.version);
  out["Date"] = association.created;
  out["LastUpdateAssociationDate"] = association.updated;
  if (!out.contains("DocumentVersion")) out["DocumentVersion"] = "$DEFAULT";
  if (!out.contains("ApplyOnlyAtCronInterval")) out["ApplyOnlyAtCronInterval"] = false;
  if (!instance_id.empty() && !out.contains("Targets")) {
    out["Targets"] =
        json::array{{{"Key", "InstanceIds"}, {"Values", json::array{json::string(instance_id)}}}};
  }
  json::object overview{{"Status", association.status},
                        {"DetailedStatus", association.detailed_status}};
  if (!association.status_counts.empty())
    overview["AssociationStatusAggregatedCount"] = CountsJson(association.status_counts);
  out["Overview"] = std::move(overview);
  if (association.last_execution > 0) out["LastExecutionDate"] = association.last_execution;
  if (association.last_success > 0) out["LastSuccessfulExecutionDate"] = association.last_success;
  if (!association.legacy_status.empty()) out["Status"] = association.legacy_status;
  return out;
}

json::object DescriptionJson(const Association& association) {
  return DescriptionJson(association, association.spec.Parse());
}

json::object VersionJson(const AssociationVersion& version) {
  json::object out = version.spec.Parse();
  out["AssociationId"] = version.association_id;
  out["AssociationVersion"] = std::to_string(version.version);
  out["CreatedDate"] = version.created;
  return out;
}

json::object ExecutionJson(const Execution& execution) {
  json::object out{{"AssociationId", execution.association_id},
                   {"AssociationVersion", std::to_string(execution.association_version)},
                   {"ExecutionId", execution.id},
                   {"Status", execution.status},
                   {"DetailedStatus", execution.detailed_status},
                   {"CreatedTime", execution.created}};
  if (execution.last_execution > 0) out["LastExecutionDate"] = execution.last_execution;
  std::string counts;
  for (const auto& [status, count] : execution.resource_counts) {
    if (!counts.empty()) counts.append(", ");
    counts.append(status).append("=").append(std::to_string(count));
  }
  // ResourceCountByStatus is a string in the model: AWS writes `{Success=1}`.
  out["ResourceCountByStatus"] = "{" + counts + "}";
  return out;
}

json::object TargetJson(const ExecutionTarget& target) {
  json::object out{{"AssociationId", target.association_id},
                   {"AssociationVersion", std::to_string(target.association_version)},
                   {"ExecutionId", target.execution_id},
                   {"ResourceId", target.resource_id},
                   {"ResourceType", target.resource_type},
                   {"Status", target.status},
                   {"DetailedStatus", target.detailed_status}};
  if (target.last_execution > 0) out["LastExecutionDate"] = target.last_execution;
  return out;
}

// Does `node` (with `tags`) match every target of the association? Targets are ANDed, the
// values of one target ORed ("Targeting multiple managed nodes", SSM user guide).
bool MatchesTargets(const json::array& targets, const ManagedNode& node,
                    const std::map<std::string, std::string>& tags) {
  if (targets.empty()) return false;
  for (const json::value& target_value : targets) {
    const json::object& target = target_value.as_object();
    const std::string key = Text(target, "Key");
    const json::value* values_value = target.if_contains("Values");
    const json::array values =
        values_value && values_value->is_array() ? values_value->get_array() : json::array();
    auto has_value = [&values](std::string_view wanted) {
      return std::any_of(values.begin(), values.end(),
                         [&](const json::value& value) { return value.get_string() == wanted; });
    };
    bool matched = false;
    if (key == "InstanceIds") {
      matched = has_value("*") || has_value(node.id);
    } else if (key == "AWS::EC2::Instance" || key == "AWS::SSM::ManagedInstance") {
      matched = has_value("*");
    } else if (key == "tag-key") {
      matched = std::any_of(tags.begin(), tags.end(),
                            [&](const auto& tag) { return has_value(tag.first); });
    } else if (key.starts_with("tag:")) {
      auto tag = tags.find(key.substr(4));
      matched = tag != tags.end() && has_value(tag->second);
    }
    // resource-groups:Name and the like: cairn has no resource groups, so they match no node.
    if (!matched) return false;
  }
  return true;
}

// Target nodes of a TargetMaps association: the InstanceIds of each map.
bool MatchesTargetMaps(const json::array& target_maps, const ManagedNode& node) {
  for (const json::value& map_value : target_maps) {
    const json::value* ids = map_value.as_object().if_contains("InstanceIds");
    if (!ids || !ids->is_array()) continue;
    for (const json::value& id : ids->get_array()) {
      if (id.get_string() == node.id || id.get_string() == "*") return true;
    }
  }
  return false;
}

// `10` or `10%` of `total`: the size of a wave (MaxConcurrency, at least 1) or the error
// threshold (MaxErrors: "If you run an association on 50 managed nodes and set MaxError to
// 10%, then the system stops sending the request when the sixth error is received").
size_t CountOrPercent(std::string_view value, size_t total, size_t fallback) {
  if (value.empty()) return fallback;
  const bool percent = value.back() == '%';
  const size_t number = static_cast<size_t>(
      std::stoul(std::string(percent ? value.substr(0, value.size() - 1) : value)));
  return percent ? total * number / 100 : number;
}

Result<Ok> CheckTargets(const json::object& spec) {
  const json::value* targets = spec.if_contains("Targets");
  if (!targets) return Ok{};
  for (const json::value& target_value : targets->get_array()) {
    const json::object& target = target_value.as_object();
    const std::string key = Text(target, "Key");
    const json::value* values = target.if_contains("Values");
    const bool known =
        key == "InstanceIds" || key == "tag-key" || (key.starts_with("tag:") && key.size() > 4) ||
        key == "resource-groups:Name" || key == "ResourceGroup" || key == "ParameterValues" ||
        key == "AWS::EC2::Instance" || key == "AWS::SSM::ManagedInstance";
    if (!known) return errors::InvalidTarget("Target key " + key + " is not supported.");
    if (!values || values->get_array().empty()) {
      return errors::InvalidTarget("Target " + key + " must have at least one value.");
    }
    if (key == "InstanceIds") {
      const json::array& ids = values->get_array();
      for (const json::value& id : ids) {
        const std::string_view text = id.get_string();
        const bool wildcard = text == "*" && ids.size() == 1;
        const bool ec2 = text.starts_with("i-") && (text.size() == 10 || text.size() == 19);
        const bool managed = text.starts_with("mi-") && text.size() == 20;
        if (!wildcard && !ec2 && !managed) {
          return errors::InvalidTarget("Instance Id " + std::string(text) + " is not valid.");
        }
      }
    }
  }
  return Ok{};
}

// S3 bucket naming rules, which the output location must follow (InvalidOutputLocation).
bool IsBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char character : name) {
    if (!((character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
          character == '-' || character == '.')) {
      return false;
    }
  }
  return name.front() != '-' && name.front() != '.' && name.back() != '-' && name.back() != '.';
}

// Document parameters the association must give (those without a default) and may give.
Result<Ok> CheckParameters(const json::object& spec, const ResolvedDocument& document) {
  const json::array& parameters = *document.parameters;
  const auto declared = [&](std::string_view name) {
    return std::any_of(parameters.begin(), parameters.end(), [&](const json::value& parameter) {
      const json::value* declared_name = parameter.as_object().if_contains("Name");
      return declared_name && declared_name->is_string() && declared_name->get_string() == name;
    });
  };
  static const json::object kNone;
  const json::value* given_value = spec.if_contains("Parameters");
  const json::object& given =
      given_value && given_value->is_object() ? given_value->get_object() : kNone;
  for (const auto& entry : given) {
    if (!declared(entry.key())) {
      return errors::InvalidParameters("Parameter \"" + std::string(entry.key()) +
                                       "\" is not defined in the document.");
    }
  }
  // TargetMaps carry parameter values per target, so they may supply required parameters.
  if (spec.contains("TargetMaps")) return Ok{};
  for (const json::value& parameter_value : parameters) {
    const json::object& parameter = parameter_value.as_object();
    if (parameter.contains("DefaultValue")) continue;
    const std::string name = Text(parameter, "Name");
    // Automation runbooks take their target parameter from the targets.
    if (name == Text(spec, "AutomationTargetParameterName")) continue;
    if (!given.contains(name)) {
      // Real AWS wording, e.g. `Parameter "InstanceId" requires a value.`
      // (hashicorp/terraform-provider-aws#35908).
      return errors::InvalidParameters("Parameter \"" + name + "\" requires a value.");
    }
  }
  return Ok{};
}

}  // namespace

void Provider::BindAssociations(gateway::OperationTable& table) {
  table.Bind("CreateAssociation", this, &Provider::CreateAssociation);
  table.Bind("CreateAssociationBatch", this, &Provider::CreateAssociationBatch);
  table.Bind("DescribeAssociation", this, &Provider::DescribeAssociation);
  table.Bind("UpdateAssociation", this, &Provider::UpdateAssociation);
  table.Bind("DeleteAssociation", this, &Provider::DeleteAssociation);
  table.Bind("ListAssociations", this, &Provider::ListAssociations);
  table.Bind("ListAssociationVersions", this, &Provider::ListAssociationVersions);
  table.Bind("DescribeAssociationExecutions", this, &Provider::DescribeAssociationExecutions);
  table.Bind("DescribeAssociationExecutionTargets", this,
             &Provider::DescribeAssociationExecutionTargets);
  table.Bind("StartAssociationsOnce", this, &Provider::StartAssociationsOnce);
  table.Bind("UpdateAssociationStatus", this, &Provider::UpdateAssociationStatus);
  table.Bind("DescribeInstanceAssociationsStatus", this,
             &Provider::DescribeInstanceAssociationsStatus);
  table.Bind("DescribeEffectiveInstanceAssociations", this,
             &Provider::DescribeEffectiveInstanceAssociations);
}

// --- Creating and changing associations

// Every rule of CreateAssociation/UpdateAssociation the model cannot express, on the spec the
// association would have. Returns the document it uses.
Result<ResolvedDocument> Provider::CheckSpec(const State& state, const Context& context,
                                             const json::object& spec) const {
  const bool legacy = spec.contains("InstanceId");
  if (legacy) {
    for (std::string_view member : kExcludedByInstanceId) {
      if (spec.contains(member)) {
        return errors::InvalidParameters(
            "If you use the parameter InstanceId, you can't use the parameters AssociationName, "
            "DocumentVersion, "
            "MaxErrors, MaxConcurrency, OutputLocation, or ScheduleExpression. To use these "
            "parameters, you must "
            "use the Targets parameter.");
      }
    }
    if (spec.contains("Targets") || spec.contains("TargetMaps")) {
      return errors::InvalidTarget(
          "InstanceId can't be specified together with Targets or TargetMaps.");
    }
  }
  if (spec.contains("Targets") && spec.contains("TargetMaps")) {
    return errors::InvalidTargetMaps("Both Targets and TargetMaps can't be specified together.");
  }
  if (Result<Ok> targets = CheckTargets(spec); !targets.ok()) return std::move(targets).error();

  const std::string scope = ScopePrefix(context.account_id, context.region);
  Result<ResolvedDocument> document = FindDocument(
      state, context.account_id, context.region, Text(spec, "Name"), Text(spec, "DocumentVersion"));
  if (!document.ok()) return document;
  if (legacy) {
    // "Requests that include the parameter InstanceID with SSM documents that use schema
    // version 2.0 or later will fail" (CreateAssociation); AWS's wording for it.
    const std::string schema = document->schema_version;
    if (!schema.empty() && schema >= "2.0") {
      return errors::InvalidDocument(
          "Document schema version, " + schema +
          ", is not supported by association that is created with instance id");
    }
    if (!state.nodes.Find(scope + Text(spec, "InstanceId"))) return errors::InvalidInstanceId();
  }
  if (Result<Ok> parameters = CheckParameters(spec, *document); !parameters.ok())
    return std::move(parameters).error();

  const std::string expression = Text(spec, "ScheduleExpression");
  if (!expression.empty()) {
    Result<schedule::Schedule> parsed = schedule::Parse(expression);
    if (!parsed.ok()) return std::move(parsed).error();
    if (Status options = schedule::CheckOptions(*parsed, Flag(spec, "ApplyOnlyAtCronInterval"),
                                                OptionalInt(spec, "ScheduleOffset"));
        !options.ok()) {
      return std::move(options).error();
    }
  } else if (spec.contains("ScheduleOffset")) {
    return errors::InvalidSchedule("ScheduleOffset can be used only with a cron expression.");
  }
  if (const json::value* output = spec.if_contains("OutputLocation")) {
    const json::value* s3 = output->as_object().if_contains("S3Location");
    if (s3 && s3->is_object() && s3->as_object().contains("OutputS3BucketName") &&
        !IsBucketName(Text(s3->as_object(), "OutputS3BucketName"))) {
      return errors::InvalidOutputLocation(
          "The S3 bucket name " + Text(s3->as_object(), "OutputS3BucketName") + " is not valid.");
    }
  }
  return document;
}

Result<Ok> Provider::CheckTags(const json::value* tags) const {
  if (!tags) return Ok{};
  for (const json::value& tag : tags->get_array()) {
    // Keys that start with aws: are reserved for AWS (Tagging AWS resources).
    if (Text(tag.as_object(), "Key").starts_with("aws:")) {
      return errors::InvalidTag("Tag keys beginning with aws: are reserved for AWS use.");
    }
  }
  return Ok{};
}

json::object Provider::StoredSpec(json::object input) {
  for (std::string_view member : kNotStored) input.erase(member);
  return input;
}

// Creates one association in an open transaction, with its next scheduled run. The caller
// starts its first run and its schedule once the transaction committed (ScheduleAfterCommit).
Result<json::object> Provider::CreateOne(State& state, store::Transaction& txn,
                                         const Context& context, json::object input,
                                         Scheduled& scheduled) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  // The request is the spec but for Tags (kept apart, in their own collection) and the
  // members that name an existing association: moved, not copied.
  json::value tags;
  if (json::value* given = input.if_contains("Tags")) tags = std::move(*given);
  json::object spec = StoredSpec(std::move(input));
  Result<ResolvedDocument> document = CheckSpec(state, context, spec);
  if (!document.ok()) return std::move(document).error();
  if (Result<Ok> checked = CheckTags(tags.is_array() ? &tags : nullptr); !checked.ok())
    return std::move(checked).error();

  // A legacy association binds one document to one node once (AssociationAlreadyExists): the
  // spec has no AssociationId, so FindAssociation looks it up by Name and InstanceId. The
  // scope's count is kept by the collection (constant time).
  if (spec.contains("InstanceId") && FindAssociation(state, scope, spec))
    return errors::AssociationAlreadyExists();
  if (state.associations.GroupSize(scope) >= kMaxAssociations)
    return errors::AssociationLimitExceeded();

  Association association;
  association.id = ids::Uuid();
  association.spec = Spec(spec);
  association.created = context.now;
  association.updated = context.now;
  association.next_run = NextRun(spec, context.now);
  if (spec.contains("InstanceId")) {
    association.legacy_status = {{"Date", context.now},
                                 {"Name", "Associated"},
                                 {"Message", "Associated with " + Text(spec, "Name")}};
  }
  state.association_versions.Put(
      txn, VersionKey(scope, association.id, 1),
      AssociationVersion{association.id, 1, association.spec, context.now});
  if (tags.is_array() && !tags.get_array().empty()) {
    TagSet tag_set;
    for (const json::value& tag : tags.get_array()) {
      tag_set.tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
    state.tags.Put(txn, TagKey(scope, "Association", association.id), std::move(tag_set));
  }
  std::string key = AssociationKey(scope, association.id);
  const Association& stored = state.associations.Put(txn, std::move(key), std::move(association));
  scheduled = ScheduledOf(stored, spec);
  return DescriptionJson(stored, std::move(spec));
}

Provider::Scheduled Provider::ScheduledOf(const Association& association,
                                          const json::object& spec) {
  return Scheduled{association.id, association.next_run, Flag(spec, "ApplyOnlyAtCronInterval")};
}

// After a create or update committed: the first run (unless ApplyOnlyAtCronInterval: "Specify
// this option if you don't want an association to run immediately after you create it") and
// the schedule.
void Provider::ScheduleAfterCommit(const std::string& scope, const Scheduled& association,
                                   double now) {
  if (!association.at_cron_interval_only) {
    scheduler_.At(now, [this, scope, id = association.id] { StartRun(scope, id, "", 0); });
  }
  if (association.next_run > 0) {
    scheduler_.At(association.next_run,
                  [this, scope, id = association.id, due = association.next_run] {
                    StartRun(scope, id, "", due);
                  });
  }
}

// When the association's schedule fires next after `after`, or 0.
double Provider::NextRun(const json::object& spec, double after) const {
  const std::string expression = Text(spec, "ScheduleExpression");
  if (expression.empty()) return 0;
  Result<schedule::Schedule> parsed = schedule::Parse(expression);
  if (!parsed.ok()) return 0;
  return schedule::NextAfter(*parsed, after, OptionalInt(spec, "ScheduleOffset").value_or(0))
      .value_or(0);
}

Provider::Output Provider::CreateAssociation(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  Scheduled created;
  Output output = Write([&](State& state, store::Transaction& txn) -> Output {
    Result<json::object> description = CreateOne(state, txn, context, std::move(input), created);
    if (!description.ok()) return std::move(description).error();
    return json::object{{"AssociationDescription", std::move(*description)}};
  });
  if (output.ok()) ScheduleAfterCommit(scope, created, context.now);
  return output;
}

Provider::Output Provider::CreateAssociationBatch(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  json::array successful;
  json::array failed;
  for (const json::value& entry_value : input.at("Entries").as_array()) {
    json::object entry = entry_value.as_object();
    if (const json::value* role = input.if_contains("AssociationDispatchAssumeRole");
        role && !entry.contains("AssociationDispatchAssumeRole")) {
      entry["AssociationDispatchAssumeRole"] = *role;
    }
    Scheduled created;
    // Each entry succeeds or fails on its own, in its own transaction.
    Output one = Write([&](State& state, store::Transaction& txn) -> Output {
      return CreateOne(state, txn, context, std::move(entry), created);
    });
    if (one.ok()) {
      successful.push_back(std::move(*one));
      ScheduleAfterCommit(scope, created, context.now);
    } else {
      failed.push_back(
          {{"Entry", entry_value}, {"Message", one.error().message}, {"Fault", "Client"}});
    }
  }
  return json::object{{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

// The association an operation names: by AssociationId, or (legacy) by Name and InstanceId.
const Association* Provider::FindAssociation(const State& state, std::string_view scope,
                                             const json::object& input) const {
  const std::string id = Text(input, "AssociationId");
  if (!id.empty()) return state.associations.Find(AssociationKey(scope, id));
  const std::string name = Text(input, "Name");
  const std::string instance_id = Text(input, "InstanceId");
  if (name.empty() || instance_id.empty()) return nullptr;
  for (auto item = state.associations.LowerBound(scope);
       item != state.associations.items().end() && item->first.starts_with(scope); ++item) {
    const json::object spec = item->second.spec.Parse();
    if (Text(spec, "Name") == name && Text(spec, "InstanceId") == instance_id) {
      return &item->second;
    }
  }
  return nullptr;
}

Provider::Output Provider::DescribeAssociation(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  const Association* association = FindAssociation(state_, scope, input);
  if (!association) return errors::AssociationDoesNotExist();
  const std::string version = Text(input, "AssociationVersion");
  if (version.empty() || version == "$LATEST" || version == std::to_string(association->version)) {
    return json::object{{"AssociationDescription", DescriptionJson(*association)}};
  }
  // An earlier version: its members, with the association's current status.
  const AssociationVersion* stored =
      state_.association_versions.Find(VersionKey(scope, association->id, std::stoi(version)));
  if (!stored) return errors::InvalidAssociationVersion();
  Association earlier = *association;
  earlier.version = stored->version;
  earlier.spec = stored->spec;
  earlier.updated = stored->created;
  return json::object{{"AssociationDescription", DescriptionJson(earlier)}};
}

Provider::Output Provider::UpdateAssociation(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  Scheduled updated;
  Output output = Write([&](State& state, store::Transaction& txn) -> Output {
    const Association* current =
        state.associations.Find(AssociationKey(scope, Text(input, "AssociationId")));
    if (!current) return errors::AssociationDoesNotExist();
    // "This parameter is provided for concurrency control purposes. You must specify the
    // latest association version in the service" (UpdateAssociation, AssociationVersion).
    const std::string version = Text(input, "AssociationVersion");
    if (!version.empty() && version != "$LATEST" && version != std::to_string(current->version)) {
      return errors::InvalidAssociationVersion();
    }
    if (current->version >= kMaxVersions) return errors::AssociationVersionLimitExceeded();
    // "When you call UpdateAssociation, the system removes all optional parameters from the
    // request and overwrites the association with null values for those parameters"
    // (UpdateAssociation): the new version is the request. What says which association it
    // is — the document and how it targets nodes — carries over when the request omits it.
    json::object spec = StoredSpec(input);
    const json::object current_spec = current->spec.Parse();
    for (std::string_view kept : {"Name", "InstanceId", "Targets", "TargetMaps"}) {
      if (!spec.contains(kept) && current_spec.contains(kept) &&
          !(kept == "Targets" && spec.contains("TargetMaps")) &&
          !(kept == "TargetMaps" && spec.contains("Targets"))) {
        spec[kept] = current_spec.at(kept);
      }
    }
    if (Result<ResolvedDocument> checked = CheckSpec(state, context, spec); !checked.ok()) {
      return std::move(checked).error();
    }
    const std::string key = AssociationKey(scope, current->id);
    const int new_version = current->version + 1;
    const Spec stored(spec);
    state.association_versions.Put(
        txn, VersionKey(scope, current->id, new_version),
        AssociationVersion{current->id, new_version, stored, context.now});
    state.associations.Update(txn, key, [&](Association& association) {
      association.spec = stored;
      association.version = new_version;
      association.updated = context.now;
      association.next_run = NextRun(spec, context.now);
    });
    const Association& changed = *state.associations.Find(key);
    updated = ScheduledOf(changed, spec);
    return json::object{{"AssociationDescription", DescriptionJson(changed, std::move(spec))}};
  });
  // An update runs the association at once unless ApplyOnlyAtCronInterval ("If you change a
  // document version for a State Manager association, Systems Manager immediately runs the
  // association unless you previously specified the apply-only-at-cron-interval parameter").
  if (output.ok()) ScheduleAfterCommit(scope, updated, context.now);
  return output;
}

Provider::Output Provider::DeleteAssociation(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    const Association* association = FindAssociation(state, scope, input);
    if (!association) return errors::AssociationDoesNotExist();
    const std::string id = association->id;
    // Everything the association owns goes with it; pending steps find nothing and stop.
    const std::string prefix = ExecutionPrefix(scope, id);
    state.association_versions.ErasePrefix(txn, prefix);
    state.executions.ErasePrefix(txn, prefix);
    state.execution_targets.ErasePrefix(txn, prefix);
    state.tags.Erase(txn, TagKey(scope, "Association", id));
    state.associations.Erase(txn, AssociationKey(scope, id));
    return json::object{};
  });
}

// --- Listing

Provider::Output Provider::ListAssociations(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  struct Filter {
    std::string key;
    std::string value;
    double instant = 0;
  };
  std::vector<Filter> filters;
  std::string query;
  if (const json::value* list = input.if_contains("AssociationFilterList")) {
    for (const json::value& filter_value : list->get_array()) {
      const json::object& filter = filter_value.as_object();
      Filter parsed{Text(filter, "key"), Text(filter, "value"), 0};
      if (parsed.key == "LastExecutedBefore" || parsed.key == "LastExecutedAfter") {
        std::optional<double> instant = time_format::ParseIso8601(parsed.value);
        if (!instant) {
          return AwsError::Make("ValidationException",
                                "Invalid value " + parsed.value + " for filter " + parsed.key +
                                    ": use an ISO-8601 date such as 2024-05-01T00:00:00Z");
        }
        parsed.instant = *instant;
      }
      query.append(parsed.key).push_back('=');
      query.append(parsed.value).push_back(';');
      filters.push_back(std::move(parsed));
    }
  }
  auto keep = [&](const Association& association) {
    std::optional<json::object> parsed;  // the spec, parsed for the first filter that reads it
    auto spec_of = [&]() -> const json::object& {
      if (!parsed) parsed = association.spec.Parse();
      return *parsed;
    };
    for (const Filter& filter : filters) {
      bool matched = true;
      if (filter.key == "InstanceId") {
        // "Filtering associations using the InstanceID attribute only returns legacy
        // associations created using the InstanceID attribute" (ListAssociations).
        matched = Text(spec_of(), "InstanceId") == filter.value;
      } else if (filter.key == "Name") {
        matched = Text(spec_of(), "Name") == filter.value;
      } else if (filter.key == "AssociationId") {
        matched = association.id == filter.value;
      } else if (filter.key == "AssociationStatusName") {
        matched = association.status == filter.value;
      } else if (filter.key == "LastExecutedBefore") {
        matched = association.last_execution > 0 && association.last_execution < filter.instant;
      } else if (filter.key == "LastExecutedAfter") {
        matched = association.last_execution > filter.instant;
      } else if (filter.key == "AssociationName") {
        matched = Text(spec_of(), "AssociationName") == filter.value;
      } else if (filter.key == "ResourceGroupName") {
        matched = false;
        if (const json::value* targets = spec_of().if_contains("Targets")) {
          for (const json::value& target : targets->get_array()) {
            const json::object& object = target.as_object();
            if (Text(object, "Key") != "resource-groups:Name" &&
                Text(object, "Key") != "ResourceGroup")
              continue;
            for (const json::value& value : object.at("Values").as_array())
              matched |= value.get_string() == filter.value;
          }
        }
      }
      if (!matched) return false;
    }
    return true;
  };
  const services::Paging paging(tokens_, context, input, "ListAssociations", query, kPaging);
  std::shared_lock lock(mutex_);
  return services::ListPage(
      paging, state_.associations, scope, "Associations", keep,
      [](const Association& association) { return DescriptionJson(association); });
}

Provider::Output Provider::ListAssociationVersions(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string id = Text(input, "AssociationId");
  const services::Paging paging(tokens_, context, input, "ListAssociationVersions", id, kPaging);
  std::shared_lock lock(mutex_);
  if (!state_.associations.Find(AssociationKey(scope, id)))
    return errors::AssociationDoesNotExist();
  return services::ListPage(
      paging, state_.association_versions, ExecutionPrefix(scope, id), "AssociationVersions",
      [](const AssociationVersion&) { return true; }, VersionJson);
}

Provider::Output Provider::DescribeAssociationExecutions(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string id = Text(input, "AssociationId");
  struct Filter {
    std::string key, value, type;
    double instant = 0;
  };
  std::vector<Filter> filters;
  std::string query = id;
  if (const json::value* list = input.if_contains("Filters")) {
    for (const json::value& filter_value : list->get_array()) {
      const json::object& filter = filter_value.as_object();
      Filter parsed{Text(filter, "Key"), Text(filter, "Value"), Text(filter, "Type"), 0};
      if (parsed.key == "CreatedTime") {
        std::optional<double> instant = time_format::ParseIso8601(parsed.value);
        if (!instant)
          return AwsError::Make("ValidationException", "Invalid CreatedTime value " + parsed.value);
        parsed.instant = *instant;
      }
      query.append(";").append(parsed.key).append(parsed.type).append("=").append(parsed.value);
      filters.push_back(std::move(parsed));
    }
  }
  auto keep = [&](const Execution& execution) {
    for (const Filter& filter : filters) {
      bool matched = true;
      if (filter.key == "ExecutionId") {
        matched = execution.id == filter.value;
      } else if (filter.key == "Status") {
        matched = execution.status == filter.value;
      } else if (filter.key == "CreatedTime") {
        matched = filter.type == "LESS_THAN" ? execution.created < filter.instant
                  : filter.type == "GREATER_THAN"
                      ? execution.created > filter.instant
                      : std::fabs(execution.created - filter.instant) < 0.001;
      }
      if (!matched) return false;
    }
    return true;
  };
  const services::Paging paging(tokens_, context, input, "DescribeAssociationExecutions", query,
                                kPaging);
  std::shared_lock lock(mutex_);
  if (!state_.associations.Find(AssociationKey(scope, id)))
    return errors::AssociationDoesNotExist();
  return services::ListPage(paging, state_.executions, ExecutionPrefix(scope, id),
                            "AssociationExecutions", keep, ExecutionJson);
}

Provider::Output Provider::DescribeAssociationExecutionTargets(const Context& context,
                                                               Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string id = Text(input, "AssociationId");
  const std::string execution_id = Text(input, "ExecutionId");
  std::vector<std::pair<std::string, std::string>> filters;
  std::string query = id + "/" + execution_id;
  if (const json::value* list = input.if_contains("Filters")) {
    for (const json::value& filter_value : list->get_array()) {
      const json::object& filter = filter_value.as_object();
      filters.emplace_back(Text(filter, "Key"), Text(filter, "Value"));
      query.append(";").append(filters.back().first).append("=").append(filters.back().second);
    }
  }
  auto keep = [&](const ExecutionTarget& target) {
    for (const auto& [key, value] : filters) {
      const std::string& actual = key == "Status"       ? target.status
                                  : key == "ResourceId" ? target.resource_id
                                                        : target.resource_type;
      if (actual != value) return false;
    }
    return true;
  };
  const services::Paging paging(tokens_, context, input, "DescribeAssociationExecutionTargets",
                                query, kPaging);
  std::shared_lock lock(mutex_);
  if (!state_.associations.Find(AssociationKey(scope, id)))
    return errors::AssociationDoesNotExist();
  bool execution_exists = false;
  const std::string prefix = ExecutionPrefix(scope, id);
  for (auto item = state_.executions.LowerBound(prefix);
       item != state_.executions.items().end() && item->first.starts_with(prefix) &&
       !execution_exists;
       ++item) {
    execution_exists = item->second.id == execution_id;
  }
  if (!execution_exists) return errors::AssociationExecutionDoesNotExist();
  return services::ListPage(paging, state_.execution_targets, TargetPrefix(scope, id, execution_id),
                            "AssociationExecutionTargets", keep, TargetJson);
}

// --- Running on demand and legacy status

Provider::Output Provider::StartAssociationsOnce(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::vector<std::string> association_ids;
  {
    std::shared_lock lock(mutex_);
    for (const json::value& id : input.at("AssociationIds").as_array()) {
      if (!state_.associations.Find(AssociationKey(scope, id.get_string()))) {
        return errors::AssociationDoesNotExist();
      }
      association_ids.emplace_back(id.get_string());
    }
  }
  for (const std::string& id : association_ids) {
    scheduler_.At(context.now, [this, scope, id] { StartRun(scope, id, "", 0); });
  }
  return json::object{};
}

Provider::Output Provider::UpdateAssociationStatus(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    const std::string instance_id = Text(input, "InstanceId");
    if (!state.nodes.Find(scope + instance_id)) return errors::InvalidInstanceId();
    Result<ResolvedDocument> document =
        FindDocument(state, context.account_id, context.region, Text(input, "Name"), "");
    if (!document.ok()) return std::move(document).error();
    const Association* association = FindAssociation(state, scope, input);
    if (!association) return errors::AssociationDoesNotExist();
    const json::object& status = input.at("AssociationStatus").as_object();
    if (!association->legacy_status.empty() &&
        Text(association->legacy_status, "Name") == Text(status, "Name") &&
        Text(association->legacy_status, "Message") == Text(status, "Message")) {
      return errors::StatusUnchanged();
    }
    const std::string key = AssociationKey(scope, association->id);
    state.associations.Update(txn, key, [&](Association& updated) {
      updated.legacy_status = status;
      updated.updated = context.now;
    });
    return json::object{{"AssociationDescription", DescriptionJson(*state.associations.Find(key))}};
  });
}

Provider::Output Provider::DescribeInstanceAssociationsStatus(const Context& context,
                                                              Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string instance_id = Text(input, "InstanceId");
  const services::Paging paging(tokens_, context, input, "DescribeInstanceAssociationsStatus",
                                instance_id, kPaging);
  std::shared_lock lock(mutex_);
  if (!state_.nodes.Find(scope + instance_id)) return errors::InvalidInstanceId();
  return services::ListPage(
      paging, state_.instance_statuses, scope + instance_id + "/", "InstanceAssociationStatusInfos",
      [](const InstanceAssociationStatus&) { return true; },
      [&](const InstanceAssociationStatus& status) {
        json::object out{{"AssociationId", status.association_id},
                         {"AssociationVersion", std::to_string(status.association_version)},
                         {"InstanceId", status.instance_id},
                         {"ExecutionDate", status.execution_date},
                         {"Status", status.status},
                         {"DetailedStatus", status.detailed_status},
                         {"ExecutionSummary", status.execution_summary}};
        if (const Association* association =
                state_.associations.Find(AssociationKey(scope, status.association_id))) {
          const json::object spec = association->spec.Parse();
          out["Name"] = Text(spec, "Name");
          out["DocumentVersion"] = spec.contains("DocumentVersion") ? Text(spec, "DocumentVersion")
                                                                    : std::string("$DEFAULT");
          if (spec.contains("AssociationName")) {
            out["AssociationName"] = Text(spec, "AssociationName");
          }
        }
        return out;
      });
}

Provider::Output Provider::DescribeEffectiveInstanceAssociations(const Context& context,
                                                                 Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string instance_id = Text(input, "InstanceId");
  const services::Paging paging(tokens_, context, input, "DescribeEffectiveInstanceAssociations",
                                instance_id, kEffectivePaging);
  std::shared_lock lock(mutex_);
  const ManagedNode* node = state_.nodes.Find(scope + instance_id);
  if (!node) return errors::InvalidInstanceId();
  const std::map<std::string, std::string> tags =
      TagsOf(state_, scope, "ManagedInstance", instance_id);
  return services::ListPage(
      paging, state_.associations, scope, "Associations",
      [&](const Association& association) { return Targets(association, *node, tags); },
      [&](const Association& association) {
        json::object out{{"AssociationId", association.id},
                         {"InstanceId", instance_id},
                         {"AssociationVersion", std::to_string(association.version)}};
        const json::object spec = association.spec.Parse();
        Result<ResolvedDocument> document =
            FindDocument(state_, context.account_id, context.region, Text(spec, "Name"),
                         Text(spec, "DocumentVersion"));
        // The content the node's agent runs: the document with the association's parameters.
        json::object content{{"DocumentName", Text(spec, "Name")}};
        if (document.ok()) content["DocumentContent"] = *document->content;
        if (const json::value* parameters = spec.if_contains("Parameters"))
          content["Parameters"] = *parameters;
        out["Content"] = json::serialize(content);
        return out;
      });
}

// --- Runs

bool Provider::Targets(const Association& association, const ManagedNode& node,
                       const std::map<std::string, std::string>& tags) {
  const json::object spec = association.spec.Parse();
  if (spec.contains("InstanceId")) return Text(spec, "InstanceId") == node.id;
  if (const json::value* target_maps = spec.if_contains("TargetMaps"))
    return MatchesTargetMaps(target_maps->get_array(), node);
  if (const json::value* targets = spec.if_contains("Targets"))
    return MatchesTargets(targets->get_array(), node, tags);
  return false;
}

void Provider::StartRun(std::string scope, std::string association_id, std::string only_node,
                        double scheduled_for) {
  const double now = scheduler_.now();
  double next_step = 0;
  std::string execution_key;
  double next_run = 0;
  (void)Write([&](State& state, store::Transaction& txn) -> Result<Ok> {
    const std::string key = AssociationKey(scope, association_id);
    const Association* association = state.associations.Find(key);
    if (!association) return Ok{};
    if (scheduled_for > 0) {
      // A schedule's run: stale if the association was updated (rescheduled) since.
      if (association->next_run != scheduled_for) return Ok{};
      // A rate counts from the run it follows; a cron from the match it fired for.
      next_run = NextRun(association->spec.Parse(), scheduled_for);
      state.associations.Update(txn, key,
                                [&](Association& updated) { updated.next_run = next_run; });
    }
    std::vector<std::string> node_ids;
    for (auto item = state.nodes.LowerBound(scope);
         item != state.nodes.items().end() && item->first.starts_with(scope); ++item) {
      const ManagedNode& node = item->second;
      if (!only_node.empty() && node.id != only_node) continue;
      if (Targets(*association, node, TagsOf(state, scope, "ManagedInstance", node.id)))
        node_ids.push_back(node.id);
    }
    if (node_ids.empty()) {
      // No node to run on: the association stays Pending. AWS documents nothing here; a run
      // with no target would report nothing, so cairn records none.
      if (association->detailed_status == "Creating") {
        state.associations.Update(
            txn, key, [](Association& updated) { updated.detailed_status = "Associated"; });
      }
      return Ok{};
    }
    Execution execution;
    execution.association_id = association_id;
    execution.association_version = association->version;
    execution.id = ids::Uuid();
    execution.status = "Pending";
    execution.detailed_status = "Pending";
    execution.created = now;
    execution.resource_counts["Pending"] = static_cast<int>(node_ids.size());
    execution.next_step = now + kRunStepSeconds;
    for (const std::string& node_id : node_ids) {
      ExecutionTarget target;
      target.association_id = association_id;
      target.association_version = association->version;
      target.execution_id = execution.id;
      target.resource_id = node_id;
      target.status = "Pending";
      target.detailed_status = "Pending";
      state.execution_targets.Put(txn, TargetPrefix(scope, association_id, execution.id) + node_id,
                                  std::move(target));
    }
    state.associations.Update(txn, key, [](Association& updated) {
      updated.status = "Pending";
      updated.detailed_status = "Pending";
    });
    execution_key = ExecutionKey(scope, association_id, now, execution.id);
    next_step = execution.next_step;
    state.executions.Put(txn, execution_key, std::move(execution));
    return Ok{};
  });
  if (next_step > 0)
    scheduler_.At(next_step, [this, scope, execution_key] { AdvanceRun(scope, execution_key); });
  if (next_run > 0) {
    scheduler_.At(next_run, [this, scope, association_id, next_run] {
      StartRun(scope, association_id, "", next_run);
    });
  }
}

void Provider::AdvanceRun(std::string scope, std::string execution_key) {
  const double now = scheduler_.now();
  double next_step = 0;
  (void)Write([&](State& state, store::Transaction& txn) -> Result<Ok> {
    const Execution* execution = state.executions.Find(execution_key);
    if (!execution || execution->next_step == 0) return Ok{};
    const std::string association_key = AssociationKey(scope, execution->association_id);
    const Association* association = state.associations.Find(association_key);
    if (!association) return Ok{};
    const std::string prefix = TargetPrefix(scope, execution->association_id, execution->id);

    std::vector<std::string> target_keys;
    for (auto item = state.execution_targets.LowerBound(prefix);
         item != state.execution_targets.items().end() && item->first.starts_with(prefix); ++item) {
      target_keys.push_back(item->first);
    }
    // The wave in flight finishes: each node reports its AssociationOutcome.
    size_t failures = 0;
    for (const std::string& key : target_keys) {
      const ExecutionTarget* target = state.execution_targets.Find(key);
      if (target->status == "InProgress") {
        const ManagedNode* node = state.nodes.Find(scope + target->resource_id);
        const bool success = node && node->association_outcome != "Failed";
        state.execution_targets.Update(txn, key, [&](ExecutionTarget& finished) {
          finished.status = success ? "Success" : "Failed";
          finished.detailed_status = success ? "Success" : "Failed";
          finished.last_execution = now;
        });
      }
      failures += state.execution_targets.Find(key)->status == "Failed";
    }
    const size_t total = target_keys.size();
    const json::object spec = association->spec.Parse();
    const size_t wave =
        std::max<size_t>(1, CountOrPercent(Text(spec, "MaxConcurrency"), total, total));
    const std::string max_errors = Text(spec, "MaxErrors");
    const bool stopped = !max_errors.empty() && failures > CountOrPercent(max_errors, total, total);
    // The next wave starts, unless MaxErrors was exceeded: then the targets not reached are
    // Skipped ("the system stops sending requests to run the association on additional
    // targets"; AWS documents no status name for them).
    size_t started = 0;
    for (const std::string& key : target_keys) {
      if (state.execution_targets.Find(key)->status != "Pending") continue;
      if (stopped) {
        state.execution_targets.Update(txn, key, [](ExecutionTarget& skipped) {
          skipped.status = "Skipped";
          skipped.detailed_status = "Skipped";
        });
      } else if (started < wave) {
        state.execution_targets.Update(txn, key, [](ExecutionTarget& running) {
          running.status = "InProgress";
          running.detailed_status = "InProgress";
        });
        ++started;
      }
    }
    std::map<std::string, int> counts;
    for (const std::string& key : target_keys) ++counts[state.execution_targets.Find(key)->status];
    const bool finished = started == 0;
    const std::string status = !finished ? "InProgress" : failures > 0 ? "Failed" : "Success";
    state.executions.Update(txn, execution_key, [&](Execution& updated) {
      updated.status = status;
      updated.detailed_status = status;
      updated.resource_counts = counts;
      updated.last_execution = now;
      updated.next_step = finished ? 0 : now + kRunStepSeconds;
    });
    if (!finished) {
      next_step = now + kRunStepSeconds;
      state.associations.Update(txn, association_key, [](Association& updated) {
        updated.detailed_status = "InProgress";
      });
      return Ok{};
    }
    FinishRun(state, txn, scope, *association, target_keys, counts, status, now);
    return Ok{};
  });
  if (next_step > 0)
    scheduler_.At(next_step, [this, scope, execution_key] { AdvanceRun(scope, execution_key); });
}

// What a finished run changes beyond itself: the association's overview and dates, each
// node's association status and dates, and (SyncCompliance AUTO, the default) compliance.
void Provider::FinishRun(State& state, store::Transaction& txn, const std::string& scope,
                         const Association& association,
                         const std::vector<std::string>& target_keys,
                         const std::map<std::string, int>& counts, const std::string& status,
                         double now) {
  const Association snapshot = association;
  const bool auto_compliance = Text(snapshot.spec.Parse(), "SyncCompliance") != "MANUAL";
  for (const std::string& key : target_keys) {
    const ExecutionTarget target = *state.execution_targets.Find(key);
    if (target.status == "Skipped") continue;
    const bool success = target.status == "Success";
    state.nodes.Update(txn, scope + target.resource_id, [&](ManagedNode& node) {
      node.last_association = now;
      if (success) node.last_successful_association = now;
    });
    InstanceAssociationStatus node_status;
    node_status.association_id = snapshot.id;
    node_status.association_version = snapshot.version;
    node_status.instance_id = target.resource_id;
    node_status.status = target.status;
    node_status.detailed_status = target.status;
    node_status.execution_summary =
        success ? "1 out of 1 plugin processed, 1 success, 0 failed, 0 timedout, 0 skipped."
                : "1 out of 1 plugin processed, 0 success, 1 failed, 0 timedout, 0 skipped.";
    node_status.execution_date = now;
    state.instance_statuses.Put(txn, StatusKey(scope, target.resource_id, snapshot.id),
                                std::move(node_status));
    if (auto_compliance)
      RecordAssociationCompliance(state, txn, scope, snapshot, target.resource_id, target.status,
                                  now);
  }
  std::map<std::string, int> aggregated;
  for (const auto& [target_status, count] : counts) {
    if (target_status != "Skipped") aggregated[target_status] = count;
  }
  state.associations.Update(txn, AssociationKey(scope, snapshot.id), [&](Association& updated) {
    updated.status = status;
    updated.detailed_status = status;
    updated.status_counts = aggregated;
    updated.last_execution = now;
    if (status == "Success") updated.last_success = now;
  });
}

void Provider::OnNodeRegistered(const std::string& scope, const std::string& node_id) {
  std::vector<std::string> association_ids;
  {
    std::shared_lock lock(mutex_);
    const ManagedNode* node = state_.nodes.Find(scope + node_id);
    if (!node) return;
    const std::map<std::string, std::string> tags =
        TagsOf(state_, scope, "ManagedInstance", node_id);
    for (auto item = state_.associations.LowerBound(scope);
         item != state_.associations.items().end() && item->first.starts_with(scope); ++item) {
      if (Targets(item->second, *node, tags)) association_ids.push_back(item->second.id);
    }
  }
  const double now = scheduler_.now();
  for (const std::string& id : association_ids) {
    scheduler_.At(now, [this, scope, id, node_id] { StartRun(scope, id, node_id, 0); });
  }
}

void Provider::ResumeAssociations() {
  {
    // Restore deserialized every Spec on its own: the record of each association's current
    // version shares its association's again, as when they were made. Not a change of state
    // (the text is the same), so no transaction.
    // Both maps are in key order and a version's key is its association's plus
    // "/<padded version>", so one cursor walks the versions along the associations: linear,
    // where a lookup per association cost a key built with snprintf and a tree search.
    std::unique_lock lock(mutex_);
    auto& versions = const_cast<store::Collection<AssociationVersion>::Map&>(
        state_.association_versions.items());
    auto cursor = versions.begin();
    std::string wanted;
    for (const auto& [key, association] : state_.associations.items()) {
      wanted.assign(key).push_back('/');
      wanted.append(PaddedNumber(static_cast<uint64_t>(association.version)));
      while (cursor != versions.end() && cursor->first < wanted) ++cursor;
      // Keys that do not sort that way (never written by cairn) fall back to a lookup.
      auto version =
          cursor != versions.end() && cursor->first == wanted ? cursor : versions.find(wanted);
      if (version != versions.end() && version->second.spec.text() == association.spec.text()) {
        version->second.spec = association.spec;
      }
    }
  }
  std::shared_lock lock(mutex_);
  for (const auto& [key, association] : state_.associations.items()) {
    if (association.next_run <= 0) continue;
    const std::string scope = key.substr(0, key.size() - association.id.size());
    scheduler_.At(association.next_run,
                  [this, scope, id = association.id, due = association.next_run] {
                    StartRun(scope, id, "", due);
                  });
  }
  for (const auto& [key, execution] : state_.executions.items()) {
    if (execution.next_step <= 0) continue;
    const size_t account_end = key.find('/');
    const std::string scope = key.substr(0, key.find('/', account_end + 1) + 1);
    scheduler_.At(execution.next_step, [this, scope, key = key] { AdvanceRun(scope, key); });
  }
}

}  // namespace cairn::ssm
