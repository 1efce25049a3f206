// chunk-ticket.h — the job a caller and its helper thread share, and how chunks are claimed from it
// (threadpool.cc; wasm/threads.cc in the WebAssembly build).
//
// The ticket packs (generation:32 | next chunk:16 | chunk count:16) into one 64-bit atomic. A thread
// claims a chunk with a CAS that also checks the generation, so a helper waking late can never claim
// a chunk of a newer job by mistake; it reads the job's fields only after a successful claim, when
// the caller is guaranteed to still be waiting for that chunk.
#pragma once
#include <atomic>
#include <cstdint>

namespace apical {

inline uint32_t generationOf(uint64_t t) { return static_cast<uint32_t>(t >> 32); }
inline uint32_t nextOf(uint64_t t) { return static_cast<uint32_t>(t >> 16) & 0xFFFFu; }
inline uint32_t countOf(uint64_t t) { return static_cast<uint32_t>(t) & 0xFFFFu; }

struct ChunkJob {
  std::atomic<uint64_t> ticket{0};
  std::atomic<uint32_t> completed{0};  // chunks of the current job finished
  // Written by the caller before it publishes the ticket.
  void (*fn)(void*, int) = nullptr;
  void* ctx = nullptr;

  /** The caller: opens generation `gen` with `chunks` chunks (fn and ctx already set). */
  void publish(uint32_t gen, int chunks) {
    completed.store(0, std::memory_order_relaxed);
    ticket.store((static_cast<uint64_t>(gen) << 32) | static_cast<uint32_t>(chunks), std::memory_order_seq_cst);
  }

  /** Claims and runs chunks of generation `gen` until none are left (either thread). */
  void drain(uint32_t gen) {
    uint64_t t = ticket.load(std::memory_order_acquire);
    while (generationOf(t) == gen && nextOf(t) < countOf(t)) {
      if (ticket.compare_exchange_weak(t, t + (1ull << 16), std::memory_order_acq_rel, std::memory_order_acquire)) {
        fn(ctx, static_cast<int>(nextOf(t)));
        completed.fetch_add(1, std::memory_order_acq_rel);
        t = ticket.load(std::memory_order_acquire);
      }
    }
  }
};

}  // namespace apical
