// State Manager schedule expressions: what an association's ScheduleExpression may say, and when
// it fires.
//
// The grammar and the association-specific limits are those of "Reference: Cron and rate
// expressions for Systems Manager" (Systems Manager User Guide,
// reference-cron-and-rate-expressions.html):
//   cron(Minutes Hours Day-of-month Month Day-of-week Year), optionally preceded by a Seconds
//     field that must be 0 for associations; `* , - /` everywhere, `? L W` in day-of-month,
//     `? L #` in day-of-week, names JAN-DEC and SUN-SAT (1 = SUN); one of the two day fields
//     must be `?`; associations run at most every half hour and don't take months;
//   rate(N minute[s]|hour[s]|day[s]), singular exactly when N is 1; associations accept
//     intervals of 30 minutes or more and under 31 days;
//   at(yyyy-mm-ddThh:mm:ss), a single run.
// Everything else is refused with InvalidSchedule. Times are seconds since the Unix epoch, UTC:
// associations have no time zone ("The schedule runs in Coordinated Universal Time (UTC)").
// Pure functions on values; thread-safe.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace cairn::ssm::schedule {

// The year field's documented range.
inline constexpr int kFirstYear = 1970;
inline constexpr int kLastYear = 2199;

// A cron expression with every field expanded to the set of values it matches.
struct Cron {
  // Which day fields decide: AWS requires `?` in exactly one of day-of-month and day-of-week, so
  // a day is chosen by one of these rules only.
  enum class DayRule {
    kDaysOfMonth,           // `1,15`, `1/10`, `*`: the days in days_of_month
    kDaysOfWeek,            // `MON-FRI`, `L` (= SAT): the days in days_of_week
    kLastDayOfMonth,        // `L` in day-of-month
    kLastWeekdayOfMonth,    // `LW`: the last Monday-to-Friday day of the month
    kNearestWeekday,        // `15W`: the weekday nearest to day `day`, within the month
    kLastDayOfWeekInMonth,  // `6L`: the last day of week `day` in the month
    kNthDayOfWeek,          // `6#3`: the `nth` day of week `day` in the month
  };

  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;                  // bits 1..31
  std::bitset<13> months;                         // bits 1..12
  std::bitset<8> days_of_week;                    // bits 1..7, 1 = Sunday
  std::bitset<kLastYear - kFirstYear + 1> years;  // bit i is year kFirstYear + i
  DayRule day_rule = DayRule::kDaysOfMonth;
  int day = 0;  // kNearestWeekday: a day of month; kLastDayOfWeekInMonth, kNthDayOfWeek: 1..7
  int nth = 0;  // kNthDayOfWeek: 1..5
};

struct Schedule {
  enum class Kind { kCron, kRate, kAt };
  Kind kind = Kind::kCron;
  Cron cron;                 // kCron
  int64_t rate_seconds = 0;  // kRate: the interval
  double at = 0;             // kAt: the single run, epoch seconds
};

// Parses an association's ScheduleExpression. Refusals are InvalidSchedule with the message the
// SSM API reference documents for that error (AWS's own wording per case is not published).
Result<Schedule> Parse(std::string_view expression);

// The first run strictly after `after`, or nullopt when there is none (an `at` already passed,
// a cron whose years are over, or no cron match within about twelve years of allowed years).
// A rate returns `after` + interval: the caller anchors it (creation, last run).
// A cron run is a cron match moved `schedule_offset_days` later. Only matches after `after`
// count: "if you create an association ... with a cron expression that targets a day that has
// already passed in the current period, but add a schedule offset date that falls in the future,
// the association ... won't run in the period" (same page). So to chain from a previous run R,
// pass R - schedule_offset_days * 86400. Offsets are ignored for rate and at.
std::optional<double> NextAfter(const Schedule& schedule, double after,
                                int schedule_offset_days = 0);

// The cross-field rules of CreateAssociation/UpdateAssociation on a parsed schedule:
// ApplyOnlyAtCronInterval "isn't supported for rate expressions" and offsets exist "for cron
// expressions only" (InvalidSchedule); "To use offsets, you must specify the
// ApplyOnlyAtCronInterval parameter" (InvalidParameters). The 1..6 range of ScheduleOffset is
// the model's, checked by the validator before this.
Status CheckOptions(const Schedule& schedule, bool apply_only_at_cron_interval,
                    std::optional<int> schedule_offset_days);

}  // namespace cairn::ssm::schedule
