/** Report pieces: the learning-curve figure spec and the plausibility table. */
import { MetricsRecord } from '../src/report/run-files';
import { learningCurveFigure } from '../src/report/figures/learning-curves';
import { plausibilityTable } from '../src/report/plausibility';
import { allRules } from '../src/rules';

const record = (epoch: number, train: number, test: number | null): MetricsRecord => ({
  epoch,
  train_error: train,
  valid_error: null,
  test_error: test,
  loss: 0,
  valid_loss: null,
  test_loss: null,
  seconds: 1,
  eval_seconds: 0, eval_samples: 1,
  probe_noise: null,
  reconstruction_error: {},
});

describe('learning-curve figure', () => {
  it('has train, valid and test traces per run, in percent, with missing values as gaps', () => {
    const figure = learningCurveFigure([
      { label: 'a', records: [record(1, 0.1, 0.2), record(2, 0.05, null)] },
      { label: 'b', records: [record(1, 0.3, 0.4)] },
    ]);
    expect(figure.data.map((t) => t.name)).toEqual(['a train', 'a valid', 'a test', 'b train', 'b valid', 'b test']);
    expect(figure.data[0]).toMatchObject({ x: [1, 2], y: [10, 5] });
    expect(figure.data[2]).toMatchObject({ y: [20, null] });
    expect(figure.data[1]).toMatchObject({ y: [null, null] });
  });
});

describe('plausibility table', () => {
  it('has one row per rule, read from its declarations', () => {
    const rules = allRules();
    const lines = plausibilityTable(rules).split('\n');
    expect(lines).toHaveLength(2 + rules.length);
    const bp = lines.find((l) => l.startsWith('| bp |'))!.split('|').map((c) => c.trim());
    const dtp = lines.find((l) => l.startsWith('| dtp |'))!.split('|').map((c) => c.trim());
    expect(bp[2]).toBe('yes'); // weight transport
    expect(dtp[2]).toBe('—');
    expect(dtp[7]).toBe('yes'); // learned feedback
  });
});
