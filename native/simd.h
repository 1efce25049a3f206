// simd.h — the few SIMD operations apical's kernels are written in, for the instruction set this
// copy of the kernels is compiled for (see kernels.h: each kernel source is compiled once per set).
//
// Hand-written (rather than Google Highway, which Debian packages but a user's `npm install` cannot
// assume, or vendoring it) because the kernels need only ~30 operations: one definition of each per
// set lets every kernel (GEMM micro-kernel, activations, optimiser steps, the noise generator) be
// written once, and every set runs the same formulas in the same order — the paths differ only in
// vector width, which decides how the products' sums are blocked, and in whether a·b + c is fused:
//   * AVX-512 (16 lanes) and AVX2+FMA (8 lanes): Intel intrinsics, fused multiply-add;
//   * NEON on arm64 (4 lanes): arm_neon.h, fused multiply-add;
//   * generic (4 lanes): GCC/Clang vector extensions, which the compiler lowers to whatever the
//     baseline target has (SSE2 on x86-64, SIMD128 for WebAssembly); a·b + c rounded twice.
#pragma once
#include <cstdint>
#include <cstring>

#include "kernels.h"

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
// g++ 12 flags its own intrinsics (_mm512_undefined_ps inside unpack/shuffle) as maybe-uninitialized.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

namespace apical {
namespace APICAL_ISA {
namespace simd {

#if defined(__AVX512F__)
// ---- AVX-512 ---------------------------------------------------------------------------------------
constexpr int kLanes = 16;
constexpr bool kMaskedMemory = true;  // loadFirst/storeFirst are single instructions
using F = __m512;
using U = __m512i;

inline __mmask16 firstLanes(int n) { return n >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1u); }
inline F load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, F v) { _mm512_storeu_ps(p, v); }
/** The first n lanes from p, zeros beyond (reads only those n floats). */
inline F loadFirst(const float* p, int n) { return _mm512_maskz_loadu_ps(firstLanes(n), p); }
/** Stores the first n lanes (writes only those n floats). */
inline void storeFirst(float* p, F v, int n) { _mm512_mask_storeu_ps(p, firstLanes(n), v); }
inline F set1(float x) { return _mm512_set1_ps(x); }
inline F zero() { return _mm512_setzero_ps(); }
inline F add(F a, F b) { return _mm512_add_ps(a, b); }
inline F sub(F a, F b) { return _mm512_sub_ps(a, b); }
inline F mul(F a, F b) { return _mm512_mul_ps(a, b); }
inline F div(F a, F b) { return _mm512_div_ps(a, b); }
/** a·b + c. */
inline F fmadd(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
/** c − a·b. */
inline F fnmadd(F a, F b, F c) { return _mm512_fnmadd_ps(a, b, c); }
/** a·b − c. */
inline F fmsub(F a, F b, F c) { return _mm512_fmsub_ps(a, b, c); }
inline F min(F a, F b) { return _mm512_min_ps(a, b); }
inline F max(F a, F b) { return _mm512_max_ps(a, b); }
inline F sqrt(F a) { return _mm512_sqrt_ps(a); }
/** Round to nearest, ties to even. */
inline F roundNearest(F a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/** p·2ⁿ for integral n in [−126, 127]. */
inline F scale2(F p, F n) { return _mm512_scalef_ps(p, n); }
inline F abs(F a) { return _mm512_andnot_ps(_mm512_set1_ps(-0.0f), a); }
/** |t| carrying x's sign bit, for t ≥ 0. */
inline F withSignOf(F t, F x) { return _mm512_or_ps(t, _mm512_and_ps(x, _mm512_set1_ps(-0.0f))); }
/** a < b ? x : y (false for NaN). */
inline F selectLess(F a, F b, F x, F y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x); }
/** a > b ? x : y (false for NaN). */
inline F selectGreater(F a, F b, F x, F y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ), y, x); }
/** a is NaN ? x : y. */
inline F selectNaN(F a, F x, F y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), y, x); }

