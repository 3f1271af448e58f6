#include "services/organizations/provider.h"

#include <boost/json.hpp>
#include <set>

#include "base/json_fields.h"
#include "org/naming.h"
#include "services/common/paging.h"
#include "services/organizations/errors.h"

namespace cairn::organizations {
namespace json = boost::json;
using org::Account;
using org::Organization;
using org::OrganizationalUnit;
using org::State;

namespace {

using json_fields::Text;

// Default page size where MaxResults is not given (the model allows 1..20).
constexpr size_t kDefaultPageSize = 20;
// The deepest OU tree AWS allows below a root.
constexpr size_t kMaxOrganizationalUnitDepth = 5;
// Tags per resource (Organizations quotas).
constexpr size_t kMaxTags = 50;

enum class Access { kAnyAccount, kReader, kManagement };

// The caller's organization, if the caller may do what `access` asks.
Result<const Organization*> Authorize(const State& state, std::string_view account_id,
                                      Access access) {
  const Organization* organization = state.OrganizationOf(account_id);
  if (!organization) return errors::AWSOrganizationsNotInUseException();
  const bool is_management = organization->management_account_id == account_id;
  if (access == Access::kAnyAccount || is_management) return organization;
  if (access == Access::kReader &&
      state.IsDelegatedAdministratorForAny(organization->id, account_id)) {
    return organization;
  }
  return errors::AccessDeniedException();
}

json::object OrganizationJson(const Organization& organization) {
  json::array policy_types;
  // AvailablePolicyTypes is deprecated; AWS lists SCPs for an organization with all features.
  if (organization.feature_set == "ALL") {
    policy_types.push_back({{"Type", "SERVICE_CONTROL_POLICY"}, {"Status", "ENABLED"}});
  }
  return {{"Id", organization.id},
          {"Arn", organization.arn},
          {"FeatureSet", organization.feature_set},
          {"MasterAccountArn", org::AccountArn(organization.management_account_id, organization.id,
                                               organization.management_account_id)},
          {"MasterAccountId", organization.management_account_id},
          {"MasterAccountEmail", organization.management_account_email},
          {"AvailablePolicyTypes", std::move(policy_types)}};
}

json::object RootJson(const Organization& organization) {
  return {{"Id", organization.root_id},
          {"Arn",
           org::RootArn(organization.management_account_id, organization.id, organization.root_id)},
          {"Name", "Root"},
          {"PolicyTypes", json::array()}};
}

json::object AccountJson(const Account& account) {
  return {{"Id", account.id},
          {"Arn", account.arn},
          {"Email", account.email},
          {"Name", account.name},
          {"Status", account.status},
          {"State", account.status},
          {"JoinedMethod", account.joined_method},
          {"JoinedTimestamp", account.joined}};
}

json::object UnitJson(const OrganizationalUnit& unit) {
  return {{"Id", unit.id}, {"Arn", unit.arn}, {"Name", unit.name}};
}

json::object StatusJson(const org::CreateAccountRequest& request) {
  json::object out{{"Id", request.id},
                   {"AccountName", request.account_name},
                   {"State", request.state},
                   {"RequestedTimestamp", request.requested}};
  if (request.state != "IN_PROGRESS") out["CompletedTimestamp"] = request.completed;
  if (!request.account_id.empty()) out["AccountId"] = request.account_id;
  if (!request.failure_reason.empty()) out["FailureReason"] = request.failure_reason;
  return out;
}

bool IsParentOf(const State& state, const Organization& organization, std::string_view parent_id) {
  if (parent_id == organization.root_id) return true;
  const OrganizationalUnit* unit = state.units.Find(parent_id);
  return unit && unit->organization_id == organization.id;
}

const Account* AccountIn(const State& state, const Organization& organization,
                         std::string_view account_id) {
  const Account* account = state.accounts.Find(account_id);
  return account && account->organization_id == organization.id ? account : nullptr;
}

const services::PagingRules kPaging{"organizations", "MaxResults", kDefaultPageSize, false,
                                    [] { return errors::InvalidNextToken(); }};

// One page of `collection` for an Organizations List* operation.
template <typename T, typename Keep, typename ToJson>
Result<json::object> ListPage(const PageTokens& tokens, const gateway::RequestContext& context,
                              const json::object& input, std::string_view operation,
                              std::string_view query, const store::Collection<T>& collection,
                              std::string_view prefix, std::string_view list_member, Keep&& keep,
                              ToJson&& to_json) {
  const services::Paging paging(tokens, context, input, operation, query, kPaging);
  return services::ListPage(paging, collection, prefix, list_member, keep, to_json);
}

bool IsOrganizationResource(const State& state, const Organization& organization,
                            std::string_view id) {
  return id == organization.root_id || AccountIn(state, organization, id) != nullptr ||
         (state.units.Find(id) && state.units.Find(id)->organization_id == organization.id);
}

json::array TagsJson(const std::map<std::string, std::string>& tags) {
  json::array out;
  for (const auto& [key, value] : tags) out.push_back({{"Key", key}, {"Value", value}});
  return out;
}

std::map<std::string, std::string> TagsFromInput(const json::object& input) {
  std::map<std::string, std::string> tags;
  if (const json::value* list = input.if_contains("Tags"); list && list->is_array()) {
    for (const json::value& tag : list->get_array()) {
      tags[std::string(tag.at("Key").as_string())] = std::string(tag.at("Value").as_string());
    }
  }
  return tags;
}

// Tags are written with their resource: an empty set is not stored.
void PutTags(org::Directory::WriteContext& write, const std::string& resource_id,
             std::map<std::string, std::string> tags) {
  if (tags.empty()) {
    write.state.tags.Erase(write.txn, resource_id);
  } else {
    write.state.tags.Put(write.txn, resource_id, org::TagSet{std::move(tags)});
  }
}

// The messages of ConstraintViolationException below are the API reference's descriptions of
// their Reason (ConstraintViolationException) where no real response is known.
Result<Ok> CheckTagLimit(const std::map<std::string, std::string>& tags) {
  if (tags.size() > kMaxTags) {
    return errors::ConstraintViolationException(
        "MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the number of tags allowed on this resource.");
  }
  return Ok{};
}

// AWS answers UNRECOGNIZED_SERVICE_PRINCIPAL for a principal of no AWS service. cairn does not
// keep AWS's list of integrated services (it grows often, and refusing a real one would break
// a user's test), so it refuses what cannot be a service principal at all.
Result<Ok> CheckServicePrincipal(std::string_view principal) {
  constexpr std::string_view kSuffix = ".amazonaws.com";
  if (principal.size() <= kSuffix.size() || !principal.ends_with(kSuffix)) {
    return errors::InvalidInputException(
        "UNRECOGNIZED_SERVICE_PRINCIPAL",
        "You specified a service principal that isn't recognized.");
  }
  return Ok{};
}

size_t DepthOf(const State& state, std::string_view parent_id) {
  size_t depth = state.units.Find(parent_id) ? 1 : 0;
  for (const std::string& ancestor : state.ParentChain(parent_id))
    depth += state.units.Find(ancestor) ? 1 : 0;
  return depth;
}

}  // namespace

void Provider::Bind(gateway::OperationTable& table) {
  using Method = Output (Provider::*)(const Context&, Input&);
  const std::pair<std::string_view, Method> kOperations[] = {
      {"CreateOrganization", &Provider::CreateOrganization},
      {"DescribeOrganization", &Provider::DescribeOrganization},
      {"DeleteOrganization", &Provider::DeleteOrganization},
      {"CreateAccount", &Provider::CreateAccount},
      {"DescribeCreateAccountStatus", &Provider::DescribeCreateAccountStatus},
      {"ListCreateAccountStatus", &Provider::ListCreateAccountStatus},
      {"ListAccounts", &Provider::ListAccounts},
      {"DescribeAccount", &Provider::DescribeAccount},
      {"MoveAccount", &Provider::MoveAccount},
      {"RemoveAccountFromOrganization", &Provider::RemoveAccountFromOrganization},
      {"CloseAccount", &Provider::CloseAccount},
      {"ListRoots", &Provider::ListRoots},
      {"CreateOrganizationalUnit", &Provider::CreateOrganizationalUnit},
      {"DescribeOrganizationalUnit", &Provider::DescribeOrganizationalUnit},
      {"UpdateOrganizationalUnit", &Provider::UpdateOrganizationalUnit},
      {"DeleteOrganizationalUnit", &Provider::DeleteOrganizationalUnit},
      {"ListOrganizationalUnitsForParent", &Provider::ListOrganizationalUnitsForParent},
      {"ListAccountsForParent", &Provider::ListAccountsForParent},
      {"ListParents", &Provider::ListParents},
      {"ListChildren", &Provider::ListChildren},
      {"EnableAWSServiceAccess", &Provider::EnableAWSServiceAccess},
      {"DisableAWSServiceAccess", &Provider::DisableAWSServiceAccess},
      {"ListAWSServiceAccessForOrganization", &Provider::ListAWSServiceAccessForOrganization},
      {"RegisterDelegatedAdministrator", &Provider::RegisterDelegatedAdministrator},
      {"DeregisterDelegatedAdministrator", &Provider::DeregisterDelegatedAdministrator},
      {"ListDelegatedAdministrators", &Provider::ListDelegatedAdministrators},
      {"ListDelegatedServicesForAccount", &Provider::ListDelegatedServicesForAccount},
      {"TagResource", &Provider::TagResource},
      {"UntagResource", &Provider::UntagResource},
      {"ListTagsForResource", &Provider::ListTagsForResource},
  };
  for (const auto& [name, method] : kOperations) table.Bind(name, this, method);
}

void Provider::Reset() { directory_.Reset(); }

void Provider::Resume() {
  directory_.Read([this](const State& state) {
    for (const auto& [id, request] : state.create_requests.items()) {
      if (request.state == "IN_PROGRESS") {
        scheduler_.At(request.completes_at, [this, id = id] { FinishCreateAccount(id); });
      }
    }
    for (const auto& [id, account] : state.accounts.items()) {
      if (account.status == "PENDING_CLOSURE") {
        scheduler_.At(account.closes_at, [this, id = id] { FinishCloseAccount(id); });
      }
    }
    return 0;
  });
}

// --- Organization

Provider::Output Provider::CreateOrganization(const Context& context, Input& input) {
  const std::string feature_set = input.contains("FeatureSet") ? Text(input, "FeatureSet") : "ALL";
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    if (write.state.OrganizationOf(context.account_id))
      return errors::AlreadyInOrganizationException();
    const std::string management_id(context.account_id);
    Organization organization;
    organization.id = org::NewOrganizationId();
    organization.arn = org::OrganizationArn(management_id, organization.id);
    organization.feature_set = feature_set;
    organization.management_account_id = management_id;
    organization.root_id = org::NewRootId();
    organization.created = context.now;
    // A world file may have named the account before; keep its e-mail and name.
    const Account* known = write.state.accounts.Find(management_id);
    Account account;
    account.id = management_id;
    account.email = known ? known->email : org::DefaultEmail(management_id);
    account.name = known ? known->name : org::DefaultName(management_id);
    account.arn = org::AccountArn(management_id, organization.id, management_id);
    // The management account shows as INVITED in AWS: it was not created by the organization.
    account.joined_method = "INVITED";
    account.joined = context.now;
    account.parent_id = organization.root_id;
    account.organization_id = organization.id;
    organization.management_account_email = account.email;
    write.state.accounts.Put(write.txn, management_id, std::move(account));
    const std::string organization_key = organization.id;  // read before organization is moved
    const Organization& stored =
        write.state.organizations.Put(write.txn, organization_key, std::move(organization));
    write.events.push_back({org::Event::Kind::kAccountJoined, stored.id, management_id});
    return json::object{{"Organization", OrganizationJson(stored)}};
  });
}

