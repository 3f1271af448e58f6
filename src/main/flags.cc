#include "main/flags.h"

#include <charconv>

namespace cairn::main {
namespace {

bool ParseNumber(std::string_view text, uint64_t max, uint64_t& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out <= max;
}

bool IsAccountId(std::string_view text) {
  if (text.size() != 12) return false;
  for (char character : text) {
    if (character < '0' || character > '9') return false;
  }
  return true;
}

}  // namespace

std::string Usage() {
  return R"(usage: cairn [flags]
       cairn export FILE --data-dir DIR   write the data dir's state to a JSON snapshot
       cairn import FILE --data-dir DIR   replace the data dir's state with a snapshot
  --host ADDR             listen address (env CAIRN_HOST; default 127.0.0.1)
  --port N                listen port, 0 for any free one (env CAIRN_PORT; default 4566)
  --default-account ID    account of requests whose key id is not 12 digits
                          (env CAIRN_DEFAULT_ACCOUNT; default 000000000000)
  --world FILE            build the organization a YAML world file describes at startup
                          (env CAIRN_WORLD; see examples/world.yaml)
  --data-dir DIR          keep state in SQLite in DIR, restored at startup
                          (env CAIRN_DATA_DIR; default: memory only)
  --durability MODE       process: a commit survives kill -9 (default);
                          power: fsync every commit
  --clock MODE            real: time flows and asynchronous statuses move on their own
                          (default); virtual: time moves only by POST /_cairn/clock/advance
                          (env CAIRN_CLOCK)
  --auth MODE             open: the account is the access key id when it is 12 digits, and
                          signatures are not checked (default); strict: every request's
                          SigV4 signature is verified against --credentials (env CAIRN_AUTH)
  --credentials FILE      YAML map of access key id -> {secret_access_key, account,
                          session_token} for --auth strict (env CAIRN_CREDENTIALS)
  --log-level LEVEL       debug|info|warn|error|off; info logs one line per request
                          (env CAIRN_LOG_LEVEL; default info)
  --threads N             worker threads (default 2)
  --max-body-bytes N      largest request body accepted (default 8388608)
  --max-header-bytes N    largest request header block accepted (default 16384)
  --idle-timeout-ms N     close a connection idle this long (default 60000)
  --max-connections N     open connections at most; a few more are answered 503
                          (default 4096)
  --header-timeout-ms N   a request's header must arrive within this once it has begun,
                          else 408 (default 10000)
  --max-requests-per-second N
                          per connection, with bursts of N; more is answered with the
                          service's throttling error (default 0: no limit)
  --version, --help
)";
}