inline U loadU(const uint32_t* p) { return _mm512_loadu_si512(p); }
inline void storeU(uint32_t* p, U v) { _mm512_storeu_si512(p, v); }
inline U set1U(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
inline U addU(U a, U b) { return _mm512_add_epi32(a, b); }
inline U xorU(U a, U b) { return _mm512_xor_si512(a, b); }
inline U orU(U a, U b) { return _mm512_or_si512(a, b); }
template <int S> inline U shlU(U a) { return _mm512_slli_epi32(a, S); }
template <int S> inline U shrU(U a) { return _mm512_srli_epi32(a, S); }
template <int S> inline U rotlU(U a) { return _mm512_rol_epi32(a, S); }

/**
 * Transposes the 16×16 block held in r[0..16) (r[i] = row i) in place, so that r[j] becomes
 * column j: 32-bit then 64-bit interleaves within 128-bit lanes, then two rounds of lane shuffles.
 */
inline void transpose(F r[16]) {
  F t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  F u[16];  // u[4g+q]: rows 4g..4g+3 at column 4L+q in lane L
  for (int g = 0; g < 4; ++g) {
    const __m512d a0 = _mm512_castps_pd(t[4 * g]), a1 = _mm512_castps_pd(t[4 * g + 1]);
    const __m512d b0 = _mm512_castps_pd(t[4 * g + 2]), b1 = _mm512_castps_pd(t[4 * g + 3]);
    u[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, b0));
    u[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, b0));
    u[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, b1));
    u[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, b1));
  }
  for (int q = 0; q < 4; ++q) {
    const F v0 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0x44);
    const F v1 = _mm512_shuffle_f32x4(u[q], u[4 + q], 0xEE);
    const F v2 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0x44);
    const F v3 = _mm512_shuffle_f32x4(u[8 + q], u[12 + q], 0xEE);
    r[q] = _mm512_shuffle_f32x4(v0, v2, 0x88);
    r[4 + q] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
    r[8 + q] = _mm512_shuffle_f32x4(v1, v3, 0x88);
    r[12 + q] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
  }
}

// Half-width vectors (ymm, 8 lanes) for a product's last few columns: on cores that run a 512-bit
// operation as two 256-bit halves (AMD Zen 4) a ymm fused multiply-add costs half a zmm one, and
// each lane computes exactly what the zmm lane would.
#define APICAL_HALF_VECTORS 1
constexpr int kHalfLanes = 8;
using H = __m256;
inline __mmask8 firstHalfLanes(int n) { return n >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << n) - 1u); }
/** The first n (≤ 8) floats from p, zeros beyond (reads only those n floats). */
inline H loadFirstHalf(const float* p, int n) { return _mm256_maskz_loadu_ps(firstHalfLanes(n), p); }
inline H set1Half(float x) { return _mm256_set1_ps(x); }
inline H zeroHalf() { return _mm256_setzero_ps(); }
inline H fmaddHalf(H a, H b, H c) { return _mm256_fmadd_ps(a, b, c); }
/** The half vector in the low lanes of a full one, zeros above. */
inline F widen(H h) { return _mm512_insertf32x8(_mm512_setzero_ps(), h, 0); }

#elif defined(__AVX2__) && defined(__FMA__)
// ---- AVX2 + FMA ------------------------------------------------------------------------------------
constexpr int kLanes = 8;
constexpr bool kMaskedMemory = true;
using F = __m256;
using U = __m256i;

/** All-ones in the first n of 8 lanes (n in [0, 8]). */
inline __m256i firstLanes(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline F load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, F v) { _mm256_storeu_ps(p, v); }
inline F loadFirst(const float* p, int n) { return _mm256_maskload_ps(p, firstLanes(n)); }
/**
 * Plain stores of a half, a quarter and a lane rather than one vmaskmovps: that masked store is
 * microcoded on AMD Zen (a tile's edge and every elementwise tail pay it).
 */
