// mathfun.h — fast, branch-free float approximations of exp, tanh and the logistic sigmoid on SIMD
// vectors (simd.h), with FMAs where the instruction set has them.
// Hand-written because std::tanh/std::exp are scalar library calls: the activations run on hundreds
// of millions of values per training epoch, and both the elementwise activate() and the GEMM
// epilogue (which applies the activation on the registers before the tile is stored) use these
// same functions, so fused and unfused activations agree exactly on each path. Absolute error vs
// the double-precision JavaScript functions is below 1e-6 (tested in test/kernels.test.ts).
#pragma once
#include "simd.h"

namespace apical {
namespace APICAL_ISA {

/**
 * e^x for x already in [−87, 88]: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln2), then
 * e^r by its degree-7 Taylor polynomial (truncation < 4e-9 relative) and 2ⁿ from exponent bits.
 */
inline simd::F fastExp(simd::F x) {
  using namespace simd;
  const F n = roundNearest(mul(x, set1(1.44269504088896341f)));
  F r = fnmadd(n, set1(0.693145751953125f), x);  // ln2, high part (exact product for |n| < 2^9)
  r = fnmadd(n, set1(1.42860682030941723212e-6f), r);  // ln2, low part
  F p = set1(1.0f / 5040.0f);
  p = fmadd(p, r, set1(1.0f / 720.0f));
  p = fmadd(p, r, set1(1.0f / 120.0f));
  p = fmadd(p, r, set1(1.0f / 24.0f));
  p = fmadd(p, r, set1(1.0f / 6.0f));
  p = fmadd(p, r, set1(0.5f));
  p = fmadd(p, r, set1(1.0f));
  p = fmadd(p, r, set1(1.0f));
  return scale2(p, n);
}

/**
 * tanh(x) = sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|) (|x| capped at 9, where tanh rounds to ±1);
 * for |x| < 1/8 its odd Taylor series to x⁷ instead, which keeps small values relatively accurate.
 * NaN propagates.
 */
inline simd::F fastTanh(simd::F x) {
  using namespace simd;
  const F ax = abs(x);
  const F capped = min(ax, set1(9.0f));  // NaN → 9 (patched below)
  const F e = fastExp(mul(capped, set1(-2.0f)));
  const F one = set1(1.0f);
  const F t = withSignOf(div(sub(one, e), add(one, e)), x);
  const F x2 = mul(x, x);
  F q = fmadd(x2, set1(-17.0f / 315.0f), set1(2.0f / 15.0f));
  q = fmadd(x2, q, set1(-1.0f / 3.0f));
  const F series = fmadd(mul(x, x2), q, x);
  return selectNaN(x, x, selectLess(ax, set1(0.125f), series, t));
}

/** 1/(1 + e^(−x)), the exponent clamped to [−87, 88] (exact to float rounding at ±∞). NaN propagates. */
inline simd::F fastSigmoid(simd::F x) {
  using namespace simd;
  F c = max(sub(zero(), x), set1(-87.0f));  // NaN → −87 (patched below)
  c = min(c, set1(88.0f));
  const F one = set1(1.0f);
  return selectNaN(x, x, div(one, add(one, fastExp(c))));
}

/** max(x, 0), with NaN → 0 and −0 → 0 as in the reference (NaN > 0 is false). */
inline simd::F relu(simd::F x) { return simd::selectGreater(x, simd::zero(), x, simd::zero()); }

/** The activation `act` on one vector. */
inline simd::F activateVector(Activation act, simd::F x) {
  switch (act) {
    case kTanh: return fastTanh(x);
    case kSigmoid: return fastSigmoid(x);
    case kRelu: return relu(x);
    default: return x;
  }
}

}  // namespace APICAL_ISA
}  // namespace apical
