/**
 * `tune` (src/jobs/tune.ts) with a runner that stands in for training: a run's validation error is
 * a known function of its settings and epochs, so what successive halving must find is known.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JobRunner, RunOutcome, RunRequest } from '../src/jobs/job';
import { parseSearchSpace, SpaceError } from '../src/jobs/search-space';
import { tune } from '../src/jobs/tune';

const experiment = path.resolve(__dirname, '../experiments/mnist-dtp.json');
const space = parseSearchSpace({ 'optimizer.forward.lr': { 'log-uniform': [1e-4, 1] }, 'rule.noise': { uniform: [0.1, 0.5] } }, 'space.json');

/** Validation error of a run: lowest at lr = 1e-2, falling with epochs as 1/epochs. */
const validError = (lr: number, epochs: number): number => 0.02 + 0.05 * Math.log10(lr / 1e-2) ** 2 + 0.1 / epochs;

/**
 * Writes each request's summary.json as a run would, at 2 s per epoch trained; records what it was
 * asked to run. `stoppedAt(key)` makes a run stop early by patience after that many epochs.
 */
class FormulaRunner implements JobRunner {
  readonly asked: RunRequest[] = [];
  constructor(private readonly stoppedAt: (key: string) => number | undefined = () => undefined) {}
  async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
    for (const request of requests) {
      this.asked.push(request);
      const lr = Number(request.set!.find((s) => s.startsWith('optimizer.forward.lr='))!.split('=')[1]);
      const epochs = request.epochs!;
      const trained = this.stoppedAt(request.key) ?? epochs;
      const valid = validError(lr, trained);
      const summary = {
        experiment: 'mnist-dtp', rule: 'dtp', seed: request.seed, epochs, epochs_completed: trained, interrupted: false,
        final: { train_error: 0, valid_error: valid, test_error: valid + 0.001 },
        best_valid: { epoch: trained, valid_error: valid, test_error: valid + 0.001 },
        ...(trained < epochs ? { stopped_early: { epoch: trained, best_epoch: trained, patience: 1 } } : {}),
        training_seconds: trained * 2, wall_seconds: trained * 2,
      };
      fs.mkdirSync(request.out, { recursive: true });
      fs.writeFileSync(path.join(request.out, 'summary.json'), JSON.stringify(summary));
      yield { request, status: 'finished', summary };
    }
  }
}

let out: string;
beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-tune-'))));
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

const options = () => ({ space, spaceFile: 'space.json', trials: 27, budget: 27, eta: 3, minEpochs: 1, seed: 5, out, overrides: {}, command: 'apical tune test' });

