/** Summary statistics and a fixed-bin histogram of a typed array, in one pass plus one for the bins. */
import { Statistics } from './formats';
import { round4 } from './jsonl-file';

/**
 * Mean, standard deviation, range, root mean square and a `bins`-bin histogram of `values`
 * (edges evenly spaced over [min, max]; a constant array gets one bin of width 1 around it).
 * When `minus` is given, of values − minus (element-wise).
 */
export function statistics(values: Float32Array, bins: number, minus?: Float32Array): Statistics {
  const n = values.length;
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = minus ? values[i] - minus[i] : values[i];
    sum += v;
    squares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  const low = min === max ? min - 0.5 : min;
  const high = min === max ? max + 0.5 : max;
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const v = minus ? values[i] - minus[i] : values[i];
    counts[Math.min(bins - 1, Math.floor((v - low) / width))]++;
  }
  return {
    mean: round4(mean),
    std: round4(Math.sqrt(Math.max(0, squares / n - mean * mean))),
    min: round4(min),
    max: round4(max),
    rms: round4(Math.sqrt(squares / n)),
    histogram: { edges: Array.from({ length: bins + 1 }, (_, b) => round4(low + b * width)), counts },
  };
}
