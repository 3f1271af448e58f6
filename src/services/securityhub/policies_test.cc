#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "services/securityhub/policies_resources.h"

namespace cairn::securityhub {
namespace {
namespace json = boost::json;

std::function<const std::string*(std::string_view)> AppliedFrom(
    const std::map<std::string, std::string, std::less<>>& applied) {
  return [&applied](std::string_view id) -> const std::string* {
    auto found = applied.find(id);
    return found == applied.end() ? nullptr : &found->second;
  };
}

const EffectiveTarget& Find(const std::vector<EffectiveTarget>& targets, std::string_view id) {
  for (const EffectiveTarget& target : targets) {
    if (target.id == id) return target;
  }
  throw std::runtime_error("no target " + std::string(id));
}

// root
// ├── ou-a
// │   ├── ou-a1
// │   │   └── 111111111111
// │   └── 222222222222
// ├── ou-b
// │   └── 333333333333
// └── 444444444444
OrgTree SampleTree() {
  OrgTree tree;
  tree.root_id = "r-root";
  tree.units = {{"ou-a", "r-root"}, {"ou-a1", "ou-a"}, {"ou-b", "r-root"}};
  tree.accounts = {{"111111111111", "ou-a1"},
                   {"222222222222", "ou-a"},
                   {"333333333333", "ou-b", false},
                   {"444444444444", "r-root"}};
  return tree;
}

TEST(ComputeInheritance, NothingAppliedLeavesEveryTargetSelfManagedByDefault) {
  const OrgTree tree = SampleTree();
  const std::map<std::string, std::string, std::less<>> applied;
  const auto targets = ComputeInheritance(tree, AppliedFrom(applied));
  ASSERT_EQ(targets.size(), tree.size());
  EXPECT_EQ(targets[0].id, "r-root");
  EXPECT_EQ(targets[0].type, kTargetRoot);
  for (const EffectiveTarget& target : targets) {
    EXPECT_EQ(target.policy_id, kSelfManaged) << target.id;
    EXPECT_FALSE(target.applied);
    EXPECT_FALSE(target.covered);
  }
}

TEST(ComputeInheritance, RootPolicyReachesNestedUnitsAndAccounts) {
  const OrgTree tree = SampleTree();
  const std::map<std::string, std::string, std::less<>> applied{{"r-root", "p-root"}};
  const auto targets = ComputeInheritance(tree, AppliedFrom(applied));
  EXPECT_TRUE(Find(targets, "r-root").applied);
  for (std::string_view id :
       {"ou-a", "ou-a1", "ou-b", "111111111111", "222222222222", "333333333333", "444444444444"}) {
    const EffectiveTarget& target = Find(targets, id);
    EXPECT_EQ(target.policy_id, "p-root") << id;
    EXPECT_FALSE(target.applied) << id;
    EXPECT_TRUE(target.covered) << id;
  }
  EXPECT_EQ(Find(targets, "ou-a1").type, kTargetUnit);
  EXPECT_EQ(Find(targets, "111111111111").type, kTargetAccount);
}

TEST(ComputeInheritance, NearestAppliedAncestorWins) {
  const OrgTree tree = SampleTree();
  const std::map<std::string, std::string, std::less<>> applied{
      {"r-root", "p-root"}, {"ou-a", "p-a"}, {"111111111111", std::string(kSelfManaged)}};
  const auto targets = ComputeInheritance(tree, AppliedFrom(applied));
  EXPECT_EQ(Find(targets, "ou-a").policy_id, "p-a");
  EXPECT_TRUE(Find(targets, "ou-a").applied);
  EXPECT_EQ(Find(targets, "ou-a1").policy_id, "p-a");
  EXPECT_EQ(Find(targets, "222222222222").policy_id, "p-a");
  EXPECT_EQ(Find(targets, "111111111111").policy_id, kSelfManaged);
  EXPECT_TRUE(Find(targets, "111111111111").applied);
  EXPECT_EQ(Find(targets, "ou-b").policy_id, "p-root");
  EXPECT_EQ(Find(targets, "444444444444").policy_id, "p-root");
}

TEST(ComputeInheritance, ParentsComeBeforeChildren) {
  const OrgTree tree = SampleTree();
  const std::map<std::string, std::string, std::less<>> applied;
  const auto targets = ComputeInheritance(tree, AppliedFrom(applied));
  for (size_t target_idx = 1; target_idx < targets.size(); ++target_idx) {
    ASSERT_GE(targets[target_idx].parent, 0);
    EXPECT_LT(static_cast<size_t>(targets[target_idx].parent), target_idx);
    const EffectiveTarget& parent = targets[static_cast<size_t>(targets[target_idx].parent)];
    EXPECT_EQ(parent.id, targets[target_idx].node->parent_id);
  }
}

TEST(ComputeInheritance, MovingAnAccountChangesWhatItInherits) {
  OrgTree tree = SampleTree();
  const std::map<std::string, std::string, std::less<>> applied{{"ou-a", "p-a"}, {"ou-b", "p-b"}};
  EXPECT_EQ(Find(ComputeInheritance(tree, AppliedFrom(applied)), "111111111111").policy_id, "p-a");
  tree.accounts[0].parent_id = "ou-b";
  EXPECT_EQ(Find(ComputeInheritance(tree, AppliedFrom(applied)), "111111111111").policy_id, "p-b");
}

TEST(ComputeInheritance, OrphansAreLeftOut) {
  OrgTree tree = SampleTree();
  tree.accounts.push_back({"555555555555", "ou-gone"});
  const std::map<std::string, std::string, std::less<>> applied;
  EXPECT_EQ(ComputeInheritance(tree, AppliedFrom(applied)).size(), tree.size() - 1);
}

TEST(ComputeInheritance, FiveThousandAccountsInNestedUnitsInOnePass) {
  OrgTree tree;
  tree.root_id = "r-big";
  // 50 top-level OUs, each with 4 nested levels, 25 accounts at each of the 4 levels.
  for (int top = 0; top < 50; ++top) {
    std::string parent = tree.root_id;
    for (int level = 0; level < 4; ++level) {
      std::string unit = "ou-" + std::to_string(top) + "-" + std::to_string(level);
      tree.units.push_back({unit, parent});
      for (int account = 0; account < 25; ++account) {
        char id[13];
        std::snprintf(id, sizeof(id), "%02d%d%09d", top, level, account);
        tree.accounts.push_back({id, unit});
      }
      parent = unit;
    }
  }
  ASSERT_EQ(tree.accounts.size(), 5000u);
  std::map<std::string, std::string, std::less<>> applied{{"r-big", "p-root"}};
  for (int top = 0; top < 50; top += 2) applied["ou-" + std::to_string(top) + "-1"] = "p-nested";
  const auto started = std::chrono::steady_clock::now();
  const auto targets = ComputeInheritance(tree, AppliedFrom(applied));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(targets.size(), tree.size());
  EXPECT_EQ(Find(targets, "000000000003").policy_id, "p-root");    // OU 0, level 0
  EXPECT_EQ(Find(targets, "003000000003").policy_id, "p-nested");  // OU 0, level 3, below level 1
  EXPECT_EQ(Find(targets, "013000000003").policy_id, "p-root");    // OU 1 has no nested policy
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 500);
}

TEST(AggregateStatus, ParentFollowsItsChildren) {
  const std::string_view all_success[] = {kSuccess, kSuccess};
  const StatusAndMessage success = AggregateStatus(kTargetUnit, "p", false, all_success);
  EXPECT_EQ(success.status, kSuccess);
  EXPECT_EQ(success.message, "Association applied successfully on this target.");

  const std::string_view one_pending[] = {kSuccess, kPending, kFailed};
  EXPECT_EQ(AggregateStatus(kTargetUnit, "p", false, one_pending).status, kPending);
  EXPECT_EQ(AggregateStatus(kTargetUnit, "p", true, all_success).status, kPending);

  const std::string_view two_failed[] = {kFailed, kSuccess, kFailed};
  const StatusAndMessage unit = AggregateStatus(kTargetUnit, "p", false, two_failed);
  EXPECT_EQ(unit.status, kFailed);
  EXPECT_EQ(unit.message, "One or more children under this target failed association.");
  const StatusAndMessage root = AggregateStatus(kTargetRoot, "p", false, two_failed);
  EXPECT_EQ(root.message,
            "Policy association failed because 2 organizational units or accounts under this root "
            "failed.");

  EXPECT_EQ(AggregateStatus(kTargetRoot, kSelfManaged, false, {}).message, "");
  EXPECT_EQ(AccountOutcome("p", false).status, kFailed);
}

// --- Policy documents

struct FakeCatalog {
  json::object parameters = json::parse(R"({
    "daysToExpiration": {"Description": "d", "ConfigurationOptions": {"Integer": {"DefaultValue": 30, "Min": 14, "Max": 365}}},
    "loggingLevel": {"Description": "l", "ConfigurationOptions": {"Enum": {"DefaultValue": "INFO", "AllowedValues": ["ERROR", "INFO"]}}},
    "ports": {"Description": "p", "ConfigurationOptions": {"IntegerList": {"Min": 1, "Max": 65535, "MaxItems": 2}}},
    "names": {"Description": "n", "ConfigurationOptions": {"StringList": {"Re2Expression": "^[a-z]+$", "MaxItems": 3}}},
    "ratio": {"Description": "r", "ConfigurationOptions": {"Double": {"Min": 0.5, "Max": 1.5}}},
    "flag": {"Description": "f", "ConfigurationOptions": {"Boolean": {"DefaultValue": true}}}
  })")
                                .as_object();
  ControlCatalog catalog{[](std::string_view arn) {
                           return arn == "arn:aws:securityhub:us-east-1::standards/fsbp/v/1.0.0";
                         },
                         [](std::string_view id) { return id == "ACM.1" || id == "CloudTrail.1"; },
                         [this](std::string_view id) -> const json::object* {
                           return id == "ACM.1" ? &parameters : nullptr;
                         }};
};