Provider::Output Provider::DescribeOrganization(const Context& context, Input&) {
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kAnyAccount);
    if (!organization.ok()) return std::move(organization).error();
    return json::object{{"Organization", OrganizationJson(**organization)}};
  });
}

Provider::Output Provider::DeleteOrganization(const Context& context, Input&) {
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> authorized =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!authorized.ok()) return std::move(authorized).error();
    const Organization organization = **authorized;
    if (write.state.AccountsOf(organization.id).size() > 1)
      return errors::OrganizationNotEmptyException();
    for (const OrganizationalUnit* unit : write.state.UnitsOf(organization.id)) {
      write.state.tags.Erase(write.txn, unit->id);
      write.state.units.Erase(write.txn, std::string(unit->id));
    }
    std::vector<std::string> doomed;
    for (const auto& [key, access] : write.state.service_access.items()) {
      if (access.organization_id == organization.id) doomed.push_back(key);
    }
    for (const std::string& key : doomed) write.state.service_access.Erase(write.txn, key);
    doomed.clear();
    for (const auto& [key, request] : write.state.create_requests.items()) {
      if (request.organization_id == organization.id) doomed.push_back(key);
    }
    for (const std::string& key : doomed) write.state.create_requests.Erase(write.txn, key);
    write.state.tags.Erase(write.txn, organization.root_id);
    write.state.tags.Erase(write.txn, organization.management_account_id);
    write.state.accounts.Erase(write.txn, organization.management_account_id);
    write.state.organizations.Erase(write.txn, organization.id);
    write.events.push_back({org::Event::Kind::kOrganizationDeleted, organization.id, ""});
    return json::object{};
  });
}

