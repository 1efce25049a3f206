// elementwise.cc — activations, deltas, vector updates, column sums, softmax/cross-entropy, error
// counts and the three optimizers.
//
// Hand-written because these run over every activation and every weight of every minibatch
// (hundreds of millions of elements per epoch). Each op is a flat loop over floats with the
// activation switch hoisted out, so g++ -O3 vectorizes it for the instruction set this copy is
// compiled for (see kernels.h); activate and rmspropStep are written with simd.h vectors, tanh and
// sigmoid with the branch-free approximations of mathfun.h rather than scalar libm calls. Outputs may alias
// inputs wherever the interface allows it: each element is read before it is written.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "mathfun.h"
#include "scratch.h"

namespace apical {
namespace APICAL_ISA {

void activate(Activation act, int64_t length, const float* a, float* y) {
  if (act == kIdentity) {
    if (y != a)
      for (int64_t i = 0; i < length; ++i) y[i] = a[i];
    return;
  }
  // The same vector functions as the dense epilogue (mathfun.h), with a partial vector at the tail.
  using namespace simd;
  int64_t i = 0;
  for (; i + kLanes <= length; i += kLanes) store(y + i, activateVector(act, load(a + i)));
  if (i < length) {
    const int rest = static_cast<int>(length - i);
    storeFirst(y + i, activateVector(act, loadFirst(a + i, rest)), rest);
  }
}

void deltaFromGrad(Activation act, int64_t length, const float* y, const float* g, float* d) {
  switch (act) {
    case kIdentity:
      if (d != g)
        for (int64_t i = 0; i < length; ++i) d[i] = g[i];
      break;
    case kTanh:
      for (int64_t i = 0; i < length; ++i) d[i] = g[i] * (1.0f - y[i] * y[i]);
      break;
    case kSigmoid:
      for (int64_t i = 0; i < length; ++i) d[i] = g[i] * (y[i] * (1.0f - y[i]));
      break;
    case kRelu:
      for (int64_t i = 0; i < length; ++i) d[i] = y[i] > 0.0f ? g[i] : 0.0f * g[i];
      break;
  }
}

void deltaFromTarget(Activation act, int64_t length, float alpha, const float* y, const float* t, float* d) {
  switch (act) {
    case kIdentity:
      for (int64_t i = 0; i < length; ++i) d[i] = alpha * (y[i] - t[i]);
      break;
    case kTanh:
      for (int64_t i = 0; i < length; ++i) d[i] = alpha * (y[i] - t[i]) * (1.0f - y[i] * y[i]);
      break;
    case kSigmoid:
      for (int64_t i = 0; i < length; ++i) d[i] = alpha * (y[i] - t[i]) * (y[i] * (1.0f - y[i]));
      break;
    case kRelu:
      for (int64_t i = 0; i < length; ++i) {
        const float diff = alpha * (y[i] - t[i]);
        d[i] = y[i] > 0.0f ? diff : 0.0f * diff;
      }
      break;
  }
}

void axpby(int64_t length, float alpha, const float* x, float beta, const float* y, float* out) {
  for (int64_t i = 0; i < length; ++i) out[i] = alpha * x[i] + beta * y[i];
}

void copyBlock(int rows, int width, const float* src, int srcStride, float* dst, int dstStride) {
  for (int r = 0; r < rows; ++r)
    std::memcpy(dst + static_cast<int64_t>(r) * dstStride, src + static_cast<int64_t>(r) * srcStride, sizeof(float) * width);
}

void addDifference(int64_t length, const float* x, const float* plus, const float* minus, float* out) {
  for (int64_t i = 0; i < length; ++i) out[i] = x[i] + plus[i] - minus[i];
}

void columnSums(int m, int n, float alpha, const float* d, float beta, float* out) {
  // Row by row into double accumulators: unit-stride, vectorized over columns.
  thread_local Scratch<double> sums;
  double* s = sums.get(n);
  for (int j = 0; j < n; ++j) s[j] = 0.0;
  for (int i = 0; i < m; ++i) {
    const float* row = d + static_cast<size_t>(i) * n;
    for (int j = 0; j < n; ++j) s[j] += row[j];
  }
  if (beta == 0.0f)
    for (int j = 0; j < n; ++j) out[j] = static_cast<float>(alpha * s[j]);
  else
    for (int j = 0; j < n; ++j) out[j] = static_cast<float>(alpha * s[j] + beta * out[j]);
}

double softmaxCrossEntropy(int m, int n, const float* scores, const int32_t* labels, float* probs,
                           double gradScale, float* grad) {
  // Small (m×classes) and called once per batch: double precision like the reference.
  double nll = 0.0;
  for (int i = 0; i < m; ++i) {
    const float* s = scores + static_cast<size_t>(i) * n;
    float* p = probs + static_cast<size_t>(i) * n;
    double max = -INFINITY;
    // As std::fmax (NaN entries skipped), written as a comparison: g++ 12 for arm64 crashes
    // (internal compiler error) vectorizing an fmax reduction at -O3.
    for (int j = 0; j < n; ++j)
      if (s[j] > max) max = s[j];
    double total = 0.0;
    for (int j = 0; j < n; ++j) total += std::exp(s[j] - max);
    const int label = labels[i];
    nll -= s[label] - max - std::log(total);
    // `probs` may alias `scores`: every read of row i is done above, except s[j] read just before p[j].
    for (int j = 0; j < n; ++j) {
      const double q = std::exp(s[j] - max) / total;
      p[j] = static_cast<float>(q);
      if (grad) grad[static_cast<size_t>(i) * n + j] = static_cast<float>(gradScale * (q - (j == label ? 1.0 : 0.0)) / m);
    }
  }
  return nll;
}

int countErrors(int m, int n, const float* scores, const int32_t* labels) {
  int errors = 0;
  for (int i = 0; i < m; ++i) {
    const float* s = scores + static_cast<size_t>(i) * n;
    int best = 0;
    for (int j = 1; j < n; ++j)
      if (s[j] > s[best]) best = j;
    if (best != labels[i]) ++errors;
  }
  return errors;
}

double sumSquaredDifference(int64_t length, const float* x, const float* y) {
  // Sixteen independent double partial sums: vectorizes without reassociating a single sum.
  constexpr int kLanes = 16;
  double partial[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= length; i += kLanes)
    for (int l = 0; l < kLanes; ++l) {
      const double diff = static_cast<double>(x[i + l]) - static_cast<double>(y[i + l]);
      partial[l] += diff * diff;
    }
  double sum = 0.0;
  for (; i < length; ++i) {
    const double diff = static_cast<double>(x[i]) - static_cast<double>(y[i]);
    sum += diff * diff;
  }
  for (int l = 0; l < kLanes; ++l) sum += partial[l];
  return sum;
}

void sgdStep(int64_t length, float* param, const float* grad, float* velocity, float lr, float momentum,
             float weightDecay) {
  for (int64_t i = 0; i < length; ++i) {
    const float v = momentum * velocity[i] - lr * (grad[i] + weightDecay * param[i]);
    velocity[i] = v;
    param[i] += v;
  }
}

namespace {

struct RmspropJob {
  float* param;
  const float* grad;
  float *avg, *avgSq, *inc;
  float lr, rho, momentum, epsilon;
};

/** rmspropStep over [begin, end). */
void rmspropRange(void* ctx, int64_t begin, int64_t end) {
  const RmspropJob& j = *static_cast<const RmspropJob*>(ctx);
  using namespace simd;
  // Explicit vector loop with a partial tail: every element takes the same instruction sequence
  // wherever the range boundaries fall (sqrt and divide are IEEE-exact, as in the scalar form).
  const F rho = set1(j.rho), keep = set1(1.0f - j.rho), lr = set1(j.lr);
  const F momentum = set1(j.momentum), eps = set1(j.epsilon);
  auto step = [&](int64_t i, int n) {
    const bool full = n == kLanes;  // constant in the main loop: plain loads and stores there
    auto in = [&](const float* p) { return full ? load(p + i) : loadFirst(p + i, n); };
    auto out = [&](float* p, F v) { full ? store(p + i, v) : storeFirst(p + i, v, n); };
    const F g = in(j.grad);
    const F kg = mul(keep, g);
    const F a = fmadd(rho, in(j.avg), kg);
    const F a2 = fmadd(rho, in(j.avgSq), mul(kg, g));
    const F var = add(fnmadd(a, a, a2), eps);
    const F q = div(mul(lr, g), sqrt(var));
    const F inc = fmsub(momentum, in(j.inc), q);
    out(j.avg, a);
    out(j.avgSq, a2);
    out(j.inc, inc);
    out(j.param, add(in(j.param), inc));
  };
  int64_t i = begin;
  // The loop with a computed mask in every iteration ran 3× slower on Zen 5 (AVX-512).
  for (; i + kLanes <= end; i += kLanes) step(i, kLanes);
  if (i < end) step(i, static_cast<int>(end - i));
}

}  // namespace

void rmspropStep(int64_t length, float* param, const float* grad, float* avg, float* avgSq, float* inc,
                 float lr, float rho, float momentum, float epsilon) {
  // Memory-bound (nine floats of traffic per element); splitting it across the two cores was
  // measured no faster in training, so it stays on the calling thread.
  RmspropJob job{param, grad, avg, avgSq, inc, lr, rho, momentum, epsilon};
  rmspropRange(&job, 0, length);
}

void adamStep(int64_t length, float* param, const float* grad, float* m, float* v, double lr, double beta1,
              double beta2, double epsilon, double t) {
  const float stepSize = static_cast<float>(lr * std::sqrt(1.0 - std::pow(beta2, t)) / (1.0 - std::pow(beta1, t)));
  const float b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
  const float k1 = static_cast<float>(1.0 - beta1), k2 = static_cast<float>(1.0 - beta2);
  const float eps = static_cast<float>(epsilon);
  for (int64_t i = 0; i < length; ++i) {
    const float g = grad[i];
    const float mi = b1 * m[i] + k1 * g;
    const float vi = b2 * v[i] + k2 * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] -= stepSize * mi / (std::sqrt(vi) + eps);
  }
}

}  // namespace APICAL_ISA
}  // namespace apical
