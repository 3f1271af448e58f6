#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

namespace cairn::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error", "off"};

}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

bool ParseLevel(std::string_view text, Level& out) {
  for (size_t level_idx = 0; level_idx < std::size(kLevelNames); ++level_idx) {
    if (text == kLevelNames[level_idx]) {
      out = static_cast<Level>(level_idx);
      return true;
    }
  }
  return false;
}

void Write(Level level, std::string_view line) {
  if (!Enabled(level)) return;
  std::string buffer;
  buffer.reserve(line.size() + 8);
  buffer.append(kLevelNames[static_cast<int>(level)]).append(" ").append(line).push_back('\n');
  // A short write to stderr is not worth retrying: logging must never stall a request.
  [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, buffer.data(), buffer.size());
}

}  // namespace cairn::log