// --- Accounts

Provider::Output Provider::CreateAccount(const Context& context, Input& input) {
  std::map<std::string, std::string> tags = TagsFromInput(input);
  Output created = directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    // After the access check: a caller that may not create accounts learns that first.
    if (Result<Ok> limit = CheckTagLimit(tags); !limit.ok()) return std::move(limit).error();
    org::CreateAccountRequest request;
    request.id = org::NewCreateAccountRequestId();
    request.organization_id = (*organization)->id;
    request.account_name = Text(input, "AccountName");
    request.email = Text(input, "Email");
    request.requested = context.now;
    request.completes_at = context.now + kCreateAccountSeconds;
    request.tags = std::move(tags);
    const std::string request_key = request.id;  // read before request is moved
    const org::CreateAccountRequest& stored =
        write.state.create_requests.Put(write.txn, request_key, std::move(request));
    return json::object{{"CreateAccountStatus", StatusJson(stored)}};
  });
  if (created.ok()) {
    std::string id(created->at("CreateAccountStatus").as_object().at("Id").as_string());
    scheduler_.At(context.now + kCreateAccountSeconds, [this, id] { FinishCreateAccount(id); });
  }
  return created;
}

void Provider::FinishCreateAccount(const std::string& request_id) {
  const double now = scheduler_.now();
  // The Write's result is only for rolling back; a finished request is not an error.
  (void)directory_.Write([&](org::Directory::WriteContext& write) -> Result<Ok> {
    const org::CreateAccountRequest* request = write.state.create_requests.Find(request_id);
    if (!request || request->state != "IN_PROGRESS") return Ok{};
    const Organization* organization = write.state.organizations.Find(request->organization_id);
    if (!organization) return Ok{};
    std::string failure;
    for (const auto& [id, account] : write.state.accounts.items()) {
      if (account.email == request->email) failure = "EMAIL_ALREADY_EXISTS";
    }
    std::string account_id;
    if (failure.empty()) {
      do {
        account_id = org::NewAccountId();
      } while (write.state.accounts.Find(account_id));
      Account account;
      account.id = account_id;
      account.arn =
          org::AccountArn(organization->management_account_id, organization->id, account_id);
      account.email = request->email;
      account.name = request->account_name;
      account.joined_method = "CREATED";
      account.joined = now;
      account.parent_id = organization->root_id;
      account.organization_id = organization->id;
      write.state.accounts.Put(write.txn, account_id, std::move(account));
      if (!request->tags.empty()) PutTags(write, account_id, request->tags);
      write.events.push_back({org::Event::Kind::kAccountJoined, organization->id, account_id});
    }
    write.state.create_requests.Update(write.txn, request_id,
                                       [&](org::CreateAccountRequest& stored) {
                                         stored.state = failure.empty() ? "SUCCEEDED" : "FAILED";
                                         stored.failure_reason = failure;
                                         stored.account_id = account_id;
                                         stored.completed = now;
                                       });
    return Ok{};
  });
}

