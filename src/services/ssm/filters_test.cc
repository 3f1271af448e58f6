#include "services/ssm/filters.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::ssm::filters {
namespace {
namespace json = boost::json;

json::value Parse(std::string_view text) { return json::parse(text); }

// A Linux EC2 instance tagged Env=prod, Team=ops, whose associations succeeded.
struct Node {
  std::map<std::string, std::string> tags{{"Env", "prod"}, {"Team", "ops"}};
  NodeFacts facts;
  Node() {
    facts.instance_id = "i-0123456789abcdef0";
    facts.agent_version = "3.3.1142.0";
    facts.ping_status = "Online";
    facts.platform_type = "Linux";
    facts.resource_type = "EC2Instance";
    facts.source_id = "i-0123456789abcdef0";
    facts.source_type = "AWS::EC2::Instance";
    facts.association_status = "Success";
    facts.tags = &tags;
  }
};

InstanceFilter FiltersOf(std::string_view filters) {
  const json::value value = Parse(filters);
  Result<InstanceFilter> filter = InstanceFilter::Parse(nullptr, &value);
  EXPECT_TRUE(filter.ok()) << (filter.ok() ? "" : filter.error().message);
  return std::move(filter).value();
}

AwsError ErrorOf(std::string_view legacy, std::string_view filters) {
  const json::value legacy_value = legacy.empty() ? json::value() : Parse(legacy);
  const json::value filters_value = filters.empty() ? json::value() : Parse(filters);
  Result<InstanceFilter> filter = InstanceFilter::Parse(legacy.empty() ? nullptr : &legacy_value,
                                                        filters.empty() ? nullptr : &filters_value);
  EXPECT_FALSE(filter.ok());
  return filter.ok() ? AwsError{} : filter.error();
}

TEST(InstanceIdTest, FollowsTheModelPattern) {
  EXPECT_TRUE(IsInstanceId("i-12345678"));
  EXPECT_TRUE(IsInstanceId("i-0123456789abcdef0"));
  EXPECT_TRUE(IsInstanceId("mi-0123456789abcdef0"));
  EXPECT_TRUE(IsInstanceId("mi-0123456789ABCDEF_"));
  EXPECT_FALSE(IsInstanceId("i-123"));
  EXPECT_FALSE(IsInstanceId("i-0123456789abcdef"));
  EXPECT_FALSE(IsInstanceId("mi-12345678"));
  EXPECT_FALSE(IsInstanceId("mi-0123456789abcdef-"));
  EXPECT_FALSE(IsInstanceId("x-12345678"));
  EXPECT_FALSE(IsInstanceId(""));
}

TEST(InstanceIdTest, TaggingTakesOnlyHexHybridIds) {
  EXPECT_TRUE(IsHybridNodeId("mi-0123456789abcdef0"));
  EXPECT_FALSE(IsHybridNodeId("mi-0123456789ABCDEF0"));
  EXPECT_FALSE(IsHybridNodeId("i-0123456789abcdef0"));
}

TEST(InstanceFilterTest, NoFiltersMatchEveryNode) {
  Result<InstanceFilter> filter = InstanceFilter::Parse(nullptr, nullptr);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->Matches(Node().facts));
}

TEST(InstanceFilterTest, ValuesOfOneFilterAreAlternatives) {
  Node node;
  EXPECT_TRUE(
      FiltersOf(R"([{"Key":"PlatformTypes","Values":["Windows","Linux"]}])").Matches(node.facts));
  EXPECT_FALSE(
      FiltersOf(R"([{"Key":"PlatformTypes","Values":["Windows","MacOS"]}])").Matches(node.facts));
}

TEST(InstanceFilterTest, FiltersMustAllHold) {
  Node node;
  EXPECT_TRUE(FiltersOf(R"([{"Key":"ResourceType","Values":["EC2Instance"]},
                            {"Key":"InstanceIds","Values":["i-0123456789abcdef0","i-12345678"]}])")
                  .Matches(node.facts));
  EXPECT_FALSE(FiltersOf(R"([{"Key":"ResourceType","Values":["EC2Instance"]},
                             {"Key":"PingStatus","Values":["ConnectionLost"]}])")
                   .Matches(node.facts));
}

