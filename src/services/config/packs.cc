// Conformance packs and organization conformance packs.
//
// An account's own conformance pack moves CREATE_IN_PROGRESS -> CREATE_COMPLETE (a Put on an
// existing pack, an update, goes through CREATE_IN_PROGRESS again, as the Terraform provider
// waits for it) and DELETE_IN_PROGRESS -> gone, one scheduler step each.
//
// An organization conformance pack is deployed into every ACTIVE account of the organization,
// the management account included, minus ExcludedAccounts (DeploymentTargets): each account
// gets a member conformance pack `OrgConformsPack-<name>-<suffix>` and a detailed status
// (MemberDeployment). A Put starts the deployments of every account at once and one scheduler
// step completes them all under one lock, so a 1,000-account organization costs one
// transaction per step. The organization status follows its deployments: <PHASE>_IN_PROGRESS
// while any is in progress, then <PHASE>_FAILED if any failed, else <PHASE>_SUCCESSFUL, where
// PHASE is CREATE for the first Put, UPDATE for later ones and DELETE for a delete, which
// removes the pack once every account has deleted its member pack ("The status is not
// considered successful until organization conformance pack is successfully deployed in all
// the member accounts with an exception of excluded accounts", API reference). An account
// that joins later gets the pack; one that leaves, or is suspended (it can no longer receive
// a deployment), loses it at once ("When an account leaves an organization, the rule or
// conformance pack is removed", Config Developer Guide).
//
// Compliance: cairn evaluates no resources, so every rule of a deployed pack reports
// INSUFFICIENT_DATA, the ConformancePackComplianceType AWS gives a rule with no evaluation
// results. Consistently, a pack's summary status is INSUFFICIENT_DATA (it is NON_COMPLIANT
// only when a rule is, COMPLIANT only when all are), its compliance details are empty (there
// are no evaluation results), and its compliance score is the string "INSUFFICIENT_DATA"
// ("Conformance packs with no evaluation results will have a compliance score of
// INSUFFICIENT_DATA", ListConformancePackComplianceScores).
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>

#include "base/ids.h"
#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/config/errors.h"
#include "services/config/provider.h"
#include "services/config/template.h"

