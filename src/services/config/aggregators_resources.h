// The resources of the aggregators family of AWS Config as cairn stores them, each with a
// stable serialized form, and the rules that say which source accounts and Regions an
// aggregator covers.
//
//   Aggregator                a configuration aggregator (PutConfigurationAggregator), in the
//                             scope of the account and Region that created it
//   AggregationAuthorization  a source account's permission for one aggregator account and
//                             Region (PutAggregationAuthorization), in the source's scope
//   PendingRequest            an account aggregator's request to a source account and Region
//                             that has not authorized it yet, in the source's scope
//
// Plain values; the provider's lock guards the collections that hold them.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::config {

struct Aggregator {
  std::string name;
  std::string arn;
  // ACCOUNT: AccountAggregationSources; ORGANIZATION: OrganizationAggregationSource.
  std::string source_type;
  std::vector<std::string> account_ids;  // ACCOUNT only, as sent
  std::string role_arn;                  // ORGANIZATION only
  bool all_regions = false;
  std::vector<std::string> regions;  // as sent, when not all_regions
  // ORGANIZATION: the organization the aggregator was created for. AWS refuses to update an
  // aggregator "associated with a previous AWS Organization" (PutConfigurationAggregator).
  std::string organization_id;
  boost::json::object filters;  // AggregatorFilters as sent; empty when none
  double created = 0;
  double updated = 0;

  bool is_organization() const { return source_type == "ORGANIZATION"; }
  // The ConfigurationAggregator structure of the API.
  boost::json::object Describe() const;

  boost::json::value ToJson() const;
  static Aggregator FromJson(const boost::json::value& value);
};

struct AggregationAuthorization {
  std::string arn;
  std::string authorized_account_id;
  std::string authorized_region;
  double created = 0;

  // The AggregationAuthorization structure of the API.
  boost::json::object Describe() const;

  boost::json::value ToJson() const;
  static AggregationAuthorization FromJson(const boost::json::value& value);
};

struct PendingRequest {
  std::string requester_account_id;
  std::string requester_region;
  double created = 0;

  boost::json::value ToJson() const;
  static PendingRequest FromJson(const boost::json::value& value);
};

// The Regions where AWS Config runs in the aws partition, which AllAwsRegions stands for
// (botocore 1.43.11 data/endpoints.json, service `config`, partition `aws`, FIPS endpoints
// left out), in name order.
const std::vector<std::string>& ConfigRegions();

// The Regions an aggregator collects from: ConfigRegions() for AllAwsRegions, else its own
// list without repeats, in name order.
std::vector<std::string> SourceRegions(const Aggregator& aggregator);

// Whether an account aggregator collects from `account_id` in `region`.
bool Covers(const Aggregator& aggregator, std::string_view account_id, std::string_view region);

// arn:aws:config:<region>:<account>:config-aggregator/config-aggregator-<8 of [a-z0-9]>
std::string NewAggregatorArn(std::string_view account_id, std::string_view region);
// arn:aws:config:<region>:<account>:aggregation-authorization/<authorized account>/<region>
std::string AuthorizationArn(std::string_view account_id, std::string_view region,
                             std::string_view authorized_account_id,
                             std::string_view authorized_region);

// Keys within a scope: authorizations and pending requests are keyed by the other party,
// `<account>/<region>`.
std::string PartyKey(std::string_view account_id, std::string_view region);

}  // namespace cairn::config
