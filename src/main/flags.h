// Flags: cairn's command line and environment, parsed into one value. Flags win over the
// environment (CAIRN_HOST, CAIRN_PORT, CAIRN_DEFAULT_ACCOUNT, CAIRN_LOG_LEVEL, CAIRN_WORLD,
// CAIRN_DATA_DIR, CAIRN_AUTH, CAIRN_CREDENTIALS), which wins over the defaults.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "http/server.h"

namespace cairn::main {

struct Flags {
  http::ServerOptions server;
  std::string default_account = "000000000000";
  std::string world_file;  // empty: start with no organization
  std::string data_dir;    // empty: state in memory only
  bool fsync_every_commit = false;
  bool clock_flows = true;  // --clock real (default) or virtual
  bool strict_auth = false;      // --auth strict: verify SigV4 signatures
  std::string credentials_file;  // --credentials FILE, required by --auth strict
  // `cairn export FILE` / `cairn import FILE`: a snapshot command instead of serving.
  std::string command;
  std::string command_file;
  log::Level log_level = log::Level::kInfo;
  bool help = false;
  bool version = false;
};

// Parses argv and the environment (read through `getenv`, so tests can fake it). On a bad
// value returns nullopt and fills `error` with a one-line explanation.
std::optional<Flags> ParseFlags(const std::vector<std::string>& args,
                                const std::function<const char*(const char*)>& getenv,
                                std::string& error);

std::string Usage();

}  // namespace cairn::main
