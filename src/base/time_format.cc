#include "base/time_format.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace cairn::time_format {
namespace {

bool ParseDigits(std::string_view text, size_t offset, size_t count, int& out) {
  if (offset + count > text.size()) return false;
  const char* begin = text.data() + offset;
  auto [end, error] = std::from_chars(begin, begin + count, out);
  return error == std::errc() && end == begin + count;
}

}  // namespace

std::string Iso8601(double epoch_seconds) {
  using namespace std::chrono;
  const auto millis = static_cast<int64_t>(std::llround(epoch_seconds * 1000.0));
  const sys_days day{floor<days>(milliseconds{millis})};
  const year_month_day date{day};
  const int64_t millis_of_day =
      millis - duration_cast<milliseconds>(day.time_since_epoch()).count();
  const hh_mm_ss<milliseconds> clock_time{milliseconds{millis_of_day}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock_time.hours().count()),
                static_cast<int>(clock_time.minutes().count()),
                static_cast<int>(clock_time.seconds().count()),
                static_cast<int>(clock_time.subseconds().count()));
  return buffer;
}

double EpochMillisPrecision(double epoch_seconds) {
  return std::round(epoch_seconds * 1000.0) / 1000.0;
}

std::optional<double> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  int year, month, day, hour, minute, second;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':' ||
      !ParseDigits(text, 0, 4, year) || !ParseDigits(text, 5, 2, month) ||
      !ParseDigits(text, 8, 2, day) || !ParseDigits(text, 11, 2, hour) ||
      !ParseDigits(text, 14, 2, minute) || !ParseDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  double result = static_cast<double>(sys_days{date}.time_since_epoch().count()) * 86400.0 +
                  hour * 3600.0 + minute * 60.0 + second;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    double scale = 0.1;
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      result += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    int offset_hours, offset_minutes;
    if (!ParseDigits(text, pos + 1, 2, offset_hours) ||
        !ParseDigits(text, pos + 4, 2, offset_minutes)) {
      return std::nullopt;
    }
    const double offset = offset_hours * 3600.0 + offset_minutes * 60.0;
    result += text[pos] == '+' ? -offset : offset;
    pos += 6;
  }
  if (pos != text.size()) return std::nullopt;
  return result;
}

}  // namespace cairn::time_format