Provider::Output Provider::DescribeCreateAccountStatus(const Context& context, Input& input) {
  const std::string request_id = Text(input, "CreateAccountRequestId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const org::CreateAccountRequest* request = state.create_requests.Find(request_id);
    if (!request || request->organization_id != (*organization)->id) {
      return errors::CreateAccountStatusNotFoundException(request_id);
    }
    return json::object{{"CreateAccountStatus", StatusJson(*request)}};
  });
}

Provider::Output Provider::ListCreateAccountStatus(const Context& context, Input& input) {
  std::set<std::string> states;
  std::string query;
  if (const json::value* filter = input.if_contains("States"); filter && filter->is_array()) {
    for (const json::value& wanted : filter->get_array()) states.emplace(wanted.as_string());
    for (const std::string& wanted : states) query.append(wanted).push_back(',');
  }
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const std::string organization_id = (*organization)->id;
    return ListPage(
        tokens_, context, input, "ListCreateAccountStatus", query, state.create_requests, "",
        "CreateAccountStatuses",
        [&](const org::CreateAccountRequest& request) {
          return request.organization_id == organization_id &&
                 (states.empty() || states.contains(request.state));
        },
        StatusJson);
  });
}

Provider::Output Provider::ListAccounts(const Context& context, Input& input) {
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const std::string organization_id = (*organization)->id;
    return ListPage(
        tokens_, context, input, "ListAccounts", "", state.accounts, "", "Accounts",
        [&](const Account& account) { return account.organization_id == organization_id; },
        AccountJson);
  });
}

Provider::Output Provider::DescribeAccount(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const Account* account = AccountIn(state, **organization, account_id);
    if (!account) return errors::AccountNotFoundException();
    return json::object{{"Account", AccountJson(*account)}};
  });
}

