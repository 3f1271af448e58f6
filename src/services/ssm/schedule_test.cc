#include "services/ssm/schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "base/time_format.h"

namespace cairn::ssm::schedule {
namespace {

constexpr char kInvalidScheduleMessage[] =
    "The schedule is invalid. Verify your cron or rate expression and try again.";

double Epoch(std::string_view iso8601) { return *time_format::ParseIso8601(iso8601); }

// The next run as an ISO-8601 string, so failures read as dates.
std::string NextRun(std::string_view expression, std::string_view after, int offset_days = 0) {
  Result<Schedule> schedule = Parse(expression);
  if (!schedule.ok()) return "refused: " + schedule.error().message;
  std::optional<double> next = NextAfter(*schedule, Epoch(after), offset_days);
  return next ? time_format::Iso8601(*next) : "never";
}

void ExpectRefused(std::string_view expression) {
  Result<Schedule> schedule = Parse(expression);
  ASSERT_FALSE(schedule.ok()) << expression;
  EXPECT_EQ(schedule.error().code, "InvalidSchedule") << expression;
  EXPECT_EQ(schedule.error().message, kInvalidScheduleMessage) << expression;
  EXPECT_EQ(schedule.error().http_status, 400) << expression;
}

TEST(ScheduleParseTest, AcceptsTheDocumentedAssociationExamples) {
  // "Cron and rate expressions for associations" and the general section of the reference.
  for (std::string_view expression :
       {"cron(0/30 * * * ? *)",   "cron(0 0/1 * * ? *)",   "cron(0 0/2 * * ? *)",
        "cron(0 0/4 * * ? *)",    "cron(0 0/8 * * ? *)",   "cron(0 0/12 * * ? *)",
        "cron(15 13 ? * * *)",    "cron(15 13 ? * MON *)", "cron(30 23 ? * TUE#3 *)",
        "cron(0 0 ? * THU#2 *)",  "cron(0 0 ? * 3L *)",    "cron(0 2 ? * SUN *)",
        "cron(0 */30 * * * ? *)", "cron(0 10 * * ? *)",    "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",      "cron(0 2 L * ? *)",     "cron(15 10 ? * 6L *)",
        "cron(0 2 ? * THU#3 *)",  "rate(30 minutes)",      "rate(1 hour)",
        "rate(5 hours)",          "rate(15 days)",         "rate(7 days)",
        "at(2020-07-07T15:55:00)"}) {
    EXPECT_TRUE(Parse(expression).ok()) << expression;
  }
}

TEST(ScheduleParseTest, TellsTheKindsApart) {
  EXPECT_EQ(Parse("cron(15 13 ? * * *)")->kind, Schedule::Kind::kCron);
  EXPECT_EQ(Parse("rate(2 hours)")->kind, Schedule::Kind::kRate);
  EXPECT_EQ(Parse("rate(2 hours)")->rate_seconds, 7200);
  EXPECT_EQ(Parse("at(2020-07-07T15:55:00)")->kind, Schedule::Kind::kAt);
  EXPECT_EQ(Parse("at(2020-07-07T15:55:00)")->at, Epoch("2020-07-07T15:55:00Z"));
}

TEST(ScheduleParseTest, RefusesWhatIsNotAnExpression) {
  for (std::string_view expression :
       {"", "daily", "cron", "cron()", "cron(0 12 * * ? *", " cron(0 12 * * ? *)",
        "cron (0 12 * * ? *)", "CRON(0 12 * * ? *)", "cron(0 12 * * ? *) ", "rate()", "at()",
        "every(30 minutes)"}) {
    ExpectRefused(expression);
  }
}

TEST(ScheduleParseTest, RefusesCronWithTheWrongNumberOfFields) {
  ExpectRefused("cron(0 12 * * ?)");                // five: the year is required
  ExpectRefused("cron(0 0 12 * * ? * *)");          // eight
  EXPECT_TRUE(Parse("cron(0  12\t* * ? *)").ok());  // fields are separated by blanks
}

TEST(ScheduleParseTest, RefusesValuesOutsideTheDocumentedRanges) {
  for (std::string_view expression :
       {"cron(60 12 * * ? *)", "cron(0 24 * * ? *)", "cron(0 12 0 * ? *)", "cron(0 12 32 * ? *)",
        "cron(0 12 ? * 0 *)", "cron(0 12 ? * 8 *)", "cron(0 12 * * ? 1969)",
        "cron(0 12 * * ? 2200)", "cron(0 12 * 13 ? *)", "cron(-1 12 * * ? *)",
        "cron(0 12 ? * FOO *)", "cron(0 12 ? * MON-FOO *)", "cron(0 12 ? * MONDAY *)",
        "cron(0 12 * * ? 2030-2025)"}) {
    ExpectRefused(expression);
  }
}

TEST(ScheduleParseTest, RefusesMalformedFields) {
  for (std::string_view expression :
       {"cron(a 12 * * ? *)",      "cron(0/0 12 * * ? *)",   "cron(0/ 12 * * ? *)",
        "cron(0/5/5 12 * * ? *)",  "cron(0, 12 * * ? *)",    "cron(,0 12 * * ? *)",
        "cron(0- 12 * * ? *)",     "cron(*-5 12 * * ? *)",   "cron(0 ? * * ? *)",
        "cron(0 12 * ? ? *)",      "cron(0 12 * * ? ?)",     "cron(0 12 L,15 * ? *)",
        "cron(0 12 15W,20 * ? *)", "cron(0 12 32W * ? *)",   "cron(0 12 W * ? *)",
        "cron(0 12 L-2 * ? *)",    "cron(0 12 ? * MON#6 *)", "cron(0 12 ? * MON#0 *)",
        "cron(0 12 ? * MON# *)",   "cron(0 12 ? * #2 *)",    "cron(0 12 ? * 1,5L *)",
        "cron(0 12 ? * 8L *)",     "cron(0 12 ? * 15W *)",   "cron(0 12 L * ? L)"}) {
    ExpectRefused(expression);
  }
}

TEST(ScheduleParseTest, NeedsAQuestionMarkInExactlyOneDayField) {
  // "If you specify a value in one of the fields, use a ? (question mark) in the other field."
  ExpectRefused("cron(0 12 * * * *)");
  ExpectRefused("cron(0 12 1 * MON *)");
  ExpectRefused("cron(0 12 ? * ? *)");
  EXPECT_TRUE(Parse("cron(0 12 * * ? *)").ok());
  EXPECT_TRUE(Parse("cron(0 12 ? * * *)").ok());
}

TEST(ScheduleParseTest, AcceptsNamesWithoutRegardToCase) {
  EXPECT_TRUE(Parse("cron(0 12 ? * mon-fri *)").ok());
  EXPECT_TRUE(Parse("cron(0 12 ? * Tue#2 *)").ok());
  EXPECT_TRUE(Parse("cron(0 12 lw * ? *)").ok());
}

TEST(ScheduleParseTest, AssociationSecondsFieldMayOnlyBeZero) {
  // "If you specify the optional Seconds field, its value can be 0 (zero)."
  EXPECT_TRUE(Parse("cron(0 0 12 * * ? *)").ok());
  ExpectRefused("cron(30 0 12 * * ? *)");
  ExpectRefused("cron(0,30 0 12 * * ? *)");
  ExpectRefused("cron(* 0 12 * * ? *)");
}

TEST(ScheduleParseTest, AssociationCronRunsAtMostEveryHalfHour) {
  // "every 1/2, 1, 2, 4, 8, or 12 hours; every day, every week, ...": half an hour at most.
  EXPECT_TRUE(Parse("cron(0/30 * * * ? *)").ok());
  EXPECT_TRUE(Parse("cron(10,40 * * * ? *)").ok());
  EXPECT_TRUE(Parse("cron(0,45 0,2 * * ? *)").ok());  // 00:45 -> 02:00, never 15 minutes apart
  ExpectRefused("cron(0/15 * * * ? *)");
  ExpectRefused("cron(* * * * ? *)");
  ExpectRefused("cron(0,20 * * * ? *)");
  ExpectRefused("cron(0,45 0,1 * * ? *)");   // 00:45 -> 01:00
  ExpectRefused("cron(0,45 0,23 * * ? *)");  // 23:45 -> 00:00 the next day
  ExpectRefused("cron(0/5 8-17 ? * MON-FRI *)");
}

TEST(ScheduleParseTest, AssociationCronDoesNotTakeMonths) {
  // "State Manager doesn't currently support specifying months in cron expressions for
  // associations." A month field that covers the whole year specifies none.
  ExpectRefused("cron(0 12 1 JAN ? *)");
  ExpectRefused("cron(0 12 1 1-6 ? *)");
  ExpectRefused("cron(0 12 29 2 ? *)");
  EXPECT_TRUE(Parse("cron(0 12 1 1/1 ? *)").ok());
  EXPECT_TRUE(Parse("cron(0 12 1 JAN-DEC ? *)").ok());
}

TEST(ScheduleParseTest, RateUnitsAgreeInNumber) {
  // "rate(1 hours) and rate(5 hour) aren't valid, but rate(1 hour) and rate(5 hours) are valid."
  EXPECT_TRUE(Parse("rate(1 hour)").ok());
  EXPECT_TRUE(Parse("rate(5 hours)").ok());
  EXPECT_TRUE(Parse("rate(1 day)").ok());
  ExpectRefused("rate(1 hours)");
  ExpectRefused("rate(5 hour)");
  ExpectRefused("rate(1 days)");
  ExpectRefused("rate(45 minute)");
}

TEST(ScheduleParseTest, RefusesMalformedRates) {
  for (std::string_view expression :
       {"rate(30)", "rate(minutes)", "rate(0 minutes)", "rate(-30 minutes)", "rate(1.5 hours)",
        "rate(30 MINUTES)", "rate(2 weeks)", "rate(30 minutes daily)", "rate(2 s)",
        "rate(9999999999 minutes)"}) {
    ExpectRefused(expression);
  }
}

TEST(ScheduleParseTest, AssociationRatesLastHalfAnHourToUnderThirtyOneDays) {
  // "intervals of 30 minutes or greater and less than 31 days"
  EXPECT_EQ(Parse("rate(30 minutes)")->rate_seconds, 1800);
  EXPECT_TRUE(Parse("rate(30 days)").ok());
  EXPECT_TRUE(Parse("rate(743 hours)").ok());
  EXPECT_TRUE(Parse("rate(44639 minutes)").ok());
  ExpectRefused("rate(29 minutes)");
  ExpectRefused("rate(1 minute)");
  ExpectRefused("rate(31 days)");
  ExpectRefused("rate(744 hours)");
  ExpectRefused("rate(44640 minutes)");
}

TEST(ScheduleParseTest, AtTakesExactlyTheDocumentedTimestamp) {
  EXPECT_TRUE(Parse("at(2024-02-29T23:59:59)").ok());
  for (std::string_view expression :
       {"at(2023-02-29T00:00:00)", "at(2020-07-07 15:55:00)", "at(2020-07-07T15:55:00Z)",
        "at(2020-07-07T15:55)", "at(2020-07-07T24:00:00)", "at(2020-07-07T15:55:60)",
        "at(2020-07-07T-1:55:00)", "at(2020-13-07T15:55:00)", "at(tomorrow)"}) {
    ExpectRefused(expression);
  }
}

TEST(ScheduleNextAfterTest, RunsStrictlyAfterTheGivenTime) {
  EXPECT_EQ(NextRun("cron(0/30 * * * ? *)", "2024-01-01T10:29:59Z"), "2024-01-01T10:30:00.000Z");
  EXPECT_EQ(NextRun("cron(0/30 * * * ? *)", "2024-01-01T10:30:00Z"), "2024-01-01T11:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0/30 * * * ? *)", "2024-01-01T10:30:00.5Z"), "2024-01-01T11:00:00.000Z");
  EXPECT_EQ(NextRun("cron(15 0/2 * * ? *)", "2024-01-01T23:00:00Z"), "2024-01-02T00:15:00.000Z");
}

TEST(ScheduleNextAfterTest, CrossesMonthAndYearEnds) {
  EXPECT_EQ(NextRun("cron(15 13 ? * * *)", "2024-01-31T13:15:00Z"), "2024-02-01T13:15:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 ? * * *)", "2024-12-31T00:00:00Z"), "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 31 * ? *)", "2024-04-01T00:00:00Z"), "2024-05-31T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8 1,15 * ? *)", "2024-12-15T08:00:00Z"), "2025-01-01T08:00:00.000Z");
}

