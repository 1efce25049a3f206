/**
 * `apical tune <experiment.json> --space space.json --trials N [--budget EPOCHS] [--eta η]
 * [--min-epochs E] [--seed S] [--jobs J | --queue URL] [--out DIR]`: a hyper-parameter search.
 *
 * Trials are proposed from the search space (search-space.ts: trial i's settings from its own
 * seeded stream) and trained by successive halving (successive-halving.ts): every trial for the
 * first rung's epochs, then the best 1/η for η times as many, up to the budget. Each run is an
 * ordinary `apical run <experiment> --epochs E --set field=value …` executed by a JobRunner (local
 * processes or the BullMQ queue, as for `compare`), into DIR/trials/t<trial>-e<epochs>. Runs already
 * finished there are read back and runs stopped part way resume from their checkpoints, so a search
 * stopped at any moment continues where it was by re-running the same command. The training seed
 * stays the experiment's, so trials differ only in their settings, unless the space draws
 * `training.seed` itself: then each trial is also a fresh initialisation and batch order, as in a
 * random search of unseeded runs (Bartunov et al. 2018's 60 configurations per method).
 *
 * Written to DIR: search.json (the search's plan: refused when a re-run asks for another),
 * trials.csv, tune.md and tune.html (rewritten as each run ends), and, when the search ends, best.json,
 * the experiment file with the best trial's settings (paths inside it rewritten to stay valid from DIR).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, experimentJson, loadExperiment, Overrides } from '../experiment/experiment';
import { reportPage } from '../report/page';
import { projectPath } from '../report/project-path';
import { CHECKPOINT_FILE } from '../session/run-directory';
import { SearchedField, TrialRow, tuneCsv, tuneFigures, tuneMarkdown } from '../report/tune';
import { RunSummary } from '../report/run-files';
import { finishedRun, JobRunner, RunRequest } from './job';
import { proposeTrial, SearchSpace, setArguments, Settings, SpaceError } from './search-space';
import { promote, rungs } from './successive-halving';

export interface TuneOptions {
  readonly space: SearchSpace;
  /** The search space's file, for messages and search.json. */
  readonly spaceFile: string;
  readonly trials: number;
  /** Epochs of the last rung (default: the experiment's). */
  readonly budget?: number;
  readonly eta: number;
  readonly minEpochs: number;
  /** The search's seed: which trials are proposed. */
  readonly seed: number;
  readonly out: string;
  /** `run`'s overrides applied to every trial (the trials' settings come after `set`). */
  readonly overrides: Pick<Overrides, 'dataDir' | 'trainLimit' | 'set'>;
  /** The command line, quoted in tune.md. */
  readonly command: string;
  readonly log?: (line: string) => void;
}

export interface TuneResult {
  readonly rows: readonly TrialRow[];
  readonly best: TrialRow | null;
  readonly bestFile: string | null;
}

const trialName = (trial: number, epochs: number): string => `t${String(trial).padStart(3, '0')}-e${epochs}`;

/** A finished run's score (its lowest validation error, null without validation; that epoch and its test error) and its cost. */
function scoreOf(summary: RunSummary): Pick<TrialRow, 'validError' | 'bestEpoch' | 'testError' | 'trainingSeconds' | 'epochsTrained'> {
  const cost = { trainingSeconds: summary.training_seconds, epochsTrained: summary.epochs_completed };
  if (summary.best_valid) return { validError: summary.best_valid.valid_error, bestEpoch: summary.best_valid.epoch, testError: summary.best_valid.test_error, ...cost };
  return { validError: null, bestEpoch: null, testError: summary.final?.test_error ?? null, ...cost };
}

