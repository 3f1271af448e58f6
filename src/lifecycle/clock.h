// Clock: the one seam through which cairn reads time, so that tests can move it.
//
// SystemClock is wall-clock time plus an offset that only grows: POST /_cairn/clock/advance
// moves it forward, and whatever the lifecycle scheduler had due by then becomes due. The
// offset is kept in the journal, so that after a restart the clock reads what it read before
// and pending steps fall due when they should. A ManualClock stands still until told, for
// unit tests. Both are thread-safe.
#pragma once

#include <atomic>
#include <mutex>

#include "store/store.h"

namespace cairn::lifecycle {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch.
  virtual double Now() const = 0;
  // Moves time forward by `seconds` (> 0).
  virtual void Advance(double seconds) = 0;
};

class SystemClock final : public Clock {
 public:
  // Restores the offset the journal holds, and records every advance in it. A clock that
  // does not `flow` (--clock virtual) stands at the time cairn started: it moves only when
  // advanced, so tests see every intermediate status for as long as they like.
  explicit SystemClock(store::Journal& journal, bool flows = true);
  double Now() const override;
  void Advance(double seconds) override;

 private:
  store::Journal& journal_;
  const bool flows_;
  const double started_;      // wall-clock time at construction, where a virtual clock stands
  std::mutex advance_mutex_;  // serializes advances so the journal sees them in order
  std::atomic<double> offset_{0};
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(double start) : now_(start) {}
  double Now() const override { return now_.load(); }
  void Advance(double seconds) override;

 private:
  std::atomic<double> now_;
};

}  // namespace cairn::lifecycle
