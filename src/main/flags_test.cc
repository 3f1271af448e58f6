#include "main/flags.h"

#include <gtest/gtest.h>

#include <map>

namespace cairn::main {
namespace {

std::optional<Flags> Parse(std::vector<std::string> args, std::map<std::string, std::string> env,
                           std::string& error) {
  return ParseFlags(
      args,
      [&env](const char* name) -> const char* {
        auto found = env.find(name);
        return found == env.end() ? nullptr : found->second.c_str();
      },
      error);
}

TEST(FlagsTest, DefaultsEnvironmentAndFlagsInThatOrder) {
  std::string error;
  std::optional<Flags> defaults = Parse({}, {}, error);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->server.host, "127.0.0.1");
  EXPECT_EQ(defaults->server.port, 4566);
  EXPECT_EQ(defaults->default_account, "000000000000");

  std::optional<Flags> from_env =
      Parse({}, {{"CAIRN_PORT", "4600"}, {"CAIRN_HOST", "0.0.0.0"}}, error);
  EXPECT_EQ(from_env->server.port, 4600);
  EXPECT_EQ(from_env->server.host, "0.0.0.0");

  std::optional<Flags> overridden =
      Parse({"--port", "0", "--default-account=123456789012"}, {{"CAIRN_PORT", "4600"}}, error);
  EXPECT_EQ(overridden->server.port, 0);
  EXPECT_EQ(overridden->default_account, "123456789012");
}

TEST(FlagsTest, RefusesBadValues) {
  std::string error;
  EXPECT_FALSE(Parse({"--port", "70000"}, {}, error));
  EXPECT_NE(error.find("--port"), std::string::npos);
  EXPECT_FALSE(Parse({"--default-account", "12"}, {}, error));
  EXPECT_FALSE(Parse({"--log-level", "loud"}, {}, error));
  EXPECT_FALSE(Parse({"--bogus", "1"}, {}, error));
  EXPECT_FALSE(Parse({"--port"}, {}, error));
  EXPECT_FALSE(Parse({}, {{"CAIRN_PORT", "x"}}, error));
}

TEST(FlagsTest, ConnectionLimits) {
  std::string error;
  std::optional<Flags> defaults = Parse({}, {}, error);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->server.header_timeout, std::chrono::milliseconds(10'000));
  EXPECT_EQ(defaults->server.max_requests_per_second, 0);
  std::optional<Flags> set = Parse(
      {"--header-timeout-ms", "250", "--max-requests-per-second=40", "--max-connections", "8"}, {},
      error);
  ASSERT_TRUE(set) << error;
  EXPECT_EQ(set->server.header_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(set->server.max_requests_per_second, 40);
  EXPECT_EQ(set->server.max_connections, 8u);
  EXPECT_FALSE(Parse({"--header-timeout-ms", "0"}, {}, error));
  EXPECT_FALSE(Parse({"--max-requests-per-second", "-1"}, {}, error));
  EXPECT_NE(error.find("--max-requests-per-second"), std::string::npos);
}

TEST(FlagsTest, DataDirWorldAndSnapshotCommands) {
  std::string error;
  std::optional<Flags> durable = Parse(
      {"--durability", "power"}, {{"CAIRN_DATA_DIR", "/tmp/d"}, {"CAIRN_WORLD", "w.yaml"}}, error);
  ASSERT_TRUE(durable) << error;
  EXPECT_EQ(durable->data_dir, "/tmp/d");
  EXPECT_EQ(durable->world_file, "w.yaml");
  EXPECT_TRUE(durable->fsync_every_commit);
  EXPECT_FALSE(Parse({"--durability", "eventually"}, {}, error));
  EXPECT_TRUE(durable->clock_flows);
  EXPECT_FALSE(Parse({}, {{"CAIRN_CLOCK", "virtual"}}, error)->clock_flows);
  EXPECT_FALSE(Parse({"--clock", "sideways"}, {}, error));

  std::optional<Flags> exporting =
      Parse({"export", "snap.json", "--data-dir", "/tmp/d"}, {}, error);
  ASSERT_TRUE(exporting) << error;
  EXPECT_EQ(exporting->command, "export");
  EXPECT_EQ(exporting->command_file, "snap.json");
  EXPECT_FALSE(Parse({"import", "snap.json"}, {}, error)) << "a snapshot command needs a data dir";
  EXPECT_NE(error.find("--data-dir"), std::string::npos);
  EXPECT_FALSE(Parse({"export"}, {}, error));
}

}  // namespace
}  // namespace cairn::main
