/**
 * What a random search of k configurations would report, estimated from a larger one of K.
 *
 * A published figure such as Bartunov et al. (2018)'s Table 1 is the score of the best of k
 * random configurations (k = 60 there, each chosen by its own lowest test error). Given K ≥ k
 * finished trials, the expected figure of a search of k of them, drawn at random without
 * replacement, is an order statistic: with the trials ranked by the selection key (rank 1 = best),
 * the one reported is rank i exactly when the subset holds i and none of the i − 1 better ones, so
 *
 *   E[reported | k] = Σᵢ valueᵢ · C(K − i, k − 1) / C(K, k)
 *
 * (Dodge et al. 2019's "expected validation performance" draws the k with replacement; drawn
 * without, as here, it is the exact mean over the search's own k-subsets). The value may be
 * another quantity than the key: test error at the trial chosen on validation, say.
 */

/** One finished trial: what selects it (lower is better) and what is reported of it. */
export interface ScoredTrial {
  readonly key: number;
  readonly value: number;
}

/** E[value of the lowest-key trial of k drawn without replacement from `trials`]; ties in the key broken by value. */
export function expectedBestOf(trials: readonly ScoredTrial[], k: number): number {
  const K = trials.length;
  if (!(Number.isInteger(k) && k >= 1 && k <= K)) throw new RangeError(`k must be an integer from 1 to the ${K} trials, got ${k}`);
  const ranked = [...trials].sort((a, b) => a.key - b.key || a.value - b.value);
  // p = C(K − i, k − 1) / C(K, k) for rank i = 1 … K, by the ratio of successive terms
  // p(i + 1) / p(i) = (K − i − k + 1) / (K − i), starting from p(1) = k / K.
  let p = k / K;
  let expected = 0;
  for (let i = 1; i <= K - k + 1; i++) {
    expected += p * ranked[i - 1].value;
    p *= (K - i - k + 1) / (K - i);
  }
  return expected;
}
