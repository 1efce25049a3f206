// threads.cc — runChunks (threadpool.h) for the WebAssembly build: the calling thread and one
// helper claim a large product's chunks from a shared ticket (chunk-ticket.h), as in threadpool.cc.
// The helper is a second instance of this module on the same shared memory, in a Node worker
// thread (src/kernels/wasm-helper.ts), running apical_helper() for good. Only the job and these
// words live in memory both instances see; each has its own stack and thread-local scratch buffers.
//
// Hand-written because wasm has no threads of its own: the helper sleeps in memory.atomic.wait32
// and is woken by memory.atomic.notify; after each job it polls briefly before it sleeps. The
// caller, once every chunk is claimed, polls briefly for the helper's last one, then sleeps until
// the helper wakes it (wasm has no yield: a caller spinning on the core the helper waits for would
// keep it from finishing). A helper found preempted mid-chunk again and again is left out for a
// while (preemption.h). Every chunk is computed the same way whichever instance
// runs it (same code, same inputs), so results never depend on the thread count or on timing.
#include <cstdint>
#include <cstdlib>

#include "../chunk-ticket.h"
#include "../preemption.h"
#include "../threadpool.h"

namespace apical {
namespace {

/** The state both instances share (a global: it lives in the shared linear memory). */
struct Shared {
  ChunkJob job;
  int32_t generation;  // the generation published last: the word the helper sleeps on
  int32_t sleeping;    // the helper is (about to be) waiting on `generation`
  int32_t started;     // the helper is running
};
Shared shared;
PreemptionPolicy preemption;  // the caller's alone

constexpr int kHelperPolls = 1 << 15;       // polls (≈ 30–50 µs) before the helper sleeps
constexpr int kCallerPolls = 1 << 12;       // polls (≈ 5 µs) before the caller sleeps
constexpr int64_t kCallerSliceNs = 100000;  // the longest sleep of the caller
constexpr int kLongWaitSlices = 3;          // ≥ 300 µs asleep: a long wait, as in threadpool.cc

/** The word of job.completed, for memory.atomic.wait32. */
int32_t* completedWord() {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(int32_t), "std::atomic<uint32_t> is one plain word");
  return reinterpret_cast<int32_t*>(&shared.job.completed);
}

bool helperRunning() { return __atomic_load_n(&shared.started, __ATOMIC_ACQUIRE) != 0; }

}  // namespace

void runChunks(void (*fn)(void*, int), void* ctx, int chunks) {
  if (chunks <= 1 || chunks > 0xFFFF || !helperRunning()) {
    for (int c = 0; c < chunks; ++c) fn(ctx, c);
    return;
  }
  shared.job.fn = fn;
  shared.job.ctx = ctx;
  const uint32_t gen = static_cast<uint32_t>(shared.generation) + 1;
  shared.job.publish(gen, chunks);
  __atomic_store_n(&shared.generation, static_cast<int32_t>(gen), __ATOMIC_SEQ_CST);
  // Dekker-style pairing with the helper's store of `sleeping` then load of `generation`: either it
  // sees the new generation, or we see it sleeping and wake it.
  if (__atomic_load_n(&shared.sleeping, __ATOMIC_SEQ_CST)) __builtin_wasm_memory_atomic_notify(&shared.generation, 1);
  shared.job.drain(gen);
  // Every chunk is claimed; wait for the ones the helper is still running: poll briefly, then sleep
  // in short slices, which also hands the core to the helper when both threads share one.
  int slices = 0;
  for (int polls = 0;; ++polls) {
    const uint32_t done = shared.job.completed.load(std::memory_order_acquire);
    if (done == static_cast<uint32_t>(chunks)) break;
    if (polls < kCallerPolls) continue;
    // The helper wakes us once its last chunk is done; 2 means the slice timed out instead.
    if (__builtin_wasm_memory_atomic_wait32(completedWord(), static_cast<int32_t>(done), kCallerSliceNs) == 2) ++slices;
  }
  preemption.finished(slices >= kLongWaitSlices);
}

// During a stretch without the helper (preemption.h) a product is not cut into chunks at all: the
// chunks of a column-split product each repack A, which costs 10–15% when one thread runs them all.
bool helperAllowed() { return helperRunning() && !preemption.runSolo(); }

}  // namespace apical

extern "C" {

/** The helper instance's whole life: claim the chunks of every job published, sleep in between. */
__attribute__((export_name("apical_helper"))) void apical_helper() {
  using apical::shared;
  int32_t seen = __atomic_load_n(&shared.generation, __ATOMIC_ACQUIRE);
  __atomic_store_n(&shared.started, 1, __ATOMIC_SEQ_CST);
  for (;;) {
    int32_t gen = seen;
    for (int polls = 0; gen == seen && polls < apical::kHelperPolls; ++polls)
      gen = __atomic_load_n(&shared.generation, __ATOMIC_ACQUIRE);
    if (gen == seen) {
      __atomic_store_n(&shared.sleeping, 1, __ATOMIC_SEQ_CST);
      while ((gen = __atomic_load_n(&shared.generation, __ATOMIC_SEQ_CST)) == seen)
        __builtin_wasm_memory_atomic_wait32(&shared.generation, seen, -1);
      __atomic_store_n(&shared.sleeping, 0, __ATOMIC_RELAXED);
    }
    seen = gen;
    shared.job.drain(static_cast<uint32_t>(gen));
    __builtin_wasm_memory_atomic_notify(apical::completedWord(), 1);  // the caller may sleep on it
  }
}

/** How many threads run the kernels: 2 once the helper is up, else 1. */
__attribute__((export_name("apical_threads"))) int apical_threads() { return apical::helperRunning() ? 2 : 1; }

/** 64-byte-aligned memory for a helper instance's stack and thread-local block. */
__attribute__((export_name("apical_alloc"))) void* apical_alloc(size_t bytes) { return aligned_alloc(64, bytes); }

// thread_local objects with destructors (the kernels' scratch buffers) register them here; neither
// instance's thread ever ends, so there is nothing to run.
int __cxa_thread_atexit(void (*)(void*), void*, void*) { return 0; }

}  // extern "C"
