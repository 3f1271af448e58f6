#include "services/ssm/schedule.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "base/time_format.h"

namespace cairn::ssm::schedule {
namespace {

namespace chrono = std::chrono;

// The SSM API reference documents InvalidSchedule with this sentence and publishes no wording
// per cause, so every refusal carries it. It is ssm::errors::InvalidSchedule's default too;
// this module stands alone on cairn_base so that it can be tested without the provider.
AwsError InvalidSchedule() {
  return AwsError::Make(
      "InvalidSchedule",
      "The schedule is invalid. Verify your cron or rate expression and try again.");
}

// "Associations support the following rate expressions: intervals of 30 minutes or greater and
// less than 31 days." The cron list ("every 1/2, 1, 2, 4, 8, or 12 hours; every day, every
// week, ...") has the same half-hour floor.
constexpr int64_t kShortestIntervalSeconds = 30 * 60;
constexpr int64_t kIntervalLimitSeconds = 31 * 86400;  // exclusive
constexpr int kShortestCronGapMinutes = 30;

// Bounds NextAfter: a valid association cron matches at least once a year in its allowed years
// (Feb 29 aside, every four years, or eight across 2100), so twelve years of days is ample.
constexpr int kMaxDaysSearched = 12 * 366;

// No cron matches from the start of the year after kLastYear on.
constexpr double kEndOfYearsSeconds =
    86400.0 *
    chrono::sys_days{chrono::year{kLastYear + 1} / chrono::January / 1}.time_since_epoch().count();

constexpr std::string_view kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::string_view kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

// One cron field's values, bit i standing for value `min + i`.
using ValueSet = std::bitset<kLastYear - kFirstYear + 1>;

struct FieldSpec {
  int min;
  int max;
  // Whether a range may wrap around (`FRI-MON`, `22-2`), as in the Quartz syntax AWS's cron
  // derives from; years don't cycle.
  bool cyclic;
  std::span<const std::string_view> names;  // names[i] is value min + i
};

constexpr FieldSpec kSecondsField{0, 59, true, {}};
constexpr FieldSpec kMinutesField{0, 59, true, {}};
constexpr FieldSpec kHoursField{0, 23, true, {}};
constexpr FieldSpec kDaysOfMonthField{1, 31, true, {}};
constexpr FieldSpec kMonthsField{1, 12, true, kMonthNames};
constexpr FieldSpec kDaysOfWeekField{1, 7, true, kDayNames};
constexpr FieldSpec kYearsField{kFirstYear, kLastYear, false, {}};

// Digits only: from_chars alone would also take a minus sign.
std::optional<int> ParseNumber(std::string_view text, int max_digits) {
  if (text.empty() || static_cast<int>(text.size()) > max_digits ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A number or a name of the field, within the field's range.
std::optional<int> ParseValue(std::string_view text, const FieldSpec& spec) {
  std::optional<int> value = ParseNumber(text, 4);
  if (!value) {
    for (size_t name_idx = 0; name_idx < spec.names.size(); ++name_idx) {
      if (spec.names[name_idx] == text) value = spec.min + static_cast<int>(name_idx);
    }
  }
  if (!value || *value < spec.min || *value > spec.max) return std::nullopt;
  return value;
}

// One comma-separated item: `*`, `N`, `N-M`, each optionally followed by `/step`.
bool ParseItem(std::string_view item, const FieldSpec& spec, ValueSet& values) {
  const int value_count = spec.max - spec.min + 1;
  int step = 1;
  const size_t slash = item.find('/');
  std::string_view base = item.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::optional<int> parsed_step = ParseNumber(item.substr(slash + 1), 3);
    if (!parsed_step || *parsed_step < 1 || *parsed_step > value_count) return false;
    step = *parsed_step;
  }
  int start = spec.min;
  int end = spec.max;
  if (base != "*") {
    const size_t dash = base.find('-');
    std::optional<int> first = ParseValue(base.substr(0, dash), spec);
    if (!first) return false;
    start = *first;
    if (dash != std::string_view::npos) {
      std::optional<int> last = ParseValue(base.substr(dash + 1), spec);
      if (!last) return false;
      end = *last;
    } else if (slash == std::string_view::npos) {
      end = start;  // `N/step` runs to the end of the field; a lone `N` is just N
    }
  }
  if (start > end && !spec.cyclic) return false;
  const int span = (end - start + value_count) % value_count;
  for (int offset = 0; offset <= span; offset += step) {
    values.set((start - spec.min + offset) % value_count);
  }
  return true;
}

std::optional<ValueSet> ParseField(std::string_view text, const FieldSpec& spec) {
  ValueSet values;
  size_t item_start = 0;
  while (true) {
    const size_t comma = text.find(',', item_start);
    if (!ParseItem(text.substr(item_start, comma - item_start), spec, values)) return std::nullopt;
    if (comma == std::string_view::npos) return values;
    item_start = comma + 1;
  }
}

// The field's values as the Cron member stores them: value v at bit v - first_bit_value.
template <size_t kBits>
std::bitset<kBits> ToBits(const ValueSet& values, const FieldSpec& spec, int first_bit_value) {
  std::bitset<kBits> bits;
  for (int value = spec.min; value <= spec.max; ++value) {
    if (values[value - spec.min]) bits.set(value - first_bit_value);
  }
  return bits;
}

// Day-of-month: `L`, `LW`, `NW`, or values. W and L stand alone: a list of them means nothing
// in the documented syntax.
bool ParseDaysOfMonth(std::string_view text, Cron& cron) {
  if (text == "L") {
    cron.day_rule = Cron::DayRule::kLastDayOfMonth;
    return true;
  }
  if (text == "LW") {
    cron.day_rule = Cron::DayRule::kLastWeekdayOfMonth;
    return true;
  }
  if (text.size() > 1 && text.back() == 'W') {
    std::optional<int> day = ParseValue(text.substr(0, text.size() - 1), kDaysOfMonthField);
    if (!day) return false;
    cron.day_rule = Cron::DayRule::kNearestWeekday;
    cron.day = *day;
    return true;
  }
  std::optional<ValueSet> days = ParseField(text, kDaysOfMonthField);
  if (!days) return false;
  cron.day_rule = Cron::DayRule::kDaysOfMonth;
  cron.days_of_month = ToBits<32>(*days, kDaysOfMonthField, 0);
  return true;
}

// Day-of-week: `L` (the last day of the week, Saturday), `NL`, `N#K`, or values.
bool ParseDaysOfWeek(std::string_view text, Cron& cron) {
  if (text == "L") {
    cron.day_rule = Cron::DayRule::kDaysOfWeek;
    cron.days_of_week.set(7);
    return true;
  }
  if (const size_t hash = text.find('#'); hash != std::string_view::npos) {
    std::optional<int> day = ParseValue(text.substr(0, hash), kDaysOfWeekField);
    std::optional<int> nth = ParseNumber(text.substr(hash + 1), 1);
    if (!day || !nth || *nth < 1 || *nth > 5) return false;
    cron.day_rule = Cron::DayRule::kNthDayOfWeek;
    cron.day = *day;
    cron.nth = *nth;
    return true;
  }
  if (text.size() > 1 && text.back() == 'L') {
    std::optional<int> day = ParseValue(text.substr(0, text.size() - 1), kDaysOfWeekField);
    if (!day) return false;
    cron.day_rule = Cron::DayRule::kLastDayOfWeekInMonth;
    cron.day = *day;
    return true;
  }
  std::optional<ValueSet> days = ParseField(text, kDaysOfWeekField);
  if (!days) return false;
  cron.day_rule = Cron::DayRule::kDaysOfWeek;
  cron.days_of_week = ToBits<8>(*days, kDaysOfWeekField, 0);
  return true;
}

// No two runs of a day closer than half an hour: minutes at least 30 apart within an hour and,
// when two allowed hours follow each other (23 and 0 included), across the hour boundary too.
bool RunsAtMostEveryHalfHour(const Cron& cron) {
  std::vector<int> minutes;
  for (int minute = 0; minute < 60; ++minute) {
    if (cron.minutes[minute]) minutes.push_back(minute);
  }
  for (size_t minute_idx = 1; minute_idx < minutes.size(); ++minute_idx) {
    if (minutes[minute_idx] - minutes[minute_idx - 1] < kShortestCronGapMinutes) return false;
  }
  bool consecutive_hours = false;
  for (int hour = 0; hour < 24; ++hour) {
    consecutive_hours |= cron.hours[hour] && cron.hours[(hour + 1) % 24];
  }
  return !consecutive_hours || 60 - minutes.back() + minutes.front() >= kShortestCronGapMinutes;
}

std::vector<std::string> SplitFields(std::string_view text) {
  std::vector<std::string> fields;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      ++pos;
      continue;
    }
    const size_t end = std::min(text.find_first_of(" \t", pos), text.size());
    fields.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return fields;
}

std::optional<std::string_view> Unwrap(std::string_view expression, std::string_view keyword) {
  if (expression.size() < keyword.size() + 2 || !expression.starts_with(keyword) ||
      expression[keyword.size()] != '(' || expression.back() != ')') {
    return std::nullopt;
  }
  return expression.substr(keyword.size() + 1, expression.size() - keyword.size() - 2);
}

Result<Schedule> ParseCron(std::string_view text) {
  std::vector<std::string> fields = SplitFields(text);
  if (fields.size() != 6 && fields.size() != 7) return InvalidSchedule();
  // Names and L/W are matched without regard to case, as Quartz does.
  for (std::string& field : fields) {
    for (char& character : field) {
      if (character >= 'a' && character <= 'z') {
        character = static_cast<char>(character - 'a' + 'A');
      }
    }
  }
  if (fields.size() == 7) {
    // "If you specify the optional Seconds field, its value can be 0 (zero)."
    std::optional<ValueSet> seconds = ParseField(fields[0], kSecondsField);
    if (!seconds || *seconds != ValueSet().set(0)) return InvalidSchedule();
    fields.erase(fields.begin());
  }
  const std::string& minutes_text = fields[0];
  const std::string& hours_text = fields[1];
  const std::string& days_of_month_text = fields[2];
  const std::string& months_text = fields[3];
  const std::string& days_of_week_text = fields[4];
  const std::string& years_text = fields[5];

  Schedule schedule;
  schedule.kind = Schedule::Kind::kCron;
  Cron& cron = schedule.cron;
  std::optional<ValueSet> minutes = ParseField(minutes_text, kMinutesField);
  std::optional<ValueSet> hours = ParseField(hours_text, kHoursField);
  std::optional<ValueSet> months = ParseField(months_text, kMonthsField);
  std::optional<ValueSet> years = ParseField(years_text, kYearsField);
  if (!minutes || !hours || !months || !years) return InvalidSchedule();
  cron.minutes = ToBits<60>(*minutes, kMinutesField, 0);
  cron.hours = ToBits<24>(*hours, kHoursField, 0);
  cron.months = ToBits<13>(*months, kMonthsField, 0);
  cron.years = ToBits<kLastYear - kFirstYear + 1>(*years, kYearsField, kFirstYear);

  // "If you specify a value in one of the fields, use a ? (question mark) in the other field."
  const bool any_day_of_month = days_of_month_text == "?";
  const bool any_day_of_week = days_of_week_text == "?";
  if (any_day_of_month == any_day_of_week) return InvalidSchedule();
  if (any_day_of_week ? !ParseDaysOfMonth(days_of_month_text, cron)
                      : !ParseDaysOfWeek(days_of_week_text, cron)) {
    return InvalidSchedule();
  }

  // "State Manager doesn't currently support specifying months in cron expressions for
  // associations": the month field must cover the whole year (`*`, `1/1`, `JAN-DEC`).
  if (cron.months.count() != 12) return InvalidSchedule();
  if (!RunsAtMostEveryHalfHour(cron)) return InvalidSchedule();
  return schedule;
}

Result<Schedule> ParseRate(std::string_view text) {
  std::vector<std::string> fields = SplitFields(text);
  if (fields.size() != 2) return InvalidSchedule();
  std::optional<int> value = ParseNumber(fields[0], 9);
  if (!value || *value < 1) return InvalidSchedule();
  std::string_view unit = fields[1];
  // "If the value is equal to 1, then the unit must be singular. Similarly, for values greater
  // than 1, the unit must be plural."
  const bool plural = unit.ends_with('s');
  if (plural == (*value == 1)) return InvalidSchedule();
  if (plural) unit.remove_suffix(1);
  int64_t unit_seconds = 0;
  if (unit == "minute") {
    unit_seconds = 60;
  } else if (unit == "hour") {
    unit_seconds = 3600;
  } else if (unit == "day") {
    unit_seconds = 86400;
  } else {
    return InvalidSchedule();
  }
  Schedule schedule;
  schedule.kind = Schedule::Kind::kRate;
  schedule.rate_seconds = *value * unit_seconds;
  if (schedule.rate_seconds < kShortestIntervalSeconds ||
      schedule.rate_seconds >= kIntervalLimitSeconds) {
    return InvalidSchedule();
  }
  return schedule;
}

// `at(2020-07-07T15:55:00)`: exactly the documented shape, no zone suffix or fraction.
Result<Schedule> ParseAt(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() != kShape.size()) return InvalidSchedule();
  for (size_t char_idx = 0; char_idx < kShape.size(); ++char_idx) {
    const bool digit = text[char_idx] >= '0' && text[char_idx] <= '9';
    if (kShape[char_idx] == 'd' ? !digit : text[char_idx] != kShape[char_idx]) {
      return InvalidSchedule();
    }
  }
  if (text.substr(17) > "59") return InvalidSchedule();
  std::optional<double> at = time_format::ParseIso8601(text);
  if (!at) return InvalidSchedule();
  Schedule schedule;
  schedule.kind = Schedule::Kind::kAt;
  schedule.at = *at;
  return schedule;
}

int64_t FloorDiv(int64_t numerator, int64_t denominator) {
  int64_t quotient = numerator / denominator;
  if ((numerator % denominator != 0) && ((numerator < 0) != (denominator < 0))) --quotient;
  return quotient;
}

int WeekdayOf(chrono::year_month ym, int day_of_month) {
  return static_cast<int>(
      chrono::weekday{chrono::sys_days{ym / chrono::day{static_cast<unsigned>(day_of_month)}}}
          .c_encoding());  // 0 = Sunday, 6 = Saturday
}

// `NW`: "the weekday nearest to" day N without leaving the month: a Saturday moves back to
// Friday unless that is in the previous month (1W on a Saturday is Monday the 3rd), a Sunday
// moves on to Monday unless that is in the next month. No run when the month is too short.
std::optional<int> NearestWeekday(chrono::year_month ym, int target_day, int last_day) {
  if (target_day > last_day) return std::nullopt;
  switch (WeekdayOf(ym, target_day)) {
    case 6:
      return target_day == 1 ? 3 : target_day - 1;
    case 0:
      return target_day == last_day ? target_day - 2 : target_day + 1;
    default:
      return target_day;
  }
}

bool DayMatches(const Cron& cron, const chrono::year_month_day& date) {
  const chrono::year_month ym{date.year(), date.month()};
  const int day_of_month = static_cast<int>(static_cast<unsigned>(date.day()));
  const int last_day =
      static_cast<int>(static_cast<unsigned>((date.year() / date.month() / chrono::last).day()));
  const int day_of_week = WeekdayOf(ym, day_of_month) + 1;  // cron's numbering: 1 = Sunday
  switch (cron.day_rule) {
    case Cron::DayRule::kDaysOfMonth:
      return cron.days_of_month[day_of_month];
    case Cron::DayRule::kDaysOfWeek:
      return cron.days_of_week[day_of_week];
    case Cron::DayRule::kLastDayOfMonth:
      return day_of_month == last_day;
    case Cron::DayRule::kLastWeekdayOfMonth: {
      const int last_weekday = WeekdayOf(ym, last_day);
      return day_of_month == last_day - (last_weekday == 6 ? 1 : last_weekday == 0 ? 2 : 0);
    }
    case Cron::DayRule::kNearestWeekday:
      return NearestWeekday(ym, cron.day, last_day) == day_of_month;
    case Cron::DayRule::kLastDayOfWeekInMonth:
      return day_of_week == cron.day && day_of_month + 7 > last_day;
    case Cron::DayRule::kNthDayOfWeek:
      return day_of_week == cron.day && (day_of_month - 1) / 7 + 1 == cron.nth;
  }
  return false;
}

// The first allowed minute of the day at or after `minute_of_day`.
std::optional<int> FirstMinuteFrom(const Cron& cron, int minute_of_day) {
  for (int hour = minute_of_day / 60; hour < 24; ++hour) {
    if (!cron.hours[hour]) continue;
    for (int minute = hour == minute_of_day / 60 ? minute_of_day % 60 : 0; minute < 60; ++minute) {
      if (cron.minutes[minute]) return hour * 60 + minute;
    }
  }
  return std::nullopt;
}

std::optional<int> NextAllowedYear(const Cron& cron, int after_year) {
  for (int year = std::max(after_year + 1, kFirstYear); year <= kLastYear; ++year) {
    if (cron.years[year - kFirstYear]) return year;
  }
  return std::nullopt;
}

// The first cron match strictly after `after_seconds`, stepping a day at a time and jumping
// over years and months that cannot match.
std::optional<int64_t> NextCronMatch(const Cron& cron, int64_t after_seconds) {
  const int64_t first_minute = FloorDiv(after_seconds, 60) + 1;
  chrono::sys_days day{chrono::days{FloorDiv(first_minute, 1440)}};
  int minute_of_day = static_cast<int>(first_minute - FloorDiv(first_minute, 1440) * 1440);
  for (int days_searched = 0; days_searched < kMaxDaysSearched;) {
    const chrono::year_month_day date{day};
    const int year = static_cast<int>(date.year());
    if (year > kLastYear) return std::nullopt;
    if (year < kFirstYear || !cron.years[year - kFirstYear]) {
      std::optional<int> next_year = NextAllowedYear(cron, year);
      if (!next_year) return std::nullopt;
      day = chrono::sys_days{chrono::year{*next_year} / chrono::January / 1};
      minute_of_day = 0;
      continue;
    }
    ++days_searched;
    if (!cron.months[static_cast<unsigned>(date.month())]) {
      day = chrono::sys_days{chrono::year_month_day{date.year() / date.month() / 1} +
                             chrono::months{1}};
      minute_of_day = 0;
      continue;
    }
    if (DayMatches(cron, date)) {
      if (std::optional<int> minute = FirstMinuteFrom(cron, minute_of_day)) {
        return (static_cast<int64_t>(day.time_since_epoch().count()) * 1440 + *minute) * 60;
      }
    }
    day += chrono::days{1};
    minute_of_day = 0;
  }
  return std::nullopt;
}

}  // namespace

