#include "lifecycle/scheduler.h"

#include <chrono>
#include <exception>
#include <thread>

#include "base/log.h"

namespace cairn::lifecycle {

namespace {
// After running what fell due, the thread rests this long before it looks again, so tasks
// that fall due in the meantime (a burst of writes, each scheduling a step "now") run in one
// wake-up rather than one each: a wake-up per CreateAssociation cost a context switch on the
// scheduler thread and a futex call on the worker (issue 8). A task that falls due while the
// thread waits idle still wakes it at once. The delay is far below any step AWS takes.
constexpr auto kRest = std::chrono::microseconds(500);
}  // namespace

Scheduler::~Scheduler() { Stop(); }

void Scheduler::At(double due, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.emplace(due, std::move(task));
  }
  wake_.notify_one();
}

size_t Scheduler::RunDue() {
  std::lock_guard run_lock(run_mutex_);
  size_t ran = 0;
  while (true) {
    std::function<void()> task;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty() || tasks_.begin()->first > clock_.Now()) break;
      task = std::move(tasks_.begin()->second);
      tasks_.erase(tasks_.begin());
    }
    try {
      task();
    } catch (const std::exception& bug) {
      log::Error(std::string("lifecycle task failed: ") + bug.what());
    }
    ++ran;
  }
  return ran;
}

size_t Scheduler::Advance(double seconds) {
  std::lock_guard advance_lock(advance_mutex_);
  const double target = clock_.Now() + seconds;
  size_t ran = 0;
  while (true) {
    double next;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty()) break;
      next = tasks_.begin()->first;
    }
    if (next > target) break;
    if (const double now = clock_.Now(); next > now) clock_.Advance(next - now);
    ran += RunDue();
  }
  if (const double now = clock_.Now(); target > now) clock_.Advance(target - now);
  return ran + RunDue();
}

void Scheduler::Clear() {
  std::lock_guard run_lock(run_mutex_);
  std::lock_guard lock(mutex_);
  tasks_.clear();
}

size_t Scheduler::pending() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

void Scheduler::Start() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const double wait_seconds = tasks_.begin()->first - clock_.Now();
    if (wait_seconds > 0) {
      // Capped so that a clock advance from another thread is noticed promptly even if its
      // notification raced with this wait.
      wake_.wait_for(lock, std::chrono::duration<double>(std::min(wait_seconds, 0.25)));
      continue;
    }
    lock.unlock();
    RunDue();
    std::this_thread::sleep_for(kRest);
    lock.lock();
  }
}

}  // namespace cairn::lifecycle