Provider::Output Provider::MoveAccount(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  const std::string source = Text(input, "SourceParentId");
  const std::string destination = Text(input, "DestinationParentId");
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const Account* account = AccountIn(write.state, **organization, account_id);
    if (!account) return errors::AccountNotFoundException();
    if (!IsParentOf(write.state, **organization, source))
      return errors::SourceParentNotFoundException();
    if (!IsParentOf(write.state, **organization, destination)) {
      return errors::DestinationParentNotFoundException();
    }
    if (account->parent_id == destination) return errors::DuplicateAccountException();
    // The account must be where the caller says it is (AWS: the source parent is checked).
    if (account->parent_id != source) return errors::SourceParentNotFoundException();
    write.state.accounts.Update(write.txn, account_id,
                                [&](Account& moved) { moved.parent_id = destination; });
    write.events.push_back({org::Event::Kind::kAccountMoved, (*organization)->id, account_id});
    return json::object{};
  });
}

Provider::Output Provider::RemoveAccountFromOrganization(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const std::string organization_id = (*organization)->id;
    if (account_id == (*organization)->management_account_id) {
      return errors::MasterCannotLeaveOrganizationException();
    }
    if (!AccountIn(write.state, **organization, account_id))
      return errors::AccountNotFoundException();
    if (write.state.IsDelegatedAdministratorForAny(organization_id, account_id)) {
      return errors::ConstraintViolationException(
          "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
          "You attempted to remove an account that is registered as a delegated administrator for "
          "a "
          "service integrated with your organization. To complete this operation, you must first "
          "deregister this account as a delegated administrator.");
    }
    // An account that leaves keeps existing on its own; Organizations forgets it and its tags.
    write.state.tags.Erase(write.txn, account_id);
    write.state.accounts.Erase(write.txn, account_id);
    write.events.push_back({org::Event::Kind::kAccountLeft, organization_id, account_id});
    return json::object{};
  });
}

Provider::Output Provider::CloseAccount(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  Output closing = directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const Account* account = AccountIn(write.state, **organization, account_id);
    if (!account) return errors::AccountNotFoundException();
    if (account_id == (*organization)->management_account_id) {
      return errors::ConstraintViolationException(
          "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
          "You attempted to close the management account. To close the management account for "
          "the organization, you must first either remove or close all member accounts in the "
          "organization. Follow standard account closure process using root credentials.");
    }
    if (account->status != "ACTIVE") return errors::AccountAlreadyClosedException();
    write.state.accounts.Update(write.txn, account_id, [&](Account& closed) {
      closed.status = "PENDING_CLOSURE";
      closed.closes_at = context.now + kCloseAccountSeconds;
    });
    return json::object{};
  });
  if (closing.ok())
    scheduler_.At(context.now + kCloseAccountSeconds,
                  [this, account_id] { FinishCloseAccount(account_id); });
  return closing;
}

void Provider::FinishCloseAccount(const std::string& account_id) {
  (void)directory_.Write([&](org::Directory::WriteContext& write) -> Result<Ok> {
    const Account* account = write.state.accounts.Find(account_id);
    if (!account || account->status != "PENDING_CLOSURE") return Ok{};
    const std::string organization_id = account->organization_id;
    // A closed account stays in its organization as SUSPENDED (AWS: for 90 days).
    write.state.accounts.Update(write.txn, account_id, [](Account& closed) {
      closed.status = "SUSPENDED";
      closed.closes_at = 0;
    });
    write.events.push_back({org::Event::Kind::kAccountSuspended, organization_id, account_id});
    return Ok{};
  });
}

// --- Hierarchy

Provider::Output Provider::ListRoots(const Context& context, Input& input) {
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const services::Paging paging(tokens_, context, input, "ListRoots", "", kPaging);
    if (Result<std::string> start = paging.Start(); !start.ok()) return std::move(start).error();
    return json::object{{"Roots", json::array{RootJson(**organization)}}};
  });
}

