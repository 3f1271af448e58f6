// Logging to stderr: one line per call, written with a single write(2) so that lines from
// the two worker threads never interleave. The level is process-wide and set once at start.
#pragma once

#include <string_view>

namespace cairn::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void SetLevel(Level level);
bool Enabled(Level level);
// Parses `debug|info|warn|error|off`; false for anything else.
bool ParseLevel(std::string_view text, Level& out);

void Write(Level level, std::string_view line);

inline void Info(std::string_view line) { Write(Level::kInfo, line); }
inline void Warn(std::string_view line) { Write(Level::kWarn, line); }
inline void Error(std::string_view line) { Write(Level::kError, line); }

}  // namespace cairn::log
