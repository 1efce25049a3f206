// threadpool.h — one persistent helper thread for the large matrix products.
// Hand-written because the hand-off must cost well under a microsecond (the products it splits take
// 0.1–1 ms): the helper spins briefly on an atomic after each job, then sleeps on a condition
// variable so an idle process does not burn a core.
#pragma once

namespace apical {

/**
 * Runs fn(mine) on the calling thread and fn(theirs) on the helper thread, and returns when both
 * are done. Which piece runs where never changes the results (each writes disjoint outputs). If the
 * helper is already in use by another caller thread, runs both pieces here, one after the other.
 */
void runOnTwoThreads(void (*fn)(void*), void* mine, void* theirs);

/** Stops and joins the helper thread (idempotent; it restarts lazily when needed again). */
void shutdownHelperThread();

}  // namespace apical