TEST(InstanceFilterTest, TagFiltersMatchKeysAndValues) {
  Node node;
  EXPECT_TRUE(FiltersOf(R"([{"Key":"tag:Env","Values":["dev","prod"]}])").Matches(node.facts));
  EXPECT_FALSE(FiltersOf(R"([{"Key":"tag:Env","Values":["dev"]}])").Matches(node.facts));
  EXPECT_FALSE(FiltersOf(R"([{"Key":"tag:Missing","Values":["prod"]}])").Matches(node.facts));
  EXPECT_TRUE(FiltersOf(R"([{"Key":"tag-key","Values":["Nope","Team"]}])").Matches(node.facts));
  EXPECT_FALSE(FiltersOf(R"([{"Key":"tag-key","Values":["Nope"]}])").Matches(node.facts));
  EXPECT_TRUE(
      FiltersOf(R"([{"Key":"tag:Env","Values":["prod"]},{"Key":"tag:Team","Values":["ops"]}])")
          .Matches(node.facts));
  EXPECT_TRUE(FiltersOf(R"([{"Key":"tag:Env","Values":["prod"]}])").UsesTags());
}

TEST(InstanceFilterTest, LegacyFiltersUseLowercaseMembers) {
  const json::value legacy = Parse(R"([{"key":"PlatformTypes","valueSet":["Linux"]}])");
  Result<InstanceFilter> filter = InstanceFilter::Parse(&legacy, nullptr);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->Matches(Node().facts));
}

TEST(InstanceFilterTest, AssociationStatusNeedsARun) {
  Node node;
  const InstanceFilter filter = FiltersOf(R"([{"Key":"AssociationStatus","Values":["Success"]}])");
  EXPECT_TRUE(filter.UsesAssociationStatus());
  EXPECT_TRUE(filter.Matches(node.facts));
  node.facts.association_status = "";
  EXPECT_FALSE(filter.Matches(node.facts));
}

TEST(InstanceFilterTest, RefusesWhatAwsRefuses) {
  AwsError error = ErrorOf("", R"([{"Key":"ResourceType","Values":["Document"]}])");
  EXPECT_EQ(error.code, "InvalidInstanceInformationFilterValue");
  EXPECT_EQ(error.message,
            "ResourceType filter is invalid, valid values are EC2Instance, ManagedInstance");

  error = ErrorOf("", R"([{"Key":"ResourceType","Values":["EC2Instance","ManagedInstance"]}])");
  EXPECT_EQ(error.code, "InvalidInstanceInformationFilterValue");
  EXPECT_EQ(error.message, "ResourceType filter may contain only one value.");

  error = ErrorOf("", R"([{"Key":"PingStatus","Values":["Up"]}])");
  EXPECT_EQ(error.message,
            "PingStatus filter is invalid, valid values are ConnectionLost, Inactive, Online");

  EXPECT_EQ(ErrorOf("", R"([{"Key":"Color","Values":["red"]}])").code, "InvalidFilterKey");
  EXPECT_EQ(ErrorOf("", R"([{"Key":"tag:","Values":["red"]}])").code, "InvalidFilterKey");
  // Keys only the newer Filters know are not legacy keys.
  EXPECT_EQ(ErrorOf(R"([{"key":"tag-key","valueSet":["Env"]}])", "").code, "InvalidFilterKey");
  EXPECT_EQ(ErrorOf("", R"([{"Key":"InstanceIds","Values":["i-1"]}])").code, "InvalidInstanceId");

  error = ErrorOf(
      "", R"([{"Key":"tag:Env","Values":["prod"]},{"Key":"PlatformTypes","Values":["Linux"]}])");
  EXPECT_EQ(error.code, "ValidationException");
  EXPECT_EQ(error.message, "Cannot mix tag or inventory filter with any other filter.");

  error = ErrorOf(R"([{"key":"PlatformTypes","valueSet":["Linux"]}])",
                  R"([{"Key":"PlatformTypes","Values":["Linux"]}])");
  EXPECT_EQ(error.code, "ValidationException");
}

