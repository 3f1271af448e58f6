#include "lifecycle/scheduler.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace cairn::lifecycle {
namespace {

TEST(SchedulerTest, RunsTasksInDueOrderOnlyOnceDue) {
  ManualClock clock(1000);
  Scheduler scheduler(clock);
  std::vector<int> ran;
  scheduler.At(1002, [&] { ran.push_back(2); });
  scheduler.At(1001, [&] { ran.push_back(1); });
  scheduler.At(1001, [&] { ran.push_back(11); });
  EXPECT_EQ(scheduler.RunDue(), 0u);
  clock.Advance(1);
  EXPECT_EQ(scheduler.RunDue(), 2u);
  EXPECT_EQ(ran, (std::vector<int>{1, 11}));
  clock.Advance(5);
  scheduler.RunDue();
  EXPECT_EQ(ran, (std::vector<int>{1, 11, 2}));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(SchedulerTest, TasksMayScheduleFurtherSteps) {
  ManualClock clock(0);
  Scheduler scheduler(clock);
  std::vector<std::string> steps;
  scheduler.At(1, [&] {
    steps.push_back("first");
    scheduler.At(1, [&] { steps.push_back("second, due at once"); });
    scheduler.At(3, [&] { steps.push_back("third"); });
  });
  clock.Advance(1);
  scheduler.RunDue();
  EXPECT_EQ(steps.size(), 2u);
  clock.Advance(2);
  scheduler.RunDue();
  EXPECT_EQ(steps.back(), "third");
}

// One advance runs a whole chain of steps that fall within it, each with the clock reading its
// due time, and nothing beyond it; the clock ends where the advance said.
TEST(SchedulerTest, AnAdvanceRunsTheChainsThatFallWithinIt) {
  ManualClock clock(0);
  Scheduler scheduler(clock);
  std::vector<double> seen;
  int steps = 0;
  std::function<void()> step = [&] {
    seen.push_back(clock.Now());
    if (++steps < 5) scheduler.At(clock.Now() + 10, step);  // steps at 10, 20, 30, 40, 50
  };
  scheduler.At(10, step);
  scheduler.At(25, [&] { seen.push_back(-clock.Now()); });
  EXPECT_EQ(scheduler.Advance(35), 4u);  // 10, 20, 25, 30; the step at 40 is beyond
  EXPECT_EQ(seen, (std::vector<double>{10, 20, -25, 30}));
  EXPECT_EQ(clock.Now(), 35);
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.Advance(100), 2u);  // 40, 50: the chain's end
  EXPECT_EQ(seen.back(), 50);
  EXPECT_EQ(clock.Now(), 135);
  EXPECT_EQ(scheduler.Advance(1), 0u);
  EXPECT_EQ(clock.Now(), 136);
}

TEST(SchedulerTest, ClearForgetsAndAThrowingTaskDoesNotStopOthers) {
  ManualClock clock(0);
  Scheduler scheduler(clock);
  int ran = 0;
  scheduler.At(1, [] { throw std::runtime_error("bug"); });
  scheduler.At(1, [&] { ++ran; });
  clock.Advance(1);
  EXPECT_EQ(scheduler.RunDue(), 2u);
  EXPECT_EQ(ran, 1);
  scheduler.At(5, [&] { ++ran; });
  scheduler.Clear();
  clock.Advance(10);
  EXPECT_EQ(scheduler.RunDue(), 0u);
}

}  // namespace
}  // namespace cairn::lifecycle