TEST(ScheduleNextAfterTest, KnowsLeapYears) {
  EXPECT_EQ(NextRun("cron(0 12 29 * ? *)", "2024-01-30T00:00:00Z"), "2024-02-29T12:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 12 29 * ? *)", "2023-01-30T00:00:00Z"), "2023-03-29T12:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 2 L * ? *)", "2024-02-01T00:00:00Z"), "2024-02-29T02:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 2 L * ? *)", "2023-02-01T00:00:00Z"), "2023-02-28T02:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 2 L * ? *)", "2024-02-29T02:00:00Z"), "2024-03-31T02:00:00.000Z");
}

TEST(ScheduleNextAfterTest, FebruaryTwentyNinthIsNeverIn2100) {
  // Months can't be named for associations, so pin February by hand: 2100 is not a leap year.
  Result<Schedule> schedule = Parse("cron(0 12 29 * ? 2100)");
  ASSERT_TRUE(schedule.ok());
  schedule->cron.months.reset();
  schedule->cron.months.set(2);
  EXPECT_EQ(NextAfter(*schedule, Epoch("2024-01-01T00:00:00Z")), std::nullopt);
  schedule->cron.years.set(2104 - kFirstYear);
  EXPECT_EQ(time_format::Iso8601(*NextAfter(*schedule, Epoch("2024-01-01T00:00:00Z"))),
            "2104-02-29T12:00:00.000Z");
}

