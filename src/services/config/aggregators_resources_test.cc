#include "services/config/aggregators_resources.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>

namespace cairn::config {
namespace {

namespace json = boost::json;

Aggregator AccountAggregator() {
  Aggregator aggregator;
  aggregator.name = "org-view";
  aggregator.arn =
      "arn:aws:config:us-east-1:111111111111:config-aggregator/config-aggregator-abcd1234";
  aggregator.source_type = "ACCOUNT";
  aggregator.account_ids = {"222222222222", "111111111111", "222222222222"};
  aggregator.regions = {"us-west-2", "eu-west-1", "us-west-2"};
  aggregator.created = 1714000000.5;
  aggregator.updated = 1714000100.25;
  return aggregator;
}

TEST(ConfigRegionsTest, AreSortedAndIncludeTheCommercialRegions) {
  const std::vector<std::string>& regions = ConfigRegions();
  EXPECT_TRUE(std::is_sorted(regions.begin(), regions.end()));
  EXPECT_EQ(std::adjacent_find(regions.begin(), regions.end()), regions.end());
  for (const char* region : {"us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"}) {
    EXPECT_TRUE(std::binary_search(regions.begin(), regions.end(), region)) << region;
  }
}

TEST(SourceRegionsTest, ListedRegionsComeBackOnceInOrder) {
  EXPECT_EQ(SourceRegions(AccountAggregator()),
            (std::vector<std::string>{"eu-west-1", "us-west-2"}));
}

TEST(SourceRegionsTest, AllRegionsMeansEveryConfigRegion) {
  Aggregator aggregator = AccountAggregator();
  aggregator.all_regions = true;
  aggregator.regions.clear();
  EXPECT_EQ(SourceRegions(aggregator), ConfigRegions());
}

TEST(CoversTest, AccountAndRegionMustBothBeNamed) {
  const Aggregator aggregator = AccountAggregator();
  EXPECT_TRUE(Covers(aggregator, "222222222222", "eu-west-1"));
  EXPECT_FALSE(Covers(aggregator, "222222222222", "us-east-1"));
  EXPECT_FALSE(Covers(aggregator, "333333333333", "eu-west-1"));
}

TEST(CoversTest, AllRegionsCoversConfigRegionsOnly) {
  Aggregator aggregator = AccountAggregator();
  aggregator.all_regions = true;
  aggregator.regions.clear();
  EXPECT_TRUE(Covers(aggregator, "222222222222", "ap-northeast-1"));
  EXPECT_FALSE(Covers(aggregator, "222222222222", "xx-nowhere-1"));
}

TEST(CoversTest, AnOrganizationAggregatorNamesNoAccount) {
  Aggregator aggregator = AccountAggregator();
  aggregator.source_type = "ORGANIZATION";
  aggregator.role_arn = "arn:aws:iam::111111111111:role/aggregator";
  EXPECT_FALSE(Covers(aggregator, "222222222222", "eu-west-1"));
}

TEST(AggregatorTest, DescribesAnAccountSourceAsTheApiShapesIt) {
  const json::object described = AccountAggregator().Describe();
  EXPECT_EQ(described.at("ConfigurationAggregatorName"), "org-view");
  EXPECT_FALSE(described.contains("OrganizationAggregationSource"));
  EXPECT_FALSE(described.contains("AggregatorFilters"));
  EXPECT_FALSE(described.contains("CreatedBy"));
  const json::object& source =
      described.at("AccountAggregationSources").as_array().at(0).as_object();
  EXPECT_EQ(source.at("AllAwsRegions"), false);
  EXPECT_EQ(source.at("AwsRegions").as_array().size(), 3u);  // as sent
  EXPECT_EQ(source.at("AccountIds").as_array().size(), 3u);
  EXPECT_EQ(described.at("CreationTime").as_double(), 1714000000.5);
}

TEST(AggregatorTest, DescribesAnOrganizationSourceWithAllRegions) {
  Aggregator aggregator = AccountAggregator();
  aggregator.source_type = "ORGANIZATION";
  aggregator.account_ids.clear();
  aggregator.role_arn = "arn:aws:iam::111111111111:role/aggregator";
  aggregator.all_regions = true;
  aggregator.regions.clear();
  const json::object described = aggregator.Describe();
  EXPECT_FALSE(described.contains("AccountAggregationSources"));
  const json::object& source = described.at("OrganizationAggregationSource").as_object();
  EXPECT_EQ(source.at("RoleArn"), "arn:aws:iam::111111111111:role/aggregator");
  EXPECT_EQ(source.at("AllAwsRegions"), true);
  EXPECT_FALSE(source.contains("AwsRegions"));
}

TEST(AggregatorTest, SerializedFormRoundTrips) {
  Aggregator aggregator = AccountAggregator();
  aggregator.filters = json::object{{"ResourceType", json::object{{"Type", "INCLUDE"}}}};
  aggregator.organization_id = "o-abcdefghij";
  const Aggregator restored =
      Aggregator::FromJson(json::parse(json::serialize(aggregator.ToJson())));
  EXPECT_EQ(json::serialize(restored.ToJson()), json::serialize(aggregator.ToJson()));
  EXPECT_EQ(restored.account_ids, aggregator.account_ids);
  EXPECT_EQ(restored.updated, aggregator.updated);
}

TEST(AggregationAuthorizationTest, SerializedFormRoundTrips) {
  const AggregationAuthorization authorization{
      AuthorizationArn("222222222222", "eu-west-1", "111111111111", "us-east-1"), "111111111111",
      "us-east-1", 1714000000};
  EXPECT_EQ(
      authorization.arn,
      "arn:aws:config:eu-west-1:222222222222:aggregation-authorization/111111111111/us-east-1");
  const AggregationAuthorization restored =
      AggregationAuthorization::FromJson(json::parse(json::serialize(authorization.ToJson())));
  EXPECT_EQ(json::serialize(restored.Describe()), json::serialize(authorization.Describe()));
}

TEST(PendingRequestTest, SerializedFormRoundTrips) {
  const PendingRequest request{"111111111111", "us-east-1", 1714000000};
  const PendingRequest restored =
      PendingRequest::FromJson(json::parse(json::serialize(request.ToJson())));
  EXPECT_EQ(restored.requester_account_id, "111111111111");
  EXPECT_EQ(restored.requester_region, "us-east-1");
  EXPECT_EQ(restored.created, 1714000000);
}

TEST(NewAggregatorArnTest, MatchesTheModelPattern) {
  const std::string arn = NewAggregatorArn("111111111111", "us-east-1");
  EXPECT_TRUE(std::regex_match(
      arn,
      std::regex(
          "arn:aws:config:us-east-1:111111111111:config-aggregator/config-aggregator-[a-z0-9]{8}")))
      << arn;
  EXPECT_NE(arn, NewAggregatorArn("111111111111", "us-east-1"));
}

}  // namespace
}  // namespace cairn::config