Provider::Output Provider::CreateOrganizationalUnit(const Context& context, Input& input) {
  const std::string parent_id = Text(input, "ParentId");
  const std::string name = Text(input, "Name");
  std::map<std::string, std::string> tags = TagsFromInput(input);
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> authorized =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!authorized.ok()) return std::move(authorized).error();
    if (Result<Ok> limit = CheckTagLimit(tags); !limit.ok()) return std::move(limit).error();
    const Organization& organization = **authorized;
    if (!IsParentOf(write.state, organization, parent_id)) return errors::ParentNotFoundException();
    if (DepthOf(write.state, parent_id) >= kMaxOrganizationalUnitDepth) {
      return errors::ConstraintViolationException(
          "OU_DEPTH_LIMIT_EXCEEDED",
          "You attempted to create an OU tree that is too many levels deep.");
    }
    for (const OrganizationalUnit* sibling : write.state.UnitsOf(organization.id)) {
      if (sibling->parent_id == parent_id && sibling->name == name) {
        return errors::DuplicateOrganizationalUnitException();
      }
    }
    OrganizationalUnit unit;
    do {
      unit.id = org::NewOrganizationalUnitId(organization.root_id);
    } while (write.state.units.Find(unit.id));
    unit.arn =
        org::OrganizationalUnitArn(organization.management_account_id, organization.id, unit.id);
    unit.name = name;
    unit.parent_id = parent_id;
    unit.organization_id = organization.id;
    const std::string unit_key = unit.id;  // read before unit is moved
    const OrganizationalUnit& stored = write.state.units.Put(write.txn, unit_key, std::move(unit));
    if (!tags.empty()) PutTags(write, stored.id, std::move(tags));
    return json::object{{"OrganizationalUnit", UnitJson(stored)}};
  });
}

Provider::Output Provider::DescribeOrganizationalUnit(const Context& context, Input& input) {
  const std::string unit_id = Text(input, "OrganizationalUnitId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const OrganizationalUnit* unit = state.units.Find(unit_id);
    if (!unit || unit->organization_id != (*organization)->id)
      return errors::OrganizationalUnitNotFoundException();
    return json::object{{"OrganizationalUnit", UnitJson(*unit)}};
  });
}

Provider::Output Provider::UpdateOrganizationalUnit(const Context& context, Input& input) {
  const std::string unit_id = Text(input, "OrganizationalUnitId");
  const std::string name = Text(input, "Name");
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const OrganizationalUnit* unit = write.state.units.Find(unit_id);
    if (!unit || unit->organization_id != (*organization)->id)
      return errors::OrganizationalUnitNotFoundException();
    if (!name.empty() && name != unit->name) {
      for (const OrganizationalUnit* sibling : write.state.UnitsOf((*organization)->id)) {
        if (sibling->parent_id == unit->parent_id && sibling->name == name) {
          return errors::DuplicateOrganizationalUnitException();
        }
      }
      write.state.units.Update(write.txn, unit_id,
                               [&](OrganizationalUnit& renamed) { renamed.name = name; });
    }
    return json::object{{"OrganizationalUnit", UnitJson(*write.state.units.Find(unit_id))}};
  });
}

Provider::Output Provider::DeleteOrganizationalUnit(const Context& context, Input& input) {
  const std::string unit_id = Text(input, "OrganizationalUnitId");
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const OrganizationalUnit* unit = write.state.units.Find(unit_id);
    if (!unit || unit->organization_id != (*organization)->id)
      return errors::OrganizationalUnitNotFoundException();
    if (!write.state.Descendants(unit_id).empty())
      return errors::OrganizationalUnitNotEmptyException();
    write.state.tags.Erase(write.txn, unit_id);
    write.state.units.Erase(write.txn, unit_id);
    return json::object{};
  });
}

Provider::Output Provider::ListOrganizationalUnitsForParent(const Context& context, Input& input) {
  const std::string parent_id = Text(input, "ParentId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsParentOf(state, **organization, parent_id)) return errors::ParentNotFoundException();
    return ListPage(
        tokens_, context, input, "ListOrganizationalUnitsForParent", parent_id, state.units, "",
        "OrganizationalUnits",
        [&](const OrganizationalUnit& unit) { return unit.parent_id == parent_id; }, UnitJson);
  });
}

Provider::Output Provider::ListAccountsForParent(const Context& context, Input& input) {
  const std::string parent_id = Text(input, "ParentId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsParentOf(state, **organization, parent_id)) return errors::ParentNotFoundException();
    return ListPage(
        tokens_, context, input, "ListAccountsForParent", parent_id, state.accounts, "", "Accounts",
        [&](const Account& account) { return account.parent_id == parent_id; }, AccountJson);
  });
}

Provider::Output Provider::ListParents(const Context& context, Input& input) {
  const std::string child_id = Text(input, "ChildId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const OrganizationalUnit* unit = state.units.Find(child_id);
    const bool is_child = AccountIn(state, **organization, child_id) ||
                          (unit && unit->organization_id == (*organization)->id);
    if (!is_child) return errors::ChildNotFoundException();
    const services::Paging paging(tokens_, context, input, "ListParents", child_id, kPaging);
    if (Result<std::string> start = paging.Start(); !start.ok()) return std::move(start).error();
    const std::string parent_id = state.ParentOf(child_id);
    const char* type = parent_id.starts_with("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT";
    return json::object{{"Parents", json::array{{{"Id", parent_id}, {"Type", type}}}}};
  });
}