/** Runs the search with `runner`; writes its files into `options.out`. */
export async function tune(file: string, runner: JobRunner, options: TuneOptions): Promise<TuneResult> {
  const log = options.log ?? (() => undefined);
  const base = loadExperiment(file, { ...options.overrides });
  const budget = options.budget ?? base.training.epochs;
  if (base.data.validation === 0) throw new ConfigError(`${file}: /data/validation is 0: a search needs held-out images to score its trials`);
  const plan = rungs(options.trials, budget, options.eta, Math.min(options.minEpochs, budget));
  const settingsOf = (trial: number): Settings => proposeTrial(options.space, options.seed, trial);
  const setOf = (trial: number): string[] => [...(options.overrides.set ?? []), ...setArguments(settingsOf(trial))];
  // `run --seed` outranks `--set training.seed`, so a drawn seed travels as the request's seed.
  const seedOf = (trial: number): number => (settingsOf(trial)['training.seed'] as number | undefined) ?? base.training.seed;
  // Every field must be one the experiment takes: checked on the first trial's settings, before anything runs.
  try {
    loadExperiment(file, { ...options.overrides, set: setOf(0) });
  } catch (error) {
    if (error instanceof ConfigError) throw new SpaceError(`${options.spaceFile}: a trial's settings do not fit ${file}: ${error.message}`);
    throw error;
  }
  fs.mkdirSync(path.join(options.out, 'trials'), { recursive: true });
  claimFolder(options, file, budget);

  const fields: SearchedField[] = options.space.map(({ field, distribution }) => ({ field, log: distribution.kind === 'log-uniform' }));
  const rows: TrialRow[] = [];
  let members = Array.from({ length: options.trials }, (_, i) => i);
  for (const rung of plan) {
    if (rung.index > 0) {
      const previous = rows.filter((r) => r.rung === rung.index - 1).map((r) => ({ trial: r.trial, score: r.validError }));
      members = promote(previous, rung.trials);
      if (members.length === 0) {
        log(`tune: no trial of rung ${rung.index - 1} finished with a validation error; stopping`);
        break;
      }
    }
    const requests = members.map((trial): RunRequest => ({
      key: trialName(trial, rung.epochs),
      experiment: file,
      seed: seedOf(trial),
      out: path.join(options.out, 'trials', trialName(trial, rung.epochs)),
      epochs: rung.epochs,
      trainLimit: options.overrides.trainLimit,
      dataDir: options.overrides.dataDir,
      set: setOf(trial),
    }));
    const trialOf = new Map(requests.map((r, i) => [r.key, members[i]]));
    const done = new Map<number, TrialRow>();
    const row = (request: RunRequest, rest: Pick<TrialRow, 'status' | 'validError' | 'bestEpoch' | 'testError' | 'trainingSeconds' | 'epochsTrained' | 'error'>): TrialRow => {
      const trial = trialOf.get(request.key)!;
      return { trial, rung: rung.index, epochs: rung.epochs, settings: settingsOf(trial), out: path.relative(options.out, request.out), ...rest };
    };
    const pending: RunRequest[] = [];
    for (const request of requests) {
      const summary = finishedRun(request.out, rung.epochs);
      if (summary) done.set(trialOf.get(request.key)!, row(request, { status: 'skipped', ...scoreOf(summary) }));
      else pending.push(fs.existsSync(path.join(request.out, CHECKPOINT_FILE)) ? { ...request, resume: true } : request);
    }
    log(`tune: rung ${rung.index}: ${requests.length} trials × ${rung.epochs} epochs (${requests.length - pending.length} already finished)`);
    // The files follow the search as each run ends, so a search of hours can be read (and committed) part way.
    const progress = (): void => writeFiles(options, fields, [...rows, ...members.flatMap((trial) => done.get(trial) ?? [])], plan, base.name, budget, false, null, null);
    progress();
    for await (const outcome of runner.run(pending)) {
      const trial = trialOf.get(outcome.request.key)!;
      if (outcome.status === 'failed') {
        done.set(trial, row(outcome.request, { status: 'failed', validError: null, bestEpoch: null, testError: null, trainingSeconds: null, epochsTrained: null, error: outcome.error }));
        log(`  ${outcome.request.key} FAILED: ${outcome.error}`);
      } else {
        const r = row(outcome.request, { status: outcome.status, ...scoreOf(outcome.summary) });
        done.set(trial, r);
        log(`  ${outcome.request.key}: validation error ${r.validError === null ? '—' : (100 * r.validError).toFixed(2) + '%'}`);
      }
      progress();
    }
    rows.push(...members.map((trial) => done.get(trial)!));
  }

  const lastRung = Math.max(...rows.map((r) => r.rung));
  const last = rows.filter((r) => r.rung === lastRung);
  const [winner] = promote(last.map((r) => ({ trial: r.trial, score: r.validError })), 1);
  const best = winner === undefined ? null : last.find((r) => r.trial === winner)!;
  const bestFile = best ? writeBestExperiment(file, options.out, setOf(best.trial)) : null;
  writeFiles(options, fields, rows, plan, base.name, budget, true, best, bestFile);
  if (best) log(`tune: best trial ${best.trial}, validation error ${(100 * best.validError!).toFixed(2)}% → ${path.join(options.out, bestFile!)}`);
  return { rows, best, bestFile };
}

/**
 * search.json: the plan of the search in `out`, its experiment named relative to the project (the
 * folder the command runs in: report/project-path.ts); a folder holding another search is refused.
 */
function claimFolder(options: TuneOptions, file: string, budget: number): void {
  const plan = { experiment: projectPath(path.resolve(file)), space: options.space, trials: options.trials, budget, eta: options.eta, minEpochs: options.minEpochs, seed: options.seed, overrides: options.overrides };
  const where = path.join(options.out, 'search.json');
  if (fs.existsSync(where)) {
    const before = fs.readFileSync(where, 'utf8');
    if (before !== JSON.stringify(plan, null, 1) + '\n') {
      throw new ConfigError(`${options.out}: holds another search (search.json differs); choose another --out to start a new one`);
    }
    return;
  }
  fs.writeFileSync(where, JSON.stringify(plan, null, 1) + '\n');
}

function writeFiles(options: TuneOptions, fields: SearchedField[], rows: TrialRow[], plan: ReturnType<typeof rungs>, experiment: string, budget: number, ended: boolean, best: TrialRow | null, bestFile: string | null): void {
  fs.writeFileSync(path.join(options.out, 'trials.csv'), tuneCsv(fields, rows));
  const summary = { command: options.command, experiment, seed: options.seed, budget, eta: options.eta, rungs: plan, ended, best, bestFile };
  fs.writeFileSync(path.join(options.out, 'tune.md'), tuneMarkdown(summary, fields, rows));
  fs.writeFileSync(path.join(options.out, 'tune.html'), reportPage(`apical tune: ${experiment}`, '', tuneFigures(fields, rows)));
}

/**
 * best.json in `out`: the experiment file with `settings` applied, its model and side-information
 * paths rewritten relative to `out`; returns its name.
 */
function writeBestExperiment(file: string, out: string, settings: readonly string[]): string {
  const json = experimentJson(file, settings) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const moved = (p: string): string => path.relative(out, path.resolve(path.dirname(file), p));
  if (typeof json.model === 'string') json.model = moved(json.model);
  if (typeof json.data?.side?.file === 'string') json.data.side.file = moved(json.data.side.file);
  json.name = `${json.name}-tuned`;
  fs.writeFileSync(path.join(out, 'best.json'), JSON.stringify(json, null, 2) + '\n');
  return 'best.json';
}
