/**
 * Stochastic units: each sample is drawn from the stream of the population (or pathway) that owns
 * the unit. A sample's derivative with respect to its parameter is undefined, so these declare none;
 * a model spec may name a straight-through estimator instead (Bengio, Léonard & Courville 2013).
 * Uniforms u ∈ (0, 1) follow random.ts's recipe (24 bits).
 */
import { nextUniform, RngState } from '../kernels/random';
import { elementwiseUnit, Unit } from './unit';

const stochastic = { random: true, derivative: 'none' } as const;

/** Stochastic binary unit: y ~ Bernoulli(σ(x)), i.e. y = [u < 1/(1 + e^(−x))]. */
export const bernoulli: Unit = elementwiseUnit(
  'bernoulli',
  'y ~ Bernoulli(1/(1 + exp(-x)))',
  (x, rng) => (nextUniform(rng) < 1 / (1 + Math.exp(-x)) ? 1 : 0),
  stochastic,
);

/**
 * A binary sample of a probability: y = [u < x] ~ Bernoulli(clip(x, 0, 1)). On a sigmoid population
 * this is Lee et al.'s stochastic network, whose units send samp(h) = [u < h] upward.
 */
export const sample: Unit = elementwiseUnit('sample', 'y = [u < x], u ~ U(0,1)', (x, rng) => (nextUniform(rng) < x ? 1 : 0), stochastic);

/** Stochastic rounding: y = ⌊x⌋ + [u < x − ⌊x⌋], so that E[y] = x (Gupta et al. 2015). */
export const stochasticRound: Unit = elementwiseUnit(
  'stochastic-round',
  'y = floor(x) + [u < x - floor(x)]',
  (x, rng) => {
    const low = Math.floor(x);
    return low + (nextUniform(rng) < x - low ? 1 : 0);
  },
  stochastic,
);

/** Largest mean drawn in one piece by inversion; larger means are sums of independent pieces. */
const pieceMean = 30;

/**
 * One Poisson(λ) count by inversion of the cumulative distribution (one uniform per piece).
 * Hand-written: no npm library draws from a given xoshiro stream; the cost is O(λ), and the
 * counts here are spikes in a short window.
 */
function poissonCount(lambda: number, rng: RngState): number {
  let count = 0;
  for (let remaining = lambda; remaining > 0; remaining -= pieceMean) {
    const mean = Math.min(remaining, pieceMean);
    const u = nextUniform(rng);
    let k = 0;
    let p = Math.exp(-mean);
    let cumulative = p;
    while (u > cumulative && p > 0) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    count += k;
  }
  return count;
}

/**
 * Poisson spike counts over a window of T time units at rate max(x, 0), reported as a rate:
 * y = N/T with N ~ Poisson(T·max(x, 0)), so E[y] = max(x, 0) and Var[y] = max(x, 0)/T.
 */
export function poisson(window: number): Unit {
  if (!(window > 0) || !Number.isFinite(window)) throw new Error(`poisson needs a positive window, got ${window}`);
  return elementwiseUnit(
    'poisson',
    `y = N/${window}, N ~ Poisson(${window}*max(x,0))`,
    (x, rng) => (x > 0 ? poissonCount(window * x, rng) / window : 0),
    stochastic,
  );
}