ComplianceFilter ComplianceFilterOf(std::string_view filters) {
  const json::value value = Parse(filters);
  Result<std::vector<ComplianceFilter>> parsed =
      ParseComplianceFilters(&value, {"ComplianceType", "Severity", "ExecutionTime"});
  EXPECT_TRUE(parsed.ok());
  return parsed->front();
}

TEST(ComplianceFilterTest, ComparesText) {
  EXPECT_TRUE(
      Passes(ComplianceFilterOf(R"([{"Key":"ComplianceType","Values":["Patch","Custom:AV"]}])"),
             "Custom:AV"));
  EXPECT_FALSE(
      Passes(ComplianceFilterOf(R"([{"Key":"ComplianceType","Values":["Patch"]}])"), "Custom:AV"));
  EXPECT_TRUE(Passes(
      ComplianceFilterOf(R"([{"Key":"ComplianceType","Values":["Custom:"],"Type":"BEGIN_WITH"}])"),
      "Custom:AV"));
  // NOT_EQUAL holds only when the value differs from every listed value.
  const ComplianceFilter not_equal = ComplianceFilterOf(
      R"([{"Key":"ComplianceType","Values":["Patch","Association"],"Type":"NOT_EQUAL"}])");
  EXPECT_TRUE(Passes(not_equal, "Custom:AV"));
  EXPECT_FALSE(Passes(not_equal, "Association"));
}

TEST(ComplianceFilterTest, ComparesSeveritiesByRank) {
  const ComplianceFilter above_medium =
      ComplianceFilterOf(R"([{"Key":"Severity","Values":["MEDIUM"],"Type":"GREATER_THAN"}])");
  EXPECT_TRUE(Passes(above_medium, "CRITICAL"));
  EXPECT_TRUE(Passes(above_medium, "HIGH"));
  EXPECT_FALSE(Passes(above_medium, "MEDIUM"));
  EXPECT_FALSE(Passes(above_medium, "LOW"));
  EXPECT_EQ(SeverityRank("CRITICAL"), 5);
  EXPECT_EQ(SeverityRank("UNSPECIFIED"), 0);
}

TEST(ComplianceFilterTest, ComparesExecutionTimes) {
  // 2019-02-18T16:00:00Z = 1550505600.
  const ComplianceFilter after = ComplianceFilterOf(
      R"([{"Key":"ExecutionTime","Values":["2019-02-18T16:00:00Z"],"Type":"GREATER_THAN"}])");
  EXPECT_TRUE(PassesTime(after, 1550505601));
  EXPECT_FALSE(PassesTime(after, 1550505600));
  const ComplianceFilter before =
      ComplianceFilterOf(R"([{"Key":"ExecutionTime","Values":["1550505600"],"Type":"LESS_THAN"}])");
  EXPECT_TRUE(PassesTime(before, 1550505599));
}

TEST(ComplianceFilterTest, RefusesUnknownKeysAndBadTimes) {
  const json::value unknown = Parse(R"([{"Key":"Colour","Values":["red"]}])");
  Result<std::vector<ComplianceFilter>> parsed =
      ParseComplianceFilters(&unknown, {"ComplianceType"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "InvalidFilter");
  const json::value no_key = Parse(R"([{"Values":["red"]}])");
  EXPECT_FALSE(ParseComplianceFilters(&no_key, {"ComplianceType"}).ok());
  const json::value bad_time = Parse(R"([{"Key":"ExecutionTime","Values":["yesterday"]}])");
  parsed = ParseComplianceFilters(&bad_time, {"ExecutionTime"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "InvalidFilter");
}

}  // namespace
}  // namespace cairn::ssm::filters
