/**
 * `apical compare <experiment.json | folder> ... [--seeds N] [--jobs J] [--out DIR]` plus `run`'s
 * overrides: every experiment for seeds 1 … N, J runs at a time (a JobRunner: by default separate
 * local processes, one per core), each into DIR/<experiment>-s<seed>; then DIR/compare.csv,
 * DIR/compare.md and DIR/alignment.html, and the table on stdout. Runs whose folder already holds a
 * finished run of the same length are skipped, so an interrupted comparison resumes where it stopped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, Overrides } from '../experiment/experiment';
import { LearningExperiment, loadLearningExperiment } from '../experiment/learning-experiment';
import { finishedRun, interruptedRun, JobRunner, RunRequest } from './job';
import { alignmentFigure, readAlignment } from '../report/figures/alignment';
import { compareCsv, ComparedRun, compareMarkdown, compareTable } from '../report/compare';
import { reportPage } from '../report/page';
import { projectPath } from '../report/project-path';

export interface CompareOptions {
  readonly seeds: number;
  readonly out: string;
  readonly overrides: Omit<Overrides, 'seed'>;
  /** The command line, quoted in compare.md. */
  readonly command: string;
  readonly log?: (line: string) => void;
}

/** Experiment files named by `inputs`: files as given, folders as their *.json files in name order. */
export function experimentFiles(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
      const files = fs.readdirSync(input).filter((f) => f.endsWith('.json')).sort();
      if (files.length === 0) throw new ConfigError(`${input}: folder holds no experiment files (*.json)`);
      return files.map((f) => path.join(input, f));
    }
    return [input];
  });
}

interface Planned {
  readonly experiment: LearningExperiment;
  readonly request: RunRequest;
}

/** Every (seed, experiment) pair with its run folder, seed by seed; experiment names must differ. */
export function planComparison(files: readonly string[], options: CompareOptions): Planned[] {
  const load = (seed: number) => files.map((file) => loadLearningExperiment(file, { ...options.overrides, seed }));
  const experiments = load(1);
  const seen = new Map<string, string>();
  for (const e of experiments) {
    const other = seen.get(e.name);
    if (other) throw new ConfigError(`${e.file}: experiment name "${e.name}" is also used by ${other}; compare needs distinct names`);
    seen.set(e.name, e.file);
  }
  // Seed-major, so a comparison stopped part way has every experiment at its first seeds.
  return Array.from({ length: options.seeds }, (_, i) => i + 1).flatMap((seed) =>
    (seed === 1 ? experiments : load(seed)).map((experiment) => {
      const key = `${experiment.name}-s${seed}`;
      const { epochs, trainLimit, dataDir, set } = options.overrides;
      return {
        experiment,
        request: { key, experiment: experiment.file, seed, out: path.join(options.out, key), epochs, trainLimit, dataDir, set },
      };
    }),
  );
}

/** Runs the comparison with `runner`, writes the report files, returns every run's row. */
export async function compare(files: readonly string[], runner: JobRunner, options: CompareOptions): Promise<ComparedRun[]> {
  const log = options.log ?? (() => undefined);
  // Paths relative to the working directory, so the runs' messages and the report name no absolute path.
  const out = projectPath(options.out);
  const plan = planComparison(files.map((file) => projectPath(file)), { ...options, out });
  fs.mkdirSync(out, { recursive: true });
  const rows = new Map<string, ComparedRun>();
  const row = (p: Planned, rest: Pick<ComparedRun, 'status' | 'summary' | 'error'>): ComparedRun => ({
    experiment: p.experiment.name,
    rule: p.experiment.rule.name,
    uses: p.experiment.rule.uses,
    seed: p.request.seed,
    out: p.request.out,
    ...rest,
  });
  const pending: Planned[] = [];
  for (const p of plan) {
    const summary = finishedRun(p.request.out, p.experiment.training.epochs);
    if (summary) rows.set(p.request.key, row(p, { status: 'skipped', summary }));
    else pending.push(interruptedRun(p.request.out, p.experiment.sameRun) ? { ...p, request: { ...p.request, resume: true } } : p);
  }
  const resumed = pending.filter((p) => p.request.resume).length;
  log(`compare: ${plan.length} runs (${plan.length - pending.length} already finished, ${resumed} to resume from a checkpoint) → ${out}`);
  const byKey = new Map(pending.map((p) => [p.request.key, p]));
  let done = 0;
  for await (const outcome of runner.run(pending.map((p) => p.request))) {
    const p = byKey.get(outcome.request.key)!;
    done++;
    if (outcome.status === 'failed') {
      rows.set(p.request.key, row(p, { status: 'failed', error: outcome.error }));
      log(`[${done}/${pending.length}] ${p.request.key} FAILED: ${outcome.error}`);
    } else {
      rows.set(p.request.key, row(p, { status: outcome.status, summary: outcome.summary }));
      const test = outcome.summary.final?.test_error;
      log(`[${done}/${pending.length}] ${p.request.key}: test error ${test == null ? '—' : (100 * test).toFixed(2) + '%'}`);
    }
  }
  const runs = plan.map((p) => rows.get(p.request.key)!);
  fs.writeFileSync(path.join(out, 'compare.csv'), compareCsv(runs));
  fs.writeFileSync(path.join(out, 'compare.md'), compareMarkdown(runs, options.command));
  const alignment = new Map<string, ReturnType<typeof readAlignment>[]>();
  for (const run of runs) {
    const samples = run.summary ? readAlignment(run.out) : [];
    if (samples.length > 0) alignment.set(run.experiment, [...(alignment.get(run.experiment) ?? []), samples]);
  }
  if (alignment.size > 0) {
    const page = path.join(out, 'alignment.html');
    const figure = {
      id: 'alignment',
      title: 'Alignment with back-propagation',
      caption: 'Per layer, mean over each experiment’s seeds: update angle with BP, feedback matrix angle with W, target direction angle with −∂L/∂h (metrics.jsonl alignment samples).',
      figure: alignmentFigure(alignment),
    };
    fs.writeFileSync(page, reportPage('apical compare: alignment', '', [figure]));
    log(`alignment angles: ${page}`);
  }
  log(compareTable(runs));
  return runs;
}
