// elementwise.cc — activations, deltas, vector updates, column sums, softmax/cross-entropy, error
// counts and the three optimizers.
//
// Hand-written because these run over every activation and every weight of every minibatch
// (hundreds of millions of elements per epoch). Each op is a flat loop over floats with the
// activation switch hoisted out, so g++ -O3 vectorizes it (AVX-512: 16 lanes); tanh and sigmoid use
// the branch-free approximations of mathfun.h rather than scalar libm calls. Outputs may alias
// inputs wherever the interface allows it: each element is read before it is written.
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "mathfun.h"
#include "scratch.h"

namespace apical {
namespace APICAL_ISA {

void activate(Activation act, int64_t length, const float* a, float* y) {
#if defined(__AVX512F__)
  // The same 16-lane functions as the dense epilogue (mathfun.h), masked at the tail.
  if (act != kIdentity) {
    int64_t i = 0;
    for (; i + 16 <= length; i += 16) _mm512_storeu_ps(y + i, activate16(act, _mm512_loadu_ps(a + i)));
    if (i < length) {
      const __mmask16 tail = static_cast<__mmask16>((1u << (length - i)) - 1u);
      _mm512_mask_storeu_ps(y + i, tail, activate16(act, _mm512_maskz_loadu_ps(tail, a + i)));
    }
    return;
  }
#endif
  switch (act) {
    case kIdentity:
      if (y != a)
        for (int64_t i = 0; i < length; ++i) y[i] = a[i];
      break;
    case kTanh:
      for (int64_t i = 0; i < length; ++i) y[i] = fastTanh(a[i]);
      break;
    case kSigmoid:
      for (int64_t i = 0; i < length; ++i) y[i] = fastSigmoid(a[i]);
      break;
    case kRelu:
      for (int64_t i = 0; i < length; ++i) y[i] = relu(a[i]);
      break;
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
    for (int j = 0; j < n; ++j) max = std::fmax(max, static_cast<double>(s[j]));
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
  const float keep = 1.0f - j.rho;
#if defined(__AVX512F__)
  // Explicit 16-lane loop with a masked tail: every element takes the same instruction sequence
  // wherever the range boundaries fall (sqrt and divide are IEEE-exact, as in the scalar form).
  const __m512 rho = _mm512_set1_ps(j.rho), keepv = _mm512_set1_ps(keep), lr = _mm512_set1_ps(j.lr);
  const __m512 momentum = _mm512_set1_ps(j.momentum), eps = _mm512_set1_ps(j.epsilon);
  auto step16 = [&](int64_t i, __mmask16 m) {
    const __m512 g = _mm512_maskz_loadu_ps(m, j.grad + i);
    const __m512 kg = _mm512_mul_ps(keepv, g);
    const __m512 a = _mm512_fmadd_ps(rho, _mm512_maskz_loadu_ps(m, j.avg + i), kg);
    const __m512 a2 = _mm512_fmadd_ps(rho, _mm512_maskz_loadu_ps(m, j.avgSq + i), _mm512_mul_ps(kg, g));
    const __m512 var = _mm512_add_ps(_mm512_fnmadd_ps(a, a, a2), eps);
    const __m512 q = _mm512_div_ps(_mm512_mul_ps(lr, g), _mm512_sqrt_ps(var));
    const __m512 step = _mm512_fmsub_ps(momentum, _mm512_maskz_loadu_ps(m, j.inc + i), q);
    _mm512_mask_storeu_ps(j.avg + i, m, a);
    _mm512_mask_storeu_ps(j.avgSq + i, m, a2);
    _mm512_mask_storeu_ps(j.inc + i, m, step);
    _mm512_mask_storeu_ps(j.param + i, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, j.param + i), step));
  };
  int64_t i = begin;
  // A constant all-ones mask compiles to plain loads and stores: the loop with a computed mask in
  // every iteration ran 3× slower on Zen 5.
  for (; i + 16 <= end; i += 16) step16(i, static_cast<__mmask16>(0xFFFF));
  if (i < end) step16(i, static_cast<__mmask16>((1u << (end - i)) - 1u));
#else
  for (int64_t i = begin; i < end; ++i) {
    const float g = j.grad[i];
    const float a = j.rho * j.avg[i] + keep * g;
    const float a2 = j.rho * j.avgSq[i] + keep * g * g;
    const float step = j.momentum * j.inc[i] - j.lr * g / std::sqrt(a2 - a * a + j.epsilon);
    j.avg[i] = a;
    j.avgSq[i] = a2;
    j.inc[i] = step;
    j.param[i] += step;
  }
#endif
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