TEST(ScheduleNextAfterTest, NearestWeekdayStaysInItsMonth) {
  EXPECT_EQ(NextRun("cron(0 9 15W * ? *)", "2024-06-01T00:00:00Z"),  // Saturday the 15th
            "2024-06-14T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 15W * ? *)", "2024-09-01T00:00:00Z"),  // Sunday the 15th
            "2024-09-16T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 15W * ? *)", "2024-01-01T00:00:00Z"),  // Monday the 15th
            "2024-01-15T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 1W * ? *)", "2024-05-31T00:00:00Z"),  // Saturday the 1st
            "2024-06-03T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 30W * ? *)", "2024-06-20T00:00:00Z"),  // Sunday the 30th, last
            "2024-06-28T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 31W * ? *)", "2024-06-01T00:00:00Z"),  // no 31st in June
            "2024-07-31T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 LW * ? *)", "2024-08-01T00:00:00Z"),  // Saturday the 31st
            "2024-08-30T09:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 9 LW * ? *)", "2024-03-01T00:00:00Z"),  // Sunday the 31st
            "2024-03-29T09:00:00.000Z");
}

TEST(ScheduleNextAfterTest, FindsTheNthAndLastDayOfWeek) {
  EXPECT_EQ(NextRun("cron(30 23 ? * TUE#3 *)", "2024-01-01T00:00:00Z"), "2024-01-16T23:30:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 ? * 6#3 *)", "2024-01-01T00:00:00Z"), "2024-01-19T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 ? * FRI#5 *)", "2024-01-01T00:00:00Z"),  // none in Jan or Feb
            "2024-03-29T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(15 10 ? * 6L *)", "2024-01-01T00:00:00Z"), "2024-01-26T10:15:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 ? * 3L *)", "2024-01-01T00:00:00Z"), "2024-01-30T00:00:00.000Z");
  // `L` alone in day-of-week is its last day, Saturday.
  EXPECT_EQ(NextRun("cron(0 0 ? * L *)", "2024-01-01T00:00:00Z"), "2024-01-06T00:00:00.000Z");
}

