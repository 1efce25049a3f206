// kernels.h — the C++ declarations of every apical kernel (see src/kernels/kernels.ts for the
// specification of each op). The native backend is apical's hot path: every minibatch of every
// training run goes through these functions, so they are hand-written for SIMD and two cores.
// Callers (binding.cc) have already checked every pointer and length.
//
// Every kernel source (gemm.cc, elementwise.cc, noise.cc, table.cc) is compiled once per instruction
// set (binding.gyp: AVX-512, AVX2+FMA and baseline x86-64 on x64, NEON on arm64), each time with
// that set's compiler flags and APICAL_ISA naming the namespace it lands in (apical::avx2, …), so
// the copies never collide; dispatch.cc picks one at load time (see dispatch.h).
#pragma once
#include <cstdint>

#include "isa.h"

#ifndef APICAL_ISA
#error "kernels.h: compile the kernel sources with -DAPICAL_ISA=<namespace> (see binding.gyp)"
#endif

namespace apical {
namespace APICAL_ISA {

// ---- gemm.cc -------------------------------------------------------------------------------------

/** C ← α·op(A)·op(B) + β·C (row-major; op(A) m×k, op(B) k×n). β = 0 ignores C's contents. */
void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, const float* b,
          float beta, float* c);

/** Y ← f(X·W + 1·biasᵀ), X m×k, W k×n, bias n or null, Y m×n; bias and f fused in the epilogue. */
void dense(int m, int n, int k, const float* x, const float* w, const float* bias, Activation act,
           float* y);

/**
 * Z ← [A, B] row by row (A m×wa at row stride lda; B m×wb contiguous, or zeros when null; Z
 * m×(wa+wb)), then Y ← f(Z·W + 1·biasᵀ): copyBlock twice and dense, in one call (a recurrent step).
 */
void denseConcat(int m, int wa, int wb, int n, const float* a, int lda, const float* b, float* z, const float* w,
                 const float* bias, Activation act, float* y);

/**
 * The error carried back through the steps of a recurrent population: for t = steps−1 … 1,
 * Δ_{t−1} ← (Δ_t·op(B)) ∘ f'(h_{t−1}), Δ_t and h_t the rows×n blocks of step t in `deltas` and
 * `states`, op(B) n×n; exactly gemm(false, transB, …) then deltaFromGrad at every step, in one call.
 */
void errorThroughSteps(int steps, int rows, int n, bool transB, const float* b, Activation act, const float* states,
                       float* deltas);

// ---- elementwise.cc ------------------------------------------------------------------------------

/** y ← f(a) elementwise (y may alias a). */
void activate(Activation act, int64_t length, const float* a, float* y);
/** d ← g ∘ f'(y), with f' written through the output y. */
void deltaFromGrad(Activation act, int64_t length, const float* y, const float* g, float* d);
/** d ← α·(y − t) ∘ f'(y). */
void deltaFromTarget(Activation act, int64_t length, float alpha, const float* y, const float* t, float* d);
/** out ← α·x + β·y. */
void axpby(int64_t length, float alpha, const float* x, float beta, const float* y, float* out);
/** dst[r·dstStride + i] ← src[r·srcStride + i] for r < rows, i < width (no overlap). */
void copyBlock(int rows, int width, const float* src, int srcStride, float* dst, int dstStride);
/** out ← x + plus − minus. */
void addDifference(int64_t length, const float* x, const float* plus, const float* minus, float* out);
/** out[j] ← α·Σ_i d[i,j] + β·out[j] (β = 0 ignores out). */
void columnSums(int m, int n, float alpha, const float* d, float beta, float* out);
/** Row-wise softmax + cross-entropy; returns the summed NLL. Labels must be in [0, n). */
double softmaxCrossEntropy(int m, int n, const float* scores, const int32_t* labels, float* probs,
                           double gradScale, float* grad);
/** Rows whose first arg-max differs from the label. */
int countErrors(int m, int n, const float* scores, const int32_t* labels);
/** Σ (x − y)² in double precision. */
double sumSquaredDifference(int64_t length, const float* x, const float* y);
/** v ← μ·v − lr·(g + λ·p); p ← p + v. */
void sgdStep(int64_t length, float* param, const float* grad, float* velocity, float lr, float momentum,
             float weightDecay);
/** Centered RMSprop with momentum (Lee et al.'s DTP code). */
void rmspropStep(int64_t length, float* param, const float* grad, float* avg, float* avgSq, float* inc,
                 float lr, float rho, float momentum, float epsilon);
/** Adam with bias corrections folded into the step size. */
void adamStep(int64_t length, float* param, const float* grad, float* m, float* v, double lr, double beta1,
              double beta2, double epsilon, double t);

// ---- noise.cc ------------------------------------------------------------------------------------

/** out ← x + σ·z, z ~ N(0,1) by Box–Muller from the xoshiro128** stream `state` (advanced in place). */
void addGaussianNoise(int64_t length, const float* x, float sigma, uint32_t state[4], float* out);

/** This instruction set's kernels as a table (table.cc). */
extern const KernelTable table;

}  // namespace APICAL_ISA
}  // namespace apical
