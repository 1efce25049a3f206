/**
 * A run directory: everything a run leaves behind.
 *   config.json      the resolved experiment (model inlined, defaults and overrides applied)
 *   metrics.jsonl    one JSON object per epoch, appended and flushed as each epoch ends
 *   summary.json     final and best-validation test error, wall time, seed, version
 *   weights/         one little-endian float32 file per parameter array, and manifest.json
 *   checkpoint.ckpt  the run's whole state at its last checkpoint (state/checkpoint.ts), if any
 *   run.lock         while a process works in the folder: its pid, host and start time
 * A directory that already holds a run is never overwritten unless asked (`force`), and one that
 * another apical process is working in is refused (two processes appending to one metrics.jsonl
 * and replacing each other's checkpoints would leave neither run intact). A lock left by a process
 * that died (SIGKILL, a crash) is taken over when its pid is gone from this host; a lock from
 * another host is taken over only when the caller knows its holder is dead (`takeOver`: a queue
 * worker re-running a job whose previous worker BullMQ found stalled).
 *
 * Every file is written so that a crash or a full disk leaves the previous version intact
 * (durable.ts): JSON, weights and checkpoints by atomic rename, metrics.jsonl by appending whole
 * lines only. A folder that cannot be created or written is refused before anything runs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Network } from '../network/network';
import { Checkpoint, decodeCheckpoint } from '../state/checkpoint';
import { appendLine, describeFsError, writeFileAtomic } from '../report/durable';

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
export const LOCK_FILE = 'run.lock';

/** What run.lock holds. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Whether the process holding a lock may still be running (only a pid on this host can be checked). */
function mayBeRunning(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options of `create` and `open`. */
export interface OpenOptions {
  /** Take the folder over even from a lock whose holder cannot be checked (another host's). */
  readonly takeOver?: boolean;
}

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
  private locked = false;

  private constructor(readonly dir: string) {}

  /**
   * Creates `dir` and holds it until `close`; refuses one that already holds files unless `force`,
   * one it cannot write, and one another process is working in.
   */
  static create(dir: string, force: boolean, options: OpenOptions = {}): RunDirectory {
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
    run.lock(options);
    for (const stale of ['metrics.jsonl', CHECKPOINT_FILE]) fs.rmSync(path.join(dir, stale), { force: true });
    return run;
  }

  /** An existing run folder, to resume the run in it; held until `close`. */
  static open(dir: string, options: OpenOptions = {}): RunDirectory {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RunDirectoryError(`${dir}: no such run folder`);
    const run = new RunDirectory(dir);
    run.probe();
    run.lock(options);
    return run;
  }

  /**
   * An existing run folder and the checkpoint to continue from (`apical resume`), held until
   * `close`; a finished run, one without a checkpoint and a damaged checkpoint are refused.
   */
  static resume(dir: string, options: OpenOptions = {}): { run: RunDirectory; checkpoint: Checkpoint } {
    const run = RunDirectory.open(dir, options);
    try {
      const file = path.join(dir, CHECKPOINT_FILE);
      if (!fs.existsSync(file)) {
        const done = run.summary()?.interrupted === false;
        throw new RunDirectoryError(`${dir}: ${done ? 'the run has finished' : `holds no checkpoint (${CHECKPOINT_FILE}) to resume from`}`);
      }
      return { run, checkpoint: decodeCheckpoint(fs.readFileSync(file), file) };
    } catch (error) {
      run.close();
      throw error;
    }
  }

  /** Releases the folder (removes run.lock if it is still this process's). */
  close(): void {
    if (!this.locked) return;
    this.locked = false;
    const holder = this.lockHolder();
    if (holder && holder.pid === process.pid && holder.host === os.hostname()) fs.rmSync(path.join(this.dir, LOCK_FILE), { force: true });
  }

  /** Creates run.lock, exclusively; a stale one (its process gone) is replaced. */
  private lock({ takeOver = false }: OpenOptions): void {
    const file = path.join(this.dir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    for (;;) {
      try {
        fs.writeFileSync(file, JSON.stringify(me) + '\n', { flag: 'wx' });
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new RunDirectoryError(`run folder ${this.dir} cannot be written: ${describeFsError(error)}`);
      }
      const holder = this.lockHolder();
      if (holder && !takeOver && mayBeRunning(holder)) {
        throw new RunDirectoryError(
          `${this.dir}: in use by apical process ${holder.pid} on ${holder.host} since ${holder.since}; wait for it or stop it (if no such process is running, delete ${file})`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }

  /** Who holds run.lock, or null (no lock, or an unreadable one, which counts as stale). */
  private lockHolder(): LockHolder | null {
    try {
      const holder = JSON.parse(fs.readFileSync(path.join(this.dir, LOCK_FILE), 'utf8')) as LockHolder;
      return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : null;
    } catch {
      return null;
    }
  }

  /**
   * Writes and removes a small file: a folder we cannot write is refused before training. The
   * file is named for this process, so that two processes probing one folder at once (a second
   * one about to be refused by the lock) do not remove each other's.
   */
  private probe(): void {
    const file = path.join(this.dir, `.apical-write-test-${process.pid}`);
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

  /** Saves every projection's weights and biases, and every population's input centre, with a manifest. */
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
    // A population reading a centred input (network/input-centre.ts) computes f((x − c)·W + b): its centre is part of the network.
    for (const population of network.populations) {
      if (population.inputCentre) save(`centre${population.index}`, population.inputCentre.values, [population.inputCentre.values.length]);
    }
    writeFileAtomic(path.join(folder, 'manifest.json'), JSON.stringify({ model: network.spec.name, weights: entries }, null, 2) + '\n');
    return entries;
  }
}