Provider::Output Provider::ListChildren(const Context& context, Input& input) {
  const std::string parent_id = Text(input, "ParentId");
  const std::string child_type = Text(input, "ChildType");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsParentOf(state, **organization, parent_id)) return errors::ParentNotFoundException();
    auto child = [&child_type](const auto& item) {
      return json::object{{"Id", item.id}, {"Type", child_type}};
    };
    if (child_type == "ACCOUNT") {
      return ListPage(
          tokens_, context, input, "ListChildren", parent_id + "/ACCOUNT", state.accounts, "",
          "Children", [&](const Account& account) { return account.parent_id == parent_id; },
          child);
    }
    return ListPage(
        tokens_, context, input, "ListChildren", parent_id + "/OU", state.units, "", "Children",
        [&](const OrganizationalUnit& unit) { return unit.parent_id == parent_id; }, child);
  });
}

// --- Trusted access and delegated administrators

Provider::Output Provider::EnableAWSServiceAccess(const Context& context, Input& input) {
  const std::string principal = Text(input, "ServicePrincipal");
  if (Result<Ok> known = CheckServicePrincipal(principal); !known.ok())
    return std::move(known).error();
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    if ((*organization)->feature_set != "ALL") {
      return errors::ConstraintViolationException(
          "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
          "You attempted to perform an operation that requires the organization to be configured "
          "to "
          "support all features. An organization that supports only consolidated billing features "
          "can't perform this operation.");
    }
    const std::string key = org::ServiceAccessKey((*organization)->id, principal);
    if (!write.state.service_access.Find(key)) {
      write.state.service_access.Put(
          write.txn, key, org::ServiceAccess{(*organization)->id, principal, context.now});
    }
    return json::object{};
  });
}

Provider::Output Provider::DisableAWSServiceAccess(const Context& context, Input& input) {
  const std::string principal = Text(input, "ServicePrincipal");
  if (Result<Ok> known = CheckServicePrincipal(principal); !known.ok())
    return std::move(known).error();
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    write.state.service_access.Erase(write.txn,
                                     org::ServiceAccessKey((*organization)->id, principal));
    return json::object{};
  });
}

Provider::Output Provider::ListAWSServiceAccessForOrganization(const Context& context,
                                                               Input& input) {
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    return ListPage(
        tokens_, context, input, "ListAWSServiceAccessForOrganization", "", state.service_access,
        (*organization)->id + "/", "EnabledServicePrincipals",
        [](const org::ServiceAccess&) { return true; },
        [](const org::ServiceAccess& access) {
          return json::object{{"ServicePrincipal", access.principal},
                              {"DateEnabled", access.enabled}};
        });
  });
}

Provider::Output Provider::RegisterDelegatedAdministrator(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  const std::string principal = Text(input, "ServicePrincipal");
  if (Result<Ok> known = CheckServicePrincipal(principal); !known.ok())
    return std::move(known).error();
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    const std::string organization_id = (*organization)->id;
    const Account* account = AccountIn(write.state, **organization, account_id);
    if (!account) return errors::AccountNotFoundException();
    if (account_id == (*organization)->management_account_id) {
      return errors::ConstraintViolationException(
          "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
          "You cannot register master account/yourself as delegated administrator for your "
          "organization.");
    }
    if (account->status != "ACTIVE") {
      return errors::ConstraintViolationException(
          "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
          "You cannot register a suspended account as a delegated administrator.");
    }
    // AWS refuses a delegated administrator for a service that has no trusted access
    // (ConstraintViolationException, SERVICE_ACCESS_NOT_ENABLED in the model).
    if (!write.state.IsTrustedAccessEnabled(organization_id, principal)) {
      return errors::ConstraintViolationException(
          "SERVICE_ACCESS_NOT_ENABLED",
          "You attempted to register a delegated administrator before you enabled service access. "
          "Call the EnableAWSServiceAccess API first.");
    }
    const std::string key = org::DelegationKey(organization_id, account_id, principal);
    if (write.state.delegations.Find(key)) return errors::AccountAlreadyRegisteredException();
    write.state.delegations.Put(
        write.txn, key, org::Delegation{organization_id, account_id, principal, context.now});
    return json::object{};
  });
}

