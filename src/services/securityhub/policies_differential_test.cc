// The incremental path of StartConfigurationPolicyAssociation / Disassociation
// (Provider::ChangeAssociation) against the full pass (ReconcileAssociations): on random
// organizations and random sequences of associations, disassociations, clock steps that finish
// propagations and organization changes, every change the incremental path makes is also made
// by a full pass from the same state (PoliciesState::verify_incremental), and every stored
// association record of the scope must come out the same: status, type, policy, message, due
// time and update time.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/page_token.h"
#include "lifecycle/clock.h"
#include "lifecycle/scheduler.h"
#include "org/directory.h"
#include "services/securityhub/provider.h"
#include "store/store.h"

namespace cairn::securityhub {
namespace {
namespace json = boost::json;

constexpr std::string_view kManagement = "100000000000";
// The Security Hub delegated administrator, where central configuration lives.
constexpr std::string_view kAdmin = "300000000000";
constexpr std::string_view kOrganization = "o-difftest01";
constexpr std::string_view kRoot = "r-dt01";
constexpr std::string_view kHome = "us-east-1";

class PoliciesDifferential : public ::testing::Test {
 protected:
  Result<json::object> Call(Result<json::object> (Provider::*operation)(const Provider::Context&,
                                                                        json::object&),
                            json::object input, std::string_view account = kAdmin) {
    const Provider::Context context{account, kHome, "AKIDTEST", "request", clock_.Now()};
    return (provider_.*operation)(context, input);
  }

  void Advance(double seconds) {
    clock_.Advance(seconds);
    scheduler_.RunDue();
  }

  // A random organization: OUs nested up to four deep, accounts anywhere, a few of them not
  // active.
  void BuildOrganization(std::mt19937& random) {
    const int unit_count = std::uniform_int_distribution<int>(0, 12)(random);
    const int account_count = std::uniform_int_distribution<int>(1, 40)(random);
    parents_ = {std::string(kRoot)};
    std::vector<int> depth{0};
    for (int unit_idx = 0; unit_idx < unit_count; ++unit_idx) {
      size_t parent = std::uniform_int_distribution<size_t>(0, parents_.size() - 1)(random);
      while (depth[parent] >= 4) parent = 0;
      char id[32];
      std::snprintf(id, sizeof id, "ou-dt01-%08d", unit_idx);
      units_.push_back({id, parents_[parent]});
      parents_.push_back(id);
      depth.push_back(depth[parent] + 1);
    }
    for (int account_idx = 0; account_idx < account_count; ++account_idx) {
      char id[16];
      std::snprintf(id, sizeof id, "2000000%05d", account_idx);
      const size_t parent = std::uniform_int_distribution<size_t>(0, parents_.size() - 1)(random);
      accounts_.push_back(id);
      account_parents_.push_back(parents_[parent]);
    }
    std::bernoulli_distribution inactive(0.1);
    const Result<Ok> written = directory_.Write([&](org::Directory::WriteContext& write) {
      org::Organization organization;
      organization.id = std::string(kOrganization);
      organization.feature_set = "ALL";
      organization.management_account_id = std::string(kManagement);
      organization.root_id = std::string(kRoot);
      write.state.organizations.Put(write.txn, organization.id, organization);
      const auto place = [&](std::string_view id, std::string_view parent, bool active) {
        org::Account account;
        account.id = std::string(id);
        account.name = account.id;
        account.email = account.id + "@example.com";
        account.parent_id = std::string(parent);
        account.organization_id = std::string(kOrganization);
        account.status = active ? "ACTIVE" : "SUSPENDED";
        const std::string key = account.id;
        write.state.accounts.Put(write.txn, key, std::move(account));
      };
      place(kManagement, kRoot, true);
      place(kAdmin, kRoot, true);
      for (const auto& [id, parent] : units_) {
        write.state.units.Put(
            write.txn, id, org::OrganizationalUnit{id, "", id, parent, std::string(kOrganization)});
      }
      for (size_t account_idx = 0; account_idx < accounts_.size(); ++account_idx) {
        place(accounts_[account_idx], account_parents_[account_idx], !inactive(random));
      }
      return Result<Ok>(Ok{});
    });
    ASSERT_TRUE(written.ok());
    targets_ = {{std::string(kRoot), "RootId"}};
    for (const auto& unit : units_) targets_.push_back({unit.first, "OrganizationalUnitId"});
    targets_.push_back({std::string(kManagement), "AccountId"});
    targets_.push_back({std::string(kAdmin), "AccountId"});
    for (const std::string& account : accounts_) targets_.push_back({account, "AccountId"});
  }

  void EnableCentralConfiguration() {
    const Result<json::object> hub = Call(&Provider::EnableSecurityHub, {}, kManagement);
    ASSERT_TRUE(hub.ok()) << hub.error().message;
    const Result<json::object> admin = Call(&Provider::EnableOrganizationAdminAccount,
                                            {{"AdminAccountId", std::string(kAdmin)}}, kManagement);
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    (void)Call(&Provider::EnableSecurityHub, {});  // or already enabled by the designation
    const Result<json::object> aggregator =
        Call(&Provider::CreateFindingAggregator,
             {{"RegionLinkingMode", "SPECIFIED_REGIONS"}, {"Regions", {"us-west-2"}}});
    ASSERT_TRUE(aggregator.ok()) << aggregator.error().message;
    const Result<json::object> central =
        Call(&Provider::UpdateOrganizationConfiguration,
             {{"AutoEnable", false},
              {"AutoEnableStandards", "NONE"},
              {"OrganizationConfiguration", {{"ConfigurationType", "CENTRAL"}}}});
    ASSERT_TRUE(central.ok()) << central.error().message;
    Advance(10);
    for (int policy_idx = 0; policy_idx < 3; ++policy_idx) {
      const Result<json::object> created =
          Call(&Provider::CreateConfigurationPolicy,
               {{"Name", "policy-" + std::to_string(policy_idx)},
                {"ConfigurationPolicy", {{"SecurityHub", {{"ServiceEnabled", false}}}}}});
      ASSERT_TRUE(created.ok()) << created.error().message;
      policies_.push_back(std::string(created->at("Id").as_string()));
    }
    policies_.push_back(std::string(kSelfManaged));
  }

