/** The tuner's search space and successive-halving schedule (src/jobs/search-space.ts, successive-halving.ts). */
import { parseSearchSpace, proposeTrial, setArguments, SpaceError, valueAt } from '../src/jobs/search-space';
import { promote, rungs } from '../src/jobs/successive-halving';

const space = parseSearchSpace(
  {
    'optimizer.forward.lr': { 'log-uniform': [1e-4, 1e-1] },
    'rule.noise': { uniform: [0.1, 0.5] },
    'training.batchSize': { integer: [16, 256] },
    'training.schedule': { choice: ['alternating', 'parallel'] },
  },
  'space.json',
);

test('each distribution maps the unit interval onto its range', () => {
  const [lr, noise, batch, schedule] = space.map((d) => d.distribution);
  expect(valueAt(lr, 0)).toBeCloseTo(1e-4, 12);
  expect(valueAt(lr, 0.5)).toBeCloseTo(Math.sqrt(1e-4 * 1e-1), 12); // the geometric midpoint
  expect(valueAt(noise, 0.25)).toBeCloseTo(0.2, 12);
  expect(valueAt(batch, 0)).toBe(16);
  expect(valueAt(batch, 0.999999)).toBe(256);
  expect(valueAt(schedule, 0.49)).toBe('alternating');
  expect(valueAt(schedule, 0.5)).toBe('parallel');
});

test('trials are drawn from their own streams: the same seed proposes the same trials, another seed others', () => {
  const a = Array.from({ length: 50 }, (_, i) => proposeTrial(space, 1, i));
  expect(Array.from({ length: 50 }, (_, i) => proposeTrial(space, 1, i))).toEqual(a);
  expect(proposeTrial(space, 2, 0)).not.toEqual(a[0]);
  // Trial 7 does not depend on which trials were drawn before it.
  expect(proposeTrial(space, 1, 7)).toEqual(a[7]);
  for (const t of a) {
    expect(t['optimizer.forward.lr']).toBeGreaterThanOrEqual(1e-4);
    expect(t['optimizer.forward.lr']).toBeLessThan(1e-1);
    expect(Number.isInteger(t['training.batchSize'])).toBe(true);
  }
  // Log-uniform: about half the draws below the geometric midpoint (binomial(50, 1/2): 15..35 at 99.7%).
  const below = a.filter((t) => (t['optimizer.forward.lr'] as number) < Math.sqrt(1e-5)).length;
  expect(below).toBeGreaterThanOrEqual(15);
  expect(below).toBeLessThanOrEqual(35);
});

test('settings become --set arguments that keep every digit', () => {
  const args = setArguments({ 'optimizer.forward.lr': 0.000123456789012345, 'training.schedule': 'parallel' });
  expect(args).toEqual(['optimizer.forward.lr=0.000123456789012345', 'training.schedule="parallel"']);
  expect(JSON.parse(args[0].split('=')[1])).toBe(0.000123456789012345);
});

test.each([
  [[], 'space.json: a search space is an object'],
  [{}, 'space.json: the search space names no field'],
  [{ 'rule.noise': { normal: [0, 1] } }, 'space.json: "rule.noise" must be one of'],
  [{ 'rule.noise': { uniform: [0.5, 0.1] } }, 'space.json: "rule.noise": "uniform" needs low < high, got [0.5, 0.1]'],
  [{ 'optimizer.forward.lr': { 'log-uniform': [0, 1] } }, '"optimizer.forward.lr": "log-uniform" needs low > 0, got 0'],
  [{ 'training.batchSize': { integer: [1.5, 4] } }, '"training.batchSize": "integer" needs integer bounds'],
  [{ 'training.schedule': { choice: [] } }, '"training.schedule": "choice" needs a non-empty array'],
  [{ 'rule..noise': { uniform: [0, 1] } }, '"rule..noise" is not a field path'],
  [{ 'rule.noise': { uniform: [0, 'a'] } }, '"rule.noise": "uniform" needs [low, high], two finite numbers'],
])('a bad space is one line naming the field: %j', (json, message) => {
  expect(() => parseSearchSpace(json, 'space.json')).toThrow(SpaceError);
  expect(() => parseSearchSpace(json, 'space.json')).toThrow(message);
});

test('successive halving: rungs of η-times more epochs for a η-th of the trials', () => {
  expect(rungs(27, 27, 3)).toEqual([
    { index: 0, epochs: 1, trials: 27 },
    { index: 1, epochs: 3, trials: 9 },
    { index: 2, epochs: 9, trials: 3 },
    { index: 3, epochs: 27, trials: 1 },
  ]);
  // 108 epochs in all, against 27 × 27 = 729 for training every trial to the budget.
  expect(rungs(27, 27, 3).reduce((sum, r) => sum + r.epochs * r.trials, 0)).toBe(108);
  expect(rungs(20, 20, 3, 2)).toEqual([
    { index: 0, epochs: 2, trials: 20 },
    { index: 1, epochs: 7, trials: 7 },
    { index: 2, epochs: 20, trials: 3 },
  ]);
  // One trial, or a budget no larger than the first rung: a single rung.
  expect(rungs(1, 50, 3)).toEqual([{ index: 0, epochs: 50, trials: 1 }]);
  expect(rungs(9, 2, 3, 2)).toEqual([{ index: 0, epochs: 2, trials: 9 }]);
  expect(() => rungs(0, 10, 3)).toThrow('trials must be a positive integer');
  expect(() => rungs(5, 10, 1)).toThrow('eta must be at least 2');
});

test('promotion keeps the lowest validation errors, ties by trial number, never a failed trial', () => {
  const results = [
    { trial: 0, score: 0.3 },
    { trial: 1, score: null },
    { trial: 2, score: 0.1 },
    { trial: 3, score: 0.3 },
    { trial: 4, score: Number.NaN },
  ];
  expect(promote(results, 2)).toEqual([2, 0]);
  expect(promote(results, 10)).toEqual([2, 0, 3]);
});