std::optional<Flags> ParseFlags(const std::vector<std::string>& args,
                                const std::function<const char*(const char*)>& getenv,
                                std::string& error) {
  Flags flags;
  // (name, value) pairs: environment first, so that flags given later override them.
  std::vector<std::pair<std::string, std::string>> settings;
  const std::pair<const char*, const char*> kEnvironment[] = {
      {"CAIRN_HOST", "--host"},
      {"CAIRN_PORT", "--port"},
      {"CAIRN_DEFAULT_ACCOUNT", "--default-account"},
      {"CAIRN_LOG_LEVEL", "--log-level"},
      {"CAIRN_WORLD", "--world"},
      {"CAIRN_DATA_DIR", "--data-dir"},
      {"CAIRN_CLOCK", "--clock"},
      {"CAIRN_AUTH", "--auth"},
      {"CAIRN_CREDENTIALS", "--credentials"},
  };
  for (const auto& [variable, flag] : kEnvironment) {
    if (const char* value = getenv(variable); value && *value) settings.emplace_back(flag, value);
  }
  size_t first_flag = 0;
  if (!args.empty() && (args[0] == "export" || args[0] == "import")) {
    if (args.size() < 2 || args[1].starts_with("--")) {
      error = args[0] + " needs a file: cairn " + args[0] + " FILE [--data-dir DIR]";
      return std::nullopt;
    }
    flags.command = args[0];
    flags.command_file = args[1];
    first_flag = 2;
  }
  for (size_t arg_idx = first_flag; arg_idx < args.size(); ++arg_idx) {
    const std::string& arg = args[arg_idx];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      continue;
    }
    if (arg == "--version") {
      flags.version = true;
      continue;
    }
    const size_t equals = arg.find('=');
    if (equals != std::string::npos) {
      settings.emplace_back(arg.substr(0, equals), arg.substr(equals + 1));
    } else if (arg_idx + 1 < args.size()) {
      settings.emplace_back(arg, args[++arg_idx]);
    } else {
      error = "flag " + arg + " needs a value";
      return std::nullopt;
    }
  }

  for (const auto& [name, value] : settings) {
    uint64_t number = 0;
    if (name == "--host") {
      flags.server.host = value;
    } else if (name == "--port") {
      if (!ParseNumber(value, 65535, number)) {
        error = "--port must be a number from 0 to 65535, not '" + value + "'";
        return std::nullopt;
      }
      flags.server.port = static_cast<uint16_t>(number);
    } else if (name == "--default-account") {
      if (!IsAccountId(value)) {
        error = "--default-account must be 12 digits, not '" + value + "'";
        return std::nullopt;
      }
      flags.default_account = value;
    } else if (name == "--data-dir") {
      flags.data_dir = value;
    } else if (name == "--clock") {
      if (value != "real" && value != "virtual") {
        error = "--clock must be real or virtual, not '" + value + "'";
        return std::nullopt;
      }
      flags.clock_flows = value == "real";
    } else if (name == "--auth") {
      if (value != "open" && value != "strict") {
        error = "--auth must be open or strict, not '" + value + "'";
        return std::nullopt;
      }
      flags.strict_auth = value == "strict";
    } else if (name == "--credentials") {
      flags.credentials_file = value;
    } else if (name == "--durability") {
      if (value != "process" && value != "power") {
        error = "--durability must be process or power, not '" + value + "'";
        return std::nullopt;
      }
      flags.fsync_every_commit = value == "power";
    } else if (name == "--world") {
      flags.world_file = value;
    } else if (name == "--log-level") {
      if (!log::ParseLevel(value, flags.log_level)) {
        error = "--log-level must be debug, info, warn, error or off, not '" + value + "'";
        return std::nullopt;
      }
    } else if (name == "--threads") {
      if (!ParseNumber(value, 64, number) || number == 0) {
        error = "--threads must be from 1 to 64";
        return std::nullopt;
      }
      flags.server.threads = static_cast<int>(number);
    } else if (name == "--max-requests-per-second") {
      if (!ParseNumber(value, 1'000'000'000, number)) {
        error = name + " must be a number (0: no limit), not '" + value + "'";
        return std::nullopt;
      }
      flags.server.max_requests_per_second = static_cast<double>(number);
    } else if (name == "--max-body-bytes" || name == "--max-header-bytes" ||
               name == "--idle-timeout-ms" || name == "--max-connections" ||
               name == "--header-timeout-ms") {
      if (!ParseNumber(value, uint64_t{1} << 40, number) || number == 0) {
        error = name + " must be a positive number, not '" + value + "'";
        return std::nullopt;
      }
      if (name == "--max-body-bytes") flags.server.max_body_bytes = number;
      if (name == "--max-header-bytes") flags.server.max_header_bytes = number;
      if (name == "--idle-timeout-ms")
        flags.server.idle_timeout = std::chrono::milliseconds(number);
      if (name == "--max-connections") flags.server.max_connections = number;
      if (name == "--header-timeout-ms")
        flags.server.header_timeout = std::chrono::milliseconds(number);
    } else {
      error = "unknown flag " + name;
      return std::nullopt;
    }
  }
  if (flags.strict_auth && flags.credentials_file.empty()) {
    error = "--auth strict needs --credentials FILE (or CAIRN_CREDENTIALS)";
    return std::nullopt;
  }
  if (!flags.command.empty() && flags.data_dir.empty()) {
    error = flags.command + " needs --data-dir DIR (or CAIRN_DATA_DIR)";
    return std::nullopt;
  }
  return flags;
}

}  // namespace cairn::main