json::object Policy(std::string_view text) { return json::parse(text).as_object(); }

std::string ErrorOf(const Result<json::object>& result) {
  return result.ok() ? std::string("(ok)") : result.error().code + ": " + result.error().message;
}

TEST(CheckPolicy, EnabledPolicyNeedsStandardsAndControls) {
  FakeCatalog fake;
  const std::string expected =
      "InvalidInputException: Invalid semantics: Enabled standards and security control "
      "configurations must be "
      "configured when Security Hub is enabled";
  EXPECT_EQ(ErrorOf(CheckPolicy(Policy(R"({"SecurityHub": {"ServiceEnabled": true,
      "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": []}}})"),
                                fake.catalog)),
            expected);
  EXPECT_EQ(ErrorOf(CheckPolicy(Policy(R"({"SecurityHub": {"ServiceEnabled": true,
      "EnabledStandardIdentifiers": []}})"),
                                fake.catalog)),
            expected);
  const Result<json::object> ok = CheckPolicy(Policy(R"({"SecurityHub": {"ServiceEnabled": true,
      "EnabledStandardIdentifiers": [], "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": []}}})"),
                                              fake.catalog);
  EXPECT_TRUE(ok.ok()) << ErrorOf(ok);
}

TEST(CheckPolicy, DisabledPolicyKeepsOnlyServiceEnabled) {
  FakeCatalog fake;
  const Result<json::object> stored =
      CheckPolicy(Policy(R"({"SecurityHub": {"ServiceEnabled": false,
      "EnabledStandardIdentifiers": ["x"], "SecurityControlsConfiguration": {}}})"),
                  fake.catalog);
  ASSERT_TRUE(stored.ok()) << ErrorOf(stored);
  EXPECT_EQ(json::serialize(*stored), R"({"SecurityHub":{"ServiceEnabled":false}})");
  EXPECT_EQ(ErrorOf(CheckPolicy(Policy(R"({"SecurityHub": {}})"), fake.catalog)),
            "InvalidInputException: Invalid semantics: ServiceEnabled must be specified");
}

