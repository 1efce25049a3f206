// noise.cc — additive Gaussian noise drawn from apical's xoshiro128** streams.
//
// Hand-written because target propagation corrupts every hidden activation of every batch
// (~72 million normals per epoch) and the stream must match src/kernels/random.ts exactly:
// same 32-bit outputs, uniforms u = ((r >> 8) + 0.5)·2⁻²⁴, Box–Muller pairs
// z0 = √(−2 ln u1)·cos 2πu2, z1 = √(−2 ln u1)·sin 2πu2, an odd count dropping the last z1.
// The generator is sequential, but its state transition is linear over GF(2): long calls run it as
// W interleaved copies (the vector width: 16 on AVX-512, 8 on AVX2, 4 otherwise), copy j starting
// from the state j·L steps ahead (a jump by the matrix power M^L, cached per L), and transpose the
// lanes back into stream order — the same integers as the scalar loop, ~8× faster. Then, in chunks:
//   1. draw the raw 24-bit integers of the uniforms (done above for long calls);
//   2. radius = √(−2 ln u1) in double, with a branch-free log g++ vectorizes;
//   3. cos/sin of 2πu2 by an exact integer quadrant reduction and short polynomials, vectorized.
// The normals agree with the double-precision reference to ~1e-6.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "scratch.h"
#include "simd.h"

