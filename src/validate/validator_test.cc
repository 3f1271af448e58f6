#include "validate/validator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cairn::validate {
namespace {
namespace json = boost::json;

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = model::Catalog::LoadEmbedded();
    ssm_ = catalog_->Find("ssm");
    validator_ = std::make_unique<Validator>(*ssm_);
  }
  Report Check(std::string_view operation, std::string_view document) {
    return validator_->Validate(*ssm_->FindOperation(operation)->input, json::parse(document));
  }

  std::unique_ptr<model::Catalog> catalog_;
  const model::ServiceModel* ssm_ = nullptr;
  std::unique_ptr<Validator> validator_;
};

TEST_F(ValidatorTest, AcceptsAValidRequest) {
  EXPECT_TRUE(
      Check("CreateAssociation",
            R"json({"Name":"AWS-RunShellScript","Targets":[{"Key":"tag:env","Values":["prod"]}],
                        "ScheduleExpression":"rate(30 minutes)","MaxConcurrency":"10%"})json")
          .ok());
}

TEST_F(ValidatorTest, RequiredMemberIsNull) {
  const Report report = Check("CreateAssociation", R"({"Name":null})");
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].constraint, Constraint::kRequired);
  EXPECT_EQ(report.violations[0].path, "name");
  EXPECT_TRUE(report.violations[0].value_is_null);
  EXPECT_EQ(report.violations[0].phrase, "Member must not be null");
}

TEST_F(ValidatorTest, PatternLengthAndEnumReportedTogether) {
  const Report report = Check("CreateAssociation",
                              R"({"Name":"AWS-RunShellScript","AssociationName":"a b",
                                  "MaxErrors":"abcdefgh","ComplianceSeverity":"SEVERE"})");
  ASSERT_EQ(report.violations.size(), 4u);
  EXPECT_EQ(report.violations[0].path, "associationName");
  EXPECT_EQ(report.violations[0].value, "a b");
  EXPECT_EQ(report.violations[0].phrase,
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$");
  EXPECT_EQ(report.violations[1].path, "maxErrors");
  EXPECT_EQ(report.violations[1].phrase, "Member must have length less than or equal to 7");
  EXPECT_EQ(report.violations[2].constraint, Constraint::kPattern);
  EXPECT_EQ(report.violations[3].phrase,
            "Member must satisfy enum value set: [CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED]");
}

TEST_F(ValidatorTest, NestedPathsUseOneBasedMemberIndexes) {
  const Report report =
      Check("CreateAssociation",
            R"({"Name":"AWS-RunShellScript","Targets":[{"Key":"tag:a","Values":["1"]},
                                  {"Key":"","Values":["2"]}]})");
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].path, "targets.2.member.key");
  EXPECT_EQ(report.violations[0].phrase, "Member must have length greater than or equal to 1");
}

TEST_F(ValidatorTest, ListSizeAndNumericRange) {
  const Report report =
      Check("ListAssociations", R"({"MaxResults":51,"AssociationFilterList":[]})");
  ASSERT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(report.violations[0].path, "associationFilterList");
  EXPECT_EQ(report.violations[0].value, "[]");
  EXPECT_EQ(report.violations[0].phrase, "Member must have length greater than or equal to 1");
  EXPECT_EQ(report.violations[1].path, "maxResults");
  EXPECT_EQ(report.violations[1].value, "51");
  EXPECT_EQ(report.violations[1].phrase, "Member must have value less than or equal to 50");
}

TEST_F(ValidatorTest, ScalarListElementsReportedOnTheList) {
  const Report report = Check("DescribeDocumentPermission",
                              R"({"Name":"doc-name","PermissionType":"Share","MaxResults":0})");
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].constraint, Constraint::kMinValue);
  const Report list_report = Check("ModifyDocumentPermission",
                                   R"({"Name":"doc-name","PermissionType":"Share",
                                       "AccountIdsToAdd":["123456789012","nope"]})");
  ASSERT_EQ(list_report.violations.size(), 1u);
  EXPECT_EQ(list_report.violations[0].path, "accountIdsToAdd");
  EXPECT_EQ(list_report.violations[0].value, "[123456789012, nope]");
  EXPECT_EQ(list_report.violations[0].phrase,
            "Member must satisfy constraint: [Member must satisfy regular expression pattern: "
            "(?i)all|[0-9]{12}]");
}

TEST_F(ValidatorTest, ListElementPhraseListsEveryConstraintOfTheElement) {
  // AWS lists all of the element's constraints, maximum first, not only the broken one.
  const Report report = Check("CreateAssociation",
                              R"({"Name":"AWS-RunShellScript","TargetLocations":[
                                  {"ExcludeAccounts":["123456789012","!!!!!!"]}]})");
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].constraint, Constraint::kPattern);
  EXPECT_EQ(report.violations[0].path, "targetLocations.1.member.excludeAccounts");
  EXPECT_EQ(report.violations[0].value, "[123456789012, !!!!!!]");
  EXPECT_EQ(report.violations[0].phrase,
            "Member must satisfy constraint: [Member must have length less than or equal to 68, "
            "Member must have length greater than or equal to 6, Member must satisfy regular "
            "expression pattern: ^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})|(\\d{12})$]");
}