namespace cairn::config {
namespace json = boost::json;
using templates::Template;

namespace {

using json_fields::Text;

// How long AWS's asynchronous steps take in cairn (seconds of clock time).
constexpr double kConformancePackSeconds = 1.0;  // an account's own pack: create, update, delete
constexpr double kDeploymentSeconds = 2.0;       // an organization pack into its accounts
// Config service limits: conformance packs per account (and region), organization
// conformance packs per organization (and region).
constexpr size_t kMaxConformancePacks = 50;
constexpr size_t kMaxOrganizationConformancePacks = 50;
// ConformancePackDetail.CreatedBy of the member packs an organization pack deploys.
constexpr std::string_view kOrganizationCreatedBy = "config-multiaccountsetup.amazonaws.com";
constexpr std::string_view kInsufficientData = "INSUFFICIENT_DATA";

AwsError InvalidToken() { return errors::InvalidNextTokenException(); }
// Page sizes where Limit is 0 or absent: the top of each operation's range (the seed's
// DescribeOrganizationConformancePackStatuses: "The default is 100").
const services::PagingRules kPage20{"config", "Limit", 20, true, InvalidToken};
const services::PagingRules kPage100{"config", "Limit", 100, true, InvalidToken};
const services::PagingRules kPage1000{"config", "Limit", 1000, true, InvalidToken};

// --- Reading the input

// A list of strings, sorted and without duplicates.
std::vector<std::string> Names(const json::object& input, std::string_view member) {
  std::set<std::string> names;
  if (const json::value* list = input.if_contains(member); list && list->is_array()) {
    for (const json::value& item : list->get_array()) {
      if (item.is_string()) names.emplace(item.get_string());
    }
  }
  return {names.begin(), names.end()};
}

const json::object* Filters(const json::object& input) {
  const json::value* filters = input.if_contains("Filters");
  return filters && filters->is_object() ? &filters->get_object() : nullptr;
}

InputParameters ParametersOf(const json::object& input) {
  InputParameters parameters;
  if (const json::value* list = input.if_contains("ConformancePackInputParameters");
      list && list->is_array()) {
    for (const json::value& item : list->get_array()) {
      const json::object& parameter = item.as_object();
      parameters.emplace_back(Text(parameter, "ParameterName"), Text(parameter, "ParameterValue"));
    }
  }
  return parameters;
}

std::map<std::string, std::string> ParameterMap(const InputParameters& parameters) {
  return {parameters.begin(), parameters.end()};
}

std::string QueryOf(const std::vector<std::string>& parts) {
  std::string query;
  for (const std::string& part : parts) query.append(part).push_back(',');
  return query;
}

// The template of a Put. AWS reads TemplateS3Uri when it is given, even with a TemplateBody
// ("If you provide both Config uses the TemplateS3Uri parameter and ignores the TemplateBody
// parameter", PutOrganizationConformancePack); cairn has no S3 or SSM document to read, so it
// refuses those sources with the template error AWS gives a template it cannot use.
// Neither source: moto's answer to PutOrganizationConformancePack, "Template body is invalid".
Result<std::string> TemplateBodyOf(const json::object& input) {
  if (const std::string uri = Text(input, "TemplateS3Uri"); !uri.empty()) {
    return errors::ConformancePackTemplateValidationException(templates::TemplateErrorMessage(
        "Unable to read the template at " + uri +
        ": cairn has no Amazon S3; pass the template as TemplateBody"));
  }
  if (const json::value* document = input.if_contains("TemplateSSMDocumentDetails");
      document && document->is_object()) {
    return errors::ConformancePackTemplateValidationException(templates::TemplateErrorMessage(
        "Unable to read the template from the SSM document " +
        Text(document->get_object(), "DocumentName") +
        ": cairn reads conformance pack templates only from TemplateBody"));
  }
  if (const std::string body = Text(input, "TemplateBody"); !body.empty()) return body;
  return errors::ValidationException("Template body is invalid");
}

// The organization operations answer template errors with their own exception.
AwsError ForOrganization(AwsError error) {
  if (error.code == "ConformancePackTemplateValidationException") {
    return errors::OrganizationConformancePackTemplateValidationException(std::move(error.message));
  }
  return error;
}

// --- Names and ARNs

std::string NewPackId() { return "conformance-pack-" + ids::RandomLowerAlnum(9); }

std::string PackArn(std::string_view region, std::string_view account_id, std::string_view name,
                    std::string_view id) {
  return "arn:aws:config:" + std::string(region) + ":" + std::string(account_id) +
         ":conformance-pack/" + std::string(name) + "/" + std::string(id);
}

// The CloudFormation stack through which AWS deploys a pack (ConformancePackStatusDetail).
std::string StackArn(std::string_view region, std::string_view account_id, std::string_view name,
                     std::string_view id) {
  return "arn:aws:cloudformation:" + std::string(region) + ":" + std::string(account_id) +
         ":stack/awsconfigconforms-" + std::string(name) + "-" +
         std::string(id.substr(id.rfind('-') + 1)) + "/" + ids::Uuid();
}

// The Config rules a pack deploys are named after the template's rules and the pack's id.
std::vector<std::string> DeployedRuleNames(const std::vector<templates::RuleSpec>& rules,
                                           std::string_view pack_id) {
  std::vector<std::string> names;
  names.reserve(rules.size());
  for (const templates::RuleSpec& rule : rules)
    names.push_back(rule.name + "-" + std::string(pack_id));
  std::sort(names.begin(), names.end());
  return names;
}

std::string OrganizationScope(std::string_view organization_id, std::string_view region) {
  return std::string(organization_id) + "/" + std::string(region) + "/";
}

std::string DeploymentsPrefix(std::string_view pack_key) { return std::string(pack_key) + "/"; }

template <typename T>
std::vector<std::string> KeysWithPrefix(const store::Collection<T>& collection,
                                        std::string_view prefix) {
  std::vector<std::string> keys;
  for (auto item = collection.LowerBound(prefix);
       item != collection.items().end() && item->first.starts_with(prefix); ++item) {
    keys.push_back(item->first);
  }
  return keys;
}

template <typename T>
size_t CountWithPrefix(const store::Collection<T>& collection, std::string_view prefix) {
  size_t count = 0;
  for (auto item = collection.LowerBound(prefix);
       item != collection.items().end() && item->first.starts_with(prefix); ++item) {
    ++count;
  }
  return count;
}

// --- Errors. The organization packs' NoSuch messages are those of moto (getmoto/moto,
// moto/config/models.py), written after AWS's answers; the account-level ones follow their
// wording, and ResourceInUseException follows moto's PutConfigRule one. Where AWS's wording is
// unknown, the message says what happened.

// DescribeConformancePacks and friends, in the words moto gives the organization variant.
AwsError NoSuchPacks() {
  return errors::NoSuchConformancePackException(
      "One or more conformance packs with specified names are not present. Ensure your names are "
      "correct and try "
      "your request again later.");
}

AwsError NoSuchPack(std::string_view name) {
  return errors::NoSuchConformancePackException(
      "Could not find a ConformancePack for given request with resourceName " + std::string(name));
}

AwsError NoSuchOrganizationPacks() {
  return errors::NoSuchOrganizationConformancePackException(
      "One or more organization conformance packs with specified names are not present. Ensure "
      "your names are "
      "correct and try your request again later.");
}

AwsError NoSuchOrganizationPack(std::string_view name) {
  return errors::NoSuchOrganizationConformancePackException(
      "Could not find an OrganizationConformancePack for given request with resourceName " +
      std::string(name));
}

AwsError NoSuchRules() {
  return errors::NoSuchConfigRuleInConformancePackException(
      "One or more config rules with specified names are not present in the conformance pack. "
      "Ensure your names are "
      "correct and try your request again later.");
}

std::string Activity(std::string_view status) {
  if (status.starts_with("DELETE")) return "deleted";
  if (status.starts_with("UPDATE")) return "updated";
  return "created";
}

AwsError PackInUse(const ConformancePack& pack) {
  return errors::ResourceInUseException("The conformance pack " + pack.name +
                                        " is currently being " + Activity(pack.state) +
                                        ". Please retry after some time.");
}

AwsError OrganizationPackInUse(const OrganizationConformancePack& pack) {
  return errors::ResourceInUseException("The organization conformance pack " + pack.name +
                                        " is currently being " + Activity(pack.status) +
                                        ". Please retry after some time.");
}

// --- Output shapes

json::array ParametersJson(const InputParameters& parameters) {
  json::array out;
  for (const auto& [name, value] : parameters)
    out.push_back({{"ParameterName", name}, {"ParameterValue", value}});
  return out;
}

json::object PackDetailJson(const ConformancePack& pack) {
  json::object out{{"ConformancePackName", pack.name},
                   {"ConformancePackArn", pack.arn},
                   {"ConformancePackId", pack.id},
                   {"ConformancePackInputParameters", ParametersJson(pack.input_parameters)},
                   {"LastUpdateRequestedTime", pack.last_update_requested}};
  if (!pack.delivery_s3_bucket.empty()) out["DeliveryS3Bucket"] = pack.delivery_s3_bucket;
  if (!pack.delivery_s3_key_prefix.empty())
    out["DeliveryS3KeyPrefix"] = pack.delivery_s3_key_prefix;
  if (!pack.created_by.empty()) out["CreatedBy"] = pack.created_by;
  return out;
}

json::object PackStatusJson(const ConformancePack& pack) {
  json::object out{
      {"ConformancePackName", pack.name}, {"ConformancePackId", pack.id},
      {"ConformancePackArn", pack.arn},   {"ConformancePackState", pack.state},
      {"StackArn", pack.stack_arn},       {"LastUpdateRequestedTime", pack.last_update_requested}};
  if (!pack.status_reason.empty()) out["ConformancePackStatusReason"] = pack.status_reason;
  if (pack.last_update_completed > 0) out["LastUpdateCompletedTime"] = pack.last_update_completed;
  return out;
}

json::object OrganizationPackJson(const OrganizationConformancePack& pack) {
  json::array excluded;
  for (const std::string& account_id : pack.excluded_accounts)
    excluded.push_back(json::string(account_id));
  json::object out{{"OrganizationConformancePackName", pack.name},
                   {"OrganizationConformancePackArn", pack.arn},
                   {"ConformancePackInputParameters", ParametersJson(pack.input_parameters)},
                   {"ExcludedAccounts", std::move(excluded)},
                   {"LastUpdateTime", pack.last_update_time}};
  if (!pack.delivery_s3_bucket.empty()) out["DeliveryS3Bucket"] = pack.delivery_s3_bucket;
  if (!pack.delivery_s3_key_prefix.empty())
    out["DeliveryS3KeyPrefix"] = pack.delivery_s3_key_prefix;
  return out;
}

json::object OrganizationStatusJson(const OrganizationConformancePack& pack) {
  json::object out{{"OrganizationConformancePackName", pack.name},
                   {"Status", pack.status},
                   {"LastUpdateTime", pack.status_time}};
  if (!pack.error_code.empty()) out["ErrorCode"] = pack.error_code;
  if (!pack.error_message.empty()) out["ErrorMessage"] = pack.error_message;
  return out;
}

json::object DetailedStatusJson(const OrganizationConformancePack& pack,
                                const MemberDeployment& deployment) {
  json::object out{{"AccountId", deployment.account_id},
                   {"ConformancePackName", pack.MemberPackName()},
                   {"Status", deployment.status},
                   {"LastUpdateTime", deployment.last_update_time}};
  if (!deployment.error_code.empty()) out["ErrorCode"] = deployment.error_code;
  if (!deployment.error_message.empty()) out["ErrorMessage"] = deployment.error_message;
  return out;
}

// --- The lifecycle of an account's own pack

void FinishConformancePackStep(PacksState& state, store::Collection<TagSet>& tags,
                               store::Transaction& txn, const std::string& pack_key, double now) {
  const ConformancePack* pack = state.packs.Find(pack_key);
  if (!pack || pack->managed_by_organization() || !pack->in_progress() || pack->due > now) return;
  if (pack->state == "DELETE_IN_PROGRESS") {
    tags.Erase(txn, ScopePrefix(pack->account_id, pack->region) + pack->arn);
    state.packs.Erase(txn, pack_key);
    return;
  }
  state.packs.Update(txn, pack_key, [&](ConformancePack& stored) {
    stored.state = "CREATE_COMPLETE";
    stored.rule_names = std::move(stored.pending_rule_names);
    stored.pending_rule_names.clear();
    stored.last_update_completed = now;
    stored.due = 0;
  });
}

// --- The deployment of an organization pack into member accounts

std::string MemberPackKey(const OrganizationConformancePack& pack, std::string_view account_id) {
  return ScopePrefix(account_id, pack.region) + pack.MemberPackName();
}

// Starts (or restarts) deploying `pack` into `account_id`: its member conformance pack goes
// CREATE_IN_PROGRESS with the rules resolved for that account, and the deployment
// CREATE_IN_PROGRESS, or UPDATE_IN_PROGRESS where the pack was deployed before. A template
// that does not resolve for this account fails its deployment at once.
void StartMemberDeployment(PacksState& state, store::Transaction& txn, const std::string& pack_key,
                           const OrganizationConformancePack& pack, const Template& pack_template,
                           const std::string& account_id, double now, double due) {
  const std::string deployment_key = DeploymentsPrefix(pack_key) + account_id;
  const MemberDeployment* prior = state.deployments.Find(deployment_key);
  const bool deployed_before =
      prior && (prior->status == "CREATE_SUCCESSFUL" || prior->status.starts_with("UPDATE_"));
  const std::string phase = deployed_before ? "UPDATE" : "CREATE";

  const std::string member_key = MemberPackKey(pack, account_id);
  ConformancePack member;
  if (const ConformancePack* existing = state.packs.Find(member_key)) {
    member = *existing;
  } else {
    member.name = pack.MemberPackName();
    member.id = NewPackId();
    member.arn = PackArn(pack.region, account_id, member.name, member.id);
    member.stack_arn = StackArn(pack.region, account_id, member.name, member.id);
    member.account_id = account_id;
    member.region = pack.region;
    member.created_by = kOrganizationCreatedBy;
    member.organization_pack = pack_key;
  }
  member.delivery_s3_bucket = pack.delivery_s3_bucket;
  member.delivery_s3_key_prefix = pack.delivery_s3_key_prefix;
  member.input_parameters = pack.input_parameters;
  member.last_update_requested = now;
  member.due = due;
  MemberDeployment deployment{account_id, phase + "_IN_PROGRESS", "", "", now, due};

  Result<std::vector<templates::RuleSpec>> rules =
      pack_template.Resolve(ParameterMap(pack.input_parameters), account_id, pack.region);
  if (rules.ok()) {
    member.state = "CREATE_IN_PROGRESS";
    member.status_reason.clear();
    member.pending_rule_names = DeployedRuleNames(*rules, member.id);
  } else {
    member.state = "CREATE_FAILED";
    member.status_reason = rules.error().message;
    member.due = 0;
    deployment = {account_id, phase + "_FAILED", rules.error().code, rules.error().message, now, 0};
  }
  state.packs.Put(txn, member_key, std::move(member));
  state.deployments.Put(txn, deployment_key, std::move(deployment));
}

// Starts removing `pack` from `account_id` (a copy: callers pass one read from the deployment
// this replaces).
void StartMemberRemoval(PacksState& state, store::Transaction& txn, const std::string& pack_key,
                        const OrganizationConformancePack& pack, std::string account_id, double now,
                        double due) {
  state.packs.Update(txn, MemberPackKey(pack, account_id), [&](ConformancePack& member) {
    member.state = "DELETE_IN_PROGRESS";
    member.status_reason.clear();
    member.last_update_requested = now;
    member.due = due;
  });
  state.deployments.Put(txn, DeploymentsPrefix(pack_key) + account_id,
                        MemberDeployment{account_id, "DELETE_IN_PROGRESS", "", "", now, due});
}

// Completes the step of one deployment that fell due: it succeeds, or fails with the error of
// an account marked failing.
void CompleteMemberDeployment(PacksState& state, store::Transaction& txn,
                              const OrganizationConformancePack& pack,
                              const std::string& deployment_key, double now) {
  const MemberDeployment* deployment = state.deployments.Find(deployment_key);
  if (!deployment || !deployment->in_progress() || deployment->due > now) return;
  const std::string account_id = deployment->account_id;
  const std::string phase = deployment->status.substr(0, deployment->status.find('_'));
  const std::string member_key = MemberPackKey(pack, account_id);
  const DeploymentFailure* failure = state.FailureFor(account_id);
  if (phase == "DELETE" && !failure) {
    state.packs.Erase(txn, member_key);
  } else {
    state.packs.Update(txn, member_key, [&](ConformancePack& member) {
      member.due = 0;
      if (failure) {
        member.state = phase == "DELETE" ? "DELETE_FAILED" : "CREATE_FAILED";
        member.status_reason = failure->error_message;
        member.pending_rule_names.clear();
        return;
      }
      member.state = "CREATE_COMPLETE";
      member.rule_names = std::move(member.pending_rule_names);
      member.pending_rule_names.clear();
      member.last_update_completed = now;
    });
  }
  state.deployments.Update(txn, deployment_key, [&](MemberDeployment& stored) {
    stored.status = phase + (failure ? "_FAILED" : "_SUCCESSFUL");
    stored.error_code = failure ? failure->error_code : "";
    stored.error_message = failure ? failure->error_message : "";
    stored.last_update_time = now;
    stored.due = 0;
  });
}

// Removes `pack` from `account_id` at once (the account left the organization). The account
// id is a copy: callers pass one read from the deployment this erases.
void DropMemberDeployment(PacksState& state, store::Transaction& txn, const std::string& pack_key,
                          const OrganizationConformancePack& pack, std::string account_id) {
  state.deployments.Erase(txn, DeploymentsPrefix(pack_key) + account_id);
  const std::string member_key = MemberPackKey(pack, account_id);
  if (const ConformancePack* member = state.packs.Find(member_key);
      member && member->organization_pack == pack_key) {
    state.packs.Erase(txn, member_key);
  }
}

void EraseOrganizationPack(PacksState& state, store::Collection<TagSet>& tags,
                           store::Transaction& txn, const std::string& pack_key) {
  const OrganizationConformancePack* pack = state.organization_packs.Find(pack_key);
  if (!pack) return;
  const OrganizationConformancePack removed = *pack;
  for (const std::string& key : KeysWithPrefix(state.deployments, DeploymentsPrefix(pack_key))) {
    DropMemberDeployment(state, txn, pack_key, removed, state.deployments.Find(key)->account_id);
  }
  tags.Erase(txn, ScopePrefix(removed.creator_account_id, removed.region) + removed.arn);
  state.organization_packs.Erase(txn, pack_key);
}

// The organization status from the deployments: see the top of this file. A delete that has
// finished everywhere removes the pack.
void RefreshOrganizationStatus(PacksState& state, store::Collection<TagSet>& tags,
                               store::Transaction& txn, const std::string& pack_key, double now) {
  const OrganizationConformancePack* pack = state.organization_packs.Find(pack_key);
  if (!pack) return;
  bool in_progress = now < pack->step_due;
  std::vector<std::string> failed_accounts;
  std::string error_code;
  for (const std::string& key : KeysWithPrefix(state.deployments, DeploymentsPrefix(pack_key))) {
    const MemberDeployment& deployment = *state.deployments.Find(key);
    if (deployment.status == "DELETE_SUCCESSFUL" && pack->phase != "DELETE") {
      state.deployments.Erase(txn, key);  // an account newly excluded by an update
      continue;
    }
    in_progress = in_progress || deployment.in_progress();
    if (deployment.status.ends_with("_FAILED")) {
      failed_accounts.push_back(deployment.account_id);
      if (error_code.empty()) error_code = deployment.error_code;
    }
  }
  if (pack->phase == "DELETE" && !in_progress && failed_accounts.empty()) {
    EraseOrganizationPack(state, tags, txn, pack_key);
    return;
  }
  const std::string status = pack->phase + (in_progress               ? "_IN_PROGRESS"
                                            : failed_accounts.empty() ? "_SUCCESSFUL"
                                                                      : "_FAILED");
  std::string error_message;
  if (!in_progress && !failed_accounts.empty()) {
    std::string accounts;
    for (const std::string& account_id : failed_accounts)
      accounts.append(accounts.empty() ? "" : ", ").append(account_id);
    error_message =
        "The conformance pack could not be " + Activity(pack->phase) + " in member account(s) [" +
        accounts + "]; GetOrganizationConformancePackDetailedStatus has the error of each account.";
  } else {
    error_code.clear();
  }
  if (status == pack->status && error_code == pack->error_code &&
      error_message == pack->error_message)
    return;
  state.organization_packs.Update(txn, pack_key, [&](OrganizationConformancePack& stored) {
    stored.status = status;
    stored.error_code = error_code;
    stored.error_message = error_message;
    stored.status_time = now;
  });
}

// Completes every deployment of the pack at `pack_key` that fell due, then its status.
void AdvanceOrganizationPack(PacksState& state, store::Collection<TagSet>& tags,
                             store::Transaction& txn, const std::string& pack_key, double now) {
  const OrganizationConformancePack* pack = state.organization_packs.Find(pack_key);
  if (!pack) return;
  const OrganizationConformancePack current = *pack;
  for (const std::string& key : KeysWithPrefix(state.deployments, DeploymentsPrefix(pack_key))) {
    CompleteMemberDeployment(state, txn, current, key, now);
  }
  RefreshOrganizationStatus(state, tags, txn, pack_key, now);
}

bool IsAccountId(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void Provider::BindPacks(gateway::OperationTable& table) {
  table.Bind("PutConformancePack", this, &Provider::PutConformancePack);
  table.Bind("DescribeConformancePacks", this, &Provider::DescribeConformancePacks);
  table.Bind("DescribeConformancePackStatus", this, &Provider::DescribeConformancePackStatus);
  table.Bind("DeleteConformancePack", this, &Provider::DeleteConformancePack);
  table.Bind("DescribeConformancePackCompliance", this,
             &Provider::DescribeConformancePackCompliance);
  table.Bind("GetConformancePackComplianceDetails", this,
             &Provider::GetConformancePackComplianceDetails);
  table.Bind("GetConformancePackComplianceSummary", this,
             &Provider::GetConformancePackComplianceSummary);
  table.Bind("ListConformancePackComplianceScores", this,
             &Provider::ListConformancePackComplianceScores);
  table.Bind("PutOrganizationConformancePack", this, &Provider::PutOrganizationConformancePack);
  table.Bind("DescribeOrganizationConformancePacks", this,
             &Provider::DescribeOrganizationConformancePacks);
  table.Bind("DescribeOrganizationConformancePackStatuses", this,
             &Provider::DescribeOrganizationConformancePackStatuses);
  table.Bind("GetOrganizationConformancePackDetailedStatus", this,
             &Provider::GetOrganizationConformancePackDetailedStatus);
  table.Bind("DeleteOrganizationConformancePack", this,
             &Provider::DeleteOrganizationConformancePack);
  table.BindAdmin(
      "/_cairn/config/deployment-failures",
      [this](const json::object& body, double now) { return SetDeploymentFailure(body, now); });
}

// --- Lifecycle

void Provider::ScheduleConformancePackStep(const std::string& pack_key, double due) {
  scheduler_.At(due, [this, pack_key] {
    const double now = scheduler_.now();
    // The Write's result is only for rolling back; a pack already finished or gone is no error.
    (void)Write([&](store::Transaction& txn) -> Result<Ok> {
      FinishConformancePackStep(packs_, tags_, txn, pack_key, now);
      return Ok{};
    });
  });
}

void Provider::ScheduleOrganizationPackStep(const std::string& pack_key, double due) {
  scheduler_.At(due, [this, pack_key] {
    const double now = scheduler_.now();
    (void)Write([&](store::Transaction& txn) -> Result<Ok> {
      AdvanceOrganizationPack(packs_, tags_, txn, pack_key, now);
      return Ok{};
    });
  });
}

void Provider::ResumePacks() {
  std::vector<std::pair<std::string, double>> pack_steps;
  std::set<std::pair<std::string, double>> organization_steps;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, pack] : packs_.packs.items()) {
      if (!pack.managed_by_organization() && pack.in_progress())
        pack_steps.emplace_back(key, pack.due);
    }
    for (const auto& [key, pack] : packs_.organization_packs.items()) {
      if (pack.in_progress()) organization_steps.emplace(key, pack.step_due);
      const std::string prefix = DeploymentsPrefix(key);
      for (auto item = packs_.deployments.LowerBound(prefix);
           item != packs_.deployments.items().end() && item->first.starts_with(prefix); ++item) {
        if (item->second.in_progress()) organization_steps.emplace(key, item->second.due);
      }
    }
  }
  for (const auto& [key, due] : pack_steps) ScheduleConformancePackStep(key, due);
  for (const auto& [key, due] : organization_steps) ScheduleOrganizationPackStep(key, due);
}

