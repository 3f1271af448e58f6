#include "lifecycle/scheduler.h"

#include <gtest/gtest.h>

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