TEST_F(ValidatorTest, MapKeysAndValuesReportedOnTheMap) {
  const Report keys =
      Check("CreateAssociation", R"({"Name":"AWS-RunShellScript","TargetMaps":[{"":["a"]}]})");
  ASSERT_EQ(keys.violations.size(), 1u);
  EXPECT_EQ(keys.violations[0].constraint, Constraint::kMinLength);
  EXPECT_EQ(keys.violations[0].path, "targetMaps.1.member");
  EXPECT_EQ(keys.violations[0].value, "{=[a]}");
  EXPECT_EQ(keys.violations[0].phrase,
            "Map keys must satisfy constraint: [Member must have length less than or equal to 50, "
            "Member must have length greater than or equal to 1]");

  // A list value's size is the value's constraint, reported on the map.
  std::string values = "[";
  for (int value_idx = 0; value_idx < 26; ++value_idx) values += value_idx ? ",\"v\"" : "\"v\"";
  const Report sizes = Check(
      "CreateAssociation", R"({"Name":"AWS-RunShellScript","TargetMaps":[{"k":)" + values + "]}]}");
  ASSERT_EQ(sizes.violations.size(), 1u);
  EXPECT_EQ(sizes.violations[0].constraint, Constraint::kMaxLength);
  EXPECT_EQ(sizes.violations[0].path, "targetMaps.1.member");
  EXPECT_EQ(sizes.violations[0].phrase,
            "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
            "Member must have length greater than or equal to 0]");
}

TEST(MapOfStructuresTest, EntriesAreNamedKeyDotMember) {
  auto catalog = model::Catalog::LoadEmbedded();
  const model::ServiceModel* hub = catalog->Find("securityhub");
  Validator validator(*hub);
  const model::Shape& input = *hub->FindOperation("CreateConfigurationPolicy")->input;
  const Report report = validator.Validate(input, json::parse(R"({"Name":"p",
      "ConfigurationPolicy":{"SecurityHub":{"SecurityControlsConfiguration":{
        "SecurityControlCustomParameters":[{"SecurityControlId":"IAM.7",
          "Parameters":{"maxAge":{"Value":{"Integer":5}}}}]}}}})"));
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].path,
            "configurationPolicy.securityHub.securityControlsConfiguration."
            "securityControlCustomParameters.1.member.parameters.maxAge.member.valueType");
  EXPECT_EQ(report.violations[0].phrase, "Member must not be null");
}

TEST_F(ValidatorTest, WrongTypesAreDeserializationErrors) {
  Report report = Check("ListAssociations", R"({"MaxResults":"ten"})");
  ASSERT_TRUE(report.type_error);
  EXPECT_EQ(*report.type_error, "STRING_VALUE cannot be converted to Integer");
  report = Check("CreateAssociation", R"({"Name":5})");
  EXPECT_EQ(*report.type_error, "NUMBER_VALUE cannot be converted to String");
  report = Check("CreateAssociation", R"({"Name":"AWS-RunShellScript","Targets":{"Key":"x"}})");
  EXPECT_EQ(*report.type_error, "Start of structure or map found where not expected.");
  report = Check("CreateAssociation",
                 R"({"Name":"AWS-RunShellScript","ApplyOnlyAtCronInterval":"yes"})");
  EXPECT_EQ(*report.type_error, "STRING_VALUE cannot be converted to Boolean");
  report = Check("ListAssociations", R"({"MaxResults":3000000000})");
  EXPECT_TRUE(report.type_error);
}

TEST(UnionTest, SecurityHubTargetNeedsExactlyOneMember) {
  auto catalog = model::Catalog::LoadEmbedded();
  const model::ServiceModel* hub = catalog->Find("securityhub");
  Validator validator(*hub);
  const model::Shape& input = *hub->FindOperation("GetConfigurationPolicyAssociation")->input;
  EXPECT_TRUE(
      validator.Validate(input, json::parse(R"({"Target":{"AccountId":"123456789012"}})")).ok());
  const Report two = validator.Validate(
      input, json::parse(R"({"Target":{"AccountId":"123456789012","RootId":"r-abcd"}})"));
  ASSERT_EQ(two.violations.size(), 1u);
  EXPECT_EQ(two.violations[0].constraint, Constraint::kUnion);
  EXPECT_EQ(two.violations[0].path, "target");
}

TEST(LowerFirstTest, LowersOnlyTheFirstLetter) {
  EXPECT_EQ(LowerFirst("AssociationName"), "associationName");
  EXPECT_EQ(LowerFirst("S3Location"), "s3Location");
  EXPECT_EQ(LowerFirst("key"), "key");
}

}  // namespace
}  // namespace cairn::validate