TEST(CheckPolicy, StandardsAndControlsMustBeInTheCatalog) {
  FakeCatalog fake;
  EXPECT_EQ(ErrorOf(CheckPolicy(Policy(R"({"SecurityHub": {"ServiceEnabled": true,
      "EnabledStandardIdentifiers": ["arn:aws:securityhub:us-east-1::standards/nope/v/1.0.0"],
      "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": []}}})"),
                                fake.catalog)),
            "InvalidInputException: Invalid semantics: Invalid standard identifiers: "
            "arn:aws:securityhub:us-east-1::standards/nope/v/1.0.0");
  EXPECT_EQ(
      ErrorOf(CheckPolicy(
          Policy(R"({"SecurityHub": {"ServiceEnabled": true, "EnabledStandardIdentifiers": [],
      "SecurityControlsConfiguration": {"EnabledSecurityControlIdentifiers": ["ACM.1", "Nope.9"]}}})"),
          fake.catalog)),
      "InvalidInputException: Invalid semantics: Invalid security control identifiers: Nope.9");
  EXPECT_EQ(ErrorOf(CheckPolicy(
                Policy(R"({"SecurityHub": {"ServiceEnabled": true, "EnabledStandardIdentifiers": [],
      "SecurityControlsConfiguration": {"EnabledSecurityControlIdentifiers": [], "DisabledSecurityControlIdentifiers": []}}})"),
                fake.catalog)),
            "InvalidInputException: Invalid semantics: Exactly one of "
            "EnabledSecurityControlIdentifiers and "
            "DisabledSecurityControlIdentifiers must be configured");
}

