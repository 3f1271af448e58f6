#include "lifecycle/clock.h"

#include <chrono>

namespace cairn::lifecycle {

double SystemClock::Now() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(since_epoch).count() + offset_.load(std::memory_order_relaxed);
}

void SystemClock::Advance(double seconds) {
  double current = offset_.load();
  while (!offset_.compare_exchange_weak(current, current + seconds)) {
  }
}

void ManualClock::Advance(double seconds) {
  double current = now_.load();
  while (!now_.compare_exchange_weak(current, current + seconds)) {
  }
}

}  // namespace cairn::lifecycle
