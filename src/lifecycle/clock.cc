#include "lifecycle/clock.h"

#include <boost/json.hpp>
#include <chrono>

namespace cairn::lifecycle {
namespace {

constexpr std::string_view kCollection = "lifecycle.clock";

}  // namespace

namespace {

double WallClock() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

SystemClock::SystemClock(store::Journal& journal, bool flows)
    : journal_(journal), flows_(flows), started_(WallClock()) {
  journal_.Load(kCollection, [this](std::string_view key, std::string_view document) {
    if (key != "offset") return;
    const boost::json::value value = store::ParseDocument(kCollection, document);
    if (const boost::json::value* seconds = value.as_object().if_contains("seconds");
        seconds && seconds->is_number()) {
      offset_ = seconds->to_number<double>();
    }
  });
}

double SystemClock::Now() const {
  return (flows_ ? WallClock() : started_) + offset_.load(std::memory_order_relaxed);
}

void SystemClock::Advance(double seconds) {
  std::lock_guard lock(advance_mutex_);
  const double offset = offset_.load() + seconds;
  if (journal_.durable()) {
    journal_.Commit({{std::string(kCollection), "offset",
                      store::SerializeDocument(boost::json::object{{"seconds", offset}})}});
  }
  offset_ = offset;
}

void ManualClock::Advance(double seconds) {
  double current = now_.load();
  while (!now_.compare_exchange_weak(current, current + seconds)) {
  }
}

}  // namespace cairn::lifecycle