std::string WithParameter(std::string_view control, std::string_view parameter) {
  return R"({"SecurityHub": {"ServiceEnabled": true, "EnabledStandardIdentifiers": [],
      "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": [],
      "SecurityControlCustomParameters": [{"SecurityControlId": ")" +
         std::string(control) + R"(", "Parameters": {)" + std::string(parameter) + "}}]}}}";
}

TEST(CheckPolicy, CustomParametersAreCheckedAgainstTheControlDefinition) {
  FakeCatalog fake;
  auto check = [&](std::string_view control, std::string_view parameter) {
    return ErrorOf(CheckPolicy(Policy(WithParameter(control, parameter)), fake.catalog));
  };
  EXPECT_EQ(
      check("ACM.1", R"("daysToExpiration": {"ValueType": "CUSTOM", "Value": {"Integer": 21}})"),
      "(ok)");
  EXPECT_EQ(
      check("ACM.1", R"("loggingLevel": {"ValueType": "CUSTOM", "Value": {"Enum": "ERROR"}})"),
      "(ok)");
  EXPECT_EQ(
      check("ACM.1", R"("ports": {"ValueType": "CUSTOM", "Value": {"IntegerList": [443, 8080]}})"),
      "(ok)");
  EXPECT_EQ(check("ACM.1", R"("names": {"ValueType": "CUSTOM", "Value": {"StringList": ["abc"]}})"),
            "(ok)");
  EXPECT_EQ(check("ACM.1", R"("ratio": {"ValueType": "CUSTOM", "Value": {"Double": 1.25}})"),
            "(ok)");
  EXPECT_EQ(check("ACM.1", R"("flag": {"ValueType": "CUSTOM", "Value": {"Boolean": false}})"),
            "(ok)");
  EXPECT_EQ(check("ACM.1", R"("daysToExpiration": {"ValueType": "DEFAULT"})"), "(ok)");

  EXPECT_EQ(
      check("Nope.1", R"("x": {"ValueType": "DEFAULT"})"),
      "InvalidInputException: Invalid semantics: Invalid security control identifier: Nope.1");
  EXPECT_EQ(check("ACM.1", R"("unknown": {"ValueType": "DEFAULT"})"),
            "InvalidInputException: Invalid semantics: Parameter unknown is not a parameter of "
            "security control ACM.1");
  EXPECT_EQ(check("ACM.1", R"("daysToExpiration": {"ValueType": "CUSTOM"})"),
            "InvalidInputException: Invalid semantics: A value must be provided for parameter "
            "daysToExpiration of "
            "security control ACM.1 when its ValueType is CUSTOM");
  EXPECT_EQ(
      check("ACM.1", R"("daysToExpiration": {"ValueType": "CUSTOM", "Value": {"String": "21"}})"),
      "InvalidInputException: Invalid semantics: The value of parameter daysToExpiration of "
      "security control "
      "ACM.1 must be of type Integer");
  EXPECT_EQ(
      check("ACM.1", R"("daysToExpiration": {"ValueType": "CUSTOM", "Value": {"Integer": 7}})"),
      "InvalidInputException: Invalid semantics: Value 7 of parameter daysToExpiration of security "
      "control "
      "ACM.1 is out of range [14, 365]");
  EXPECT_EQ(
      check("ACM.1", R"("loggingLevel": {"ValueType": "CUSTOM", "Value": {"Enum": "DEBUG"}})"),
      "InvalidInputException: Invalid semantics: Value DEBUG of parameter loggingLevel of security "
      "control "
      "ACM.1 is not one of its allowed values");
  EXPECT_EQ(
      check("ACM.1", R"("ports": {"ValueType": "CUSTOM", "Value": {"IntegerList": [1, 2, 3]}})"),
      "InvalidInputException: Invalid semantics: The value of parameter ports of security control "
      "ACM.1 has "
      "more than 2 items");
  EXPECT_EQ(check("ACM.1", R"("names": {"ValueType": "CUSTOM", "Value": {"StringList": ["ABC"]}})"),
            "InvalidInputException: Invalid semantics: Value ABC of parameter names of security "
            "control ACM.1 does "
            "not match ^[a-z]+$");
  EXPECT_EQ(check("ACM.1", R"("ratio": {"ValueType": "CUSTOM", "Value": {"Double": 2.5}})"),
            "InvalidInputException: Invalid semantics: Value 2.5 of parameter ratio of security "
            "control ACM.1 is "
            "out of range [0.5, 1.5]");
}