  // The target's association as the API answers it.
  json::object TargetJson(size_t target_idx) const {
    return json::object{{targets_[target_idx].second, targets_[target_idx].first}};
  }

  // Moves an account to another parent, or suspends one: the organization changes and the
  // next write reconciles the whole scope.
  void ChangeOrganization(std::mt19937& random) {
    const size_t account_idx =
        std::uniform_int_distribution<size_t>(0, accounts_.size() - 1)(random);
    const std::string account_id = accounts_[account_idx];
    const bool move = std::bernoulli_distribution(0.7)(random);
    const std::string parent =
        parents_[std::uniform_int_distribution<size_t>(0, parents_.size() - 1)(random)];
    (void)directory_.Write([&](org::Directory::WriteContext& write) {
      write.state.accounts.Update(write.txn, account_id, [&](org::Account& account) {
        if (move) {
          account.parent_id = parent;
        } else {
          account.status = "SUSPENDED";
        }
      });
      write.events.push_back(
          {move ? org::Event::Kind::kAccountMoved : org::Event::Kind::kAccountSuspended,
           std::string(kOrganization), account_id});
      return Result<Ok>(Ok{});
    });
  }

  void Run(unsigned seed, int steps) {
    std::mt19937 random(seed);
    BuildOrganization(random);
    EnableCentralConfiguration();
    if (HasFatalFailure()) return;
    PoliciesState& state = provider_.policies_for_test();
    state.verify_incremental = true;
    std::uniform_int_distribution<size_t> any_target(0, targets_.size() - 1);
    std::uniform_int_distribution<size_t> any_policy(0, policies_.size() - 1);
    std::uniform_int_distribution<int> action(0, 99);
    size_t associated = 0;
    size_t disassociated = 0;
    for (int step = 0; step < steps; ++step) {
      const int roll = action(random);
      if (roll < 45) {
        const size_t target = any_target(random);
        const Result<json::object> answer =
            Call(&Provider::StartConfigurationPolicyAssociation,
                 {{"ConfigurationPolicyIdentifier", policies_[any_policy(random)]},
                  {"Target", TargetJson(target)}});
        ASSERT_TRUE(answer.ok()) << answer.error().message;
        ++associated;
      } else if (roll < 75) {
        // A target's APPLIED configuration, found through the API; now and then a policy that is
        // not applied there (ResourceNotFoundException, nothing changes).
        const size_t target = any_target(random);
        const Result<json::object> current =
            Call(&Provider::GetConfigurationPolicyAssociation, {{"Target", TargetJson(target)}});
        ASSERT_TRUE(current.ok()) << current.error().message;
        std::string policy(current->at("ConfigurationPolicyId").as_string());
        const bool applied = current->at("AssociationType").as_string() == "APPLIED";
        if (!applied || std::bernoulli_distribution(0.1)(random)) {
          policy = policies_[any_policy(random)];
        }
        const Result<json::object> answer =
            Call(&Provider::StartConfigurationPolicyDisassociation,
                 {{"ConfigurationPolicyIdentifier", policy}, {"Target", TargetJson(target)}});
        if (answer.ok()) ++disassociated;
      } else if (roll < 96) {
        // Clock steps: short ones leave propagations running, long ones finish them.
        Advance(std::uniform_real_distribution<double>(0.25, 3.0)(random));
      } else {
        ChangeOrganization(random);
      }
      ASSERT_TRUE(state.verify_failures.empty())
          << "seed " << seed << " step " << step << ": " << state.verify_failures.size()
          << " records differ, first: " << state.verify_failures.front();
    }
    // The incremental path did the work (the full pass only where it must).
    EXPECT_GT(state.incremental_changes, (associated + disassociated) / 3)
        << "seed " << seed << ": " << associated << " associations, " << disassociated
        << " disassociations";
  }

  store::MemoryJournal journal_;
  lifecycle::ManualClock clock_{1.7e9};
  lifecycle::Scheduler scheduler_{clock_};
  PageTokens tokens_{"differential-test-secret"};
  org::Directory directory_{journal_};
  Provider provider_{journal_, scheduler_, tokens_, directory_};

  std::vector<std::string> parents_;                        // the root, then the OUs
  std::vector<std::pair<std::string, std::string>> units_;  // id, parent
  std::vector<std::string> accounts_;
  std::vector<std::string> account_parents_;
  std::vector<std::pair<std::string, std::string>> targets_;  // id, Target member
  std::vector<std::string> policies_;
};

TEST_F(PoliciesDifferential, Seed1) { Run(1, 400); }
TEST_F(PoliciesDifferential, Seed2) { Run(2, 400); }
TEST_F(PoliciesDifferential, Seed3) { Run(3, 400); }
TEST_F(PoliciesDifferential, Seed4) { Run(4, 400); }
TEST_F(PoliciesDifferential, Seed5) { Run(5, 400); }
TEST_F(PoliciesDifferential, Seed6) { Run(6, 400); }
TEST_F(PoliciesDifferential, Seed7) { Run(7, 400); }
TEST_F(PoliciesDifferential, Seed8) { Run(8, 400); }

}  // namespace
}  // namespace cairn::securityhub
