// threadpool.cc — the persistent helper thread behind runOnTwoThreads (see threadpool.h).
// Hand-written hot path: a job hand-off is two atomic stores and a spin-wait; the condition
// variable is touched only when the helper has gone to sleep after ~200 µs without work.
#include "threadpool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define APICAL_PAUSE() _mm_pause()
#else
#define APICAL_PAUSE() std::this_thread::yield()
#endif

namespace apical {
namespace {

/** Everything the two threads share. Heap-allocated and never freed, so no static destructor can
 *  run while the helper still waits on these objects during process exit. */
struct Shared {
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<uint32_t> posted{0};    // generation of the last job posted
  std::atomic<uint32_t> finished{0};  // generation of the last job the helper completed
  std::atomic<bool> sleeping{false};  // helper is (about to be) blocked on `wake`
  std::atomic<bool> stop{false};
  std::atomic<bool> inUse{false};     // a caller thread owns the helper for one job
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  std::thread thread;
  bool running = false;  // guarded by inUse ownership
};

Shared& shared() {
  static Shared* s = new Shared();
  return *s;
}

constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

void helperLoop(Shared* s, uint32_t seen) {
  for (;;) {
    uint32_t gen = s->posted.load(std::memory_order_acquire);
    if (gen == seen) {
      // Spin for a while: back-to-back products arrive microseconds apart during training.
      const auto start = std::chrono::steady_clock::now();
      unsigned spins = 0;
      while ((gen = s->posted.load(std::memory_order_acquire)) == seen) {
        APICAL_PAUSE();
        if ((++spins & 255u) == 0 && std::chrono::steady_clock::now() - start > kSpinBeforeSleep) break;
      }
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(s->mutex);
        s->sleeping.store(true, std::memory_order_seq_cst);
        while ((gen = s->posted.load(std::memory_order_seq_cst)) == seen) s->wake.wait(lock);
        s->sleeping.store(false, std::memory_order_relaxed);
      }
    }
    seen = gen;
    if (s->stop.load(std::memory_order_acquire)) return;
    s->fn(s->arg);
    s->finished.store(gen, std::memory_order_release);
  }
}

void post(Shared* s) {
  s->posted.fetch_add(1, std::memory_order_seq_cst);
  // Dekker-style pairing with the helper's seq_cst store of `sleeping` then load of `posted`:
  // either it sees the new generation, or we see it sleeping and wake it.
  if (s->sleeping.load(std::memory_order_seq_cst)) {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->wake.notify_one();
  }
}

}  // namespace

void runOnTwoThreads(void (*fn)(void*), void* mine, void* theirs) {
  Shared* s = &shared();
  bool expected = false;
  if (!s->inUse.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    fn(mine);
    fn(theirs);
    return;
  }
  if (!s->running) {
    s->stop.store(false, std::memory_order_relaxed);
    s->thread = std::thread(helperLoop, s, s->posted.load(std::memory_order_relaxed));
    s->running = true;
  }
  s->fn = fn;
  s->arg = theirs;
  post(s);
  const uint32_t gen = s->posted.load(std::memory_order_relaxed);
  fn(mine);
  unsigned spins = 0;
  while (s->finished.load(std::memory_order_acquire) != gen) {
    APICAL_PAUSE();
    if (++spins > 20000) std::this_thread::yield();  // helper was descheduled: do not hog the core
  }
  s->inUse.store(false, std::memory_order_release);
}

void shutdownHelperThread() {
  Shared* s = &shared();
  bool expected = false;
  // Wait until no caller is mid-job, then own the helper.
  while (!s->inUse.compare_exchange_weak(expected, true, std::memory_order_acquire)) {
    expected = false;
    std::this_thread::yield();
  }
  if (s->running) {
    s->stop.store(true, std::memory_order_release);
    post(s);
    s->thread.join();
    s->running = false;
    s->finished.store(s->posted.load(std::memory_order_relaxed), std::memory_order_relaxed);
  }
  s->inUse.store(false, std::memory_order_release);
}

}  // namespace apical