TEST(ScheduleNextAfterTest, FollowsDayNamesRangesAndSteps) {
  EXPECT_EQ(NextRun("cron(0 18 ? * MON-FRI *)", "2024-01-05T18:00:00Z"),  // Friday evening
            "2024-01-08T18:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8 ? * FRI-MON *)", "2024-01-02T00:00:00Z"),  // wraps past SAT
            "2024-01-05T08:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8 ? * FRI-MON *)", "2024-01-08T09:00:00Z"), "2024-01-12T08:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8 ? * 2,4 *)", "2024-01-08T09:00:00Z"), "2024-01-10T08:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8-17/3 * * ? *)", "2024-01-01T11:00:00Z"), "2024-01-01T14:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 8-17/3 * * ? *)", "2024-01-01T17:00:00Z"), "2024-01-02T08:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 22-2 * * ? *)", "2024-01-01T02:30:00Z"), "2024-01-01T22:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 1/10 * ? *)", "2024-01-21T00:00:00Z"), "2024-01-31T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 1/10 * ? *)", "2024-02-21T00:00:00Z"), "2024-03-01T00:00:00.000Z");
}

TEST(ScheduleNextAfterTest, HonoursTheYearField) {
  EXPECT_EQ(NextRun("cron(0 0 1 * ? 2030)", "2024-06-01T00:00:00Z"), "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 1 * ? 2024/4)", "2024-12-01T00:00:00Z"), "2028-01-01T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 1 * ? 2024-2025)", "2025-11-01T00:00:00Z"),
            "2025-12-01T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 1 * ? 2024-2025)", "2025-12-01T00:00:00Z"), "never");
  EXPECT_EQ(NextRun("cron(0 0 1 * ? 2020)", "2024-01-01T00:00:00Z"), "never");
  // Far-off years are reached by jumping, not by the bounded day-by-day search.
  EXPECT_EQ(NextRun("cron(0 0 ? * * 2199)", "2024-01-01T00:00:00Z"), "2199-01-01T00:00:00.000Z");
  EXPECT_EQ(NextRun("cron(0 0 ? * * *)", "2199-12-31T00:00:00Z"), "never");
}

