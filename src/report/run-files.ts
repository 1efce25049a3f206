/**
 * Reading a run directory back: its config, summary, epoch metrics, whatever the recorders wrote
 * under record/ and a spiking run's monitors/. A report draws what is there and skips what is not; every JSONL file under
 * record/ that no figure knows is kept as `other`, so data added later can still be listed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ActivitySample, RECORD_DIR, ReconstructionSample, WeightStats } from '../record/formats';
import { MonitorData, readMonitors } from './monitor-data';

/**
 * One line of metrics.jsonl: the trainer's EpochRecord (with `epoch`) plus whatever other metrics
 * were added, or a spiking run's window (with `t_end_s`).
 */
export type MetricsRecord = { readonly epoch?: number } & Readonly<Record<string, unknown>>;

export interface RunFiles {
  readonly dir: string;
  /** "<experiment> s<seed>", or the folder's name. */
  readonly label: string;
  readonly config: Readonly<Record<string, any>> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly summary: Readonly<Record<string, any>> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly metrics: readonly MetricsRecord[];
  readonly activity: readonly ActivitySample[];
  readonly weights: readonly WeightStats[];
  readonly reconstructions: readonly ReconstructionSample[];
  /** A spiking run's monitors (monitors/), or null. */
  readonly monitors: MonitorData | null;
  /** A spiking DTP run's recorded trial (trial/, same format), or null. */
  readonly trial?: MonitorData | null;
  /** Other JSONL files under record/ (file name → lines). */
  readonly other: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/**
 * The fields of summary.json that every training run writes (session/rate.ts writes more) and that
 * compare, sweep and the queue read back.
 */
export interface RunSummary {
  readonly experiment: string;
  readonly rule: string;
  readonly seed: number;
  readonly epochs: number;
  readonly epochs_completed: number;
  readonly interrupted: boolean;
  readonly final: { readonly train_error: number; readonly valid_error: number | null; readonly test_error: number | null } | null;
  readonly best_valid: { readonly epoch: number; readonly valid_error: number; readonly test_error: number | null } | null;
  readonly training_seconds: number;
  readonly wall_seconds: number;
  /** Set when early stopping ended the run before its epochs (absent in runs of older apicals). */
  readonly stopped_early?:
    | { readonly epoch: number; readonly best_epoch: number; readonly patience: number }
    | { readonly epoch: number; readonly valid_error: number; readonly stop_at: number }
    | null;
}

/** A run directory that cannot be read. */
export class RunReadError extends Error {
  override readonly name = 'RunReadError';
}

function readJsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new RunReadError(`${file}: line ${i + 1} is not valid JSON`);
      }
    });
}

function readJsonIfThere(file: string): Record<string, unknown> | null {
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new RunReadError(`${file}: not valid JSON`);
  }
}

const known: Record<string, keyof RunFiles> = {
  'activity.jsonl': 'activity',
  'weights.jsonl': 'weights',
  'reconstructions.jsonl': 'reconstructions',
};

/** Reads the run directory `dir`. */
export function readRun(dir: string): RunFiles {
  const metricsFile = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(metricsFile)) throw new RunReadError(`${dir}: not a run directory (no metrics.jsonl)`);
  const config = readJsonIfThere(path.join(dir, 'config.json'));
  const seed = (config?.training as { seed?: number } | undefined)?.seed ?? config?.seed;
  const label = config?.name !== undefined && seed !== undefined ? `${config.name} s${seed}` : path.basename(path.resolve(dir));
  const recorded: Record<string, unknown[]> = {};
  const other: Record<string, Record<string, unknown>[]> = {};
  const recordDir = path.join(dir, RECORD_DIR);
  if (fs.existsSync(recordDir)) {
    for (const name of fs.readdirSync(recordDir).sort()) {
      if (!name.endsWith('.jsonl')) continue;
      const lines = readJsonLines<Record<string, unknown>>(path.join(recordDir, name));
      if (known[name]) recorded[known[name]] = lines;
      else other[name] = lines;
    }
  }
  return {
    dir,
    label,
    config,
    summary: readJsonIfThere(path.join(dir, 'summary.json')),
    metrics: readJsonLines<MetricsRecord>(metricsFile),
    activity: (recorded.activity ?? []) as ActivitySample[],
    weights: (recorded.weights ?? []) as WeightStats[],
    reconstructions: (recorded.reconstructions ?? []) as ReconstructionSample[],
    monitors: readMonitors(dir),
    trial: readMonitors(dir, 'trial'),
    other,
  };
}
