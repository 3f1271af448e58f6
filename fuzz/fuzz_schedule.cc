// Fuzzes the State Manager ScheduleExpression parser (services/ssm/schedule.h): whatever the
// text, Parse() answers a Schedule or InvalidSchedule, and NextAfter() of a parsed schedule
// ends (no unbounded search) with a time after its argument.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/ssm/schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::ssm::schedule;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const cairn::Result<Schedule> parsed = Parse(text);
  if (!parsed.ok()) {
    if (parsed.error().code != "InvalidSchedule") std::abort();
    return 0;
  }
  const Schedule& schedule = parsed.value();
  // 2024-02-28T23:59:00Z: a leap day and a month end right after it.
  double after = 1709164740;
  for (int offset = 0; offset <= 6; offset += 3) {
    const std::optional<double> next = NextAfter(schedule, after, offset);
    if (next && !(*next > after)) std::abort();
  }
  for (int run = 0; run < 3; ++run) {
    const std::optional<double> next = NextAfter(schedule, after);
    if (!next) break;
    after = *next;
  }
  (void)CheckOptions(schedule, true, 2);
  (void)CheckOptions(schedule, false, std::nullopt);
  return 0;
}
