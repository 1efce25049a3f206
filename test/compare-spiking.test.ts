/**
 * `apical compare` plans, runs and tabulates a spiking DTP experiment beside a rate one, from the
 * committed experiment files, with no spiking-specific code in compare (experiment/learning-experiment.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compare, planComparison } from '../src/jobs/compare';
import { JobRunner, readSummary, RunOutcome, RunRequest } from '../src/jobs/job';
import { LocalPool } from '../src/jobs/local-pool';

const root = path.join(__dirname, '..');
const files = ['mnist-dtp', 'mnist-spiking-dtp'].map((name) => path.join(root, 'experiments', `${name}.json`));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-compare-spiking-'));

describe('apical compare experiments/mnist-dtp.json experiments/mnist-spiking-dtp.json', () => {
  const options = { seeds: 1, out: path.join(tmp, 'cmp'), overrides: { epochs: 1, trainLimit: 1000 }, command: 'apical compare (test)' };

  it('plans both with their rules and the signals they use', () => {
    const plan = planComparison(files, options);
    expect(plan.map((p) => [p.experiment.name, p.experiment.rule.name, p.experiment.training.epochs, p.request.seed])).toEqual([
      ['mnist-dtp', 'dtp', 1, 1],
      ['mnist-spiking-dtp', 'spiking-dtp', 1, 1],
    ]);
    expect(plan[1].experiment.rule.uses).toMatchObject({ weightTransport: false, learnedFeedback: true, derivativeChain: false });
  });

  it('runs both and writes a table that matches their summaries', async () => {
    const runs = await compare(files, new LocalPool({ jobs: 2 }), options);
    expect(runs.map((r) => `${r.experiment} ${r.rule} ${r.status}`)).toEqual(['mnist-dtp dtp finished', 'mnist-spiking-dtp spiking-dtp finished']);
    const csv = fs.readFileSync(path.join(options.out, 'compare.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string): number => csv[0].indexOf(name);
    runs.forEach((run, i) => {
      const summary = readSummary(run.out)!;
      expect(summary.epochs_completed).toBe(1);
      const line = csv[i + 1];
      expect(line[col('rule')]).toBe(run.rule);
      expect(Number(line[col('test_error')])).toBe(summary.final!.test_error);
      expect(Number(line[col('seconds_per_epoch')])).toBeCloseTo(summary.training_seconds, 10);
      // Trained on 1,000 digits, both learn: far below chance (90% wrong).
      expect(summary.final!.test_error).toBeLessThan(0.7);
    });
    // A second compare finds both runs finished and runs nothing.
    const asked: string[] = [];
    const recorder: JobRunner = {
      async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
        for (const request of requests) {
          asked.push(request.key);
          yield { request, status: 'failed', error: 'not run' };
        }
      },
    };
    const again = await compare(files, recorder, options);
    expect(asked).toEqual([]);
    expect(again.map((r) => r.status)).toEqual(['skipped', 'skipped']);
  });
});
