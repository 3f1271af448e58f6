#include "services/securityhub/hub_resources.h"

#include <gtest/gtest.h>

namespace cairn::securityhub {
namespace {

TEST(HubResourcesTest, ArnsSplitIntoRegionAccountAndResource) {
  const std::optional<ArnParts> hub =
      ParseArn("arn:aws:securityhub:eu-west-1:111111111111:hub/default");
  ASSERT_TRUE(hub.has_value());
  EXPECT_EQ(hub->region, "eu-west-1");
  EXPECT_EQ(hub->account_id, "111111111111");
  EXPECT_EQ(hub->resource, "hub/default");
  const std::optional<ArnParts> policy =
      ParseArn("arn:aws:securityhub:us-east-1:222222222222:configuration-policy/a:b");
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->resource, "configuration-policy/a:b") << "the resource keeps its own colons";
  EXPECT_FALSE(ParseArn("arn:aws:config:us-east-1:111111111111:hub/default"));
  EXPECT_FALSE(ParseArn("arn:aws:securityhub:us-east-1"));
  EXPECT_FALSE(ParseArn("arn:aws:securityhub:us-east-1:111111111111:"));
}

TEST(HubResourcesTest, RegionNamesHaveAwsShape) {
  for (const char* name : {"us-east-1", "ap-southeast-2", "us-gov-west-1", "eu-central-12"}) {
    EXPECT_TRUE(IsRegionName(name)) << name;
  }
  for (const char* name : {"", "us", "us-east", "us-east-", "useast-1", "US-EAST-1", "us-1",
                           "us-east-1a", "u-east-1"}) {
    EXPECT_FALSE(IsRegionName(name)) << name;
  }
}

TEST(HubResourcesTest, LinkingModesDecideWhichRegionsReachTheHomeRegion) {
  FindingAggregator aggregator;
  aggregator.region = "us-east-1";
  aggregator.regions = {"eu-west-1"};
  aggregator.linking_mode = "ALL_REGIONS";
  EXPECT_TRUE(aggregator.Links("ap-south-1"));
  aggregator.linking_mode = "ALL_REGIONS_EXCEPT_SPECIFIED";
  EXPECT_TRUE(aggregator.Links("ap-south-1"));
  EXPECT_FALSE(aggregator.Links("eu-west-1"));
  aggregator.linking_mode = "SPECIFIED_REGIONS";
  EXPECT_FALSE(aggregator.Links("ap-south-1"));
  EXPECT_TRUE(aggregator.Links("eu-west-1"));
  aggregator.linking_mode = "NO_REGIONS";
  aggregator.regions.clear();
  EXPECT_FALSE(aggregator.Links("eu-west-1"));
  EXPECT_TRUE(aggregator.Links("us-east-1")) << "the home Region always counts";
}

TEST(HubResourcesTest, ResourcesRoundTripThroughTheirSerializedForm) {
  Hub hub;
  hub.account_id = "111111111111";
  hub.region = "us-east-1";
  hub.subscribed_at = 1714566896.5;
  hub.auto_enable_controls = false;
  hub.control_finding_generator = "STANDARD_CONTROL";
  hub.enable_default_standards = false;
  const Hub hub_back = Hub::FromJson(hub.ToJson());
  EXPECT_EQ(hub_back.Arn(), "arn:aws:securityhub:us-east-1:111111111111:hub/default");
  EXPECT_EQ(hub_back.subscribed_at, hub.subscribed_at);
  EXPECT_FALSE(hub_back.auto_enable_controls);
  EXPECT_EQ(hub_back.control_finding_generator, "STANDARD_CONTROL");
  EXPECT_FALSE(hub_back.enable_default_standards);

  OrganizationConfiguration configuration;
  configuration.organization_id = "o-abc";
  configuration.admin_account_id = "222222222222";
  configuration.region = "us-east-1";
  configuration.configuration_type = "CENTRAL";
  configuration.status = "PENDING";
  configuration.auto_enable_standards = "NONE";
  configuration.status_due = 42;
  const OrganizationConfiguration configuration_back =
      OrganizationConfiguration::FromJson(configuration.ToJson());
  EXPECT_EQ(configuration_back.status, "PENDING");
  EXPECT_EQ(configuration_back.status_due, 42);
  EXPECT_FALSE(configuration_back.central_enabled());
  const boost::json::object described = configuration_back.Describe(false);
  EXPECT_EQ(described.at("AutoEnableStandards"), "NONE");
  EXPECT_FALSE(described.at("OrganizationConfiguration").as_object().contains("StatusMessage"));

  FindingAggregator aggregator;
  aggregator.arn = "arn:aws:securityhub:us-east-1:222222222222:finding-aggregator/x";
  aggregator.region = "us-east-1";
  aggregator.linking_mode = "SPECIFIED_REGIONS";
  aggregator.regions = {"us-west-2", "eu-west-1"};
  const FindingAggregator aggregator_back = FindingAggregator::FromJson(aggregator.ToJson());
  EXPECT_EQ(aggregator_back.regions, aggregator.regions);
  EXPECT_EQ(aggregator_back.Describe().at("FindingAggregationRegion"), "us-east-1");

  Member member;
  member.account_id = "333333333333";
  member.administrator_id = "222222222222";
  member.status = "Enabled";
  member.organization_id = "o-abc";
  const Member member_back = Member::FromJson(member.ToJson());
  EXPECT_TRUE(member_back.associated());
  const boost::json::object described_member = member_back.Describe();
  EXPECT_EQ(described_member.at("MasterId"), described_member.at("AdministratorId"));
  EXPECT_FALSE(described_member.contains("Email"));

  TagSet tags{{{"team", "sec"}, {"env", ""}}};
  EXPECT_EQ(TagSet::FromJson(tags.ToJson()).tags, tags.tags);
}

}  // namespace
}  // namespace cairn::securityhub
