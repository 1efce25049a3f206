// threadpool.h — one persistent helper thread for the large matrix products.
// Hand-written because the hand-off must cost well under a microsecond (the products it splits take
// 0.05–1 ms): the helper spins briefly on an atomic after each job, then sleeps on a condition
// variable so an idle process does not burn a core.
#pragma once

namespace apical {

/**
 * Runs fn(ctx, 0) … fn(ctx, chunks − 1), each exactly once, on the calling thread and the helper
 * thread, and returns when all are done. Chunks are claimed from a shared ticket, so if the helper
 * is asleep or descheduled (another process busy on the other core) the caller simply does the
 * remaining chunks itself instead of waiting. Each chunk must write disjoint outputs and compute
 * them the same way whichever thread runs it: results then never depend on timing.
 * If another caller thread owns the helper at the moment, all chunks run here.
 */
void runChunks(void (*fn)(void* ctx, int chunk), void* ctx, int chunks);

/**
 * Asked once per large product: whether to cut it into chunks for runChunks. False when
 * APICAL_NATIVE_THREADS=1 or the process may run on one core only (read once): everything then runs
 * on the calling thread. (The WebAssembly build's, wasm/threads.cc: false until its helper runs and
 * while the helper is left out after preemptions.)
 */
bool helperAllowed();

/** Stops and joins the helper thread (idempotent; it restarts lazily when needed again). */
void shutdownHelperThread();

}  // namespace apical
