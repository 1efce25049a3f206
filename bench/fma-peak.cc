// fma-peak.cc — the CPU's measured multiply-add peak per instruction set, the yardstick for the
// kernel GFLOP/s in `npm run bench` (compiled and run by bench/run.ts with this machine's g++).
// Twelve independent multiply-add chains per thread (enough to cover the latency of two FMA pipes),
// best of many short trials (the machine is shared: the best trial is the least disturbed one), on
// one thread and on two at once. Prints one JSON object: {"avx512": [1-thread, 2-thread], …} in GFLOP/s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

constexpr long kIterations = 400000;

#if defined(__x86_64__)
#define PEAK_LOOP(VEC, SET1, FMA, LANES, FLOPS)                                        \
  VEC acc[12];                                                                          \
  for (int i = 0; i < 12; ++i) acc[i] = SET1(0.001f * i);                               \
  const VEC b = SET1(0.9999f), c = SET1(0.0001f);                                       \
  const auto start = std::chrono::steady_clock::now();                                  \
  for (long n = 0; n < kIterations; ++n) {                                              \
    _Pragma("GCC unroll 12") for (int i = 0; i < 12; ++i) acc[i] = FMA(acc[i], b, c);   \
  }                                                                                     \
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); \
  float sink = 0;                                                                       \
  for (int i = 0; i < 12; ++i) sink += reinterpret_cast<float*>(&acc[i])[0];            \
  if (sink == 12345.0f) std::puts("");                                                  \
  return kIterations * 12.0 * LANES * FLOPS / s / 1e9;

__attribute__((target("avx512f"))) double avx512() { PEAK_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, 16, 2) }
__attribute__((target("avx2,fma"))) double avx2() { PEAK_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, 8, 2) }
inline __m128 mulAdd(__m128 a, __m128 b, __m128 c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
double generic() { PEAK_LOOP(__m128, _mm_set1_ps, mulAdd, 4, 2) }
#endif

/** Best of `trials` runs of fn on `threads` threads at once (per-thread rates summed). */
double best(double (*fn)(), int threads, int trials) {
  double top = 0;
  for (int t = 0; t < trials; ++t) {
    double rates[2] = {0, 0};
    std::thread helper;
    if (threads == 2) helper = std::thread([&] { rates[1] = fn(); });
    rates[0] = fn();
    if (threads == 2) helper.join();
    top = std::max(top, rates[0] + rates[1]);
  }
  return top;
}

}  // namespace

int main() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  std::printf("{");
  const char* sep = "";
  if (__builtin_cpu_supports("avx512f")) std::printf("%s\"avx512\": [%.1f, %.1f]", sep, best(avx512, 1, 100), best(avx512, 2, 100)), sep = ", ";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    std::printf("%s\"avx2\": [%.1f, %.1f]", sep, best(avx2, 1, 100), best(avx2, 2, 100)), sep = ", ";
  std::printf("%s\"generic\": [%.1f, %.1f]}\n", sep, best(generic, 1, 100), best(generic, 2, 100));
#else
  std::printf("{}\n");
#endif
}
