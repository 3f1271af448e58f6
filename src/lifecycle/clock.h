// Clock: the one seam through which cairn reads time, so that tests can move it.
//
// SystemClock is wall-clock time plus an offset that only grows: POST /_cairn/clock/advance
// moves it forward, and whatever the lifecycle scheduler had due by then becomes due. A
// ManualClock stands still until told, for unit tests. Both are thread-safe.
#pragma once

#include <atomic>

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
  double Now() const override;
  void Advance(double seconds) override;

 private:
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