void Provider::OnOrganizationEventPacks(const org::Event& event) {
  if (event.kind == org::Event::Kind::kAccountMoved) return;  // packs reach the whole organization
  const double now = scheduler_.now();
  const double due = now + kDeploymentSeconds;
  std::vector<std::string> started;
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    for (const std::string& pack_key :
         KeysWithPrefix(packs_.organization_packs, event.organization_id + "/")) {
      const OrganizationConformancePack pack = *packs_.organization_packs.Find(pack_key);
      switch (event.kind) {
        case org::Event::Kind::kAccountJoined: {
          const auto& excluded = pack.excluded_accounts;
          if (pack.phase == "DELETE" ||
              std::find(excluded.begin(), excluded.end(), event.account_id) != excluded.end() ||
              packs_.deployments.Find(DeploymentsPrefix(pack_key) + event.account_id)) {
            break;
          }
          Result<Template> pack_template = Template::Parse(pack.template_body);
          if (!pack_template.ok()) break;  // it parsed when it was put
          StartMemberDeployment(packs_, txn, pack_key, pack, *pack_template, event.account_id, now,
                                due);
          RefreshOrganizationStatus(packs_, tags_, txn, pack_key, now);
          started.push_back(pack_key);
          break;
        }
        case org::Event::Kind::kAccountLeft:
        case org::Event::Kind::kAccountSuspended:
          DropMemberDeployment(packs_, txn, pack_key, pack, event.account_id);
          RefreshOrganizationStatus(packs_, tags_, txn, pack_key, now);
          break;
        case org::Event::Kind::kOrganizationDeleted:
          EraseOrganizationPack(packs_, tags_, txn, pack_key);
          break;
        case org::Event::Kind::kAccountMoved:
          break;
      }
    }
    return Ok{};
  });
  for (const std::string& pack_key : started) ScheduleOrganizationPackStep(pack_key, due);
}

