/**
 * Early stopping (`training.patience`): a run ends, finished, at the first epoch that comes
 * `patience` epochs after its lowest validation error; until then it is the same run as without
 * (metrics bit-identical), and it leaves no checkpoint behind. Stopping at a success criterion
 * (`training.stopAt`): the same, at the first epoch whose validation error is at or below it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { finishedRun } from '../src/jobs/job';
import { CHECKPOINT_FILE } from '../src/session/run-directory';
import { reached, stalled } from '../src/session/session';
import { cliExperiment, runMetrics } from './helpers';

/** A small BP net that over-fits 300 images within a few epochs. */
const { tmp, file, run } = cliExperiment('apical-early-', {
  name: 'overfit',
  model: { name: 'tiny', input: 784, layers: [{ size: 64, units: 'tanh' }, { size: 10, units: 'softmax' }] },
  data: { validation: 300, trainLimit: 300 },
  rule: { name: 'bp' },
  training: { epochs: 40, batchSize: 20, shuffle: true, evalBatchSize: 300, patience: 3 },
  optimizer: { forward: { name: 'rmsprop', lr: 0.003 } },
});

describe('early stopping', () => {
  it('ends the run at the first epoch `patience` epochs after the lowest validation error, and changes nothing before', () => {
    const early = run(path.join(tmp, 'early'));
    expect(early.stderr).toBe('');
    expect(early.status).toBe(0);
    const metrics = runMetrics(path.join(tmp, 'early')) as { epoch: number; valid_error: number; seconds: number }[];
    const last = metrics[metrics.length - 1].epoch;
    expect(last).toBeLessThan(40);
    // The first epoch at which the best so far lies `patience` or more epochs back.
    const firstStall = metrics.findIndex((_, i) => {
      const upTo = metrics.slice(0, i + 1);
      const best = upTo.reduce((a, r) => (r.valid_error < a.valid_error ? r : a));
      return upTo[i].epoch - best.epoch >= 3;
    });
    expect(firstStall).toBe(metrics.length - 1);
    const best = metrics.reduce((a, r) => (r.valid_error < a.valid_error ? r : a));
    const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'early', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ epochs: 40, epochs_completed: last, interrupted: false, stopped_early: { epoch: last, best_epoch: best.epoch, patience: 3 } });
    expect(fs.existsSync(path.join(tmp, 'early', CHECKPOINT_FILE))).toBe(false);
    expect(early.stdout).toContain(`stopped early at epoch ${last}: validation error has not improved for 3 epochs (best at epoch ${best.epoch})`);
    // compare, sweep, tune and the queue take it as a finished run of its 40 epochs.
    expect(finishedRun(path.join(tmp, 'early'), 40)).not.toBeNull();

    // The same run without early stopping, as far as the early one went: the same metrics.
    const full = run(path.join(tmp, 'full'), '--epochs', String(last), '--set', 'training.patience=null');
    expect(full.status).toBe(0);
    const timeless = (records: Record<string, unknown>[]) => records.map(({ seconds, ...rest }) => rest); // eslint-disable-line @typescript-eslint/no-unused-vars
    expect(timeless(runMetrics(path.join(tmp, 'full')))).toEqual(timeless(metrics));
  }, 120000);

  it('stopAt ends the run at the first epoch whose validation error is at or below it, and changes nothing before', () => {
    const timeless = (records: Record<string, unknown>[]) => records.map(({ seconds, ...rest }) => rest); // eslint-disable-line @typescript-eslint/no-unused-vars
    const full = run(path.join(tmp, 'full8'), '--epochs', '8', '--set', 'training.patience=null');
    expect(full.status).toBe(0);
    const metrics = runMetrics(path.join(tmp, 'full8')) as { epoch: number; valid_error: number }[];
    // The criterion: the lowest validation error of the 8 epochs, first reached after epoch 1.
    const stopAt = Math.min(...metrics.map((r) => r.valid_error));
    const expected = metrics.find((r) => r.valid_error <= stopAt)!;
    expect(expected.epoch).toBeGreaterThan(1);

    const early = run(path.join(tmp, 'reached'), '--epochs', '8', '--set', 'training.patience=null', '--set', `training.stopAt=${stopAt}`);
    expect(early.stderr).toBe('');
    expect(early.status).toBe(0);
    const stopped = runMetrics(path.join(tmp, 'reached'));
    expect(timeless(stopped)).toEqual(timeless(metrics.slice(0, expected.epoch)));
    const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'reached', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ epochs: 8, epochs_completed: expected.epoch, interrupted: false, stopped_early: { epoch: expected.epoch, valid_error: expected.valid_error, stop_at: stopAt } });
    expect(fs.existsSync(path.join(tmp, 'reached', CHECKPOINT_FILE))).toBe(false);
    expect(early.stdout).toContain(`stopped at epoch ${expected.epoch}: validation error ${(100 * expected.valid_error).toFixed(2)}% reached training.stopAt`);
    // compare, sweep, tune and the queue take it as a finished run of its 8 epochs.
    expect(finishedRun(path.join(tmp, 'reached'), 8)).not.toBeNull();

    const wrong = run(path.join(tmp, 'wrong'), '--set', 'training.stopAt=1.5');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr.trim()).toBe(`apical: ${file}: /training/stopAt must be <= 1`);
  }, 120000);

  it('stopAt looks at the last epoch only, at or below the value, and never stops a run without validation', () => {
    const records = (errors: (number | null)[]) => errors.map((valid_error, i) => ({ epoch: i + 1, train_error: 0, valid_error, test_error: null, seconds: 0 }));
    expect(reached(records([0.5, 0.1]), 0.1)).toEqual({ epoch: 2, valid_error: 0.1, stop_at: 0.1 });
    expect(reached(records([0.5, 0.1, 0.2]), 0.1)).toBeNull();
    expect(reached(records([0.5, 0]), 0)).toEqual({ epoch: 2, valid_error: 0, stop_at: 0 });
    expect(reached(records([0.5, 0.001]), 0)).toBeNull();
    expect(reached(records([null]), 1)).toBeNull();
    expect(reached([], 1)).toBeNull();
  });

  it('counts epochs from the best one, and never stops a run without validation', () => {
    const records = (errors: (number | null)[]) => errors.map((valid_error, i) => ({ epoch: i + 1, train_error: 0, valid_error, test_error: null, seconds: 0 }));
    expect(stalled(records([0.5, 0.4, 0.45, 0.41]), 2)).toEqual({ epoch: 4, best_epoch: 2, patience: 2 });
    expect(stalled(records([0.5, 0.4, 0.45]), 2)).toBeNull();
    expect(stalled(records([0.5, 0.4, 0.4, 0.4]), 2)).toEqual({ epoch: 4, best_epoch: 2, patience: 2 }); // ties do not improve
    expect(stalled(records([null, null, null]), 1)).toBeNull();
  });
});
