/**
 * Stochastic units: empirical means and variances of many samples match the distribution's
 * parameters within 5 standard errors (a unit sampling the wrong parameter, e.g. Bernoulli(x) for
 * Bernoulli(σ(x)), or Poisson counts not divided by the window, misses by far more), and the same
 * stream gives the same samples.
 */
import { kernels } from '../src/kernels';
import { streamState } from '../src/kernels/random';
import { unitNamed, UnitSpec } from '../src/units';

const k = kernels();
const n = 100_000;

function samples(spec: UnitSpec, x: number, seed = 5): Float32Array {
  const input = new Float32Array(n).fill(x);
  const y = new Float32Array(n);
  unitNamed(spec).step(k, n, input, y, streamState(seed, 'test/samples'));
  return y;
}

function moments(y: Float32Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of y) sum += v;
  const mean = sum / y.length;
  let squares = 0;
  for (const v of y) squares += (v - mean) ** 2;
  return { mean, variance: squares / (y.length - 1) };
}

/**
 * Mean within 5 standard errors of `mean`; variance within 5 standard errors given the fourth
 * central moment `mu4`, plus the second-order term (5 SE of the mean)² that remains when the first
 * vanishes (Bernoulli(½)).
 */
function expectMoments(y: Float32Array, mean: number, variance: number, mu4: number): void {
  const m = moments(y);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  expect(Math.abs(m.variance - variance)).toBeLessThan(5 * Math.sqrt((mu4 - variance ** 2) / n) + (25 * variance) / n);
}

const bernoulliMoments = (p: number): [number, number, number] => [p, p * (1 - p), p * (1 - p) * (1 - 3 * p + 3 * p * p)];

describe('stochastic units', () => {
  it.each([-2, 0, 0.8])('bernoulli(x = %p) is Bernoulli(σ(x))', (x) => {
    const y = samples('bernoulli', x);
    expect(y.every((v) => v === 0 || v === 1)).toBe(true);
    expectMoments(y, ...bernoulliMoments(1 / (1 + Math.exp(-x))));
  });

  it.each([0.1, 0.5, 0.93])('sample(x = %p) is Bernoulli(x)', (x) => {
    expectMoments(samples('sample', x), ...bernoulliMoments(x));
  });

  it.each([2.3, -0.75])('stochastic rounding of %p lands on its neighbours with mean x', (x) => {
    const y = samples('stochastic-round', x);
    const low = Math.floor(x);
    expect(y.every((v) => v === low || v === low + 1)).toBe(true);
    const [mean, variance, mu4] = bernoulliMoments(x - low);
    expectMoments(y, low + mean, variance, mu4);
  });

  it.each([
    [0.8, 5],
    [3, 20],
    [0.02, 10],
  ])('poisson(x = %p, window %p) reports N/T with N ~ Poisson(T·x)', (x, window) => {
    const y = samples({ name: 'poisson', window }, x);
    const lambda = x * window;
    // Counts/T: mean x, variance λ/T², fourth central moment (λ + 3λ²)/T⁴.
    expectMoments(y, x, lambda / window ** 2, (lambda + 3 * lambda * lambda) / window ** 4);
    expect(y.every((v) => Math.abs(v * window - Math.round(v * window)) < 1e-4)).toBe(true);
    expect(Array.from(samples({ name: 'poisson', window }, -1).subarray(0, 100))).toEqual(new Array(100).fill(0));
  });

  it('draws the same samples from the same seed and different ones from another', () => {
    expect(samples('bernoulli', 0.3, 9)).toEqual(samples('bernoulli', 0.3, 9));
    expect(samples('bernoulli', 0.3, 9)).not.toEqual(samples('bernoulli', 0.3, 10));
  });
});
