/**
 * The worker side of the queue (`apical worker --queue redis://host:port/name [--store DIR]
 * [--lock SECONDS]`): takes runs from a BullMQ queue (queue.ts) one at a time and trains each in
 * this process (src/session/), into DIR/<job id> (default runs/worker). A run checkpoints every epoch unless its experiment says otherwise, so a
 * worker that dies loses at most an epoch: its job's lock expires after `--lock` seconds (default
 * 30), the stalled-job check of any other worker puts the job back, and whichever worker takes it
 * resumes from the checkpoint when DIR holds it (a shared file system makes that any worker).
 * A run found already finished in DIR (its worker died before reporting) is reported as it is.
 *
 * The lock is renewed from Node's event loop, which training yields to every few steps; `--lock`
 * must exceed the longest stretch without a yield (an epoch's evaluation: well under a second for
 * the nets here).
 *
 * A stop (`apical worker`: Ctrl-C, SIGTERM or SIGHUP) ends the current run with a checkpoint and
 * leaves its job to be taken again (it is not reported finished); the worker then closes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Job, Worker } from 'bullmq';
import { Observable } from 'rxjs';
import { RunSummary } from '../report/run-files';
import { openRun } from '../session/kinds';
import { rateKind } from '../session/rate';
import { CHECKPOINT_FILE } from '../session/run-directory';
import { runSession } from '../session/session';
import { finishedRun } from './job';
import { QueueAddress, RunJob, RunResult } from './queue';
import { connection } from './queue-runner';

export interface WorkerOptions {
  readonly store: string;
  readonly lockSeconds: number;
  readonly log: (line: string) => void;
  /** Emits (a signal's name) when the worker should stop. */
  readonly stop$: Observable<string>;
}

/** Runs the worker until `stop$` emits; resolves with what it emitted. */
export async function runWorker(address: QueueAddress, options: WorkerOptions): Promise<string> {
  const { log, stop$ } = options;
  const me = `${os.hostname()}/${process.pid}`;

  const train = async (job: Job<RunJob, RunResult>): Promise<RunResult> => {
    const { key, experiment } = job.data;
    const dir = path.resolve(options.store, job.id!);
    const training = { ...experiment.training, checkpointEvery: experiment.training.checkpointEvery ?? 1 };
    let summary: RunSummary | null;
    if (fs.existsSync(path.join(dir, CHECKPOINT_FILE))) {
      // BullMQ gave us the job because its previous holder stalled: its folder lock is stale.
      const run = openRun(dir, { takeOver: true });
      log(`${me}: ${key}: resuming from its checkpoint in ${dir}`);
      summary = (await run.resume({ stop: stop$ })).summary as RunSummary;
    } else if ((summary = finishedRun(dir, training.epochs))) {
      log(`${me}: ${key}: already finished in ${dir}`);
    } else {
      log(`${me}: ${key}: training into ${dir}`);
      summary = (await runSession(rateKind, { ...experiment, training }, { out: dir, force: true, takeOver: true, stop: stop$ })).summary;
    }
    if (summary!.interrupted) {
      // Stopped by a signal: the checkpoint is saved; leave the job for another worker.
      await new Promise<never>(() => undefined);
    }
    const test = summary!.final?.test_error;
    log(`${me}: ${key}: done, test error ${test == null ? '—' : (100 * test).toFixed(2) + '%'}`);
    const metrics = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    return { summary: summary!, metrics, config, host: os.hostname(), dir };
  };

  const lock = options.lockSeconds * 1000;
  const worker = new Worker<RunJob, RunResult>(address.name, train, {
    connection: connection(address),
    concurrency: 1,
    lockDuration: lock,
    stalledInterval: lock,
    // A run may outlive many killed workers; only errors in the run itself fail its job.
    maxStalledCount: 1000,
  });
  worker.on('error', (error) => log(`${me}: queue error: ${error.message}`));
  await worker.waitUntilReady();
  log(`${me}: waiting for runs on queue ${address.name} at ${address.host}:${address.port}, store ${path.resolve(options.store)}`);
  const signal = await new Promise<string>((resolve) => stop$.subscribe(resolve));
  log(`${me}: ${signal}: stopping`);
  // A run in progress has saved its checkpoint on the same signal; its job stays with the queue.
  await Promise.race([worker.close(true), new Promise((resolve) => setTimeout(resolve, 2000))]);
  return signal;
}
