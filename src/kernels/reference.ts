/**
 * The reference backend: plain TypeScript loops that state what every kernel computes. It is the
 * specification the native backend is tested against, and the fallback when the addon did not build.
 * Clarity over speed; accumulations run in double precision.
 */
import { Activation, Kernels } from './kernels';
import { fillNormal, RngState } from './random';

/** Scratch for normals; its even length keeps the stream identical to one fillNormal call. */
const noiseScratch = new Float64Array(256);

function applyActivation(act: Activation, a: number): number {
  switch (act) {
    case Activation.Identity:
      return a;
    case Activation.Tanh:
      return Math.tanh(a);
    case Activation.Sigmoid:
      return 1 / (1 + Math.exp(-a));
    case Activation.Relu:
      return a > 0 ? a : 0;
  }
}

/** f'(a) written through y = f(a). */
function derivativeFromOutput(act: Activation, y: number): number {
  switch (act) {
    case Activation.Identity:
      return 1;
    case Activation.Tanh:
      return 1 - y * y;
    case Activation.Sigmoid:
      return y * (1 - y);
    case Activation.Relu:
      return y > 0 ? 1 : 0;
  }
}

export const referenceKernels: Kernels = {
  name: 'reference',

  gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const aip = transA ? a[p * m + i] : a[i * k + p];
          const bpj = transB ? b[j * k + p] : b[p * n + j];
          sum += aip * bpj;
        }
        c[i * n + j] = beta === 0 ? alpha * sum : alpha * sum + beta * c[i * n + j];
      }
    }
  },

  spikeProduct(m, n, k, ones, count, b, c) {
    let first = 0;
    for (let i = 0; i < m; i++) {
      let last = first;
      while (last < count && ones[last] < (i + 1) * k) last++;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let s = first; s < last; s++) sum += b[(ones[s] - i * k) * n + j];
        c[i * n + j] = sum;
      }
      first = last;
    }
  },

  denseConcat(m, wa, wb, n, a, lda, b, z, w, bias, act, y) {
    const k = wa + wb;
    referenceKernels.copyBlock(m, wa, a, lda, z, k);
    if (b) referenceKernels.copyBlock(m, wb, b, wb, z.subarray(wa), k);
    else for (let r = 0; r < m; r++) z.fill(0, r * k + wa, (r + 1) * k);
    referenceKernels.dense(m, n, k, z, w, bias, act, y);
  },

  errorThroughSteps(steps, rows, n, transB, b, act, states, deltas) {
    const block = rows * n;
    for (let t = steps - 1; t > 0; t--) {
      const below = deltas.subarray((t - 1) * block, t * block);
      referenceKernels.gemm(false, transB, rows, n, n, 1, deltas.subarray(t * block, (t + 1) * block), b, 0, below);
      referenceKernels.deltaFromGrad(act, block, states.subarray((t - 1) * block, t * block), below, below);
    }
  },

  dense(m, n, k, x, w, bias, act, y) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) sum += x[i * k + p] * w[p * n + j];
        y[i * n + j] = applyActivation(act, sum);
      }
    }
  },

  activate(act, length, a, y) {
    for (let i = 0; i < length; i++) y[i] = applyActivation(act, a[i]);
  },

  deltaFromGrad(act, length, y, g, d) {
    for (let i = 0; i < length; i++) d[i] = g[i] * derivativeFromOutput(act, y[i]);
  },

  deltaFromTarget(act, length, alpha, y, t, d) {
    for (let i = 0; i < length; i++) d[i] = alpha * (y[i] - t[i]) * derivativeFromOutput(act, y[i]);
  },

  axpby(length, alpha, x, beta, y, out) {
    for (let i = 0; i < length; i++) out[i] = alpha * x[i] + beta * y[i];
  },

  copyBlock(rows, width, src, srcStride, dst, dstStride) {
    for (let r = 0; r < rows; r++) for (let i = 0; i < width; i++) dst[r * dstStride + i] = src[r * srcStride + i];
  },

  addDifference(length, x, plus, minus, out) {
    for (let i = 0; i < length; i++) out[i] = x[i] + plus[i] - minus[i];
  },

  columnSums(m, n, alpha, d, beta, out) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += d[i * n + j];
      out[j] = beta === 0 ? alpha * sum : alpha * sum + beta * out[j];
    }
  },

  softmaxCrossEntropy(m, n, scores, labels, probs, gradScale, grad) {
    let nll = 0;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, scores[row + j]);
      let total = 0;
      for (let j = 0; j < n; j++) total += Math.exp(scores[row + j] - max);
      const label = labels[i];
      nll -= scores[row + label] - max - Math.log(total);
      for (let j = 0; j < n; j++) {
        const p = Math.exp(scores[row + j] - max) / total;
        probs[row + j] = p;
        if (grad) grad[row + j] = (gradScale * (p - (j === label ? 1 : 0))) / m;
      }
    }
    return nll;
  },

  countErrors(m, n, scores, labels) {
    let errors = 0;
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let j = 1; j < n; j++) if (scores[i * n + j] > scores[i * n + best]) best = j;
      if (best !== labels[i]) errors++;
    }
    return errors;
  },

  sumSquaredDifference(length, x, y) {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += (x[i] - y[i]) * (x[i] - y[i]);
    return sum;
  },

  addGaussianNoise(length, x, sigma, rng: RngState, out) {
    for (let start = 0; start < length; start += noiseScratch.length) {
      const count = Math.min(noiseScratch.length, length - start);
      fillNormal(rng, count, noiseScratch);
      for (let i = 0; i < count; i++) out[start + i] = x[start + i] + sigma * noiseScratch[i];
    }
  },

  sgdStep(length, param, grad, velocity, lr, momentum, weightDecay) {
    for (let i = 0; i < length; i++) {
      velocity[i] = momentum * velocity[i] - lr * (grad[i] + weightDecay * param[i]);
      param[i] += velocity[i];
    }
  },

  rmspropStep(length, param, grad, avg, avgSq, inc, lr, rho, momentum, epsilon) {
    for (let i = 0; i < length; i++) {
      const g = grad[i];
      avg[i] = rho * avg[i] + (1 - rho) * g;
      avgSq[i] = rho * avgSq[i] + (1 - rho) * g * g;
      inc[i] = momentum * inc[i] - (lr * g) / Math.sqrt(avgSq[i] - avg[i] * avg[i] + epsilon);
      param[i] += inc[i];
    }
  },

  adamStep(length, param, grad, m, v, lr, beta1, beta2, epsilon, t) {
    const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let i = 0; i < length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      param[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon);
    }
  },
};
