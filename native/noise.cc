// noise.cc — additive Gaussian noise drawn from apical's xoshiro128** streams.
//
// Hand-written because target propagation corrupts every hidden activation of every batch
// (~72 million normals per epoch) and the stream must match src/kernels/random.ts exactly:
// same 32-bit outputs, uniforms u = ((r >> 8) + 0.5)·2⁻²⁴, Box–Muller pairs
// z0 = √(−2 ln u1)·cos 2πu2, z1 = √(−2 ln u1)·sin 2πu2, an odd count dropping the last z1.
// The generator is inherently sequential, so each chunk runs in three loops:
//   1. draw the raw 24-bit integers of the uniforms (scalar, ~1 ns each);
//   2. radius = √(−2 ln u1) in double, with a branch-free log g++ vectorizes;
//   3. cos/sin of 2πu2 by an exact integer quadrant reduction and short polynomials, vectorized.
// The normals agree with the double-precision reference to ~1e-6.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"

namespace apical {
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
 * ln(u) for u = v·2⁻²⁵, v an odd integer in [1, 2²⁵): u = 2^e·f with f ∈ [√½, √2), then
 * ln f = 2·atanh(s), s = (f−1)/(f+1), |s| ≤ 0.172, by its series to s¹³ (error < 1e-11).
 */
inline double logOfOdd(int32_t v) {
  const double u = static_cast<double>(v) * (1.0 / 33554432.0);
  uint64_t bits;
  std::memcpy(&bits, &u, sizeof bits);
  const int64_t exponent = static_cast<int64_t>(bits >> 52) - 1023;
  const uint64_t mantissaBits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
  double f;
  std::memcpy(&f, &mantissaBits, sizeof f);
  const bool high = f > 1.4142135623730951;
  f = high ? 0.5 * f : f;
  const double e = static_cast<double>(exponent) + (high ? 1.0 : 0.0);
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

}  // namespace

void addGaussianNoise(int64_t length, const float* x, float sigma, uint32_t state[4], float* out) {
  int32_t radial[kChunkPairs], angular[kChunkPairs];
  float radius[kChunkPairs], cosine[kChunkPairs], sine[kChunkPairs];
  uint32_t s[4] = {state[0], state[1], state[2], state[3]};

  for (int64_t start = 0; start < length; start += 2 * kChunkPairs) {
    const int64_t count = std::min<int64_t>(2 * kChunkPairs, length - start);
    const int pairs = static_cast<int>((count + 1) / 2);

    // 1. The stream, in order: u1 then u2 of each pair, kept as odd integers v = 2·(r >> 8) + 1.
    for (int j = 0; j < pairs; ++j) {
      radial[j] = static_cast<int32_t>(((nextUint32(s) >> 8) << 1) | 1u);
      angular[j] = static_cast<int32_t>(((nextUint32(s) >> 8) << 1) | 1u);
    }
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
    const float* xs = x + start;
    float* os = out + start;
    const int full = static_cast<int>(count / 2);
    for (int j = 0; j < full; ++j) {
      const float r = sigma * radius[j];
      const float x0 = xs[2 * j], x1 = xs[2 * j + 1];
      os[2 * j] = x0 + r * cosine[j];
      os[2 * j + 1] = x1 + r * sine[j];
    }
    if (count & 1) os[count - 1] = xs[count - 1] + sigma * radius[full] * cosine[full];
  }
  for (int i = 0; i < 4; ++i) state[i] = s[i];
}

}  // namespace apical
