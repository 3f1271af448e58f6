#include "services/config/aggregators_resources.h"

#include <algorithm>
#include <boost/json.hpp>

#include "base/ids.h"
#include "base/json_fields.h"

namespace cairn::config {
namespace json = boost::json;
namespace {

using json_fields::Flag;
using json_fields::Number;
using json_fields::Strings;
using json_fields::StringsToJson;
using json_fields::Text;

}  // namespace

json::object Aggregator::Describe() const {
  json::object out{{"ConfigurationAggregatorName", name},
                   {"ConfigurationAggregatorArn", arn},
                   {"CreationTime", created},
                   {"LastUpdatedTime", updated}};
  // AllAwsRegions comes back as false when a Region list was given, as AWS answers it.
  json::object source{{"AllAwsRegions", all_regions}};
  if (!all_regions) source["AwsRegions"] = StringsToJson(regions);
  if (is_organization()) {
    source["RoleArn"] = role_arn;
    out["OrganizationAggregationSource"] = std::move(source);
  } else {
    source["AccountIds"] = StringsToJson(account_ids);
    out["AccountAggregationSources"] = json::array{std::move(source)};
  }
  if (!filters.empty()) out["AggregatorFilters"] = filters;
  return out;
}

json::value Aggregator::ToJson() const {
  return {{"Name", name},
          {"Arn", arn},
          {"SourceType", source_type},
          {"AccountIds", StringsToJson(account_ids)},
          {"RoleArn", role_arn},
          {"AllRegions", all_regions},
          {"Regions", StringsToJson(regions)},
          {"OrganizationId", organization_id},
          {"Filters", filters},
          {"Created", created},
          {"Updated", updated}};
}

Aggregator Aggregator::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Aggregator aggregator;
  aggregator.name = Text(object, "Name");
  aggregator.arn = Text(object, "Arn");
  aggregator.source_type = Text(object, "SourceType");
  aggregator.account_ids = Strings(object, "AccountIds");
  aggregator.role_arn = Text(object, "RoleArn");
  aggregator.all_regions = Flag(object, "AllRegions");
  aggregator.regions = Strings(object, "Regions");
  aggregator.organization_id = Text(object, "OrganizationId");
  if (const json::value* filters = object.if_contains("Filters"); filters && filters->is_object()) {
    aggregator.filters = filters->get_object();
  }
  aggregator.created = Number(object, "Created");
  aggregator.updated = Number(object, "Updated");
  return aggregator;
}

json::object AggregationAuthorization::Describe() const {
  return {{"AggregationAuthorizationArn", arn},
          {"AuthorizedAccountId", authorized_account_id},
          {"AuthorizedAwsRegion", authorized_region},
          {"CreationTime", created}};
}

json::value AggregationAuthorization::ToJson() const {
  return {{"Arn", arn},
          {"AuthorizedAccountId", authorized_account_id},
          {"AuthorizedRegion", authorized_region},
          {"Created", created}};
}

AggregationAuthorization AggregationAuthorization::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  AggregationAuthorization authorization;
  authorization.arn = Text(object, "Arn");
  authorization.authorized_account_id = Text(object, "AuthorizedAccountId");
  authorization.authorized_region = Text(object, "AuthorizedRegion");
  authorization.created = Number(object, "Created");
  return authorization;
}

json::value PendingRequest::ToJson() const {
  return {{"RequesterAccountId", requester_account_id},
          {"RequesterRegion", requester_region},
          {"Created", created}};
}

PendingRequest PendingRequest::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  PendingRequest request;
  request.requester_account_id = Text(object, "RequesterAccountId");
  request.requester_region = Text(object, "RequesterRegion");
  request.created = Number(object, "Created");
  return request;
}

const std::vector<std::string>& ConfigRegions() {
  static const std::vector<std::string> kRegions{
      "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2",
      "ap-northeast-3", "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2",
      "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
      "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",   "eu-north-1",
      "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",
      "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2"};
  return kRegions;
}

std::vector<std::string> SourceRegions(const Aggregator& aggregator) {
  if (aggregator.all_regions) return ConfigRegions();
  std::vector<std::string> regions = aggregator.regions;
  std::sort(regions.begin(), regions.end());
  regions.erase(std::unique(regions.begin(), regions.end()), regions.end());
  return regions;
}

bool Covers(const Aggregator& aggregator, std::string_view account_id, std::string_view region) {
  if (aggregator.is_organization()) return false;
  if (std::find(aggregator.account_ids.begin(), aggregator.account_ids.end(), account_id) ==
      aggregator.account_ids.end()) {
    return false;
  }
  if (aggregator.all_regions) {
    return std::binary_search(ConfigRegions().begin(), ConfigRegions().end(), region);
  }
  return std::find(aggregator.regions.begin(), aggregator.regions.end(), region) !=
         aggregator.regions.end();
}

std::string NewAggregatorArn(std::string_view account_id, std::string_view region) {
  std::string arn = "arn:aws:config:";
  arn.append(region).push_back(':');
  arn.append(account_id).append(":config-aggregator/config-aggregator-");
  arn.append(ids::RandomLowerAlnum(8));
  return arn;
}

std::string AuthorizationArn(std::string_view account_id, std::string_view region,
                             std::string_view authorized_account_id,
                             std::string_view authorized_region) {
  std::string arn = "arn:aws:config:";
  arn.append(region).push_back(':');
  arn.append(account_id).append(":aggregation-authorization/");
  arn.append(authorized_account_id).push_back('/');
  arn.append(authorized_region);
  return arn;
}

std::string PartyKey(std::string_view account_id, std::string_view region) {
  std::string key(account_id);
  key.push_back('/');
  key.append(region);
  return key;
}

}  // namespace cairn::config
