// heap.cc — aligned_alloc and free for the WebAssembly build, whose two threads (threads.cc) share
// one memory. Hand-written because wasi-libc's allocator is compiled without atomics (Debian 12),
// so it is neither linked nor safe here. The kernels allocate rarely — per-thread scratch buffers
// that only grow (scratch.h), apical_reserve's block, a helper thread's stack — so a list of freed
// blocks, reused first-fit and whole (never split or merged), under a spin lock is enough.
#include <cstddef>
#include <cstdint>

extern "C" unsigned char __heap_base;  // the first free byte after data and stack (wasm-ld)

namespace {

/** Every payload is 64-byte aligned; the 64 bytes before it hold its block's header. */
constexpr uintptr_t kAlign = 64;
struct Header {
  uintptr_t size;  // payload bytes
  Header* next;    // next freed block
};

Header* freed = nullptr;
uintptr_t top = 0;  // end of the highest block (0: not yet initialised)
int locked = 0;

void lock() {
  while (__atomic_exchange_n(&locked, 1, __ATOMIC_ACQUIRE)) {
  }
}
void unlock() { __atomic_store_n(&locked, 0, __ATOMIC_RELEASE); }

/** A new block of `bytes` (a multiple of kAlign) at the top of memory, growing it; null if full. */
void* carve(uintptr_t bytes) {
  if (top == 0) top = (reinterpret_cast<uintptr_t>(&__heap_base) + kAlign - 1) & ~(kAlign - 1);
  const uintptr_t limit = UINTPTR_MAX - kAlign - top;
  if (bytes > limit) return nullptr;
  const uintptr_t end = top + kAlign + bytes;
  const uintptr_t size = __builtin_wasm_memory_size(0) * 65536;
  if (end > size && __builtin_wasm_memory_grow(0, (end - size + 65535) / 65536) == SIZE_MAX) return nullptr;
  Header* h = reinterpret_cast<Header*>(top);
  h->size = bytes;
  top = end;
  return reinterpret_cast<char*>(h) + kAlign;
}

}  // namespace

extern "C" {

void* aligned_alloc(size_t alignment, size_t bytes) {
  if (alignment > kAlign || bytes > UINTPTR_MAX - kAlign) return nullptr;
  const uintptr_t size = (bytes + kAlign - 1) & ~(kAlign - 1);
  lock();
  Header** link = &freed;
  while (*link && (*link)->size < size) link = &(*link)->next;
  void* block;
  if (*link) {
    Header* h = *link;
    *link = h->next;
    block = reinterpret_cast<char*>(h) + kAlign;
  } else {
    block = carve(size);
  }
  unlock();
  return block;
}

void free(void* block) {
  if (!block) return;
  Header* h = reinterpret_cast<Header*>(static_cast<char*>(block) - kAlign);
  lock();
  h->next = freed;
  freed = h;
  unlock();
}

void abort() { __builtin_trap(); }

}  // extern "C"