Result<Schedule> Parse(std::string_view expression) {
  if (std::optional<std::string_view> fields = Unwrap(expression, "cron")) {
    return ParseCron(*fields);
  }
  if (std::optional<std::string_view> fields = Unwrap(expression, "rate")) {
    return ParseRate(*fields);
  }
  if (std::optional<std::string_view> timestamp = Unwrap(expression, "at")) {
    return ParseAt(*timestamp);
  }
  return InvalidSchedule();
}

std::optional<double> NextAfter(const Schedule& schedule, double after, int schedule_offset_days) {
  if (!std::isfinite(after)) return std::nullopt;
  switch (schedule.kind) {
    case Schedule::Kind::kRate:
      return after + static_cast<double>(schedule.rate_seconds);
    case Schedule::Kind::kAt:
      if (schedule.at > after) return schedule.at;
      return std::nullopt;
    case Schedule::Kind::kCron: {
      // Outside the years a cron can name, clamp before converting to integers.
      if (after >= kEndOfYearsSeconds) return std::nullopt;
      const int64_t after_seconds = after < 0 ? -1 : static_cast<int64_t>(std::floor(after));
      std::optional<int64_t> match = NextCronMatch(schedule.cron, after_seconds);
      if (!match) return std::nullopt;
      return static_cast<double>(*match) + schedule_offset_days * 86400.0;
    }
  }
  return std::nullopt;
}

Status CheckOptions(const Schedule& schedule, bool apply_only_at_cron_interval,
                    std::optional<int> schedule_offset_days) {
  if (schedule.kind == Schedule::Kind::kRate && apply_only_at_cron_interval) {
    return InvalidSchedule();
  }
  if (schedule_offset_days) {
    if (schedule.kind != Schedule::Kind::kCron) return InvalidSchedule();
    if (!apply_only_at_cron_interval) {
      return AwsError::Make("InvalidParameters",
                            "ScheduleOffset can only be used with ApplyOnlyAtCronInterval.");
    }
  }
  return Ok{};
}

}  // namespace cairn::ssm::schedule
