// mathfun.h — fast, branch-free float approximations of exp, tanh and the logistic sigmoid.
// Hand-written because std::tanh/std::exp are scalar library calls: the activations run on
// hundreds of millions of values per training epoch, and these forms let g++ vectorize the loops
// that call them (AVX-512: 16 lanes) and the GEMM epilogue. Absolute error vs the double-precision
// JavaScript functions is below 1e-6 (tested in test/kernels.test.ts).
#pragma once
#include <cstdint>
#include <cstring>
#if defined(__AVX512F__)
// g++ 12 flags its own intrinsics (_mm512_undefined_ps inside unpack/shuffle) as maybe-uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

namespace apical {

/** Reinterprets the bits of a 32-bit integer as a float (vectorizable). */
static inline float bitsToFloat(int32_t i) {
  float f;
  std::memcpy(&f, &i, sizeof f);
  return f;
}

/**
 * e^x for x clamped to [−87, 88]: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln2), then
 * e^r by its degree-7 Taylor polynomial (truncation < 4e-9 relative) and 2^n from exponent bits.
 * NaN inputs give an unspecified finite value; callers that care filter NaN themselves.
 */
static inline float fastExp(float x) {
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  const float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693145751953125f;  // ln2, high part (exact product for |n| < 2^9)
  r = r - n * 1.42860682030941723212e-6f;  // ln2, low part
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return p * bitsToFloat((static_cast<int32_t>(n) + 127) << 23);
}

/**
 * tanh(x) = sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|) (|x| capped at 9, where tanh rounds to ±1);
 * for |x| < 1/8 its odd Taylor series to x⁷ instead, which keeps small values relatively accurate.
 * NaN propagates.
 */
static inline float fastTanh(float x) {
  const float ax = __builtin_fabsf(x);
  const float capped = ax < 9.0f ? ax : 9.0f;
  const float e = fastExp(-2.0f * capped);
  const float t = __builtin_copysignf((1.0f - e) / (1.0f + e), x);
  const float x2 = x * x;
  const float series = x + x * x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f + x2 * (-17.0f / 315.0f)));
  const float y = ax < 0.125f ? series : t;
  return x != x ? x : y;
}

/** 1/(1 + e^(−x)), through fastExp's clamp (so the result is exact to float rounding at ±∞). NaN propagates. */
static inline float fastSigmoid(float x) {
  const float y = 1.0f / (1.0f + fastExp(-x));
  return x != x ? x : y;
}

/** max(x, 0), with NaN → 0 as in the reference (NaN > 0 is false). */
static inline float relu(float x) { return x > 0.0f ? x : 0.0f; }

#if defined(__AVX512F__)
// ---- 16-lane AVX-512 forms -----------------------------------------------------------------------
// The same formulas as the scalar functions above, written with intrinsics so they can run on a
// register (the GEMM epilogue applies the activation before the tile is stored) and with FMAs
// (so they round differently from the scalar forms in the last bit, and are no less accurate).
// Every AVX-512 caller (activate, dense) uses these, so fused and unfused activations agree exactly.

/** e^x for x already in [−87, 88] (same reduction and polynomial as fastExp; 2^n by vscalefps). */
static inline __m512 fastExp16(__m512 x) {
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.42860682030941723212e-6f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(p, n);
}

/** fastTanh on 16 lanes. */
static inline __m512 fastTanh16(__m512 x) {
  const __m512 signBit = _mm512_set1_ps(-0.0f);
  const __m512 ax = _mm512_andnot_ps(signBit, x);
  const __m512 capped = _mm512_min_ps(ax, _mm512_set1_ps(9.0f));  // NaN → 9 (patched below)
  const __m512 e = fastExp16(_mm512_mul_ps(capped, _mm512_set1_ps(-2.0f)));
  const __m512 one = _mm512_set1_ps(1.0f);
  __m512 t = _mm512_div_ps(_mm512_sub_ps(one, e), _mm512_add_ps(one, e));
  t = _mm512_or_ps(t, _mm512_and_ps(x, signBit));
  const __m512 x2 = _mm512_mul_ps(x, x);
  __m512 q = _mm512_fmadd_ps(x2, _mm512_set1_ps(-17.0f / 315.0f), _mm512_set1_ps(2.0f / 15.0f));
  q = _mm512_fmadd_ps(x2, q, _mm512_set1_ps(-1.0f / 3.0f));
  const __m512 series = _mm512_fmadd_ps(_mm512_mul_ps(x, x2), q, x);
  t = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(ax, _mm512_set1_ps(0.125f), _CMP_LT_OQ), t, series);
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), t, x);
}

/** fastSigmoid on 16 lanes. */
static inline __m512 fastSigmoid16(__m512 x) {
  __m512 c = _mm512_max_ps(_mm512_sub_ps(_mm512_setzero_ps(), x), _mm512_set1_ps(-87.0f));  // NaN → −87
  c = _mm512_min_ps(c, _mm512_set1_ps(88.0f));
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 y = _mm512_div_ps(one, _mm512_add_ps(one, fastExp16(c)));
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), y, x);
}

/** relu on 16 lanes (NaN → 0, −0 → 0). */
static inline __m512 relu16(__m512 x) {
  return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), x);
}

/**
 * Transposes the 16×16 block held in r[0..16) (r[i] = row i) in place, so that r[j] becomes
 * column j: 32-bit then 64-bit interleaves within 128-bit lanes, then two rounds of lane shuffles.
 */
static inline void transpose16x16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {  // t[2i] = rows 2i,2i+1 interleaved (elements 0,1 of each lane), t[2i+1] = (2,3)
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  __m512 u[16];  // u[4g+q]: rows 4g..4g+3 at column 4L+q in lane L
  for (int g = 0; g < 4; ++g) {
    const __m512d a0 = _mm512_castps_pd(t[4 * g]), a1 = _mm512_castps_pd(t[4 * g + 1]);
    const __m512d b0 = _mm512_castps_pd(t[4 * g + 2]), b1 = _mm512_castps_pd(t[4 * g + 3]);
    u[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, b0));
    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, b0));
    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, b1));
    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, b1));
  }
  for (int q = 0; q < 4; ++q) {
    const __m512 v0 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0x44);       // g0L0 g0L1 g1L0 g1L1
    const __m512 v1 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0xEE);       // g0L2 g0L3 g1L2 g1L3
    const __m512 v2 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0x44);  // g2L0 g2L1 g3L0 g3L1
    const __m512 v3 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0xEE);  // g2L2 g2L3 g3L2 g3L3
    r[q] = _mm512_shuffle_f32x4(v0, v2, 0x88);       // column q      (lane 0)
    r[4 + q] = _mm512_shuffle_f32x4(v0, v2, 0xDD);   // column 4 + q  (lane 1)
    r[8 + q] = _mm512_shuffle_f32x4(v1, v3, 0x88);   // column 8 + q  (lane 2)
    r[12 + q] = _mm512_shuffle_f32x4(v1, v3, 0xDD);  // column 12 + q (lane 3)
  }
}

/** The activation `act` (an Activation code: 0 identity, 1 tanh, 2 sigmoid, 3 relu) on 16 lanes. */
static inline __m512 activate16(int act, __m512 x) {
  switch (act) {
    case 1: return fastTanh16(x);
    case 2: return fastSigmoid16(x);
    case 3: return relu16(x);
    default: return x;
  }
}
#endif

}  // namespace apical
