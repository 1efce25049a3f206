// exports.cc — the WebAssembly build's surface (wasm/apical_kernels.wasm, built by
// scripts/build-wasm.js from the same kernel sources as the native addon, with the generic
// vector-extension path of simd.h lowered to WebAssembly SIMD128). src/kernels/wasm.ts copies
// each call's arrays into this module's memory (through apical_reserve), calls the kernel and
// copies the outputs back. Plain C names, one per Kernels method; sizes are checked in wasm.ts.
#include <cstdlib>

#include "../kernels.h"

namespace K = apical::APICAL_ISA;
using apical::Activation;

extern "C" {

/** A 64-byte-aligned block of at least `bytes` bytes, reused from call to call (grows as needed). */
__attribute__((export_name("apical_reserve"))) void* apical_reserve(size_t bytes) {
  static void* block = nullptr;
  static size_t capacity = 0;
  if (bytes > capacity) {
    std::free(block);
    capacity = (bytes + 65535) & ~static_cast<size_t>(65535);
    block = std::aligned_alloc(64, capacity);
  }
  return block;
}

#define APICAL_EXPORT(name) __attribute__((export_name(#name)))

APICAL_EXPORT(gemm) void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* a, const float* b, float beta, float* c) {
  K::gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
}
APICAL_EXPORT(dense) void dense(int m, int n, int k, const float* x, const float* w, const float* bias, int act, float* y) {
  K::dense(m, n, k, x, w, bias, static_cast<Activation>(act), y);
}
APICAL_EXPORT(activate) void activate(int act, int length, const float* a, float* y) {
  K::activate(static_cast<Activation>(act), length, a, y);
}
APICAL_EXPORT(deltaFromGrad) void deltaFromGrad(int act, int length, const float* y, const float* g, float* d) {
  K::deltaFromGrad(static_cast<Activation>(act), length, y, g, d);
}
APICAL_EXPORT(deltaFromTarget) void deltaFromTarget(int act, int length, float alpha, const float* y, const float* t, float* d) {
  K::deltaFromTarget(static_cast<Activation>(act), length, alpha, y, t, d);
}
APICAL_EXPORT(axpby) void axpby(int length, float alpha, const float* x, float beta, const float* y, float* out) {
  K::axpby(length, alpha, x, beta, y, out);
}
APICAL_EXPORT(denseConcat) void denseConcat(int m, int wa, int wb, int n, const float* a, int lda, const float* b, float* z, const float* w, const float* bias, int act, float* y) {
  K::denseConcat(m, wa, wb, n, a, lda, b, z, w, bias, static_cast<Activation>(act), y);
}
APICAL_EXPORT(errorThroughSteps) void errorThroughSteps(int steps, int rows, int n, int transB, const float* b, int act, const float* states, float* deltas) {
  K::errorThroughSteps(steps, rows, n, transB != 0, b, static_cast<Activation>(act), states, deltas);
}
APICAL_EXPORT(copyBlock) void copyBlock(int rows, int width, const float* src, int srcStride, float* dst, int dstStride) {
  K::copyBlock(rows, width, src, srcStride, dst, dstStride);
}
APICAL_EXPORT(addDifference) void addDifference(int length, const float* x, const float* plus, const float* minus, float* out) {
  K::addDifference(length, x, plus, minus, out);
}
APICAL_EXPORT(columnSums) void columnSums(int m, int n, float alpha, const float* d, float beta, float* out) {
  K::columnSums(m, n, alpha, d, beta, out);
}
APICAL_EXPORT(softmaxCrossEntropy) double softmaxCrossEntropy(int m, int n, const float* scores, const int* labels, float* probs, double gradScale, float* grad) {
  return K::softmaxCrossEntropy(m, n, scores, labels, probs, gradScale, grad);
}
APICAL_EXPORT(countErrors) int countErrors(int m, int n, const float* scores, const int* labels) {
  return K::countErrors(m, n, scores, labels);
}
APICAL_EXPORT(sumSquaredDifference) double sumSquaredDifference(int length, const float* x, const float* y) {
  return K::sumSquaredDifference(length, x, y);
}
APICAL_EXPORT(addGaussianNoise) void addGaussianNoise(int length, const float* x, float sigma, unsigned* rng, float* out) {
  K::addGaussianNoise(length, x, sigma, rng, out);
}
APICAL_EXPORT(sgdStep) void sgdStep(int length, float* param, const float* grad, float* velocity, float lr, float momentum, float weightDecay) {
  K::sgdStep(length, param, grad, velocity, lr, momentum, weightDecay);
}
APICAL_EXPORT(rmspropStep) void rmspropStep(int length, float* param, const float* grad, float* avg, float* avgSq, float* inc, float lr, float rho, float momentum, float epsilon) {
  K::rmspropStep(length, param, grad, avg, avgSq, inc, lr, rho, momentum, epsilon);
}
APICAL_EXPORT(adamStep) void adamStep(int length, float* param, const float* grad, float* m, float* v, double lr, double beta1, double beta2, double epsilon, double t) {
  K::adamStep(length, param, grad, m, v, lr, beta1, beta2, epsilon, t);
}

}  // extern "C"
