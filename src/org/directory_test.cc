#include "org/directory.h"

#include <gtest/gtest.h>

#include "org/naming.h"

namespace cairn::org {
namespace {

// An organization: management 111111111111, OU security (audit 222222222222 inside), and
// 333333333333 directly under the root; 222222222222 administers config.amazonaws.com.
class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Ok> built = directory_.Write([](Directory::WriteContext& write) -> Result<Ok> {
      write.state.organizations.Put(
          write.txn, "o-test000001",
          Organization{"o-test000001", "arn", "ALL", "111111111111", "m@x", "r-root", 0});
      write.state.units.Put(
          write.txn, "ou-root-security",
          OrganizationalUnit{"ou-root-security", "arn", "Security", "r-root", "o-test000001"});
      write.state.units.Put(write.txn, "ou-root-nested",
                            OrganizationalUnit{"ou-root-nested", "arn", "Nested",
                                               "ou-root-security", "o-test000001"});
      for (auto [id, parent] :
           {std::pair{"111111111111", "r-root"}, std::pair{"222222222222", "ou-root-nested"},
            std::pair{"333333333333", "r-root"}}) {
        Account account;
        account.id = id;
        account.parent_id = parent;
        account.organization_id = "o-test000001";
        write.state.accounts.Put(write.txn, id, account);
      }
      write.state.service_access.Put(write.txn,
                                     ServiceAccessKey("o-test000001", "config.amazonaws.com"),
                                     ServiceAccess{"o-test000001", "config.amazonaws.com", 0});
      write.state.delegations.Put(
          write.txn, DelegationKey("o-test000001", "222222222222", "config.amazonaws.com"),
          Delegation{"o-test000001", "222222222222", "config.amazonaws.com", 0});
      return Ok{};
    });
    ASSERT_TRUE(built.ok());
  }

  store::MemoryJournal journal_;
  Directory directory_{journal_};
};

TEST_F(DirectoryTest, RolesPerAccountAndPrincipal) {
  EXPECT_TRUE(directory_.IsManagementAccount("111111111111"));
  EXPECT_FALSE(directory_.IsManagementAccount("222222222222"));
  EXPECT_TRUE(directory_.IsDelegatedAdministrator("222222222222", "config.amazonaws.com"));
  // A delegated administrator for one service gains nothing for another.
  EXPECT_FALSE(directory_.IsDelegatedAdministrator("222222222222", "securityhub.amazonaws.com"));
  EXPECT_FALSE(directory_.IsDelegatedAdministrator("333333333333", "config.amazonaws.com"));
  EXPECT_TRUE(directory_.IsTrustedAccessEnabled("o-test000001", "config.amazonaws.com"));
  EXPECT_FALSE(directory_.IsTrustedAccessEnabled("o-test000001", "securityhub.amazonaws.com"));
  EXPECT_FALSE(directory_.MembershipOf("999999999999").in_organization());
  EXPECT_EQ(directory_.MembershipOf("333333333333").management_account_id, "111111111111");
}

TEST_F(DirectoryTest, WalksTheHierarchy) {
  EXPECT_EQ(directory_.ParentChain("222222222222"),
            (std::vector<std::string>{"ou-root-nested", "ou-root-security", "r-root"}));
  const std::vector<std::string> below = directory_.Descendants("ou-root-security");
  EXPECT_EQ(below, (std::vector<std::string>{"ou-root-nested", "222222222222"}));
  EXPECT_EQ(directory_.MemberAccounts("o-test000001").size(), 3u);
}

TEST_F(DirectoryTest, FailedWritesChangeNothingAndRaiseNoEvents) {
  std::vector<Event> seen;
  directory_.AddListener([&](const Event& event) { seen.push_back(event); });
  Result<Ok> failed = directory_.Write([](Directory::WriteContext& write) -> Result<Ok> {
    write.state.accounts.Erase(write.txn, "333333333333");
    write.events.push_back({Event::Kind::kAccountLeft, "o-test000001", "333333333333"});
    return AwsError::Make("Nope", "refused");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(directory_.MembershipOf("333333333333").in_organization());
  EXPECT_TRUE(seen.empty());
  Result<Ok> moved = directory_.Write([](Directory::WriteContext& write) -> Result<Ok> {
    write.state.accounts.Update(write.txn, "333333333333",
                                [](Account& account) { account.parent_id = "ou-root-security"; });
    write.events.push_back({Event::Kind::kAccountMoved, "o-test000001", "333333333333"});
    return Ok{};
  });
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Event::Kind::kAccountMoved);
}

TEST_F(DirectoryTest, ServicesEnableTrustedAccessIdempotently) {
  directory_.EnableTrustedAccess("o-test000001", "securityhub.amazonaws.com", 5);
  directory_.EnableTrustedAccess("o-test000001", "securityhub.amazonaws.com", 9);
  EXPECT_TRUE(directory_.IsTrustedAccessEnabled("o-test000001", "securityhub.amazonaws.com"));
  const double enabled = directory_.Read([](const State& state) {
    return state.service_access.Find(ServiceAccessKey("o-test000001", "securityhub.amazonaws.com"))
        ->enabled;
  });
  EXPECT_EQ(enabled, 5) << "the first enablement's date stays";
}

TEST_F(DirectoryTest, ServicesRegisterDelegatedAdministratorsIdempotently) {
  directory_.RegisterDelegatedAdministrator("o-test000001", "333333333333",
                                            "securityhub.amazonaws.com", 5);
  directory_.RegisterDelegatedAdministrator("o-test000001", "333333333333",
                                            "securityhub.amazonaws.com", 9);
  EXPECT_TRUE(directory_.IsDelegatedAdministrator("333333333333", "securityhub.amazonaws.com"));
  EXPECT_FALSE(directory_.IsDelegatedAdministrator("333333333333", "config.amazonaws.com"));
  const double enabled = directory_.Read([](const State& state) {
    return state.delegations
        .Find(DelegationKey("o-test000001", "333333333333", "securityhub.amazonaws.com"))
        ->enabled;
  });
  EXPECT_EQ(enabled, 5) << "the first registration's date stays";
}

TEST(NamingTest, IdsAndArnsMatchAwsFormats) {
  EXPECT_EQ(NewOrganizationId().size(), 12u);
  const std::string unit = NewOrganizationalUnitId("r-ab12");
  EXPECT_TRUE(unit.starts_with("ou-ab12-"));
  EXPECT_EQ(unit.size(), 16u);
  EXPECT_EQ(AccountArn("111111111111", "o-abc", "222222222222"),
            "arn:aws:organizations::111111111111:account/o-abc/222222222222");
  EXPECT_EQ(RootArn("111111111111", "o-abc", "r-ab12"),
            "arn:aws:organizations::111111111111:root/o-abc/r-ab12");
}

}  // namespace
}  // namespace cairn::org