namespace apical {
namespace APICAL_ISA {
namespace {

constexpr int kChunkPairs = 256;

inline uint32_t rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

/** One xoshiro128** output, advancing s (identical to nextUint32 in random.ts). */
inline uint32_t nextUint32(uint32_t s[4]) {
  const uint32_t result = rotl(s[1] * 5u, 7) * 9u;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/**
 * ln(u) for u = v·2⁻²⁵, v an odd integer in [1, 2²⁵): v = 2^b·f with b read from the exponent of
 * float(v) (⌊log₂ v⌋, or one more where float(v) rounds up to a power of two), f = v·2^−b exact in
 * double and folded into [√½, √2); then ln f = 2·atanh(s), s = (f−1)/(f+1), |s| ≤ 0.172, by its
 * series to s¹³ (error < 1e-11). Only 32-bit integer and float/double conversions, so the loop
 * calling it vectorizes on AVX2 too (there is no AVX2 instruction for 64-bit integer → double).
 */
inline double logOfOdd(int32_t v) {
  const float asFloat = static_cast<float>(v);
  int32_t floatBits;
  std::memcpy(&floatBits, &asFloat, sizeof floatBits);
  const int32_t b = (floatBits >> 23) - 127;  // v > 0: sign bit clear
  const int32_t inverseBits = (127 - b) << 23;  // 2^−b as a float (b ≤ 25)
  float inverse;
  std::memcpy(&inverse, &inverseBits, sizeof inverse);
  double f = static_cast<double>(v) * static_cast<double>(inverse);
  const bool high = f > 1.4142135623730951;
  f = high ? 0.5 * f : f;
  const double e = static_cast<double>(b - 25) + (high ? 1.0 : 0.0);
  const double s = (f - 1.0) / (f + 1.0);
  const double s2 = s * s;
  double series = 1.0 / 13.0;
  series = series * s2 + 1.0 / 11.0;
  series = series * s2 + 1.0 / 9.0;
  series = series * s2 + 1.0 / 7.0;
  series = series * s2 + 1.0 / 5.0;
  series = series * s2 + 1.0 / 3.0;
  series = series * s2 + 1.0;
  return e * 0.69314718055994530942 + 2.0 * s * series;
}

// ---- the jump: xoshiro128** as a 128×128 matrix over GF(2) --------------------------------------

/** A state as a 128-bit vector: lo = s0 | s1 << 32, hi = s2 | s3 << 32. */
struct Bits {
  uint64_t lo, hi;
};

inline Bits toBits(const uint32_t s[4]) {
  return {s[0] | (static_cast<uint64_t>(s[1]) << 32), s[2] | (static_cast<uint64_t>(s[3]) << 32)};
}
inline void fromBits(Bits b, uint32_t s[4]) {
  s[0] = static_cast<uint32_t>(b.lo);
  s[1] = static_cast<uint32_t>(b.lo >> 32);
  s[2] = static_cast<uint32_t>(b.hi);
  s[3] = static_cast<uint32_t>(b.hi >> 32);
}

/** A linear map, by the images of the 128 unit vectors (columns). */
struct Matrix {
  Bits col[128];
};

inline Bits apply(const Matrix& m, Bits v) {
  uint64_t lo = 0, hi = 0;
  for (int b = 0; b < 128; ++b) {
    const uint64_t bit = b < 64 ? (v.lo >> b) & 1u : (v.hi >> (b - 64)) & 1u;
    const uint64_t mask = 0 - bit;
    lo ^= m.col[b].lo & mask;
    hi ^= m.col[b].hi & mask;
  }
  return {lo, hi};
}

/** a·b (apply b first). */
Matrix multiply(const Matrix& a, const Matrix& b) {
  Matrix c;
  for (int i = 0; i < 128; ++i) c.col[i] = apply(a, b.col[i]);
  return c;
}

/** The matrix of `steps` generator steps. */
Matrix stepMatrix(uint64_t steps) {
  Matrix one, power, result;
  for (int b = 0; b < 128; ++b) {
    uint32_t s[4] = {0, 0, 0, 0};
    s[b / 32] = 1u << (b % 32);
    result.col[b] = toBits(s);  // identity
    nextUint32(s);
    one.col[b] = toBits(s);
  }
  power = one;
  for (; steps; steps >>= 1) {
    if (steps & 1) result = multiply(power, result);
    if (steps > 1) power = multiply(power, power);
  }
  return result;
}

/** Calls with fewer pairs per lane than this use the scalar generator (the jump is not free). */
constexpr int64_t kMinPairsPerLane = 32;

/** The jump of 2·pairsPerLane steps, cached for the last few lane lengths (per thread). */
const Matrix& jumpMatrix(int64_t pairsPerLane) {
  struct Entry {
    int64_t pairs = -1;
    Matrix m;
  };
  thread_local Entry cache[4];
  thread_local int nextSlot = 0;
  for (Entry& e : cache)
    if (e.pairs == pairsPerLane) return e.m;
  Entry& e = cache[nextSlot];
  nextSlot = (nextSlot + 1) % 4;
  e.m = stepMatrix(2 * static_cast<uint64_t>(pairsPerLane));
  e.pairs = pairsPerLane;
  return e.m;
}

inline simd::U rawOdd(simd::U r) {  // ((r >> 8) << 1) | 1
  using namespace simd;
  return orU(shlU<1>(shrU<8>(r)), set1U(1));
}

/**
 * Draws the odd integers of `pairs` pairs (u1 into radial, u2 into angular, in stream order) and
 * advances s by 2·pairs steps: lanes of pairs/W pairs each on W = simd::kLanes generator copies,
 * the remainder scalar.
 */
void drawPairs(int64_t pairs, uint32_t s[4], int32_t* radial, int32_t* angular) {
  using namespace simd;
  const int64_t per = pairs / kLanes;
  int64_t done = 0;
  if (per >= kMinPairsPerLane) {
    const Matrix& jump = jumpMatrix(per);
    alignas(64) uint32_t lane[4][kLanes];
    Bits b = toBits(s);
    for (int j = 0; j < kLanes; ++j) {
      uint32_t t[4];
      fromBits(b, t);
      for (int w = 0; w < 4; ++w) lane[w][j] = t[w];
      b = apply(jump, b);
    }
    // b is now the state after all lanes: where the scalar remainder continues.
    U s0 = loadU(lane[0]), s1 = loadU(lane[1]), s2 = loadU(lane[2]), s3 = loadU(lane[3]);
    auto next = [&]() {
      const U r7 = rotlU<7>(addU(s1, shlU<2>(s1)));
      const U result = addU(r7, shlU<3>(r7));
      const U t = shlU<9>(s1);
      s2 = xorU(s2, s0);
      s3 = xorU(s3, s1);
      s1 = xorU(s1, s2);
      s0 = xorU(s0, s3);
      s2 = xorU(s2, t);
      s3 = rotlU<11>(s3);
      return result;
    };
    int64_t t0 = 0;
    for (; t0 + kLanes <= per; t0 += kLanes) {  // kLanes steps of every lane, transposed to lane order
      U r[kLanes], a[kLanes];
      for (int t = 0; t < kLanes; ++t) {
        r[t] = rawOdd(next());
        a[t] = rawOdd(next());
      }
      transposeU(r);
      transposeU(a);
      for (int j = 0; j < kLanes; ++j) {
        storeU(reinterpret_cast<uint32_t*>(radial + j * per + t0), r[j]);
        storeU(reinterpret_cast<uint32_t*>(angular + j * per + t0), a[j]);
      }
    }
    for (; t0 < per; ++t0) {
      alignas(64) uint32_t r[kLanes], a[kLanes];
      storeU(r, rawOdd(next()));
      storeU(a, rawOdd(next()));
      for (int j = 0; j < kLanes; ++j) {
        radial[j * per + t0] = static_cast<int32_t>(r[j]);
        angular[j * per + t0] = static_cast<int32_t>(a[j]);
      }
    }
    fromBits(b, s);
    done = per * kLanes;
  }
  for (int64_t j = done; j < pairs; ++j) {
    radial[j] = static_cast<int32_t>(((nextUint32(s) >> 8) << 1) | 1u);
    angular[j] = static_cast<int32_t>(((nextUint32(s) >> 8) << 1) | 1u);
  }
}

}  // namespace

namespace {

struct NoiseJob {
  int64_t length;
  const float* x;
  float sigma;
  const int32_t* radialAll;
  const int32_t* angularAll;
  float* out;
};

/** Steps 2–4 for chunk `chunk` (elements [2·kChunkPairs·chunk, …)). */
void noiseChunk(void* ctx, int chunk) {
  const NoiseJob& job = *static_cast<const NoiseJob*>(ctx);
  float radius[kChunkPairs], cosine[kChunkPairs], sine[kChunkPairs];
  const int64_t start = 2 * static_cast<int64_t>(kChunkPairs) * chunk;
  const int64_t count = std::min<int64_t>(2 * kChunkPairs, job.length - start);
  const int pairs = static_cast<int>((count + 1) / 2);
  const int32_t* radial = job.radialAll + start / 2;
  const int32_t* angular = job.angularAll + start / 2;
  // 2. Radii.
  for (int j = 0; j < pairs; ++j) radius[j] = static_cast<float>(std::sqrt(-2.0 * logOfOdd(radial[j])));
  // 3. Angles 2π·v/2²⁵ = q·π/2 + θ with q = round(v/2²³) and |θ| ≤ π/4 computed exactly from integers.
  for (int j = 0; j < pairs; ++j) {
    const int32_t v = angular[j];
    const int32_t q = (v + (1 << 22)) >> 23;                               // 0..4
    const float theta = static_cast<float>(v - (q << 23)) * 1.87253514e-7f;  // 2π/2²⁵
    const float t2 = theta * theta;
    float sn = -1.0f / 39916800.0f;  // sin θ to θ¹¹
    sn = sn * t2 + 1.0f / 362880.0f;
    sn = sn * t2 - 1.0f / 5040.0f;
    sn = sn * t2 + 1.0f / 120.0f;
    sn = sn * t2 - 1.0f / 6.0f;
    sn = theta + theta * t2 * sn;
    float cs = 1.0f / 479001600.0f;  // cos θ to θ¹²
    cs = cs * t2 - 1.0f / 3628800.0f;
    cs = cs * t2 + 1.0f / 40320.0f;
    cs = cs * t2 - 1.0f / 720.0f;
    cs = cs * t2 + 1.0f / 24.0f;
    cs = cs * t2 - 0.5f;
    cs = 1.0f + t2 * cs;
    const int quadrant = q & 3;
    // cos(qπ/2 + θ), sin(qπ/2 + θ) by quadrant.
    const float c = (quadrant & 1) ? sn : cs;
    const float d = (quadrant & 1) ? cs : sn;
    cosine[j] = (quadrant == 1 || quadrant == 2) ? -c : c;
    sine[j] = (quadrant >= 2) ? -d : d;
  }
  // 4. out ← x + σ·z, interleaving the pairs (the last z1 dropped for an odd count).
  const float* xs = job.x + start;
  float* os = job.out + start;
  const float sigma = job.sigma;
  const int full = static_cast<int>(count / 2);
  for (int j = 0; j < full; ++j) {
    const float r = sigma * radius[j];
    const float x0 = xs[2 * j], x1 = xs[2 * j + 1];
    os[2 * j] = x0 + r * cosine[j];
    os[2 * j + 1] = x1 + r * sine[j];
  }
  if (count & 1) os[count - 1] = xs[count - 1] + sigma * radius[full] * cosine[full];
}


}  // namespace

void addGaussianNoise(int64_t length, const float* x, float sigma, uint32_t state[4], float* out) {
  if (length <= 0) return;
  uint32_t s[4] = {state[0], state[1], state[2], state[3]};
  // 1. The stream, in order: u1 then u2 of each pair, kept as odd integers v = 2·(r >> 8) + 1.
  const int64_t allPairs = (length + 1) / 2;
  thread_local Scratch<int32_t> drawn;
  int32_t* raw = drawn.get(2 * allPairs);
  drawPairs(allPairs, s, raw, raw + allPairs);
  for (int i = 0; i < 4; ++i) state[i] = s[i];
  // 2–4 in chunks of kChunkPairs pairs. (Sharing them with the helper thread was measured slower
  // in training: ~0.3 µs of work per chunk does not pay for the hand-off.)
  NoiseJob job{length, x, sigma, raw, raw + allPairs, out};
  const int64_t chunks = (length + 2 * kChunkPairs - 1) / (2 * kChunkPairs);
  for (int64_t c = 0; c < chunks; ++c) noiseChunk(&job, static_cast<int>(c));
}

}  // namespace APICAL_ISA
}  // namespace apical
