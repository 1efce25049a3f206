/**
 * A run as a unit of work, and the seam every way of executing runs plugs into.
 *
 * `apical compare` (and any sweep) turns its plan into RunRequests and hands them to a JobRunner;
 * the runner executes them however it likes — separate local processes (local-pool.ts), or a queue
 * of workers on other machines — and yields one RunOutcome per request as each ends, in any order.
 * A runner never decides what to run: skipping finished runs is the caller's business
 * (finishedRun below), so every runner resumes the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RunSummary } from '../report/run-files';
import { CHECKPOINT_FILE } from '../session/run-directory';

/** One `apical run`: an experiment file, a seed and `run`'s overrides, into its own folder. */
export interface RunRequest {
  /** Unique within a plan, e.g. "compare-fa-s2". */
  readonly key: string;
  /** Path of the experiment file. */
  readonly experiment: string;
  readonly seed: number;
  /** Run folder (created by the run). */
  readonly out: string;
  readonly epochs?: number;
  readonly trainLimit?: number;
  readonly dataDir?: string;
  /** `run`'s --set settings ("optimizer.forward.lr=3e-4"). */
  readonly set?: readonly string[];
  /** The folder holds this run's checkpoint: continue it (`apical resume`) instead of starting over. */
  readonly resume?: boolean;
}

export type RunOutcome =
  | { readonly request: RunRequest; readonly status: 'finished' | 'skipped'; readonly summary: RunSummary }
  | { readonly request: RunRequest; readonly status: 'failed'; readonly error: string };

/** Executes run requests; yields each one's outcome as it ends. */
export interface JobRunner {
  run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome>;
}

/** The argument list of `apical run` for `request` (after the command itself). */
export function runArguments(request: RunRequest): string[] {
  if (request.resume) return ['resume', request.out];
  const args = ['run', request.experiment, '--seed', String(request.seed), '--out', request.out, '--force'];
  if (request.epochs !== undefined) args.push('--epochs', String(request.epochs));
  if (request.trainLimit !== undefined) args.push('--train-limit', String(request.trainLimit));
  if (request.dataDir !== undefined) args.push('--data', request.dataDir);
  for (const setting of request.set ?? []) args.push('--set', setting);
  return args;
}

/** The summary of `out` when it holds a complete, uninterrupted run of `epochs` epochs (or one early stopping ended), else null. */
export function finishedRun(out: string, epochs: number): RunSummary | null {
  const summary = readSummary(out);
  return summary && !summary.interrupted && summary.epochs === epochs && (summary.epochs_completed === epochs || !!summary.stopped_early) ? summary : null;
}

/** summary.json of the run folder `out`, or null when it is missing or unreadable. */
export function readSummary(out: string): RunSummary | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  } catch {
    return null;
  }
}

/**
 * True when `out` holds a checkpoint of the planned run (its config.json is one `sameRun` accepts),
 * so a plan stopped part way continues that run (`resume`) instead of starting it over.
 */
export function interruptedRun(out: string, sameRun: (config: unknown) => boolean): boolean {
  if (!fs.existsSync(path.join(out, CHECKPOINT_FILE))) return false;
  try {
    return sameRun(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')));
  } catch {
    return false;
  }
}