TEST(CheckPolicy, DefaultParametersKeepNoValue) {
  FakeCatalog fake;
  const Result<json::object> stored = CheckPolicy(
      Policy(WithParameter(
          "ACM.1", R"("daysToExpiration": {"ValueType": "DEFAULT", "Value": {"Integer": 21}})")),
      fake.catalog);
  ASSERT_TRUE(stored.ok()) << ErrorOf(stored);
  const json::value& parameter = stored->at("SecurityHub")
                                     .at("SecurityControlsConfiguration")
                                     .at("SecurityControlCustomParameters")
                                     .at(0)
                                     .at("Parameters")
                                     .at("daysToExpiration");
  EXPECT_EQ(json::serialize(parameter), R"({"ValueType":"DEFAULT"})");
}

TEST(Resources, SerializedFormsRoundTrip) {
  ConfigurationPolicy policy;
  policy.id = "a1b2";
  policy.arn = "arn:aws:securityhub:us-east-1:111111111111:configuration-policy/a1b2";
  policy.name = "n";
  policy.description = "d";
  policy.created = 1.5;
  policy.updated = 2.5;
  policy.policy = Policy(R"({"SecurityHub": {"ServiceEnabled": false}})");
  const ConfigurationPolicy policy_back = ConfigurationPolicy::FromJson(policy.ToJson());
  EXPECT_EQ(json::serialize(policy_back.ToJson()), json::serialize(policy.ToJson()));

  PolicyAssociation association{"ou-a",
                                std::string(kTargetUnit),
                                "a1b2",
                                std::string(kInherited),
                                std::string(kPending),
                                "",
                                3.5,
                                5.5};
  const PolicyAssociation association_back = PolicyAssociation::FromJson(association.ToJson());
  EXPECT_EQ(json::serialize(association_back.ToJson()), json::serialize(association.ToJson()));
}

// --- The filter index of ListConfigurationPolicyAssociations

constexpr std::string_view kScope = "222222222222/us-east-1/";

// `accounts` associations in kScope as a 5,000-account organization has them: 10 policies and
// self-managed, APPLIED and INHERITED, every status; plus a few in another scope.
std::vector<PolicyAssociation> Associations(size_t accounts) {
  static const std::string_view kStatuses[] = {kPending, kSuccess, kFailed};
  std::vector<PolicyAssociation> out;
  for (size_t account_idx = 0; account_idx < accounts; ++account_idx) {
    char id[13];
    std::snprintf(id, sizeof(id), "%012zu", 300000000000 + account_idx * 7);
    PolicyAssociation association;
    association.target_id = id;
    association.target_type = std::string(kTargetAccount);
    association.policy_id = account_idx % 11 == 10 ? std::string(kSelfManaged)
                                                   : "policy-" + std::to_string(account_idx % 11);
    association.association_type = std::string(account_idx % 13 == 0 ? kApplied : kInherited);
    association.status = std::string(kStatuses[(account_idx / 3) % 3]);
    out.push_back(std::move(association));
  }
  return out;
}

AssociationIndex IndexOf(const std::vector<PolicyAssociation>& associations) {
  AssociationIndex index;
  for (const PolicyAssociation& association : associations) index.Insert(kScope, association);
  PolicyAssociation elsewhere = associations.front();
  index.Insert("333333333333/us-east-1/", elsewhere);  // same ids, another scope
  return index;
}

