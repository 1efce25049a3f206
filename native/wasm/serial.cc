// serial.cc — the WebAssembly build's stand-in for threadpool.cc: one thread, every chunk in order
// (results are the same as with two threads: each chunk is computed the same way on any thread).
#include "../threadpool.h"

namespace apical {

void runChunks(void (*fn)(void* ctx, int chunk), void* ctx, int chunks) {
  for (int c = 0; c < chunks; ++c) fn(ctx, c);
}

bool helperAllowed() { return false; }

void shutdownHelperThread() {}

}  // namespace apical

// thread_local objects with destructors (the kernels' scratch buffers) register them here; this
// module's one thread never exits, so there is nothing to run (wasi-libc has no threads to provide it).
extern "C" int __cxa_thread_atexit(void (*)(void*), void*, void*) { return 0; }
