/**
 * expectedBestOf (src/report/best-of.ts) against the definition: the mean, over every k-subset of
 * the trials, of the value of the subset's lowest-key trial.
 */
import { expectedBestOf, ScoredTrial } from '../src/report/best-of';

function* subsets(n: number, k: number, start = 0): Generator<number[]> {
  if (k === 0) return yield [];
  for (let i = start; i <= n - k; i++) for (const rest of subsets(n, k - 1, i + 1)) yield [i, ...rest];
}

function bruteForce(trials: readonly ScoredTrial[], k: number): number {
  let sum = 0;
  let count = 0;
  for (const subset of subsets(trials.length, k)) {
    const best = subset.map((i) => trials[i]).reduce((a, b) => (b.key < a.key || (b.key === a.key && b.value < a.value) ? b : a));
    sum += best.value;
    count++;
  }
  return sum / count;
}

// Keys in no particular order, values unrelated to them (as test error at the validation pick), one tie.
const trials: ScoredTrial[] = [0.031, 0.024, 0.027, 0.052, 0.024, 0.029, 0.041, 0.022, 0.035].map((key, i) => ({ key, value: 0.02 + ((i * 7) % 9) / 1000 }));

test.each([1, 2, 3, 4, 5, 8, 9])('the best of %i equals the mean over every subset of that size', (k) => {
  expect(expectedBestOf(trials, k)).toBeCloseTo(bruteForce(trials, k), 14);
});

test('the best of 1 is the mean value; the best of all is the lowest-key trial; more trials never report worse when value is the key', () => {
  const self = trials.map(({ key }) => ({ key, value: key }));
  expect(expectedBestOf(trials, 1)).toBeCloseTo(trials.reduce((s, t) => s + t.value, 0) / trials.length, 14);
  expect(expectedBestOf(self, self.length)).toBe(0.022);
  for (let k = 2; k <= self.length; k++) expect(expectedBestOf(self, k)).toBeLessThanOrEqual(expectedBestOf(self, k - 1));
});

test('a k outside 1 … K is refused', () => {
  expect(() => expectedBestOf(trials, 0)).toThrow('k must be an integer from 1 to the 9 trials, got 0');
  expect(() => expectedBestOf(trials, 10)).toThrow(RangeError);
});
