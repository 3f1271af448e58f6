#include "main/world.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cairn::world {
namespace {

class WorldTest : public ::testing::Test {
 protected:
  Result<Ok> Load(const std::string& text) {
    return LoadText(text, "world.yaml", directory_, 1000);
  }
  size_t AccountCount() {
    return directory_.Read([](const org::State& state) { return state.accounts.size(); });
  }

  store::MemoryJournal journal_;
  org::Directory directory_{journal_};
};

TEST_F(WorldTest, BuildsTheExampleLandingZone) {
  std::ifstream file(std::string(CAIRN_SOURCE_DIR) + "/examples/world.yaml");
  std::stringstream text;
  text << file.rdbuf();
  size_t nodes = 0;
  ASSERT_TRUE(LoadText(text.str(), "world.yaml", directory_, 1000,
                       [&nodes](const boost::json::object&, double) -> Result<boost::json::object> {
                         ++nodes;
                         return boost::json::object{};
                       })
                  .ok());
  EXPECT_EQ(nodes, 3u);
  EXPECT_TRUE(directory_.IsManagementAccount("111111111111"));
  EXPECT_EQ(directory_.MembershipOf("555555555555").organization_id, "o-cairnexample");
  EXPECT_TRUE(directory_.IsDelegatedAdministrator("222222222222", "securityhub.amazonaws.com"));
  EXPECT_FALSE(directory_.IsDelegatedAdministrator("333333333333", "securityhub.amazonaws.com"));
  EXPECT_TRUE(directory_.IsTrustedAccessEnabled("o-cairnexample", "config.amazonaws.com"));
  // payments-prod sits in Production, in Workloads, under the root.
  const std::vector<std::string> chain = directory_.ParentChain("555555555555");
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain.back(), "r-cair");
  EXPECT_EQ(AccountCount(), 6u);
  // Applying it again changes nothing.
  ASSERT_TRUE(LoadText(text.str(), "world.yaml", directory_, 1000,
                       [](const boost::json::object&, double) -> Result<boost::json::object> {
                         return boost::json::object{};
                       })
                  .ok());
  EXPECT_EQ(AccountCount(), 6u);
}

TEST_F(WorldTest, RegistersManagedNodesThroughTheRegistrar) {
  std::vector<boost::json::object> registered;
  const NodeRegistrar registrar = [&](const boost::json::object& body,
                                      double) -> Result<boost::json::object> {
    registered.push_back(body);
    return boost::json::object{{"InstanceId", "mi-00000000000000001"}};
  };
  const std::string text = R"(managed_nodes:
  - {account: "111111111111", region: eu-west-1, instance_id: i-0123456789abcdef0, tags: {Role: web}}
  - {account: "222222222222", region: us-east-1, platform_type: Windows, association_outcome: Failed}
)";
  ASSERT_TRUE(LoadText(text, "world.yaml", directory_, 1000, registrar).ok());
  ASSERT_EQ(registered.size(), 2u);
  EXPECT_EQ(registered[0].at("InstanceId").as_string(), "i-0123456789abcdef0");
  EXPECT_EQ(registered[0].at("Tags").as_array()[0].as_object().at("Key").as_string(), "Role");
  EXPECT_EQ(registered[1].at("AssociationOutcome").as_string(), "Failed");

  registered.clear();
  Result<Ok> bad = LoadText("managed_nodes:\n  - {account: \"1\", region: us-east-1}\n",
                            "world.yaml", directory_, 1000, registrar);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("world.yaml:2: managed_nodes[0].account"), std::string::npos)
      << bad.error().message;
  Result<Ok> platform =
      LoadText("managed_nodes:\n  - {account: \"111111111111\", region: r, platform_type: BeOS}\n",
               "world.yaml", directory_, 1000, registrar);
  EXPECT_FALSE(platform.ok());
  EXPECT_TRUE(registered.empty()) << "nothing is registered from a file with a mistake";
  EXPECT_FALSE(LoadText(text, "world.yaml", directory_, 1000).ok())
      << "nodes need the SSM registrar";
}

TEST_F(WorldTest, ReportsTheLineOfAMistakeAndAppliesNothing) {
  const std::string text = R"(organization:
  management_account: {id: "111111111111"}
  organizational_units:
    - name: Security
      accounts:
        - {id: "12345", name: bad}
)";
  Result<Ok> result = Load(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.substr(0, 13), "world.yaml:6:");
  EXPECT_NE(result.error().message.find("organization.organizational_units[0].accounts[0].id"),
            std::string::npos);
  EXPECT_EQ(AccountCount(), 0u);
}

TEST_F(WorldTest, RefusesInconsistentFiles) {
  auto refuses = [&](const std::string& text, const std::string& needle) {
    Result<Ok> result = Load(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_NE(result.error().message.find(needle), std::string::npos) << result.error().message;
  };
  refuses("organization: {management_account: {id: '111111111111'}, colour: blue}",
          "unknown key `colour`");
  refuses(
      "organization: {management_account: {id: '111111111111'}, accounts: [{id: '111111111111'}]}",
      "appears twice");
  refuses(R"(organization:
  management_account: {id: "111111111111"}
  accounts: [{id: "222222222222"}]
  delegated_administrators: [{account: "222222222222", service_principal: config.amazonaws.com}]
)",
          "needs trusted access first");
  refuses(R"(organization:
  management_account: {id: "111111111111"}
  trusted_access: [config.amazonaws.com]
  delegated_administrators: [{account: "111111111111", service_principal: config.amazonaws.com}]
)",
          "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR");
  refuses("organization: {management_account: {id: '111111111111'}, feature_set: SOME}",
          "feature_set");
  refuses("organization: [unclosed", "world.yaml:");
  refuses("{}", "organization");
  std::string deep = "organization:\n  management_account: {id: '111111111111'}\n";
  std::string indent = "  ";
  for (int level = 0; level < 6; ++level) {
    deep += indent + "organizational_units:\n" + indent + "  - name: level" +
            std::to_string(level) + "\n";
    indent += "    ";
  }
  refuses(deep, "OU_DEPTH_LIMIT_EXCEEDED");
  EXPECT_EQ(AccountCount(), 0u);
}

}  // namespace
}  // namespace cairn::world
