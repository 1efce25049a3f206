// dispatch.cc — run-time choice of the kernels' instruction set (compiled with baseline flags).
// x86-64: CPUID through GCC's __builtin_cpu_supports, which also checks that the OS saves the
// wider registers (XGETBV); each table is offered only if the CPU has every extension its copy was
// compiled with (binding.gyp). arm64: NEON is part of the base architecture.
#include "dispatch.h"

namespace apical {

#if defined(__x86_64__)
namespace avx512 { extern const KernelTable table; }
namespace avx2 { extern const KernelTable table; }
namespace generic { extern const KernelTable table; }

namespace {
bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("fma");
}
bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
}  // namespace

std::vector<const KernelTable*> supportedTables() {
  std::vector<const KernelTable*> tables;
  if (hasAvx512()) tables.push_back(&avx512::table);
  if (hasAvx2()) tables.push_back(&avx2::table);
  tables.push_back(&generic::table);
  return tables;
}

std::vector<std::string> compiledIsas() { return {"avx512", "avx2", "generic"}; }

std::string cpuDescription() {
  if (hasAvx512()) return "avx512, avx2, generic (AVX-512 F/BW/DQ/VL, AVX2+FMA)";
  if (hasAvx2()) return "avx2, generic (AVX2+FMA, no AVX-512)";
  return "generic only (x86-64 without AVX2+FMA)";
}

#elif defined(__aarch64__)
namespace neon { extern const KernelTable table; }

std::vector<const KernelTable*> supportedTables() { return {&neon::table}; }
std::vector<std::string> compiledIsas() { return {"neon"}; }
std::string cpuDescription() { return "neon (arm64)"; }

#else
namespace generic { extern const KernelTable table; }

std::vector<const KernelTable*> supportedTables() { return {&generic::table}; }
std::vector<std::string> compiledIsas() { return {"generic"}; }
std::string cpuDescription() { return "generic (portable C++)"; }
#endif

}  // namespace apical