bool Provider::PacksOwnArn(std::string_view scope, std::string_view arn) const {
  // Callers hold mutex_. An account's packs number at most kMaxConformancePacks per scope, and
  // an organization's packs kMaxOrganizationConformancePacks per region.
  for (auto item = packs_.packs.LowerBound(scope);
       item != packs_.packs.items().end() && item->first.starts_with(scope); ++item) {
    if (item->second.arn == arn) return true;
  }
  const size_t slash = scope.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string account_id(scope.substr(0, slash));
  const std::string region(scope.substr(slash + 1, scope.size() - slash - 2));
  const org::Membership membership = directory_.MembershipOf(account_id);
  if (!membership.in_organization()) return false;
  const std::string prefix = OrganizationScope(membership.organization_id, region);
  for (auto item = packs_.organization_packs.LowerBound(prefix);
       item != packs_.organization_packs.items().end() && item->first.starts_with(prefix); ++item) {
    if (item->second.arn == arn) return true;
  }
  return false;
}

Provider::Output Provider::SetDeploymentFailure(const json::object& body, double now) {
  for (const auto& entry : body) {
    if (entry.key() != "AccountId" && entry.key() != "Failing" && entry.key() != "ErrorCode" &&
        entry.key() != "ErrorMessage") {
      return errors::ValidationException(
          "unknown member " + std::string(entry.key()) +
          "; the body takes AccountId, Failing, ErrorCode, ErrorMessage");
    }
  }
  const std::string account_id = Text(body, "AccountId");
  if (!IsAccountId(account_id))
    return errors::ValidationException("AccountId must be a 12-digit account id");
  const json::value* failing = body.if_contains("Failing");
  if (!failing || !failing->is_bool())
    return errors::ValidationException("Failing must be true or false");
  for (std::string_view member : {"ErrorCode", "ErrorMessage"}) {
    if (const json::value* value = body.if_contains(member);
        value && (!value->is_string() || value->get_string().empty())) {
      return errors::ValidationException(std::string(member) + " must be a non-empty string");
    }
  }
  DeploymentFailure failure{account_id,
                            body.contains("ErrorCode") ? Text(body, "ErrorCode")
                                                       : std::string(kDefaultDeploymentErrorCode),
                            body.contains("ErrorMessage")
                                ? Text(body, "ErrorMessage")
                                : std::string(kDefaultDeploymentErrorMessage)};
  return Write([&](store::Transaction& txn) -> Output {
    json::object out{{"AccountId", account_id}, {"Failing", failing->get_bool()}};
    if (!failing->get_bool()) {
      packs_.deployment_failures.Erase(txn, account_id);
      return out;
    }
    out["ErrorCode"] = failure.error_code;
    out["ErrorMessage"] = failure.error_message;
    packs_.deployment_failures.Put(txn, account_id, std::move(failure));
    return out;
  });
}

