// Configuration aggregators, aggregation authorizations, pending aggregation requests, the
// status of an aggregator's sources, and the compliance of conformance packs across them.
//
// An account aggregator of account A in Region R that names account B and Region X collects
// from B/X once B authorized A/R there (PutAggregationAuthorization, called by B in X); until
// then B sees a pending aggregation request from A/R in X. "For an individual account
// aggregator, authorization is required for all source accounts and Regions that you want to
// include"; "for an organization aggregator, authorization is not required ... since
// authorization is integrated with the AWS Organizations service" (developer guide,
// "Authorizing Aggregator Accounts to Collect AWS Config Configuration and Compliance Data").
// A's own account is not asked: an account does not authorize itself.
//
// Messages are AWS's where a real response is known (getmoto/moto's aggregator support,
// written against AWS; the CloudFormation report in awsdocs/aws-cloudformation-user-guide#1114),
// else the API reference's description of the error for the operation (the seed page for
// PutConfigurationAggregator).
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/config/errors.h"
#include "services/config/provider.h"

namespace cairn::config {
namespace json = boost::json;
namespace {

using json_fields::Text;

constexpr std::string_view kConfigPrincipal = "config.amazonaws.com";
// AWS Config quotas: configuration aggregators per account and Region, and source accounts
// in one account aggregator.
constexpr size_t kMaxAggregators = 50;
constexpr size_t kMaxSourceAccounts = 10000;
// "The default is maximum" for every Limit of this family; DescribePendingAggregationRequests
// allows 0..20, the others 0..100.
constexpr size_t kDefaultLimit = 100;
constexpr size_t kPendingRequestsDefaultLimit = 20;

constexpr std::string_view kBothSources =
    "The configuration aggregator cannot be created because your request contains both the "
    "AccountAggregationSource and the OrganizationAggregationSource. Include only one aggregation "
    "source and try again.";
constexpr std::string_view kNoSource =
    "The configuration aggregator cannot be created because your request is missing either the "
    "AccountAggregationSource or the OrganizationAggregationSource. Include the appropriate "
    "aggregation source and try again.";
constexpr std::string_view kRegionsAndAllRegions =
    "Your configuration aggregator contains a list of regions and also specifies the use of all "
    "regions. You must choose one of these options.";
constexpr std::string_view kNoRegions =
    "Your request does not specify any regions. Select AWS Config-supported regions and try again.";
constexpr std::string_view kNoSuchAggregator =
    "The configuration aggregator does not exist. Check the configuration aggregator name and try "
    "again.";
constexpr std::string_view kNoSuchAggregators =
    "At least one of the configuration aggregators does not exist. Check the configuration "
    "aggregator names and try again.";
// OrganizationAccessDeniedException and OrganizationAllFeaturesNotEnabledException as the
// PutConfigurationAggregator reference words them (its typos included).
constexpr std::string_view kNotDelegatedAdministrator =
    "You are not a registered delegated administrator for AWS Config with permissions to call "
    "ListDelegatedAdministrators API. Ensure that the management account registers delagated "
    "administrator for AWS Config service principle name before the delegated administrator "
    "creates an aggregator.";
constexpr std::string_view kAdministratorChanged =
    "The configuration aggregator cannot be updated because your AWS Organization management "
    "account or the delegated administrator role changed. Delete this aggregator and create a new "
    "one with the current AWS Organization.";
constexpr std::string_view kPreviousOrganization =
    "The configuration aggregator is associated with a previous AWS Organization and AWS Config "
    "cannot aggregate data with current AWS Organization. Delete this aggregator and create a new "
    "one with the current AWS Organization.";
constexpr std::string_view kAllFeaturesNotEnabled =
    "AWS Config resource cannot be created because your organization does not have all features "
    "enabled.";
constexpr std::string_view kNoOrganization = "Organization is no longer available.";
// What a source that has not authorized the aggregator reports. AWS documents only that "the
// status contains the related error code or message"; no real response is known.
constexpr std::string_view kUnauthorizedCode = "AccessDeniedException";
constexpr std::string_view kUnauthorizedMessage =
    "The aggregator account is not authorized to collect data from this source account and "
    "Region. Authorize the aggregator account in the source account and Region "
    "(PutAggregationAuthorization).";

const services::PagingRules kPaging{"config", "Limit", kDefaultLimit, true,
                                    [] { return errors::InvalidNextTokenException(); }};
const services::PagingRules kPendingRequestsPaging{
    "config", "Limit", kPendingRequestsDefaultLimit, true,
    [] { return errors::InvalidNextTokenException(); }};

const json::object* Member(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

std::vector<std::string> Strings(const json::object& object, std::string_view member) {
  std::vector<std::string> out;
  const json::value* value = object.if_contains(member);
  if (!value || !value->is_array()) return out;
  for (const json::value& item : value->get_array()) out.emplace_back(item.as_string());
  return out;
}

std::map<std::string, std::string> TagsFromInput(const json::object& input) {
  std::map<std::string, std::string> tags;
  if (const json::value* list = input.if_contains("Tags"); list && list->is_array()) {
    for (const json::value& tag : list->get_array()) {
      tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
  }
  return tags;
}

std::vector<std::string> UniqueSorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

// AllAwsRegions or AwsRegions, exactly one of them.
Result<Ok> ReadRegions(const json::object& source, Aggregator& aggregator) {
  const json::value* all = source.if_contains("AllAwsRegions");
  aggregator.all_regions = all && all->is_bool() && all->get_bool();
  aggregator.regions = Strings(source, "AwsRegions");
  if (aggregator.all_regions && !aggregator.regions.empty()) {
    return errors::InvalidParameterValueException(std::string(kRegionsAndAllRegions));
  }
  if (!aggregator.all_regions && aggregator.regions.empty()) {
    return errors::InvalidParameterValueException(std::string(kNoRegions));
  }
  return Ok{};
}

// The aggregator that PutConfigurationAggregator describes, before any rule that needs state.
Result<Aggregator> AggregatorFromInput(const json::object& input) {
  Aggregator aggregator;
  aggregator.name = Text(input, "ConfigurationAggregatorName");
  const json::object* account_source = nullptr;
  if (const json::value* list = input.if_contains("AccountAggregationSources");
      list && list->is_array() && !list->get_array().empty()) {
    account_source = &list->get_array().front().as_object();
  }
  const json::object* organization_source = Member(input, "OrganizationAggregationSource");
  if (account_source && organization_source) {
    return errors::InvalidParameterValueException(std::string(kBothSources));
  }
  if (!account_source && !organization_source)
    return errors::InvalidParameterValueException(std::string(kNoSource));
  const json::object& source = account_source ? *account_source : *organization_source;
  if (Result<Ok> regions = ReadRegions(source, aggregator); !regions.ok())
    return std::move(regions).error();
  if (account_source) {
    aggregator.source_type = "ACCOUNT";
    aggregator.account_ids = Strings(source, "AccountIds");
    if (UniqueSorted(aggregator.account_ids).size() > kMaxSourceAccounts) {
      return errors::LimitExceededException(
          "The number of source accounts in the configuration aggregator "
          "exceeds the limit of " +
          std::to_string(kMaxSourceAccounts) + ".");
    }
  } else {
    aggregator.source_type = "ORGANIZATION";
    aggregator.role_arn = Text(source, "RoleArn");
    if (aggregator.role_arn.empty()) return errors::InvalidRoleException();
  }
  if (const json::object* filters = Member(input, "AggregatorFilters"))
    aggregator.filters = *filters;
  return aggregator;
}

// Who may aggregate an organization (PutConfigurationAggregator): its management account, for
// which AWS Config enables trusted access, or a delegated administrator for
// config.amazonaws.com, in an organization with all features. `existing` is the aggregator
// being updated, if any.
struct OrganizationAccess {
  std::string organization_id;
  bool management = false;
};

Result<OrganizationAccess> AuthorizeOrganization(const org::Directory& directory,
                                                 std::string_view account_id,
                                                 const Aggregator* existing) {
  return directory.Read([&](const org::State& state) -> Result<OrganizationAccess> {
    const org::Organization* organization = state.OrganizationOf(account_id);
    if (!organization)
      return errors::NoAvailableOrganizationException(std::string(kNoOrganization));
    const bool updating = existing && existing->is_organization();
    if (updating && existing->organization_id != organization->id) {
      return errors::OrganizationAccessDeniedException(std::string(kPreviousOrganization));
    }
    const bool management = organization->management_account_id == account_id;
    if (!management &&
        !state.IsDelegatedAdministrator(organization->id, account_id, kConfigPrincipal)) {
      return errors::OrganizationAccessDeniedException(
          std::string(updating ? kAdministratorChanged : kNotDelegatedAdministrator));
    }
    if (organization->feature_set != "ALL") {
      return errors::OrganizationAllFeaturesNotEnabledException(
          std::string(kAllFeaturesNotEnabled));
    }
    return OrganizationAccess{organization->id, management};
  });
}

// Why an organization aggregator no longer collects, or nullopt while it does: its account
// must still manage, or administer for config.amazonaws.com, the organization it was created for.
std::optional<AwsError> OrganizationSourceError(const org::Directory& directory,
                                                std::string_view account_id,
                                                const Aggregator& aggregator) {
  return directory.Read([&](const org::State& state) -> std::optional<AwsError> {
    const org::Organization* organization = state.OrganizationOf(account_id);
    if (!organization)
      return errors::NoAvailableOrganizationException(std::string(kNoOrganization));
    if (organization->id != aggregator.organization_id) {
      return errors::OrganizationAccessDeniedException(std::string(kPreviousOrganization));
    }
    if (organization->management_account_id != account_id &&
        !state.IsDelegatedAdministrator(organization->id, account_id, kConfigPrincipal)) {
      return errors::OrganizationAccessDeniedException(std::string(kAdministratorChanged));
    }
    return std::nullopt;
  });
}

// Keeps the pending requests of the account aggregators of account/region current after
// `before` (if any) became `after` (if any): every source account and Region that one of them
// names and that has not authorized account/region holds a request from it, and no other does.
// A request its source deleted is asked again when an aggregator naming the source is put.
//
// Per source account, the other aggregators of the scope that name it are found once, and
// the keys are built in one reused buffer: an aggregator over every Region touches 34 requests
// per account on each side, and a copy of the Region list, a scan of the scope's aggregators
// and three key strings per request were most of a PutConfigurationAggregator (issue 8).
void SyncPendingRequests(AggregatorsState& state, store::Transaction& txn,
                         std::string_view account_id, std::string_view region,
                         const Aggregator* before, const Aggregator* after, double now) {
  const std::string scope = ScopePrefix(account_id, region);
  const std::string requester = PartyKey(account_id, region);
  std::string key;  // <source account>/<source region>/<requester>: a pending request's key
  const auto key_of = [&](std::string_view source_account,
                          std::string_view source_region) -> const std::string& {
    key.assign(source_account).push_back('/');
    key.append(source_region).push_back('/');
    key.append(requester);
    return key;
  };
  const auto names = [](const Aggregator& aggregator, std::string_view source_account) {
    return std::find(aggregator.account_ids.begin(), aggregator.account_ids.end(),
                     source_account) != aggregator.account_ids.end();
  };
  const auto regions_of = [](const Aggregator& aggregator,
                             std::vector<std::string>& storage) -> const std::vector<std::string>& {
    if (aggregator.all_regions) return ConfigRegions();
    storage = SourceRegions(aggregator);
    return storage;
  };
  std::vector<std::string> region_storage;
  if (before && !before->is_organization()) {
    const std::vector<std::string>& regions = regions_of(*before, region_storage);
    std::vector<const Aggregator*> others;
    for (const std::string& source_account : UniqueSorted(before->account_ids)) {
      if (source_account == account_id) continue;
      const bool after_names = after && !after->is_organization() && names(*after, source_account);
      // The scope's other aggregators that name the account (`after` is stored under the same
      // name as `before`, so the name leaves it out here too).
      others.clear();
      for (auto item = state.aggregators.LowerBound(scope);
           item != state.aggregators.items().end() && item->first.starts_with(scope); ++item) {
        if (item->second.name != before->name && !item->second.is_organization() &&
            names(item->second, source_account)) {
          others.push_back(&item->second);
        }
      }
      for (const std::string& source_region : regions) {
        if (after_names && Covers(*after, source_account, source_region)) continue;
        if (std::any_of(others.begin(), others.end(), [&](const Aggregator* other) {
              return Covers(*other, source_account, source_region);
            })) {
          continue;
        }
        state.pending.Erase(txn, key_of(source_account, source_region));
      }
    }
  }
  if (after && !after->is_organization()) {
    const std::vector<std::string>& regions = regions_of(*after, region_storage);
    for (const std::string& source_account : UniqueSorted(after->account_ids)) {
      if (source_account == account_id) continue;
      for (const std::string& source_region : regions) {
        key_of(source_account, source_region);
        if (state.authorizations.Find(key)) continue;
        state.pending.Insert(txn, key,
                             PendingRequest{std::string(account_id), std::string(region), now});
      }
    }
  }
}

// One item of a list that cairn computes rather than stores, with the key that orders it and
// that a NextToken names.
struct Row {
  std::string key;
  json::object item;
};

// One page of `rows` (in key order) as `list_member`.
Result<json::object> PageOfRows(const services::Paging& paging, const std::vector<Row>& rows,
                                std::string_view list_member) {
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  auto row = start->empty() ? rows.begin()
                            : std::upper_bound(rows.begin(), rows.end(), *start,
                                               [](const std::string& key, const Row& other) {
                                                 return key < other.key;
                                               });
  json::object out;
  json::array items;
  std::string last_key;
  for (; row != rows.end(); ++row) {
    if (items.size() == paging.limit()) {
      out["NextToken"] = paging.NextToken(last_key);
      break;
    }
    items.push_back(row->item);
    last_key = row->key;
  }
  out[list_member] = std::move(items);
  return out;
}

// The AggregatedSourceStatus of every source of an aggregator of account/region, in key order.
std::vector<Row> SourceStatuses(const AggregatorsState& state, const org::Directory& directory,
                                std::string_view account_id, std::string_view region,
                                const Aggregator& aggregator) {
  std::vector<Row> rows;
  if (aggregator.is_organization()) {
    // One source, the organization, in each Region ("SourceId: The source account ID or an
    // organization").
    const std::optional<AwsError> failure =
        OrganizationSourceError(directory, account_id, aggregator);
    for (const std::string& source_region : SourceRegions(aggregator)) {
      json::object status{{"SourceId", aggregator.organization_id},
                          {"SourceType", "ORGANIZATION"},
                          {"AwsRegion", source_region},
                          {"LastUpdateStatus", failure ? "FAILED" : "SUCCEEDED"},
                          {"LastUpdateTime", aggregator.updated}};
      if (failure) {
        status["LastErrorCode"] = failure->code;
        status["LastErrorMessage"] = failure->message;
      }
      rows.push_back({PartyKey(aggregator.organization_id, source_region), std::move(status)});
    }
    return rows;
  }
  const std::string requester = PartyKey(account_id, region);
  for (const std::string& source_account : UniqueSorted(aggregator.account_ids)) {
    for (const std::string& source_region : SourceRegions(aggregator)) {
      json::object status{
          {"SourceId", source_account}, {"SourceType", "ACCOUNT"}, {"AwsRegion", source_region}};
      const AggregationAuthorization* authorization =
          state.authorizations.Find(ScopePrefix(source_account, source_region) + requester);
      if (source_account == account_id || authorization) {
        status["LastUpdateStatus"] = "SUCCEEDED";
        status["LastUpdateTime"] =
            std::max(aggregator.updated, authorization ? authorization->created : 0.0);
      } else {
        status["LastUpdateStatus"] = "FAILED";
        status["LastUpdateTime"] = aggregator.updated;
        status["LastErrorCode"] = kUnauthorizedCode;
        status["LastErrorMessage"] = kUnauthorizedMessage;
      }
      rows.push_back({PartyKey(source_account, source_region), std::move(status)});
    }
  }
  return rows;
}

// The accounts and Regions an aggregator collects data from now: the authorized sources of an
// account aggregator; every account of the organization in its Regions for an organization
// aggregator that may still read the organization.
std::vector<std::pair<std::string, std::string>> CollectedSources(const AggregatorsState& state,
                                                                  const org::Directory& directory,
                                                                  std::string_view account_id,
                                                                  std::string_view region,
                                                                  const Aggregator& aggregator) {
  std::vector<std::pair<std::string, std::string>> sources;
  if (aggregator.is_organization()) {
    if (OrganizationSourceError(directory, account_id, aggregator)) return sources;
    for (const std::string& member : directory.MemberAccounts(aggregator.organization_id)) {
      for (const std::string& source_region : SourceRegions(aggregator))
        sources.emplace_back(member, source_region);
    }
    return sources;
  }
  for (const Row& row : SourceStatuses(state, directory, account_id, region, aggregator)) {
    if (row.item.at("LastUpdateStatus").as_string() != "SUCCEEDED") continue;
    sources.emplace_back(std::string(row.item.at("SourceId").as_string()),
                         std::string(row.item.at("AwsRegion").as_string()));
  }
  return sources;
}

// The compliance of one conformance pack of a source account and Region.
struct PackCompliance {
  std::string name;
  std::string compliance_type;  // COMPLIANT | NON_COMPLIANT | INSUFFICIENT_DATA
  int compliant_rules = 0;
  int non_compliant_rules = 0;
  int total_rules = 0;
};

// The conformance packs of one scope with their compliance, as the scope's own
// GetConformancePackComplianceSummary reports it (packs.cc): cairn evaluates no resources, so
// every pack is INSUFFICIENT_DATA with none of its rules compliant or not.
std::vector<PackCompliance> PackCompliancesIn(const PacksState& packs, std::string_view scope) {
  std::vector<PackCompliance> out;
  for (auto item = packs.packs.LowerBound(scope);
       item != packs.packs.items().end() && item->first.starts_with(scope); ++item) {
    const ConformancePack& pack = item->second;
    out.push_back({pack.name, "INSUFFICIENT_DATA", 0, 0, static_cast<int>(pack.rule_names.size())});
  }
  return out;
}

}  // namespace

void Provider::BindAggregators(gateway::OperationTable& table) {
  table.Bind("PutConfigurationAggregator", this, &Provider::PutConfigurationAggregator);
  table.Bind("DescribeConfigurationAggregators", this, &Provider::DescribeConfigurationAggregators);
  table.Bind("DeleteConfigurationAggregator", this, &Provider::DeleteConfigurationAggregator);
  table.Bind("DescribeConfigurationAggregatorSourcesStatus", this,
             &Provider::DescribeConfigurationAggregatorSourcesStatus);
  table.Bind("PutAggregationAuthorization", this, &Provider::PutAggregationAuthorization);
  table.Bind("DescribeAggregationAuthorizations", this,
             &Provider::DescribeAggregationAuthorizations);
  table.Bind("DeleteAggregationAuthorization", this, &Provider::DeleteAggregationAuthorization);
  table.Bind("DescribePendingAggregationRequests", this,
             &Provider::DescribePendingAggregationRequests);
  table.Bind("DeletePendingAggregationRequest", this, &Provider::DeletePendingAggregationRequest);
  table.Bind("DescribeAggregateComplianceByConformancePacks", this,
             &Provider::DescribeAggregateComplianceByConformancePacks);
  table.Bind("GetAggregateConformancePackComplianceSummary", this,
             &Provider::GetAggregateConformancePackComplianceSummary);
}

bool Provider::AggregatorsOwnArn(std::string_view scope, std::string_view arn) const {
  for (auto item = aggregators_.aggregators.LowerBound(scope);
       item != aggregators_.aggregators.items().end() && item->first.starts_with(scope); ++item) {
    if (item->second.arn == arn) return true;
  }
  for (auto item = aggregators_.authorizations.LowerBound(scope);
       item != aggregators_.authorizations.items().end() && item->first.starts_with(scope);
       ++item) {
    if (item->second.arn == arn) return true;
  }
  return false;
}

// --- Aggregators

Provider::Output Provider::PutConfigurationAggregator(const Context& context, Input& input) {
  Result<Aggregator> requested = AggregatorFromInput(input);
  if (!requested.ok()) return std::move(requested).error();
  std::map<std::string, std::string> tags = TagsFromInput(input);
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key = scope + requested->name;
  std::string enable_trusted_access_in;  // the organization whose management account called
  Output put = Write([&](store::Transaction& txn) -> Output {
    const Aggregator* existing = aggregators_.aggregators.Find(key);
    Aggregator aggregator = *requested;
    if (aggregator.is_organization()) {
      Result<OrganizationAccess> access =
          AuthorizeOrganization(directory_, context.account_id, existing);
      if (!access.ok()) return std::move(access).error();
      aggregator.organization_id = access->organization_id;
      if (access->management) enable_trusted_access_in = access->organization_id;
    }
    std::optional<Aggregator> before;
    if (existing) {
      // Idempotent: the ARN, creation time and tags stay; "If a following request has different
      // tags values, AWS Config will ignore these differences".
      before = *existing;
      aggregator.arn = existing->arn;
      aggregator.created = existing->created;
    } else {
      size_t in_scope = 0;
      for (auto item = aggregators_.aggregators.LowerBound(scope);
           item != aggregators_.aggregators.items().end() && item->first.starts_with(scope);
           ++item) {
        ++in_scope;
      }
      if (in_scope >= kMaxAggregators) {
        return errors::LimitExceededException(
            "You have reached the limit of " + std::to_string(kMaxAggregators) +
            " configuration aggregators in this account and Region.");
      }
      aggregator.arn = NewAggregatorArn(context.account_id, context.region);
      aggregator.created = context.now;
      if (!tags.empty()) tags_.Put(txn, scope + aggregator.arn, TagSet{std::move(tags)});
    }
    aggregator.updated = context.now;
    const Aggregator& stored = aggregators_.aggregators.Put(txn, key, std::move(aggregator));
    SyncPendingRequests(aggregators_, txn, context.account_id, context.region,
                        before ? &*before : nullptr, &stored, context.now);
    return json::object{{"ConfigurationAggregator", stored.Describe()}};
  });
  // "If the caller is a management account, AWS Config calls EnableAwsServiceAccess API".
  if (put.ok() && !enable_trusted_access_in.empty()) {
    directory_.EnableTrustedAccess(enable_trusted_access_in, kConfigPrincipal, context.now);
  }
  return put;
}

Provider::Output Provider::DescribeConfigurationAggregators(const Context& context, Input& input) {
  const std::vector<std::string> names =
      UniqueSorted(Strings(input, "ConfigurationAggregatorNames"));
  std::string query;
  for (const std::string& name : names) query.append(name).push_back(',');
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::shared_lock lock(mutex_);
  for (const std::string& name : names) {
    if (!aggregators_.aggregators.Find(scope + name)) {
      return errors::NoSuchConfigurationAggregatorException(
          std::string(names.size() == 1 ? kNoSuchAggregator : kNoSuchAggregators));
    }
  }
  const services::Paging paging(tokens_, context, input, "DescribeConfigurationAggregators", query,
                                kPaging);
  return services::ListPage(
      paging, aggregators_.aggregators, scope, "ConfigurationAggregators",
      [&](const Aggregator& aggregator) {
        return names.empty() || std::binary_search(names.begin(), names.end(), aggregator.name);
      },
      [](const Aggregator& aggregator) { return aggregator.Describe(); });
}

Provider::Output Provider::DeleteConfigurationAggregator(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key = scope + Text(input, "ConfigurationAggregatorName");
  return Write([&](store::Transaction& txn) -> Output {
    const Aggregator* existing = aggregators_.aggregators.Find(key);
    if (!existing)
      return errors::NoSuchConfigurationAggregatorException(std::string(kNoSuchAggregator));
    const Aggregator deleted = *existing;
    aggregators_.aggregators.Erase(txn, key);
    SyncPendingRequests(aggregators_, txn, context.account_id, context.region, &deleted, nullptr,
                        context.now);
    tags_.Erase(txn, scope + deleted.arn);
    return json::object{};
  });
}

Provider::Output Provider::DescribeConfigurationAggregatorSourcesStatus(const Context& context,
                                                                        Input& input) {
  const std::string name = Text(input, "ConfigurationAggregatorName");
  const std::vector<std::string> wanted = UniqueSorted(Strings(input, "UpdateStatus"));
  std::string query = name + "|";
  for (const std::string& status : wanted) query.append(status).push_back(',');
  std::shared_lock lock(mutex_);
  const Aggregator* aggregator =
      aggregators_.aggregators.Find(ScopePrefix(context.account_id, context.region) + name);
  if (!aggregator)
    return errors::NoSuchConfigurationAggregatorException(std::string(kNoSuchAggregator));
  std::vector<Row> rows =
      SourceStatuses(aggregators_, directory_, context.account_id, context.region, *aggregator);
  if (!wanted.empty()) {
    std::erase_if(rows, [&](const Row& row) {
      return !std::binary_search(wanted.begin(), wanted.end(),
                                 std::string(row.item.at("LastUpdateStatus").as_string()));
    });
  }
  const services::Paging paging(tokens_, context, input,
                                "DescribeConfigurationAggregatorSourcesStatus", query, kPaging);
  return PageOfRows(paging, rows, "AggregatedSourceStatusList");
}

// --- Authorizations and pending requests (called by the source account)

Provider::Output Provider::PutAggregationAuthorization(const Context& context, Input& input) {
  const std::string authorized_account = Text(input, "AuthorizedAccountId");
  const std::string authorized_region = Text(input, "AuthorizedAwsRegion");
  std::map<std::string, std::string> tags = TagsFromInput(input);
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key = scope + PartyKey(authorized_account, authorized_region);
  return Write([&](store::Transaction& txn) -> Output {
    // Idempotent, and tags are "added at creation and cannot be updated with this operation".
    if (const AggregationAuthorization* existing = aggregators_.authorizations.Find(key)) {
      return json::object{{"AggregationAuthorization", existing->Describe()}};
    }
    AggregationAuthorization authorization{
        AuthorizationArn(context.account_id, context.region, authorized_account, authorized_region),
        authorized_account, authorized_region, context.now};
    if (!tags.empty()) tags_.Put(txn, scope + authorization.arn, TagSet{std::move(tags)});
    const AggregationAuthorization& stored =
        aggregators_.authorizations.Put(txn, key, std::move(authorization));
    // Authorizing answers the aggregator's request.
    aggregators_.pending.Erase(txn, key);
    return json::object{{"AggregationAuthorization", stored.Describe()}};
  });
}

Provider::Output Provider::DescribeAggregationAuthorizations(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  const services::Paging paging(tokens_, context, input, "DescribeAggregationAuthorizations", "",
                                kPaging);
  return services::ListPage(
      paging, aggregators_.authorizations, ScopePrefix(context.account_id, context.region),
      "AggregationAuthorizations", [](const AggregationAuthorization&) { return true; },
      [](const AggregationAuthorization& authorization) { return authorization.Describe(); });
}

Provider::Output Provider::DeleteAggregationAuthorization(const Context& context, Input& input) {
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string key =
      scope + PartyKey(Text(input, "AuthorizedAccountId"), Text(input, "AuthorizedAwsRegion"));
  return Write([&](store::Transaction& txn) -> Output {
    // Deleting an authorization that does not exist succeeds, as in AWS.
    if (const AggregationAuthorization* existing = aggregators_.authorizations.Find(key)) {
      tags_.Erase(txn, scope + existing->arn);
      aggregators_.authorizations.Erase(txn, key);
    }
    return json::object{};
  });
}

Provider::Output Provider::DescribePendingAggregationRequests(const Context& context,
                                                              Input& input) {
  std::shared_lock lock(mutex_);
  const services::Paging paging(tokens_, context, input, "DescribePendingAggregationRequests", "",
                                kPendingRequestsPaging);
  return services::ListPage(
      paging, aggregators_.pending, ScopePrefix(context.account_id, context.region),
      "PendingAggregationRequests", [](const PendingRequest&) { return true; },
      [](const PendingRequest& request) {
        return json::object{{"RequesterAccountId", request.requester_account_id},
                            {"RequesterAwsRegion", request.requester_region}};
      });
}

Provider::Output Provider::DeletePendingAggregationRequest(const Context& context, Input& input) {
  const std::string key =
      ScopePrefix(context.account_id, context.region) +
      PartyKey(Text(input, "RequesterAccountId"), Text(input, "RequesterAwsRegion"));
  return Write([&](store::Transaction& txn) -> Output {
    aggregators_.pending.Erase(txn, key);
    return json::object{};
  });
}

// --- Aggregate compliance of conformance packs

Provider::Output Provider::DescribeAggregateComplianceByConformancePacks(const Context& context,
                                                                         Input& input) {
  const std::string name = Text(input, "ConfigurationAggregatorName");
  const json::object* filters = Member(input, "Filters");
  const std::string pack_filter = filters ? Text(*filters, "ConformancePackName") : "";
  const std::string compliance_filter = filters ? Text(*filters, "ComplianceType") : "";
  const std::string account_filter = filters ? Text(*filters, "AccountId") : "";
  const std::string region_filter = filters ? Text(*filters, "AwsRegion") : "";
  const std::string query = name + "|" + pack_filter + "|" + compliance_filter + "|" +
                            account_filter + "|" + region_filter;
  std::shared_lock lock(mutex_);
  const Aggregator* aggregator =
      aggregators_.aggregators.Find(ScopePrefix(context.account_id, context.region) + name);
  if (!aggregator)
    return errors::NoSuchConfigurationAggregatorException(std::string(kNoSuchAggregator));
  std::vector<Row> rows;
  for (const auto& [source_account, source_region] : CollectedSources(
           aggregators_, directory_, context.account_id, context.region, *aggregator)) {
    if (!account_filter.empty() && source_account != account_filter) continue;
    if (!region_filter.empty() && source_region != region_filter) continue;
    for (const PackCompliance& pack :
         PackCompliancesIn(packs_, ScopePrefix(source_account, source_region))) {
      if (!pack_filter.empty() && pack.name != pack_filter) continue;
      if (!compliance_filter.empty() && pack.compliance_type != compliance_filter) continue;
      rows.push_back(
          {PartyKey(source_account, source_region) + "/" + pack.name,
           json::object{
               {"ConformancePackName", pack.name},
               {"Compliance", json::object{{"ComplianceType", pack.compliance_type},
                                           {"CompliantRuleCount", pack.compliant_rules},
                                           {"NonCompliantRuleCount", pack.non_compliant_rules},
                                           {"TotalRuleCount", pack.total_rules}}},
               {"AccountId", source_account},
               {"AwsRegion", source_region}}});
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& left, const Row& right) { return left.key < right.key; });
  const services::Paging paging(tokens_, context, input,
                                "DescribeAggregateComplianceByConformancePacks", query, kPaging);
  return PageOfRows(paging, rows, "AggregateComplianceByConformancePacks");
}

Provider::Output Provider::GetAggregateConformancePackComplianceSummary(const Context& context,
                                                                        Input& input) {
  const std::string name = Text(input, "ConfigurationAggregatorName");
  const json::object* filters = Member(input, "Filters");
  const std::string account_filter = filters ? Text(*filters, "AccountId") : "";
  const std::string region_filter = filters ? Text(*filters, "AwsRegion") : "";
  // Without GroupByKey the summary is by account (cairn's choice; AWS does not document one).
  const std::string group_by =
      input.contains("GroupByKey") ? Text(input, "GroupByKey") : "ACCOUNT_ID";
  const std::string query = name + "|" + account_filter + "|" + region_filter + "|" + group_by;
  std::shared_lock lock(mutex_);
  const Aggregator* aggregator =
      aggregators_.aggregators.Find(ScopePrefix(context.account_id, context.region) + name);
  if (!aggregator)
    return errors::NoSuchConfigurationAggregatorException(std::string(kNoSuchAggregator));
  std::map<std::string, std::pair<int, int>> counts;  // group -> (compliant, non-compliant) packs
  for (const auto& [source_account, source_region] : CollectedSources(
           aggregators_, directory_, context.account_id, context.region, *aggregator)) {
    if (!account_filter.empty() && source_account != account_filter) continue;
    if (!region_filter.empty() && source_region != region_filter) continue;
    for (const PackCompliance& pack :
         PackCompliancesIn(packs_, ScopePrefix(source_account, source_region))) {
      auto& [compliant, non_compliant] =
          counts[group_by == "AWS_REGION" ? source_region : source_account];
      if (pack.compliance_type == "COMPLIANT") ++compliant;
      if (pack.compliance_type == "NON_COMPLIANT") ++non_compliant;
    }
  }
  std::vector<Row> rows;
  for (const auto& [group, pack_counts] : counts) {
    rows.push_back(
        {group,
         json::object{{"GroupName", group},
                      {"ComplianceSummary",
                       json::object{{"CompliantConformancePackCount", pack_counts.first},
                                    {"NonCompliantConformancePackCount", pack_counts.second}}}}});
  }
  const services::Paging paging(tokens_, context, input,
                                "GetAggregateConformancePackComplianceSummary", query, kPaging);
  Result<json::object> page =
      PageOfRows(paging, rows, "AggregateConformancePackComplianceSummaries");
  if (page.ok()) (*page)["GroupByKey"] = group_by;
  return page;
}

}  // namespace cairn::config
