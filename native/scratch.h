// scratch.h — per-thread, 64-byte-aligned work buffers that only grow.
// Used instead of std::vector in the kernel sources: those are compiled once per instruction set,
// and a library template instantiated there (std::vector<T>::resize, …) would be emitted as a weak
// symbol that the linker may share between the copies — the baseline path could then run an
// AVX-512 instance of it. Everything defined here lives in the per-ISA namespace instead.
#pragma once
#include <cstddef>
#include <cstdlib>

#include "kernels.h"

namespace apical {
namespace APICAL_ISA {

/** A 64-byte-aligned buffer of T that only grows (contents are not kept when it grows). */
template <typename T>
struct Scratch {
  T* data = nullptr;
  size_t capacity = 0;
  T* get(size_t count) {
    if (count > capacity) {
      std::free(data);
      const size_t bytes = ((count * sizeof(T) + 63) / 64) * 64;
      data = static_cast<T*>(std::aligned_alloc(64, bytes));
      if (!data) std::abort();  // out of memory for a work buffer: nothing sensible to do
      capacity = count;
    }
    return data;
  }
  ~Scratch() { std::free(data); }
};

}  // namespace APICAL_ISA
}  // namespace apical
