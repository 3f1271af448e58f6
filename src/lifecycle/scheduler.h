// Scheduler: the one place where statuses move forward on their own (account creation,
// association runs, deployments to member accounts, policy propagation).
//
// A provider asks for `fn` to run once the clock reads `due`. Tasks run on the scheduler's
// own thread, in due order, one at a time; a task takes its provider's lock like any request.
// When the clock is advanced (POST /_cairn/clock/advance), everything that became due runs
// before the advance is acknowledged, so tests can be exact without sleeping.
//
// Tasks are closures and are not persisted: a provider keeps the due time in the resource it
// moves (e.g. CreateAccountStatus), and reschedules from there when state is restored.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "lifecycle/clock.h"

namespace cairn::lifecycle {

class Scheduler {
 public:
  explicit Scheduler(Clock& clock) : clock_(clock) {}
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `task` once the clock reads `due` (epoch seconds) or later.
  void At(double due, std::function<void()> task);
  // Runs every task due now, on the calling thread; returns how many ran. Used after the
  // clock moves, and by unit tests instead of Start().
  size_t RunDue();
  // Moves the clock `seconds` (> 0) forward, stopping at each due time on the way to run, on
  // the calling thread, what fell due: a task that schedules a later step within the advance
  // sees that step run too, with the clock reading its due time, so a lifecycle chain
  // (PENDING -> IN_PROGRESS -> SUCCEEDED) completes in one advance. Returns how many ran.
  // Advances are serialized.
  size_t Advance(double seconds);
  // Forgets every pending task (POST /_cairn/reset).
  void Clear();
  size_t pending() const;
  // The clock's reading: what tasks use as "now".
  double now() const { return clock_.Now(); }

  // Starts the background thread that runs tasks as they fall due in real time.
  void Start();
  void Stop();

 private:
  void Loop();

  Clock& clock_;
  // Pending tasks by due time; equal times keep their order of scheduling. Guarded by mutex_.
  mutable std::mutex mutex_;
  std::multimap<double, std::function<void()>> tasks_;
  std::condition_variable wake_;
  bool stopping_ = false;
  // Serializes task execution between the background thread and RunDue callers.
  std::mutex run_mutex_;
  std::mutex advance_mutex_;  // one Advance at a time
  std::thread thread_;
};

}  // namespace cairn::lifecycle
