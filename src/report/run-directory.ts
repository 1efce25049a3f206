/**
 * A run directory: everything a run leaves behind.
 *   config.json      the resolved experiment (model inlined, defaults and overrides applied)
 *   metrics.jsonl    one JSON object per epoch, appended and flushed as each epoch ends
 *   summary.json     final and best-validation test error, wall time, seed, version
 *   weights/         one little-endian float32 file per parameter array, and manifest.json
 *   checkpoint.ckpt  the run's whole state at its last checkpoint (state/checkpoint.ts), if any
 * A directory that already holds a run is never overwritten unless asked (`force`).
 *
 * Every file is written so that a crash or a full disk leaves the previous version intact
 * (durable.ts): JSON, weights and checkpoints by atomic rename, metrics.jsonl by appending whole
 * lines only. A folder that cannot be created or written is refused before anything runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Network } from '../network/network';
import { Checkpoint, decodeCheckpoint } from '../state/checkpoint';
import { appendLine, describeFsError, writeFileAtomic } from './durable';

export interface WeightEntry {
  readonly name: string;
  readonly file: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly byteOrder: 'little';
}

/** A run directory that cannot be used (exists, not a directory, already holds a run). */
export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
}

export const CHECKPOINT_FILE = 'checkpoint.ckpt';

/**
 * The real cause of a failed recursive mkdir: Node reports ENOENT for a folder it cannot create in
 * an existing parent (read-only file system), so the last step is tried alone to get its error.
 */
function mkdirCause(dir: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(path.dirname(dir))) return error;
  try {
    fs.mkdirSync(dir);
    return error;
  } catch (cause) {
    return cause;
  }
}

export class RunDirectory {
  private constructor(readonly dir: string) {}

  /** Creates `dir`; refuses one that already holds files unless `force`, or one it cannot write. */
  static create(dir: string, force: boolean): RunDirectory {
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) throw new RunDirectoryError(`--out ${dir}: exists and is not a directory`);
      if (fs.readdirSync(dir).length > 0 && !force) {
        throw new RunDirectoryError(`--out ${dir}: already holds a run; choose another directory or pass --force to overwrite it`);
      }
    }
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new RunDirectoryError(`run folder ${dir} cannot be created: ${describeFsError(mkdirCause(dir, error))}`);
    }
    const run = new RunDirectory(dir);
    run.probe();
    for (const stale of ['metrics.jsonl', CHECKPOINT_FILE]) fs.rmSync(path.join(dir, stale), { force: true });
    return run;
  }

  /** An existing run folder, to resume the run in it. */
  static open(dir: string): RunDirectory {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RunDirectoryError(`${dir}: no such run folder`);
    const run = new RunDirectory(dir);
    run.probe();
    return run;
  }

  /** Writes and removes a small file: a folder we cannot write is refused before training. */
  private probe(): void {
    const file = path.join(this.dir, '.apical-write-test');
    try {
      fs.writeFileSync(file, 'ok');
      fs.rmSync(file);
    } catch (error) {
      throw new RunDirectoryError(`run folder ${this.dir} cannot be written: ${describeFsError(error)}`);
    }
  }

  writeJson(name: string, value: unknown): void {
    writeFileAtomic(path.join(this.dir, name), JSON.stringify(value, null, 2) + '\n');
  }

  readJson(name: string): unknown {
    const file = path.join(this.dir, name);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new RunDirectoryError(`${file}: cannot be read (${error instanceof SyntaxError ? 'not valid JSON' : describeFsError(error)})`);
    }
  }

  appendMetrics(record: unknown): void {
    appendLine(path.join(this.dir, 'metrics.jsonl'), JSON.stringify(record));
  }

  /**
   * The first `count` records of metrics.jsonl, rewriting the file to hold exactly them: lines
   * after a checkpoint's last epoch, and a torn last line, are dropped (they will be written again).
   */
  keepMetrics(count: number): unknown[] {
    const file = path.join(this.dir, 'metrics.jsonl');
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const lines = text.split('\n').slice(0, -1); // whole lines only: the last piece has no newline
    if (lines.length < count) throw new RunDirectoryError(`${file}: holds ${lines.length} epochs, the checkpoint ${count}`);
    const kept = lines.slice(0, count);
    if (kept.length !== lines.length || !text.endsWith('\n')) writeFileAtomic(file, kept.map((l) => l + '\n').join(''));
    return kept.map((line) => JSON.parse(line));
  }

  writeCheckpoint(bytes: readonly Buffer[]): void {
    writeFileAtomic(path.join(this.dir, CHECKPOINT_FILE), bytes);
  }

  removeCheckpoint(): void {
    fs.rmSync(path.join(this.dir, CHECKPOINT_FILE), { force: true });
  }

  /** summary.json, or null when there is none (yet). */
  summary(): { interrupted: boolean } | null {
    const file = path.join(this.dir, 'summary.json');
    return fs.existsSync(file) ? (this.readJson('summary.json') as { interrupted: boolean }) : null;
  }

  /** The last checkpoint, or null when the run has none. */
  readCheckpoint(): Checkpoint | null {
    const file = path.join(this.dir, CHECKPOINT_FILE);
    if (!fs.existsSync(file)) return null;
    return decodeCheckpoint(fs.readFileSync(file), file);
  }

  /** Saves every projection's weights and biases with a manifest. */
  saveWeights(network: Network): WeightEntry[] {
    const folder = path.join(this.dir, 'weights');
    fs.mkdirSync(folder, { recursive: true });
    const entries: WeightEntry[] = [];
    const save = (name: string, data: Float32Array, shape: number[]): void => {
      const file = `${name}.f32`;
      writeFileAtomic(path.join(folder, file), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      entries.push({ name, file, shape, dtype: 'float32', byteOrder: 'little' });
    };
    for (const projection of network.projections()) {
      save(projection.name, projection.weights, [projection.inSize, projection.outSize]);
      save(projection.biasName, projection.bias, [projection.outSize]);
    }
    writeFileAtomic(path.join(folder, 'manifest.json'), JSON.stringify({ model: network.spec.name, weights: entries }, null, 2) + '\n');
    return entries;
  }
}