Provider::Output Provider::DeregisterDelegatedAdministrator(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  const std::string principal = Text(input, "ServicePrincipal");
  if (Result<Ok> known = CheckServicePrincipal(principal); !known.ok())
    return std::move(known).error();
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    if (!AccountIn(write.state, **organization, account_id))
      return errors::AccountNotFoundException();
    if (!write.state.delegations.Erase(
            write.txn, org::DelegationKey((*organization)->id, account_id, principal))) {
      return errors::AccountNotRegisteredException();
    }
    return json::object{};
  });
}

Provider::Output Provider::ListDelegatedAdministrators(const Context& context, Input& input) {
  const std::string principal = Text(input, "ServicePrincipal");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    const std::string organization_id = (*organization)->id;
    // One entry per account, keyed by the account's first delegation: the keys
    // org/account/principal sort by account, so "first of its account" is a local check.
    return ListPage(
        tokens_, context, input, "ListDelegatedAdministrators", principal, state.delegations,
        organization_id + "/", "DelegatedAdministrators",
        [&](const org::Delegation& delegation) {
          if (!principal.empty()) return delegation.principal == principal;
          const org::Delegation* first = nullptr;
          auto found =
              state.delegations.LowerBound(organization_id + "/" + delegation.account_id + "/");
          if (found != state.delegations.items().end()) first = &found->second;
          return first == &delegation;
        },
        [&](const org::Delegation& delegation) {
          json::object out = AccountJson(*state.accounts.Find(delegation.account_id));
          out["DelegationEnabledDate"] = delegation.enabled;
          return out;
        });
  });
}

Provider::Output Provider::ListDelegatedServicesForAccount(const Context& context, Input& input) {
  const std::string account_id = Text(input, "AccountId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    if (!AccountIn(state, **organization, account_id)) return errors::AccountNotFoundException();
    const std::string prefix = (*organization)->id + "/" + account_id + "/";
    if (!state.IsDelegatedAdministratorForAny((*organization)->id, account_id)) {
      return errors::AccountNotRegisteredException();
    }
    return ListPage(
        tokens_, context, input, "ListDelegatedServicesForAccount", account_id, state.delegations,
        prefix, "DelegatedServices", [](const org::Delegation&) { return true; },
        [](const org::Delegation& delegation) {
          return json::object{{"ServicePrincipal", delegation.principal},
                              {"DelegationEnabledDate", delegation.enabled}};
        });
  });
}

// --- Tags

Provider::Output Provider::TagResource(const Context& context, Input& input) {
  const std::string resource_id = Text(input, "ResourceId");
  const std::map<std::string, std::string> added = TagsFromInput(input);
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsOrganizationResource(write.state, **organization, resource_id))
      return errors::TargetNotFoundException();
    const org::TagSet* existing = write.state.tags.Find(resource_id);
    std::map<std::string, std::string> tags =
        existing ? existing->tags : std::map<std::string, std::string>{};
    for (const auto& [key, value] : added) tags[key] = value;
    if (Result<Ok> limit = CheckTagLimit(tags); !limit.ok()) return std::move(limit).error();
    PutTags(write, resource_id, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::UntagResource(const Context& context, Input& input) {
  const std::string resource_id = Text(input, "ResourceId");
  return directory_.Write([&](org::Directory::WriteContext& write) -> Output {
    Result<const Organization*> organization =
        Authorize(write.state, context.account_id, Access::kManagement);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsOrganizationResource(write.state, **organization, resource_id))
      return errors::TargetNotFoundException();
    const org::TagSet* existing = write.state.tags.Find(resource_id);
    if (!existing) return json::object{};
    std::map<std::string, std::string> tags = existing->tags;
    for (const json::value& key : input.at("TagKeys").as_array())
      tags.erase(std::string(key.as_string()));
    PutTags(write, resource_id, std::move(tags));
    return json::object{};
  });
}

Provider::Output Provider::ListTagsForResource(const Context& context, Input& input) {
  const std::string resource_id = Text(input, "ResourceId");
  return directory_.Read([&](const State& state) -> Output {
    Result<const Organization*> organization =
        Authorize(state, context.account_id, Access::kReader);
    if (!organization.ok()) return std::move(organization).error();
    if (!IsOrganizationResource(state, **organization, resource_id))
      return errors::TargetNotFoundException();
    const services::Paging paging(tokens_, context, input, "ListTagsForResource", resource_id,
                                  kPaging);
    if (Result<std::string> start = paging.Start(); !start.ok()) return std::move(start).error();
    const org::TagSet* tags = state.tags.Find(resource_id);
    return json::object{{"Tags", tags ? TagsJson(tags->tags) : json::array()}};
  });
}

}  // namespace cairn::organizations
