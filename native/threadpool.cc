// threadpool.cc — the persistent helper thread behind runChunks (see threadpool.h).
// Hand-written hot path: a job hand-off is one atomic store plus compare-and-swap claims of chunk
// tickets; the condition variable is touched only when the helper has gone to sleep after ~200 µs
// without work. While it spins, the helper yields its core every few µs, so a busy second core
// (another process, V8's threads) costs the caller almost nothing: the helper then simply claims
// few chunks. Pinned to one core (taskset), the process never starts the helper. Chunks are
// claimed from a shared ticket (chunk-ticket.h).
#include "threadpool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstdint>
#include <mutex>
#include <thread>

#include "chunk-ticket.h"
#include "preemption.h"
#if defined(__linux__)
#include <sched.h>
#endif
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
  ChunkJob job;
  std::atomic<bool> sleeping{false};   // helper is (about to be) blocked on `wake`
  std::atomic<bool> stop{false};
  std::atomic<bool> inUse{false};      // a caller thread owns the helper for one job
  // Owned by whichever caller holds inUse.
  uint32_t generation = 0;
  PreemptionPolicy preemption;
  std::thread thread;
  bool running = false;
};

Shared& shared() {
  static Shared* s = new Shared();
  return *s;
}

constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

/** A wait longer than this for the helper's last chunk counts as a long one (preemption.h). */
constexpr auto kPreemptedWait = std::chrono::microseconds(300);

void helperLoop(Shared* s, uint32_t seen) {
  for (;;) {
    uint32_t gen = generationOf(s->job.ticket.load(std::memory_order_acquire));
    if (gen == seen) {
      // Spin for a while: back-to-back products arrive microseconds apart during training.
      const auto start = std::chrono::steady_clock::now();
      unsigned spins = 0;
      while ((gen = generationOf(s->job.ticket.load(std::memory_order_acquire))) == seen) {
        APICAL_PAUSE();
        if ((++spins & 255u) == 0) {
          if (std::chrono::steady_clock::now() - start > kSpinBeforeSleep) break;
          // Every few µs let any other runnable thread on this core run (V8's workers, another
          // process, or the caller itself when both share one core): spinning through their time
          // slices made a busy second core cost more than the helper gained (epochs 1.6× slower).
          std::this_thread::yield();
        }
      }
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(s->mutex);
        s->sleeping.store(true, std::memory_order_seq_cst);
        while ((gen = generationOf(s->job.ticket.load(std::memory_order_seq_cst))) == seen) s->wake.wait(lock);
        s->sleeping.store(false, std::memory_order_relaxed);
      }
    }
    seen = gen;
    if (s->stop.load(std::memory_order_acquire)) return;
    s->job.drain(gen);
  }
}

/** Publishes a new generation with `chunks` chunks and wakes the helper if it sleeps. */
uint32_t publish(Shared* s, int chunks) {
  const uint32_t gen = ++s->generation;
  s->job.publish(gen, chunks);
  // Dekker-style pairing with the helper's seq_cst store of `sleeping` then load of `ticket`:
  // either it sees the new generation, or we see it sleeping and wake it.
  if (s->sleeping.load(std::memory_order_seq_cst)) {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->wake.notify_one();
  }
  return gen;
}

}  // namespace

void runChunks(void (*fn)(void*, int), void* ctx, int chunks) {
  Shared* s = &shared();
  bool expected = false;
  if (chunks <= 1 || chunks > 0xFFFF ||
      !s->inUse.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    for (int i = 0; i < chunks; ++i) fn(ctx, i);
    return;
  }
  if (s->preemption.runSolo()) {
    s->inUse.store(false, std::memory_order_release);
    for (int i = 0; i < chunks; ++i) fn(ctx, i);
    return;
  }
  if (!s->running) {
    s->stop.store(false, std::memory_order_relaxed);
    s->thread = std::thread(helperLoop, s, generationOf(s->job.ticket.load(std::memory_order_relaxed)));
    s->running = true;
  }
  s->job.fn = fn;
  s->job.ctx = ctx;
  const uint32_t gen = publish(s, chunks);
  s->job.drain(gen);
  // Every chunk is claimed; wait for the ones the helper is still running.
  bool longWait = false;
  if (s->job.completed.load(std::memory_order_acquire) != static_cast<uint32_t>(chunks)) {
    const auto start = std::chrono::steady_clock::now();
    unsigned spins = 0;
    while (s->job.completed.load(std::memory_order_acquire) != static_cast<uint32_t>(chunks)) {
      APICAL_PAUSE();
      if (++spins > 4000) std::this_thread::yield();  // helper descheduled mid-chunk: give it the core
    }
    longWait = std::chrono::steady_clock::now() - start > kPreemptedWait;
  }
  s->preemption.finished(longWait);
  s->inUse.store(false, std::memory_order_release);
}

bool helperAllowed() {
  static const bool allowed = [] {
    const char* v = std::getenv("APICAL_NATIVE_THREADS");
    if (v && v[0] == '1' && v[1] == 0) return false;
#if defined(__linux__)
    // Pinned to a single core (taskset -c N): a second thread could only time-share it.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) < 2) return false;
#endif
    return true;
  }();
  return allowed;
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
    publish(s, 0);
    s->thread.join();
    s->running = false;
  }
  s->inUse.store(false, std::memory_order_release);
}

}  // namespace apical
