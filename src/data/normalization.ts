/**
 * Input standardisation: every input value x (already scaled, e.g. pixels to [0, 1]) becomes
 *   x' = (x − μ) / s,
 * one mean and one standard deviation for all features, as torchvision's
 * Normalize((0.1307,), (0.3081,)) does to MNIST in Meulemans et al. (2020)'s released code
 * (μ and s: MNIST's training-pixel mean and standard deviation).
 */
import { DataError } from './data-error';
import { Splits } from './splits';

export interface Normalization {
  readonly mean: number;
  readonly std: number;
}

/** The splits with every input standardised in place (each split owns its arrays, splits.ts `rows`). */
export function normalizeSplits(splits: Splits, { mean, std }: Normalization): Splits {
  if (!(std > 0) || !Number.isFinite(mean)) throw new DataError(`data normalization needs a finite mean and a positive std, got mean ${mean}, std ${std}`);
  const scale = 1 / std;
  for (const split of [splits.train, splits.valid, splits.test]) {
    const { images } = split;
    for (let i = 0; i < images.length; i++) images[i] = (images[i] - mean) * scale;
  }
  return splits;
}