test('successive halving trains every trial briefly, the best third longer, and picks the lowest validation error', async () => {
  const runner = new FormulaRunner();
  const result = await tune(experiment, runner, options());
  // Rungs of 1, 3, 9, 27 epochs for 27, 9, 3, 1 trials.
  const byEpochs = new Map<number, number>();
  for (const r of runner.asked) byEpochs.set(r.epochs!, (byEpochs.get(r.epochs!) ?? 0) + 1);
  expect([...byEpochs]).toEqual([[1, 27], [3, 9], [9, 3], [27, 1]]);
  // Each rung promotes the trials with the lowest errors of the rung before.
  const rung = (k: number) => result.rows.filter((r) => r.rung === k);
  for (let k = 1; k < 4; k++) {
    const promoted = new Set(rung(k).map((r) => r.trial));
    const worstPromoted = Math.max(...rung(k - 1).filter((r) => promoted.has(r.trial)).map((r) => r.validError!));
    const bestLeft = Math.min(...rung(k - 1).filter((r) => !promoted.has(r.trial)).map((r) => r.validError!));
    expect(worstPromoted).toBeLessThanOrEqual(bestLeft);
  }
  // The winner is the trial whose lr is nearest 1e-2 on the log scale among all 27.
  const lrs = rung(0).map((r) => ({ trial: r.trial, distance: Math.abs(Math.log10((r.settings['optimizer.forward.lr'] as number) / 1e-2)) }));
  const nearest = lrs.sort((a, b) => a.distance - b.distance)[0].trial;
  expect(result.best!.trial).toBe(nearest);
  // best.json is the experiment with those settings, loadable from the search folder.
  const best = JSON.parse(fs.readFileSync(path.join(out, 'best.json'), 'utf8'));
  expect(best.optimizer.forward.lr).toBe(result.best!.settings['optimizer.forward.lr']);
  expect(best.rule.noise).toBe(result.best!.settings['rule.noise']);
  expect(fs.existsSync(path.resolve(out, best.model))).toBe(true);
  // search.json names the experiment relative to the project, so a committed search stays true anywhere.
  expect(JSON.parse(fs.readFileSync(path.join(out, 'search.json'), 'utf8')).experiment).toBe(path.relative(process.cwd(), experiment));
  const csv = fs.readFileSync(path.join(out, 'trials.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('trial,rung,epochs,optimizer.forward.lr,rule.noise,status,valid_error,best_epoch,test_error,training_seconds,epochs_trained,out,error');
  expect(csv).toHaveLength(1 + 27 + 9 + 3 + 1);
  const md = fs.readFileSync(path.join(out, 'tune.md'), 'utf8');
  // 108 epochs run against 27 × 27 = 729 for every trial to the budget: 6.75×.
  expect(md).toContain('for 108 epochs');
  expect(md).toContain('(6.8× this search)');
  expect(fs.readFileSync(path.join(out, 'tune.html'), 'utf8')).toContain('Validation error against optimizer.forward.lr');
});

test('the cost counts the epochs a run trained, not its planned epochs, when patience stopped it', async () => {
  // One rung: 3 trials × 8 epochs; trial 1 stops after 2. 18 epochs at 2 s each; all 24 would take 48 s.
  const runner = new FormulaRunner((key) => (key === 't001-e8' ? 2 : undefined));
  await tune(experiment, runner, { ...options(), trials: 3, budget: 8, minEpochs: 8 });
  const csv = fs.readFileSync(path.join(out, 'trials.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
  expect(csv.slice(1).map((r) => r[csv[0].indexOf('epochs_trained')])).toEqual(['8', '2', '8']);
  const md = fs.readFileSync(path.join(out, 'tune.md'), 'utf8');
  expect(md).toContain('Training time: 0.01 hours for 18 epochs');
  expect(md).toContain('at the same 2.00 s per epoch: 0.01 hours (1.3× this search)');
  // Read back from its folder on a re-run, a stopped trial still counts its own epochs.
  await tune(experiment, new FormulaRunner(), { ...options(), trials: 3, budget: 8, minEpochs: 8 });
  expect(fs.readFileSync(path.join(out, 'tune.md'), 'utf8')).toContain('for 18 epochs');
});

test('trials.csv and tune.md follow a search part way, best.json waits for its end', async () => {
  // Looks at the files as the fourth run of one rung of 5 starts: three have ended.
  let seen: { csv: string[]; md: string; best: boolean } | undefined;
  class Watching extends FormulaRunner {
    override async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
      let started = 0;
      for await (const outcome of super.run(requests)) {
        yield outcome;
        if (++started === 3) {
          seen = {
            csv: fs.readFileSync(path.join(out, 'trials.csv'), 'utf8').trim().split('\n'),
            md: fs.readFileSync(path.join(out, 'tune.md'), 'utf8'),
            best: fs.existsSync(path.join(out, 'best.json')),
          };
        }
      }
    }
  }
  await tune(experiment, new Watching(), { ...options(), trials: 5, budget: 4, minEpochs: 4 });
  expect(seen!.csv).toHaveLength(1 + 3);
  expect(seen!.md).toContain('## Rung 0 (4 epochs; 3 of 5 trials ended so far)');
  expect(seen!.md).toContain('The search is under way');
  expect(seen!.best).toBe(false);
  const md = fs.readFileSync(path.join(out, 'tune.md'), 'utf8');
  expect(md).toContain('## Rung 0 (4 epochs)\n');
  expect(md).toMatch(/Best: trial \d, validation error/);
  expect(fs.existsSync(path.join(out, 'best.json'))).toBe(true);
});

test('the same command proposes the same trials, and a re-run only reads back what finished', async () => {
  const first = await tune(experiment, new FormulaRunner(), options());
  const again = new FormulaRunner();
  const second = await tune(experiment, again, options());
  expect(again.asked).toHaveLength(0);
  expect(second.rows.map((r) => [r.trial, r.rung, r.validError])).toEqual(first.rows.map((r) => [r.trial, r.rung, r.validError]));
  // A rung cut short: its missing runs run again, nothing else.
  fs.rmSync(path.join(out, 'trials', 't000-e1'), { recursive: true });
  const third = new FormulaRunner();
  await tune(experiment, third, options());
  expect(third.asked.map((r) => r.key)).toEqual(['t000-e1']);
});

test('a space that draws training.seed runs each trial from its own seed; otherwise every trial keeps the experiment\'s', async () => {
  const seeded = parseSearchSpace({ 'optimizer.forward.lr': { 'log-uniform': [1e-4, 1] }, 'training.seed': { integer: [1, 1000] } }, 'seeded.json');
  const runner = new FormulaRunner();
  const result = await tune(experiment, runner, { ...options(), space: seeded, trials: 9, budget: 1 });
  const drawn = result.rows.map((r) => r.settings['training.seed']);
  expect(runner.asked.map((r) => r.seed)).toEqual(drawn);
  expect(new Set(drawn).size).toBeGreaterThan(1);
  const plain = new FormulaRunner();
  fs.rmSync(out, { recursive: true, force: true });
  await tune(experiment, plain, { ...options(), trials: 3, budget: 1 });
  expect(new Set(plain.asked.map((r) => r.seed))).toEqual(new Set([JSON.parse(fs.readFileSync(experiment, 'utf8')).training.seed ?? 1]));
});

test('a folder holding another search, or settings the experiment refuses, are one-line errors', async () => {
  await tune(experiment, new FormulaRunner(), { ...options(), trials: 3, budget: 3 });
  await expect(tune(experiment, new FormulaRunner(), { ...options(), trials: 3, budget: 3, seed: 6 })).rejects.toThrow(`${out}: holds another search (search.json differs)`);
  const wrong = parseSearchSpace({ 'training.epochz': { integer: [1, 3] } }, 'bad.json');
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-tune-'));
  try {
    const attempt = tune(experiment, new FormulaRunner(), { ...options(), space: wrong, spaceFile: 'bad.json', out: fresh });
    await expect(attempt).rejects.toThrow(SpaceError);
    await expect(tune(experiment, new FormulaRunner(), { ...options(), space: wrong, spaceFile: 'bad.json', out: fresh })).rejects.toThrow(
      'bad.json: a trial\'s settings do not fit',
    );
    await expect(tune(experiment, new FormulaRunner(), { ...options(), space: wrong, spaceFile: 'bad.json', out: fresh })).rejects.toThrow('/training has an unknown field "epochz"');
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
});

describe('apical tune on the command line', () => {
  const cli = path.resolve(__dirname, '../dist/src/cli/main.js');
  const apical = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: path.resolve(__dirname, '..') });

  test('a small real search: every trial trained, the best 1/η longer, best.json runs', () => {
    const spaceFile = path.join(out, 'space.json');
    fs.writeFileSync(spaceFile, JSON.stringify({ 'optimizer.forward.lr': { 'log-uniform': [1e-5, 1e-2] } }));
    const search = path.join(out, 'search');
    const result = apical('tune', 'experiments/mnist-bp.json', '--space', spaceFile, '--trials', '4', '--budget', '2', '--eta', '2', '--train-limit', '500', '--jobs', '2', '--out', search);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [header, ...lines] = fs.readFileSync(path.join(search, 'trials.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    const rows = lines.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
    // Rungs: 4 trials × 1 epoch, then the best 2 × 2 epochs.
    expect(rows.map((r) => [r.rung, r.epochs])).toEqual([['0', '1'], ['0', '1'], ['0', '1'], ['0', '1'], ['1', '2'], ['1', '2']]);
    for (const r of rows) expect(Number(r.valid_error)).toBeGreaterThan(0);
    const summaries = rows.map((r) => JSON.parse(fs.readFileSync(path.join(search, r.out, 'summary.json'), 'utf8')));
    expect(summaries.map((s) => s.epochs_completed)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(rows.map((r) => Number(r.epochs_trained))).toEqual([1, 1, 1, 1, 2, 2]);
    const best = apical('run', path.join(search, 'best.json'), '--epochs', '1', '--train-limit', '200', '--out', path.join(out, 'best-run'));
    expect(best.status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'best-run', 'config.json'), 'utf8'));
    expect([rows[4], rows[5]].map((r) => Number(r['optimizer.forward.lr']))).toContain(config.optimizer.forward.lr);
    // Again: nothing left to train.
    const again = apical('tune', 'experiments/mnist-bp.json', '--space', spaceFile, '--trials', '4', '--budget', '2', '--eta', '2', '--train-limit', '500', '--jobs', '2', '--out', search);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('rung 0: 4 trials × 1 epochs (4 already finished)');
    expect(again.stdout).toContain('rung 1: 2 trials × 2 epochs (2 already finished)');
  });

  test('a bad search space is one line naming the file and the field', () => {
    const spaceFile = path.join(out, 'bad.json');
    fs.writeFileSync(spaceFile, JSON.stringify({ 'rule.noise': { uniform: [1, 0] } }));
    const result = apical('tune', 'experiments/mnist-dtp.json', '--space', spaceFile, '--trials', '3', '--out', path.join(out, 's'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`apical: ${spaceFile}: "rule.noise": "uniform" needs low < high, got [1, 0]\n`);
    const missing = apical('tune', 'experiments/mnist-dtp.json', '--trials', '3');
    expect(missing.stderr).toBe('apical: tune needs --space FILE, the search space\n');
  });
});