TEST(ScheduleNextAfterTest, OffsetMovesTheRunAfterTheCronMatch) {
  // "cron(0 0 ? * THU#2 *) ... an offset of 3 to run the association each Sunday after the
  // second Thursday of the month."
  EXPECT_EQ(NextRun("cron(0 0 ? * THU#2 *)", "2024-01-01T00:00:00Z", 3),
            "2024-01-14T00:00:00.000Z");
  // Patch Tuesday plus two days.
  EXPECT_EQ(NextRun("cron(0 0 ? * TUE#2 *)", "2024-01-01T00:00:00Z", 2),
            "2024-01-11T00:00:00.000Z");
  // A match already passed does not run even though its offset day is still ahead.
  EXPECT_EQ(NextRun("cron(0 0 ? * TUE#2 *)", "2024-01-10T00:00:00Z", 2),
            "2024-02-15T00:00:00.000Z");
}

TEST(ScheduleNextAfterTest, RatesAreAnchoredByTheCaller) {
  const double after = Epoch("2024-01-01T10:07:00Z");
  EXPECT_EQ(NextAfter(*Parse("rate(30 minutes)"), after), after + 1800);
  EXPECT_EQ(NextAfter(*Parse("rate(1 day)"), after, 3), after + 86400);
}

TEST(ScheduleNextAfterTest, AtRunsOnce) {
  const Schedule once = *Parse("at(2024-07-07T15:55:00)");
  EXPECT_EQ(NextAfter(once, Epoch("2024-07-07T15:54:59Z")), Epoch("2024-07-07T15:55:00Z"));
  EXPECT_EQ(NextAfter(once, Epoch("2024-07-07T15:55:00Z")), std::nullopt);
}

TEST(ScheduleNextAfterTest, SurvivesTimesOutsideTheCronYears) {
  const Schedule daily = *Parse("cron(15 13 ? * * *)");
  EXPECT_EQ(time_format::Iso8601(*NextAfter(daily, -1e12)), "1970-01-01T13:15:00.000Z");
  EXPECT_EQ(NextAfter(daily, 1e300), std::nullopt);
  EXPECT_EQ(NextAfter(daily, std::nan("")), std::nullopt);
}

TEST(ScheduleCheckOptionsTest, ApplyOnlyAtCronIntervalIsNotForRates) {
  // "This parameter isn't supported for rate expressions."
  Status status = CheckOptions(*Parse("rate(1 hour)"), true, std::nullopt);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "InvalidSchedule");
  EXPECT_EQ(status.error().message, kInvalidScheduleMessage);
  EXPECT_TRUE(CheckOptions(*Parse("rate(1 hour)"), false, std::nullopt).ok());
  EXPECT_TRUE(CheckOptions(*Parse("cron(0 2 ? * SUN *)"), true, std::nullopt).ok());
  // The reference's CLI example pairs at() with --apply-only-at-cron-interval.
  EXPECT_TRUE(CheckOptions(*Parse("at(2020-07-07T15:55:00)"), true, std::nullopt).ok());
}

TEST(ScheduleCheckOptionsTest, OffsetsAreForCronWithApplyOnlyAtCronInterval) {
  const Schedule cron = *Parse("cron(0 0 ? * THU#2 *)");
  EXPECT_TRUE(CheckOptions(cron, true, 3).ok());
  Status without_apply = CheckOptions(cron, false, 3);
  ASSERT_FALSE(without_apply.ok());
  EXPECT_EQ(without_apply.error().code, "InvalidParameters");
  // "Associations ... support schedule offsets for cron expressions only."
  EXPECT_EQ(CheckOptions(*Parse("rate(1 day)"), false, 3).error().code, "InvalidSchedule");
  EXPECT_EQ(CheckOptions(*Parse("at(2020-07-07T15:55:00)"), true, 3).error().code,
            "InvalidSchedule");
}

}  // namespace
}  // namespace cairn::ssm::schedule