std::vector<AssociationFilter> EveryFilterCombination() {
  std::vector<AssociationFilter> filters;
  for (std::string_view policy : {std::string_view(), std::string_view("policy-3"), kSelfManaged,
                                  std::string_view("policy-none")}) {
    for (std::string_view type : {std::string_view(), kApplied, kInherited}) {
      for (std::string_view status : {std::string_view(), kPending, kSuccess}) {
        filters.push_back({std::string(policy), std::string(type), std::string(status)});
      }
    }
  }
  return filters;
}

TEST(AssociationIndex, PagesVisitEveryMatchingAssociationOnceInKeyOrder) {
  const std::vector<PolicyAssociation> associations = Associations(2000);
  const AssociationIndex index = IndexOf(associations);
  for (const AssociationFilter& filter : EveryFilterCombination()) {
    std::vector<std::string> expected;
    for (const PolicyAssociation& association : associations) {
      if (filter.Matches(association)) expected.push_back(association.target_id);
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> walked;
    std::string after;
    for (int page_idx = 0; page_idx < 1000; ++page_idx) {
      const AssociationIndex::Page page = index.Collect(kScope, filter, after, 37);
      ASSERT_LE(page.target_ids.size(), 37u);
      walked.insert(walked.end(), page.target_ids.begin(), page.target_ids.end());
      if (!page.more) break;
      ASSERT_EQ(page.target_ids.size(), 37u);
      after = std::string(page.target_ids.back());
    }
    EXPECT_EQ(walked, expected) << filter.policy_id << " " << filter.association_type << " "
                                << filter.status;
  }
}

TEST(AssociationIndex, FollowsChangesAndScopes) {
  std::vector<PolicyAssociation> associations = Associations(30);
  AssociationIndex index = IndexOf(associations);
  EXPECT_EQ(index.size(), 31u);
  const AssociationFilter failed{"", "", std::string(kFailed)};
  const size_t failed_before = index.Collect(kScope, failed, "", 100).target_ids.size();
  // A status change moves the association from one group to another.
  PolicyAssociation changed = associations[0];
  ASSERT_NE(changed.status, kFailed);
  index.Erase(kScope, changed);
  changed.status = std::string(kFailed);
  index.Insert(kScope, changed);
  EXPECT_EQ(index.Collect(kScope, failed, "", 100).target_ids.size(), failed_before + 1);
  EXPECT_EQ(index.size(), 31u);
  index.ClearScope(kScope);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(index.Collect(kScope, {}, "", 100).target_ids.empty());
  EXPECT_EQ(index.Collect("333333333333/us-east-1/", {}, "", 100).target_ids.size(), 1u);
}

// The work of one page -- groups looked at and ids taken -- is the same with 10,000 and with
// 100,000 associations, for every filter combination, at the start and in the middle of the
// walk. (A page that scanned the associations, or the organization, would grow tenfold.)
TEST(AssociationIndex, PageWorkDoesNotGrowWithTheNumberOfAssociations) {
  constexpr size_t kLimit = 8;
  const std::vector<PolicyAssociation> small_set = Associations(10000);
  const std::vector<PolicyAssociation> large_set = Associations(100000);
  const AssociationIndex small = IndexOf(small_set);
  const AssociationIndex large = IndexOf(large_set);
  // Starting after the same id in both: the middle of the small set.
  const std::string middle = small_set[5000].target_id;
  for (const AssociationFilter& filter : EveryFilterCombination()) {
    for (const std::string& after : {std::string(), middle}) {
      const size_t small_before = small.visited();
      const AssociationIndex::Page small_page = small.Collect(kScope, filter, after, kLimit);
      const size_t small_work = small.visited() - small_before;
      const size_t large_before = large.visited();
      const AssociationIndex::Page large_page = large.Collect(kScope, filter, after, kLimit);
      const size_t large_work = large.visited() - large_before;
      const std::string what =
          filter.policy_id + " " + filter.association_type + " " + filter.status + " " + after;
      // The same page (every combination has more than a page in both sets, but policy-none)...
      EXPECT_EQ(small_page.target_ids, large_page.target_ids) << what;
      EXPECT_EQ(large_page.target_ids.size(), filter.policy_id == "policy-none" ? 0 : kLimit)
          << what;
      // ...for the same work: at most every group of the scope (10 policies and self-managed,
      // 2 types, 3 statuses) and the page.
      EXPECT_EQ(large_work, small_work) << what;
      EXPECT_LE(large_work, 11u * 2 * 3 + kLimit) << what;
    }
  }
}

}  // namespace
}  // namespace cairn::securityhub