inline void storeFirst(float* p, F v, int n) {
  if (n >= kLanes) return _mm256_storeu_ps(p, v);
  __m128 part = _mm256_castps256_ps128(v);
  if (n >= 4) {
    _mm_storeu_ps(p, part);
    part = _mm256_extractf128_ps(v, 1);
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(p), part);
    part = _mm_movehl_ps(part, part);
    p += 2;
    n -= 2;
  }
  if (n > 0) _mm_store_ss(p, part);  // n ≤ 0 stores nothing, as the masked store did
}
inline F set1(float x) { return _mm256_set1_ps(x); }
inline F zero() { return _mm256_setzero_ps(); }
inline F add(F a, F b) { return _mm256_add_ps(a, b); }
inline F sub(F a, F b) { return _mm256_sub_ps(a, b); }
inline F mul(F a, F b) { return _mm256_mul_ps(a, b); }
inline F div(F a, F b) { return _mm256_div_ps(a, b); }
inline F fmadd(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
inline F fnmadd(F a, F b, F c) { return _mm256_fnmadd_ps(a, b, c); }
inline F fmsub(F a, F b, F c) { return _mm256_fmsub_ps(a, b, c); }
inline F min(F a, F b) { return _mm256_min_ps(a, b); }
inline F max(F a, F b) { return _mm256_max_ps(a, b); }
inline F sqrt(F a) { return _mm256_sqrt_ps(a); }
inline F roundNearest(F a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline F scale2(F p, F n) {
  const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}
inline F abs(F a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
inline F withSignOf(F t, F x) { return _mm256_or_ps(t, _mm256_and_ps(x, _mm256_set1_ps(-0.0f))); }
inline F selectLess(F a, F b, F x, F y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LT_OQ)); }
inline F selectGreater(F a, F b, F x, F y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
inline F selectNaN(F a, F x, F y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }

inline U loadU(const uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline void storeU(uint32_t* p, U v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
inline U set1U(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
inline U addU(U a, U b) { return _mm256_add_epi32(a, b); }
inline U xorU(U a, U b) { return _mm256_xor_si256(a, b); }
inline U orU(U a, U b) { return _mm256_or_si256(a, b); }
template <int S> inline U shlU(U a) { return _mm256_slli_epi32(a, S); }
template <int S> inline U shrU(U a) { return _mm256_srli_epi32(a, S); }
template <int S> inline U rotlU(U a) { return _mm256_or_si256(_mm256_slli_epi32(a, S), _mm256_srli_epi32(a, 32 - S)); }

/** Transposes the 8×8 block r[0..8) in place (unpacks, then 128-bit lane permutes). */
inline void transpose(F r[8]) {
  F t[8], u[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  for (int g = 0; g < 2; ++g) {
    u[4 * g + 0] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
    u[4 * g + 1] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
    u[4 * g + 2] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
    u[4 * g + 3] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
  }
  for (int q = 0; q < 4; ++q) {
    r[q] = _mm256_permute2f128_ps(u[q], u[4 + q], 0x20);
    r[4 + q] = _mm256_permute2f128_ps(u[q], u[4 + q], 0x31);
  }
}

// Half-width vectors (xmm, 4 lanes) for a product's last few columns (as AVX-512's ymm above).
// The other sets have none (APICAL_HALF_VECTORS undefined): a narrow last panel runs in full vectors.
#define APICAL_HALF_VECTORS 1
constexpr int kHalfLanes = 4;
using H = __m128;
inline H loadFirstHalf(const float* p, int n) {
  return _mm_maskload_ps(p, _mm_cmpgt_epi32(_mm_set1_epi32(n), _mm_setr_epi32(0, 1, 2, 3)));
}
inline H set1Half(float x) { return _mm_set1_ps(x); }
inline H zeroHalf() { return _mm_setzero_ps(); }
inline H fmaddHalf(H a, H b, H c) { return _mm_fmadd_ps(a, b, c); }
inline F widen(H h) { return _mm256_insertf128_ps(_mm256_setzero_ps(), h, 0); }

#elif defined(__ARM_NEON) && defined(__aarch64__)
// ---- NEON (arm64) ----------------------------------------------------------------------------------
constexpr int kLanes = 4;
constexpr bool kMaskedMemory = false;  // loadFirst/storeFirst go through a stack copy
using F = float32x4_t;
using U = uint32x4_t;

inline F load(const float* p) { return vld1q_f32(p); }
inline void store(float* p, F v) { vst1q_f32(p, v); }
inline F loadFirst(const float* p, int n) {
  float t[4] = {0, 0, 0, 0};
  std::memcpy(t, p, sizeof(float) * (n < 4 ? n : 4));
  return vld1q_f32(t);
}
inline void storeFirst(float* p, F v, int n) {
  float t[4];
  vst1q_f32(t, v);
  std::memcpy(p, t, sizeof(float) * (n < 4 ? n : 4));
}
inline F set1(float x) { return vdupq_n_f32(x); }
inline F zero() { return vdupq_n_f32(0.0f); }
inline F add(F a, F b) { return vaddq_f32(a, b); }
inline F sub(F a, F b) { return vsubq_f32(a, b); }
inline F mul(F a, F b) { return vmulq_f32(a, b); }
inline F div(F a, F b) { return vdivq_f32(a, b); }
inline F fmadd(F a, F b, F c) { return vfmaq_f32(c, a, b); }
inline F fnmadd(F a, F b, F c) { return vfmsq_f32(c, a, b); }
inline F fmsub(F a, F b, F c) { return vnegq_f32(vfmsq_f32(c, a, b)); }
inline F min(F a, F b) { return vbslq_f32(vcltq_f32(a, b), a, b); }  // a < b ? a : b (b for NaN, as x86)
inline F max(F a, F b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
inline F sqrt(F a) { return vsqrtq_f32(a); }
inline F roundNearest(F a) { return vrndnq_f32(a); }
inline F scale2(F p, F n) {
  const int32x4_t bits = vshlq_n_s32(vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127)), 23);
  return vmulq_f32(p, vreinterpretq_f32_s32(bits));
}
inline F abs(F a) { return vabsq_f32(a); }
inline F withSignOf(F t, F x) {
  return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(t), vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u))));
}
inline F selectLess(F a, F b, F x, F y) { return vbslq_f32(vcltq_f32(a, b), x, y); }
inline F selectGreater(F a, F b, F x, F y) { return vbslq_f32(vcgtq_f32(a, b), x, y); }
inline F selectNaN(F a, F x, F y) { return vbslq_f32(vceqq_f32(a, a), y, x); }

inline U loadU(const uint32_t* p) { return vld1q_u32(p); }
inline void storeU(uint32_t* p, U v) { vst1q_u32(p, v); }
inline U set1U(uint32_t x) { return vdupq_n_u32(x); }
inline U addU(U a, U b) { return vaddq_u32(a, b); }
inline U xorU(U a, U b) { return veorq_u32(a, b); }
inline U orU(U a, U b) { return vorrq_u32(a, b); }
template <int S> inline U shlU(U a) { return vshlq_n_u32(a, S); }
template <int S> inline U shrU(U a) { return vshrq_n_u32(a, S); }
template <int S> inline U rotlU(U a) { return vsriq_n_u32(vshlq_n_u32(a, S), a, 32 - S); }

inline void transpose(F r[4]) {
  const float32x4x2_t a = vtrnq_f32(r[0], r[1]);
  const float32x4x2_t b = vtrnq_f32(r[2], r[3]);
  r[0] = vcombine_f32(vget_low_f32(a.val[0]), vget_low_f32(b.val[0]));
  r[1] = vcombine_f32(vget_low_f32(a.val[1]), vget_low_f32(b.val[1]));
  r[2] = vcombine_f32(vget_high_f32(a.val[0]), vget_high_f32(b.val[0]));
  r[3] = vcombine_f32(vget_high_f32(a.val[1]), vget_high_f32(b.val[1]));
}

#else
// ---- generic: GCC/Clang vector extensions (SSE2 on x86-64, SIMD128 on WebAssembly) -------------------
constexpr int kLanes = 4;
constexpr bool kMaskedMemory = false;
typedef float F __attribute__((vector_size(16)));
typedef uint32_t U __attribute__((vector_size(16)));
typedef int32_t I __attribute__((vector_size(16)));

inline F load(const float* p) {
  F v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, F v) { std::memcpy(p, &v, sizeof v); }
inline F loadFirst(const float* p, int n) {
  F v = {0, 0, 0, 0};
  std::memcpy(&v, p, sizeof(float) * (n < 4 ? n : 4));
  return v;
}
inline void storeFirst(float* p, F v, int n) { std::memcpy(p, &v, sizeof(float) * (n < 4 ? n : 4)); }
inline F set1(float x) { return F{x, x, x, x}; }
inline F zero() { return F{0, 0, 0, 0}; }
inline F add(F a, F b) { return a + b; }
inline F sub(F a, F b) { return a - b; }
inline F mul(F a, F b) { return a * b; }
inline F div(F a, F b) { return a / b; }
// Not fused: (a·b) rounded, then + c rounded (the baseline targets have no FMA instruction).
inline F fmadd(F a, F b, F c) { return a * b + c; }
inline F fnmadd(F a, F b, F c) { return c - a * b; }
inline F fmsub(F a, F b, F c) { return a * b - c; }
inline F bitSelect(I mask, F x, F y) {  // mask lanes all-ones ? x : y
  return reinterpret_cast<F>((reinterpret_cast<I>(x) & mask) | (reinterpret_cast<I>(y) & ~mask));
}
inline F min(F a, F b) { return bitSelect(a < b, a, b); }  // a < b ? a : b (b for NaN, as x86)
inline F max(F a, F b) { return bitSelect(a > b, a, b); }
inline F sqrt(F a) { return F{__builtin_sqrtf(a[0]), __builtin_sqrtf(a[1]), __builtin_sqrtf(a[2]), __builtin_sqrtf(a[3])}; }
/** Ties to even for |a| < 2²², by adding and removing 1.5·2²³ (the arguments here stay below 2⁸). */
inline F roundNearest(F a) {
  const F magic = set1(12582912.0f);
  return (a + magic) - magic;
}
inline F scale2(F p, F n) {
  const I bits = (__builtin_convertvector(n, I) + 127) << 23;
  return p * reinterpret_cast<F>(bits);
}
inline F abs(F a) { return reinterpret_cast<F>(reinterpret_cast<I>(a) & 0x7FFFFFFF); }
inline F withSignOf(F t, F x) {
  return reinterpret_cast<F>(reinterpret_cast<I>(t) | (reinterpret_cast<I>(x) & static_cast<int32_t>(0x80000000u)));
}
inline F selectLess(F a, F b, F x, F y) { return bitSelect(a < b, x, y); }
inline F selectGreater(F a, F b, F x, F y) { return bitSelect(a > b, x, y); }
inline F selectNaN(F a, F x, F y) { return bitSelect(a != a, x, y); }

inline U loadU(const uint32_t* p) {
  U v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void storeU(uint32_t* p, U v) { std::memcpy(p, &v, sizeof v); }
inline U set1U(uint32_t x) { return U{x, x, x, x}; }
inline U addU(U a, U b) { return a + b; }
inline U xorU(U a, U b) { return a ^ b; }
inline U orU(U a, U b) { return a | b; }
template <int S> inline U shlU(U a) { return a << S; }
template <int S> inline U shrU(U a) { return a >> S; }
template <int S> inline U rotlU(U a) { return (a << S) | (a >> (32 - S)); }

inline void transpose(F r[4]) {
  float t[4][4];
  for (int i = 0; i < 4; ++i) store(t[i], r[i]);
  for (int j = 0; j < 4; ++j) r[j] = F{t[0][j], t[1][j], t[2][j], t[3][j]};
}
#endif

/** Transposes a kLanes×kLanes block of 32-bit integers (through the float form; bits unchanged). */
inline void transposeU(U r[kLanes]) {
  F f[kLanes];
  for (int i = 0; i < kLanes; ++i) std::memcpy(&f[i], &r[i], sizeof(F));
  transpose(f);
  for (int i = 0; i < kLanes; ++i) std::memcpy(&r[i], &f[i], sizeof(F));
}

}  // namespace simd
}  // namespace APICAL_ISA
}  // namespace apical
