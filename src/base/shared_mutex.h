// SharedMutex: the reader-writer lock of the providers and the organization directory. It
// tries for a few microseconds before it sleeps, the way glibc's adaptive mutexes do.
//
// Why (issue 8): a write holds its provider's lock exclusively for 5-20 µs. With two HTTP
// workers, a worker that found the lock taken went to sleep in the kernel and was woken by the
// other's unlock: two context switches and a futex wake, more than the wait itself, and the
// woken worker then often met the lock taken again (a convoy). Under a steady write load that
// cost a third of the throughput; trying again for a bounded time instead keeps both workers
// running. A holder preempted while it holds the lock costs the spinner its budget, then it
// sleeps as before.
#pragma once

#include <algorithm>
#include <shared_mutex>

namespace cairn::base {

class SharedMutex {
 public:
  void lock() {
    if (!Spin([this] { return mutex_.try_lock(); })) mutex_.lock();
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }

  void lock_shared() {
    if (!Spin([this] { return mutex_.try_lock_shared(); })) mutex_.lock_shared();
  }
  bool try_lock_shared() { return mutex_.try_lock_shared(); }
  void unlock_shared() { mutex_.unlock_shared(); }

 private:
  // Tries `attempt` with a growing pause between tries (so the spinner does not keep taking
  // the lock's cache line from the holder), about 2,000 pause instructions in all: a few
  // microseconds. True once an attempt succeeded.
  template <typename Attempt>
  static bool Spin(Attempt&& attempt) {
    constexpr int kRounds = 12;
    for (int round = 0; round < kRounds; ++round) {
      if (attempt()) return true;
      const int pauses = 1 << std::min(round, 8);
      for (int pause = 0; pause < pauses; ++pause) Pause();
    }
    return false;
  }

  static void Pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::shared_mutex mutex_;
};

}  // namespace cairn::base
