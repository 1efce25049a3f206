/**
 * The local JobRunner: each run is a separate `apical run` process, at most `jobs` at a time
 * (default one per core). A process's output goes to <out>/log.txt; a run that exits non-zero
 * becomes a failed outcome carrying its last error line, never a silent gap.
 *
 * Several runs at once share the cores, so unless the caller's environment says otherwise each
 * child gets APICAL_NATIVE_THREADS=1 and APICAL_WASM_THREADS=1 when more than one runs at a time.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../kernels/native';
import { JobRunner, readSummary, RunOutcome, RunRequest, runArguments } from './job';

export interface LocalPoolOptions {
  /** Processes at a time (default: os.availableParallelism()). */
  readonly jobs?: number;
  /** The command that runs `apical` (default: this node and dist/src/cli/main.js). */
  readonly command?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export class LocalPool implements JobRunner {
  readonly jobs: number;
  private readonly command: readonly string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: LocalPoolOptions = {}) {
    this.jobs = Math.max(1, options.jobs ?? os.availableParallelism());
    this.command = options.command ?? [process.execPath, path.join(packageRoot(), 'dist', 'src', 'cli', 'main.js')];
    const env = { ...(options.env ?? process.env) };
    if (this.jobs > 1 && env.APICAL_NATIVE_THREADS === undefined) env.APICAL_NATIVE_THREADS = '1';
    if (this.jobs > 1 && env.APICAL_WASM_THREADS === undefined) env.APICAL_WASM_THREADS = '1';
    this.env = env;
  }

  async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
    const queue = [...requests];
    const running = new Map<string, Promise<RunOutcome>>();
    const launch = (): void => {
      while (running.size < this.jobs && queue.length > 0) {
        const request = queue.shift()!;
        running.set(request.key, this.runOne(request));
      }
    };
    launch();
    while (running.size > 0) {
      const outcome = await Promise.race(running.values());
      running.delete(outcome.request.key);
      launch();
      yield outcome;
    }
  }

  /** One `apical run` process. */
  private runOne(request: RunRequest): Promise<RunOutcome> {
    return new Promise((resolve) => {
      fs.mkdirSync(request.out, { recursive: true });
      const logFile = path.join(request.out, 'log.txt');
      const log = fs.openSync(logFile, 'w');
      let open = true;
      const closeLog = (): void => {
        if (open) fs.closeSync(log);
        open = false;
      };
      let stderr = '';
      const [program, ...prefix] = this.command;
      const child = spawn(program, [...prefix, ...runArguments(request)], { env: this.env, stdio: ['ignore', log, 'pipe'] });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (open) fs.writeSync(log, chunk);
        stderr = (stderr + chunk.toString('utf8')).slice(-4000);
      });
      const fail = (error: string): void => resolve({ request, status: 'failed', error });
      child.on('error', (error) => {
        closeLog();
        fail(`could not start ${program}: ${error.message}`);
      });
      child.on('close', (code, signal) => {
        closeLog();
        const summary = readSummary(request.out);
        if (code === 0 && summary) {
          resolve({ request, status: 'finished', summary });
          return;
        }
        // The CLI's own one-line message, else an uncaught error's first line, else the last line.
        const lines = stderr.trim().split('\n').filter((line) => line.trim());
        const lastLine =
          lines.filter((line) => line.startsWith('apical: ')).pop() ?? lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.pop();
        const how = signal ? `killed by ${signal}` : code === 0 ? 'wrote no summary.json' : `exit status ${code}`;
        fail(lastLine ? `${lastLine.replace(/^apical: /, '')} (${how})` : `${how}; see ${logFile}`);
      });
    });
  }
}
