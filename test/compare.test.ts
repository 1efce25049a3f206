/** apical compare: three tiny runs in separate processes, a failing one, the table, skipping finished runs and continuing stopped ones. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compare, planComparison } from '../src/jobs/compare';
import { Experiment } from '../src/experiment/experiment';
import { JobRunner, readSummary, RunOutcome, RunRequest, runArguments } from '../src/jobs/job';
import { LocalPool } from '../src/jobs/local-pool';
import { alignmentFigure } from '../src/report/figures/alignment';
import { meanSd } from '../src/report/compare';
import { ABSOLUTE_PATH, runMetrics } from './helpers';
import { recordingPool, runStoppedAfterEpoch1 } from './stopped-runs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-compare-'));

function tinyExperiment(name: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      model: { name: 'tiny', input: 784, layers: [{ size: 16, units: 'tanh' }, { size: 10, units: 'softmax' }] },
      data: { validation: 1000 },
      rule: { name: 'bp' },
      training: { epochs: 2, batchSize: 50, ...extra },
      optimizer: { forward: { name: 'adam', lr: 0.003 } },
      metrics: { alignmentEvery: 3 },
    }),
  );
  return file;
}


describe('apical compare', () => {
  const out = path.join(tmp, 'cmp');
  const files = [tinyExperiment('tiny-bp'), tinyExperiment('tiny-broken', { frozen: ['W9'] })];
  const options = { seeds: 3, out, overrides: { trainLimit: 300 }, command: 'apical compare (test)' };

  it('runs every experiment for every seed, seed by seed, and writes a table that matches the runs’ summaries', async () => {
    const runs = await compare(files, new LocalPool({ jobs: 2 }), options);
    expect(runs.map((r) => `${r.experiment} ${r.seed} ${r.status}`)).toEqual([
      'tiny-bp 1 finished', 'tiny-broken 1 failed',
      'tiny-bp 2 finished', 'tiny-broken 2 failed',
      'tiny-bp 3 finished', 'tiny-broken 3 failed',
    ]);
    expect(runs[1].error).toContain('W9');

    const summaries = [1, 2, 3].map((s) => readSummary(path.join(out, `tiny-bp-s${s}`))!);
    expect(new Set(summaries.map((s) => s.final!.test_error)).size).toBe(3); // different seeds, different runs

    const csv = fs.readFileSync(path.join(out, 'compare.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string): number => csv[0].indexOf(name);
    summaries.forEach((s, i) => {
      const line = csv[2 * i + 1];
      expect(Number(line[col('test_error')])).toBe(s.final!.test_error);
      expect(Number(line[col('train_error')])).toBe(s.final!.train_error);
      expect(Number(line[col('best_valid_test_error')])).toBe(s.best_valid!.test_error);
      expect(Number(line[col('seconds_per_epoch')])).toBeCloseTo(s.training_seconds / 2, 10);
    });
    expect(csv[2][col('status')]).toBe('failed');
    expect(csv[2][col('error')]).toContain('W9');

    const md = fs.readFileSync(path.join(out, 'compare.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| tiny-bp |'))!.split('|').map((c) => c.trim());
    const test = meanSd(summaries.map((s) => 100 * s.final!.test_error!));
    expect(row[3]).toBe('3/3');
    expect(row[5]).toBe(`${test.mean.toFixed(2)} ± ${test.sd.toFixed(2)}`);
    expect(row[8]).toBe('yes'); // bp: weight transport
    expect(md.split('\n').find((l) => l.startsWith('| tiny-broken |'))).toContain('0/3');
    expect(md).toMatch(/tiny-broken seed 1 .*W9/);

    // Alignment samples every 3 of the 6 learning steps per epoch, into metrics.jsonl and the figure.
    const metrics = fs.readFileSync(path.join(out, 'tiny-bp-s1', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.alignment.map((s: { step: number }) => s.step))).toEqual([[3, 6], [9, 12]]);
    expect(metrics[0].alignment[0].update_angle.W1).toBeLessThan(0.01);
    expect(fs.existsSync(path.join(out, 'alignment.html'))).toBe(true);
  });

  it('passes --set to every run it plans', () => {
    const plan = planComparison(files, { ...options, overrides: { set: ['optimizer.forward.lr=0.01'] } });
    expect(plan.map((p) => (p.experiment.resolved as Experiment).optimizer.forward.lr)).toEqual([0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    expect(runArguments(plan[0].request)).toEqual(expect.arrayContaining(['--set', 'optimizer.forward.lr=0.01']));
  });

  it('skips finished runs when re-run and retries only the failed ones', async () => {
    const asked: RunRequest[] = [];
    const recorder: JobRunner = {
      async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
        for (const request of requests) {
          asked.push(request);
          yield { request, status: 'failed', error: 'not run' };
        }
      },
    };
    const runs = await compare(files, recorder, options);
    expect(asked.map((r) => r.key)).toEqual(['tiny-broken-s1', 'tiny-broken-s2', 'tiny-broken-s3']);
    expect(runs.filter((r) => r.experiment === 'tiny-bp').map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('continues a run stopped part way from its checkpoint, to the same metrics as a run never stopped', async () => {
    const again = path.join(tmp, 'cmp-again');
    const [planned] = planComparison([files[0]], { ...options, seeds: 1, out: again });
    const stopped = await runStoppedAfterEpoch1(planned.experiment.resolved as Experiment, planned.request.out);
    expect(stopped).toMatchObject({ interrupted: true, epochs_completed: 1 });
    const asked: RunRequest[] = [];
    const [run] = await compare([files[0]], recordingPool(asked), { ...options, seeds: 1, out: again });
    expect(asked.map((r) => r.resume)).toEqual([true]);
    expect(run.status).toBe('finished');
    expect(runMetrics(planned.request.out)).toEqual(runMetrics(path.join(out, 'tiny-bp-s1')));
  });
});

describe('the files compare writes', () => {
  it('name no absolute path when --out and the experiment files are given as absolute paths', () => {
    const out = path.join(tmp, 'absolute-out');
    const files = [tinyExperiment('tiny-bp'), tinyExperiment('tiny-broken', { frozen: ['W9'] })];
    const args = ['compare', ...files, '--seeds', '1', '--epochs', '1', '--train-limit', '300', '--jobs', '2', `--out=${out}`];
    const result = spawnSync(process.execPath, [path.resolve('dist/src/cli/main.js'), ...args], { encoding: 'utf8' });
    expect(result.status).toBe(1); // tiny-broken fails, so its error is in both files too
    const md = fs.readFileSync(path.join(out, 'compare.md'), 'utf8');
    const csv = fs.readFileSync(path.join(out, 'compare.csv'), 'utf8');
    expect(md).toMatch(/tiny-broken seed 1 .*W9/);
    expect(md).not.toMatch(ABSOLUTE_PATH);
    expect(csv).not.toMatch(ABSOLUTE_PATH);
    // The paths written are the same folders, relative to where the command ran.
    expect(md).toContain(`--out=${path.relative(process.cwd(), out)}`);
    const rows = csv.trim().split('\n').map((l) => l.split(','));
    const outColumn = rows[0].indexOf('out');
    expect(rows.slice(1).map((r) => path.resolve(r[outColumn]))).toEqual([path.join(out, 'tiny-bp-s1'), path.join(out, 'tiny-broken-s1')]);
    expect(readSummary(path.resolve(rows[1][outColumn]))!.epochs_completed).toBe(1);
  });
});

describe('the alignment figure', () => {
  it('averages each experiment’s runs per step and layer, with NaN as a gap', () => {
    const sample = (step: number, w1: number | 'NaN') => ({ step, update_angle: { W1: w1 }, feedback_angle: {}, feedback_norm_ratio: {}, target_angle: {} });
    const figure = alignmentFigure(new Map([['fa', [[sample(10, 80), sample(20, 'NaN')], [sample(10, 60), sample(20, 'NaN')]]]]));
    expect(figure.data).toHaveLength(1);
    expect(figure.data[0]).toMatchObject({ name: 'fa', showlegend: true, x: [10, 20], y: [70, null], xaxis: 'x', yaxis: 'y' });
    expect(figure.data[0].hovertemplate).toContain('fa W1');
  });
});