// --- Conformance packs of one account

Provider::Output Provider::PutConformancePack(const Context& context, Input& input) {
  const std::string name = Text(input, "ConformancePackName");
  Result<std::string> body = TemplateBodyOf(input);
  if (!body.ok()) return std::move(body).error();
  Result<Template> pack_template = Template::Parse(*body);
  if (!pack_template.ok()) return std::move(pack_template).error();
  const InputParameters parameters = ParametersOf(input);
  Result<std::vector<templates::RuleSpec>> rules =
      pack_template->Resolve(ParameterMap(parameters), context.account_id, context.region);
  if (!rules.ok()) return std::move(rules).error();
  std::map<std::string, std::string> new_tags;
  if (const json::value* list = input.if_contains("Tags"); list && list->is_array()) {
    for (const json::value& tag : list->get_array()) {
      new_tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
  }

  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string pack_key = scope + name;
  const double due = context.now + kConformancePackSeconds;
  Output put = Write([&](store::Transaction& txn) -> Output {
    ConformancePack pack;
    if (const ConformancePack* existing = packs_.packs.Find(pack_key)) {
      if (existing->managed_by_organization()) {
        return errors::InvalidParameterValueException(
            "The conformance pack " + name +
            " was deployed by an organization conformance pack; the management account or a "
            "delegated administrator "
            "changes it with PutOrganizationConformancePack.");
      }
      if (existing->in_progress()) return PackInUse(*existing);
      pack = *existing;
    } else {
      if (CountWithPrefix(packs_.packs, scope) >= kMaxConformancePacks) {
        return errors::MaxNumberOfConformancePacksExceededException();
      }
      pack.name = name;
      pack.id = NewPackId();
      pack.arn = PackArn(context.region, context.account_id, name, pack.id);
      pack.stack_arn = StackArn(context.region, context.account_id, name, pack.id);
      pack.account_id = std::string(context.account_id);
      pack.region = std::string(context.region);
    }
    const std::string tags_key = scope + pack.arn;
    if (!new_tags.empty()) {
      TagSet tag_set;
      if (const TagSet* existing = tags_.Find(tags_key)) tag_set = *existing;
      for (const auto& [key, value] : new_tags) tag_set.tags[key] = value;
      if (tag_set.tags.size() > 50) return errors::TooManyTagsException();
      tags_.Put(txn, tags_key, std::move(tag_set));
    }
    pack.delivery_s3_bucket = Text(input, "DeliveryS3Bucket");
    pack.delivery_s3_key_prefix = Text(input, "DeliveryS3KeyPrefix");
    pack.input_parameters = parameters;
    pack.state = "CREATE_IN_PROGRESS";
    pack.status_reason.clear();
    pack.last_update_requested = context.now;
    pack.due = due;
    pack.pending_rule_names = DeployedRuleNames(*rules, pack.id);
    json::object out{{"ConformancePackArn", pack.arn}};
    packs_.packs.Put(txn, pack_key, std::move(pack));
    return out;
  });
  if (put.ok()) ScheduleConformancePackStep(pack_key, due);
  return put;
}

Provider::Output Provider::DescribeConformancePacks(const Context& context, Input& input) {
  const std::vector<std::string> names = Names(input, "ConformancePackNames");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  for (const std::string& name : names) {
    if (!packs_.packs.Find(scope + name)) return NoSuchPacks();
  }
  const services::Paging paging(tokens_, context, input, "DescribeConformancePacks", QueryOf(names),
                                kPage20);
  return services::ListPage(
      paging, packs_.packs, scope, "ConformancePackDetails",
      [&](const ConformancePack& pack) {
        return names.empty() || std::binary_search(names.begin(), names.end(), pack.name);
      },
      PackDetailJson);
}

Provider::Output Provider::DescribeConformancePackStatus(const Context& context, Input& input) {
  // NoSuchConformancePackException is not among this operation's errors: unknown names are
  // left out (the Terraform provider reads an empty answer as "not found").
  const std::vector<std::string> names = Names(input, "ConformancePackNames");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  const services::Paging paging(tokens_, context, input, "DescribeConformancePackStatus",
                                QueryOf(names), kPage20);
  return services::ListPage(
      paging, packs_.packs, scope, "ConformancePackStatusDetails",
      [&](const ConformancePack& pack) {
        return names.empty() || std::binary_search(names.begin(), names.end(), pack.name);
      },
      PackStatusJson);
}

Provider::Output Provider::DeleteConformancePack(const Context& context, Input& input) {
  const std::string name = Text(input, "ConformancePackName");
  const std::string pack_key = ScopePrefix(context.account_id, context.region) + name;
  const double due = context.now + kConformancePackSeconds;
  Output deleted = Write([&](store::Transaction& txn) -> Output {
    const ConformancePack* pack = packs_.packs.Find(pack_key);
    if (!pack) return NoSuchPack(name);
    if (pack->managed_by_organization()) {
      return errors::ResourceInUseException(
          "The conformance pack " + name +
          " was deployed by an organization conformance pack; the management account or a "
          "delegated administrator "
          "removes it with DeleteOrganizationConformancePack or ExcludedAccounts.");
    }
    if (pack->in_progress()) return PackInUse(*pack);
    packs_.packs.Update(txn, pack_key, [&](ConformancePack& stored) {
      stored.state = "DELETE_IN_PROGRESS";
      stored.status_reason.clear();
      stored.due = due;
    });
    return json::object{};
  });
  if (deleted.ok()) ScheduleConformancePackStep(pack_key, due);
  return deleted;
}

Provider::Output Provider::DescribeConformancePackCompliance(const Context& context, Input& input) {
  const std::string name = Text(input, "ConformancePackName");
  const json::object* filters = Filters(input);
  const std::vector<std::string> wanted =
      filters ? Names(*filters, "ConfigRuleNames") : std::vector<std::string>();
  const std::string compliance = filters ? Text(*filters, "ComplianceType") : std::string();
  std::shared_lock lock(mutex_);
  const ConformancePack* pack =
      packs_.packs.Find(ScopePrefix(context.account_id, context.region) + name);
  if (!pack) return NoSuchPack(name);
  for (const std::string& rule : wanted) {
    if (!std::binary_search(pack->rule_names.begin(), pack->rule_names.end(), rule))
      return NoSuchRules();
  }
  const services::Paging paging(tokens_, context, input, "DescribeConformancePackCompliance",
                                name + "|" + QueryOf(wanted) + "|" + compliance, kPage1000);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  json::array rules;
  json::object out{{"ConformancePackName", pack->name}};
  if (compliance.empty() || compliance == kInsufficientData) {
    for (auto rule = std::upper_bound(pack->rule_names.begin(), pack->rule_names.end(), *start);
         rule != pack->rule_names.end(); ++rule) {
      if (!wanted.empty() && !std::binary_search(wanted.begin(), wanted.end(), *rule)) continue;
      if (rules.size() == paging.limit()) {
        out["NextToken"] =
            paging.NextToken(rules.back().as_object().at("ConfigRuleName").as_string());
        break;
      }
      rules.push_back({{"ConfigRuleName", *rule},
                       {"ComplianceType", kInsufficientData},
                       {"Controls", json::array()}});
    }
  }
  out["ConformancePackRuleComplianceList"] = std::move(rules);
  return out;
}

Provider::Output Provider::GetConformancePackComplianceDetails(const Context& context,
                                                               Input& input) {
  const std::string name = Text(input, "ConformancePackName");
  const json::object* filters = Filters(input);
  const std::vector<std::string> wanted =
      filters ? Names(*filters, "ConfigRuleNames") : std::vector<std::string>();
  // "ResourceIds ... This is valid only when you provide resource type. If there is no
  // resource type, you will see an error." (ConformancePackEvaluationFilters)
  if (filters && filters->contains("ResourceIds") && !Names(*filters, "ResourceIds").empty() &&
      Text(*filters, "ResourceType").empty()) {
    return errors::InvalidParameterValueException(
        "ResourceIds can be used only together with a ResourceType.");
  }
  std::shared_lock lock(mutex_);
  const ConformancePack* pack =
      packs_.packs.Find(ScopePrefix(context.account_id, context.region) + name);
  if (!pack) return NoSuchPack(name);
  for (const std::string& rule : wanted) {
    if (!std::binary_search(pack->rule_names.begin(), pack->rule_names.end(), rule))
      return NoSuchRules();
  }
  const services::Paging paging(
      tokens_, context, input, "GetConformancePackComplianceDetails",
      name + "|" + json::serialize(filters ? json::value(*filters) : json::value()), kPage100);
  if (Result<std::string> start = paging.Start(); !start.ok()) return std::move(start).error();
  // No resource is evaluated: there are no evaluation results (see the top of this file).
  return json::object{{"ConformancePackName", pack->name},
                      {"ConformancePackRuleEvaluationResults", json::array()}};
}

Provider::Output Provider::GetConformancePackComplianceSummary(const Context& context,
                                                               Input& input) {
  const std::vector<std::string> names = Names(input, "ConformancePackNames");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  for (const std::string& name : names) {
    if (!packs_.packs.Find(scope + name)) return NoSuchPacks();
  }
  const services::Paging paging(tokens_, context, input, "GetConformancePackComplianceSummary",
                                QueryOf(names), kPage20);
  return services::ListPage(
      paging, packs_.packs, scope, "ConformancePackComplianceSummaryList",
      [&](const ConformancePack& pack) {
        return std::binary_search(names.begin(), names.end(), pack.name);
      },
      [](const ConformancePack& pack) {
        return json::object{{"ConformancePackName", pack.name},
                            {"ConformancePackComplianceStatus", kInsufficientData}};
      });
}

Provider::Output Provider::ListConformancePackComplianceScores(const Context& context,
                                                               Input& input) {
  const json::object* filters = Filters(input);
  const std::vector<std::string> names =
      filters ? Names(*filters, "ConformancePackNames") : std::vector<std::string>();
  // Scores sort by pack name unless SortBy is SCORE; every score here is INSUFFICIENT_DATA, so
  // by score they tie and keep the name order. DESCENDING reverses either order.
  const bool descending = Text(input, "SortOrder") == "DESCENDING";
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  const services::Paging paging(
      tokens_, context, input, "ListConformancePackComplianceScores",
      QueryOf(names) + "|" + Text(input, "SortOrder") + "|" + Text(input, "SortBy"), kPage20);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  std::vector<const ConformancePack*> scored;  // at most kMaxConformancePacks
  for (auto item = packs_.packs.LowerBound(scope);
       item != packs_.packs.items().end() && item->first.starts_with(scope); ++item) {
    const ConformancePack& pack = item->second;
    if (pack.last_update_completed == 0) continue;  // never deployed: no score yet
    if (!names.empty() && !std::binary_search(names.begin(), names.end(), pack.name)) continue;
    scored.push_back(&pack);
  }
  if (descending) std::reverse(scored.begin(), scored.end());
  json::array scores;
  json::object out;
  for (const ConformancePack* pack : scored) {
    if (!start->empty() && (descending ? pack->name >= *start : pack->name <= *start)) continue;
    if (scores.size() == paging.limit()) {
      out["NextToken"] =
          paging.NextToken(scores.back().as_object().at("ConformancePackName").as_string());
      break;
    }
    scores.push_back({{"Score", kInsufficientData},
                      {"ConformancePackName", pack->name},
                      {"LastUpdatedTime", pack->last_update_completed}});
  }
  out["ConformancePackComplianceScores"] = std::move(scores);
  return out;
}

// --- Organization conformance packs

Provider::Output Provider::PutOrganizationConformancePack(const Context& context, Input& input) {
  Result<org::Membership> membership =
      AuthorizeOrganizationCaller(directory_, context.account_id, /*for_put=*/true);
  if (!membership.ok()) return std::move(membership).error();
  const std::string name = Text(input, "OrganizationConformancePackName");
  Result<std::string> body = TemplateBodyOf(input);
  if (!body.ok()) return ForOrganization(std::move(body).error());
  Result<Template> pack_template = Template::Parse(*body);
  if (!pack_template.ok()) return ForOrganization(std::move(pack_template).error());
  const InputParameters parameters = ParametersOf(input);
  if (Result<std::vector<templates::RuleSpec>> rules =
          pack_template->Resolve(ParameterMap(parameters), context.account_id, context.region);
      !rules.ok()) {
    return ForOrganization(std::move(rules).error());
  }
  const std::vector<std::string> excluded = Names(input, "ExcludedAccounts");
  const std::string organization_id = membership->organization_id;
  const std::string scope = OrganizationScope(organization_id, context.region);
  const std::string pack_key = scope + name;
  const double due = context.now + kDeploymentSeconds;
  Output put = Write([&](store::Transaction& txn) -> Output {
    OrganizationConformancePack pack;
    if (const OrganizationConformancePack* existing = packs_.organization_packs.Find(pack_key)) {
      if (existing->in_progress()) return OrganizationPackInUse(*existing);
      pack = *existing;
      pack.phase = "UPDATE";
    } else {
      if (CountWithPrefix(packs_.organization_packs, scope) >= kMaxOrganizationConformancePacks) {
        return errors::MaxNumberOfOrganizationConformancePacksExceededException();
      }
      pack.organization_id = organization_id;
      pack.region = std::string(context.region);
      pack.name = name;
      pack.suffix = ids::RandomLowerAlnum(8);
      pack.creator_account_id = std::string(context.account_id);
      pack.arn = "arn:aws:config:" + pack.region + ":" + pack.creator_account_id +
                 ":organization-conformance-pack/" + name + "-" + pack.suffix;
      pack.phase = "CREATE";
    }
    pack.template_body = *body;
    pack.input_parameters = parameters;
    pack.delivery_s3_bucket = Text(input, "DeliveryS3Bucket");
    pack.delivery_s3_key_prefix = Text(input, "DeliveryS3KeyPrefix");
    pack.excluded_accounts = excluded;
    pack.status = pack.phase + "_IN_PROGRESS";
    pack.error_code.clear();
    pack.error_message.clear();
    pack.last_update_time = context.now;
    pack.status_time = context.now;
    pack.step_due = due;
    packs_.organization_packs.Put(txn, pack_key, pack);

    // Read under mutex_, so an account that joins meanwhile is either a target here or
    // deployed by OnOrganizationEventPacks once this Put has committed.
    const std::vector<std::string> targets =
        DeploymentTargets(directory_, organization_id, excluded);
    for (const std::string& key : KeysWithPrefix(packs_.deployments, DeploymentsPrefix(pack_key))) {
      const std::string& account_id = packs_.deployments.Find(key)->account_id;
      if (!std::binary_search(targets.begin(), targets.end(), account_id)) {
        StartMemberRemoval(packs_, txn, pack_key, pack, account_id, context.now, due);
      }
    }
    for (const std::string& account_id : targets) {
      StartMemberDeployment(packs_, txn, pack_key, pack, *pack_template, account_id, context.now,
                            due);
    }
    return json::object{{"OrganizationConformancePackArn", pack.arn}};
  });
  if (!put.ok()) return put;
  // "This API enables organization service access for config-multiaccountsetup.amazonaws.com
  // through the EnableAWSServiceAccess action" (PutOrganizationConformancePack).
  directory_.EnableTrustedAccess(organization_id, kMultiAccountSetupPrincipal, context.now);
  ScheduleOrganizationPackStep(pack_key, due);
  return put;
}

Provider::Output Provider::DescribeOrganizationConformancePacks(const Context& context,
                                                                Input& input) {
  Result<org::Membership> membership =
      AuthorizeOrganizationCaller(directory_, context.account_id, /*for_put=*/false);
  if (!membership.ok()) return std::move(membership).error();
  const std::vector<std::string> names = Names(input, "OrganizationConformancePackNames");
  const std::string scope = OrganizationScope(membership->organization_id, context.region);
  const services::Paging paging(tokens_, context, input, "DescribeOrganizationConformancePacks", "",
                                kPage100);
  std::shared_lock lock(mutex_);
  // "Limit and next token are not applicable if you specify organization conformance pack
  // names." (API reference)
  return services::ListNamedOrPage(paging, packs_.organization_packs, scope, names,
                                   "OrganizationConformancePacks", OrganizationPackJson,
                                   NoSuchOrganizationPacks);
}

Provider::Output Provider::DescribeOrganizationConformancePackStatuses(const Context& context,
                                                                       Input& input) {
  Result<org::Membership> membership =
      AuthorizeOrganizationCaller(directory_, context.account_id, /*for_put=*/false);
  if (!membership.ok()) return std::move(membership).error();
  const std::vector<std::string> names = Names(input, "OrganizationConformancePackNames");
  const std::string scope = OrganizationScope(membership->organization_id, context.region);
  const services::Paging paging(tokens_, context, input,
                                "DescribeOrganizationConformancePackStatuses", "", kPage100);
  std::shared_lock lock(mutex_);
  // "Limit and next token are not applicable if you specify organization conformance pack
  // names." (API reference)
  return services::ListNamedOrPage(paging, packs_.organization_packs, scope, names,
                                   "OrganizationConformancePackStatuses", OrganizationStatusJson,
                                   NoSuchOrganizationPacks);
}

Provider::Output Provider::GetOrganizationConformancePackDetailedStatus(const Context& context,
                                                                        Input& input) {
  Result<org::Membership> membership =
      AuthorizeOrganizationCaller(directory_, context.account_id, /*for_put=*/false);
  if (!membership.ok()) return std::move(membership).error();
  const std::string name = Text(input, "OrganizationConformancePackName");
  const json::object* filters = Filters(input);
  const std::string account_filter = filters ? Text(*filters, "AccountId") : std::string();
  const std::string status_filter = filters ? Text(*filters, "Status") : std::string();
  const std::string pack_key =
      OrganizationScope(membership->organization_id, context.region) + name;
  std::shared_lock lock(mutex_);
  const OrganizationConformancePack* pack = packs_.organization_packs.Find(pack_key);
  if (!pack) return NoSuchOrganizationPack(name);
  const services::Paging paging(tokens_, context, input,
                                "GetOrganizationConformancePackDetailedStatus",
                                name + "|" + account_filter + "|" + status_filter, kPage100);
  return services::ListPage(
      paging, packs_.deployments, DeploymentsPrefix(pack_key),
      "OrganizationConformancePackDetailedStatuses",
      [&](const MemberDeployment& deployment) {
        return (account_filter.empty() || deployment.account_id == account_filter) &&
               (status_filter.empty() || deployment.status == status_filter);
      },
      [&](const MemberDeployment& deployment) { return DetailedStatusJson(*pack, deployment); });
}

Provider::Output Provider::DeleteOrganizationConformancePack(const Context& context, Input& input) {
  Result<org::Membership> membership =
      AuthorizeOrganizationCaller(directory_, context.account_id, /*for_put=*/false);
  if (!membership.ok()) return std::move(membership).error();
  const std::string name = Text(input, "OrganizationConformancePackName");
  const std::string pack_key =
      OrganizationScope(membership->organization_id, context.region) + name;
  const double due = context.now + kDeploymentSeconds;
  Output deleted = Write([&](store::Transaction& txn) -> Output {
    const OrganizationConformancePack* existing = packs_.organization_packs.Find(pack_key);
    if (!existing) return NoSuchOrganizationPack(name);
    if (existing->in_progress()) return OrganizationPackInUse(*existing);
    packs_.organization_packs.Update(txn, pack_key, [&](OrganizationConformancePack& stored) {
      stored.phase = "DELETE";
      stored.status = "DELETE_IN_PROGRESS";
      stored.error_code.clear();
      stored.error_message.clear();
      stored.status_time = context.now;
      stored.step_due = due;
    });
    const OrganizationConformancePack pack = *packs_.organization_packs.Find(pack_key);
    for (const std::string& key : KeysWithPrefix(packs_.deployments, DeploymentsPrefix(pack_key))) {
      StartMemberRemoval(packs_, txn, pack_key, pack, packs_.deployments.Find(key)->account_id,
                         context.now, due);
    }
    return json::object{};
  });
  if (deleted.ok()) ScheduleOrganizationPackStep(pack_key, due);
  return deleted;
}

}  // namespace cairn::config
