// isa.h — what every instruction set's copy of the kernels shares: the activation codes and the
// table of function pointers through which binding.cc calls the copy chosen at load time.
#pragma once
#include <cstdint>

namespace apical {

/** Activation codes, identical to the TypeScript `Activation` enum. */
enum Activation : int { kIdentity = 0, kTanh = 1, kSigmoid = 2, kRelu = 3 };

/** One instruction set's kernels (the signatures of kernels.h; see that file for each op). */
struct KernelTable {
  const char* isa;  // "avx512", "avx2", "generic" or "neon"
  void (*gemm)(bool, bool, int, int, int, float, const float*, const float*, float, float*);
  void (*dense)(int, int, int, const float*, const float*, const float*, Activation, float*);
  void (*activate)(Activation, int64_t, const float*, float*);
  void (*deltaFromGrad)(Activation, int64_t, const float*, const float*, float*);
  void (*deltaFromTarget)(Activation, int64_t, float, const float*, const float*, float*);
  void (*axpby)(int64_t, float, const float*, float, const float*, float*);
  void (*copyBlock)(int, int, const float*, int, float*, int);
  void (*addDifference)(int64_t, const float*, const float*, const float*, float*);
  void (*columnSums)(int, int, float, const float*, float, float*);
  double (*softmaxCrossEntropy)(int, int, const float*, const int32_t*, float*, double, float*);
  int (*countErrors)(int, int, const float*, const int32_t*);
  double (*sumSquaredDifference)(int64_t, const float*, const float*);
  void (*sgdStep)(int64_t, float*, const float*, float*, float, float, float);
  void (*rmspropStep)(int64_t, float*, const float*, float*, float*, float*, float, float, float, float);
  void (*adamStep)(int64_t, float*, const float*, float*, float*, double, double, double, double, double);
  void (*addGaussianNoise)(int64_t, const float*, float, uint32_t*, float*);
  void (*errorThroughSteps)(int, int, int, bool, const float*, Activation, const float*, float*);
  void (*denseConcat)(int, int, int, int, const float*, int, const float*, float*, const float*, const float*, Activation,
                      float*);
};

}  // namespace apical
