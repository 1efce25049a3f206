#!/usr/bin/env node
/**
 * The apical command line.
 *
 *   apical run <experiment.json> [--epochs N] [--seed S] [--out DIR] [--data DIR]
 *                                [--train-limit N] [--set field.path=value ...] [--force]
 *   apical compare <experiment.json | folder>... [--seeds N] [--jobs J] [--out DIR]
 *                                [--epochs N] [--data DIR] [--train-limit N] [--set ...]
 *   apical sweep <sweep.json> [--jobs J] [--out DIR]
 *   apical resume <run-dir>
 *   apical worker --queue redis://host:port/name [--store DIR] [--lock SECONDS]
 *
 * A user's mistake (bad flag, bad experiment field, bad data file) ends with one line naming the
 * file, field or value and what is wrong, and exit status 2. Ctrl-C, SIGTERM or SIGHUP stops after
 * the current step, writes a checkpoint, the weights and the summary (exit status 128 + the
 * signal's number: 130, 143, 129); `apical resume` continues such a run. A full disk or a vanished
 * run folder is one line too (exit status 74); a diverged run says where (exit status 3).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { DataError } from '../data/idx';
import { ConfigError, loadExperiment } from '../experiment/experiment';
import { experimentKind } from '../experiment/spiking';
import { EquationError } from '../equations/expression';
import { BackendError, kernels } from '../kernels';
import { plausibilityTable } from '../report/plausibility';
import { writeReport } from '../report/report';
import { RunDirectoryError } from '../report/run-directory';
import { RunReadError } from '../report/run-files';
import { LiveFeed } from '../live/feed';
import { LiveServer, LiveServerError } from '../live/server';
import { DiskError } from '../report/durable';
import { CheckpointError } from '../state/checkpoint';
import { allRules } from '../rules';
import { JobRunner } from '../jobs/job';
import { LocalPool } from '../jobs/local-pool';
import { parseQueueUrl, QueueUrlError } from '../jobs/queue';
import { compare, experimentFiles } from './compare';
import { sweep } from './sweep';
import { progressPrinter } from './progress';
import { signalExitStatus, stopSignals } from './signals';
import { openResume, runExperiment, Summary } from './run';
import { spikingCommand } from './run-spiking';
import { spikingDtpCommand, spikingDtpResumeCommand } from './run-spiking-dtp';
import { version } from './version';

const usage = `usage: apical run <experiment.json> [options]
       apical rules
       apical compare <experiment.json | folder>... [--seeds N] [--jobs J] [--out DIR]
       apical report <run-dir>... [--out FILE]
       apical sweep <sweep.json> [--jobs J] [--out DIR]
       apical resume <run-dir>
       apical worker --queue redis://host:port/name [--store DIR] [--lock SECONDS]

Trains the network an experiment file describes and writes a run directory
(config.json, metrics.jsonl, summary.json, weights/, record/, report.html).
A spiking experiment ("kind": "spiking", e.g. experiments/cuba.json) is simulated
instead: metrics.jsonl per window, summary.json, monitors/. A spiking DTP experiment
("kind": "spiking-dtp", experiments/mnist-spiking-dtp.json) trains spiking populations
with top-down currents and records one trial (trial/, trial.html).

\`apical rules\` prints which signals each learning rule relies on.
\`apical compare\` runs every experiment for seeds 1..N (default 3), J processes at a
time (default one per core), each into DIR/<experiment>-s<seed> (default
runs/compare-<date>), skipping runs already finished there, and writes
DIR/compare.csv and DIR/compare.md (per rule: errors mean ± sd, s/epoch,
plausibility); --epochs, --data, --train-limit and --set apply to every run.
\`apical resume\` continues a run stopped by Ctrl-C, SIGTERM, SIGHUP or a crash from its
last checkpoint; the result is bit-identical to a run never stopped.
\`apical compare ... --queue redis://host:port/name\` (and \`apical sweep\`) send their
runs to a BullMQ queue on that Redis server instead of local processes; any
number of \`apical worker --queue ...\` processes, on any machines, train them (run
folders and weights in their --store DIR, default runs/worker) and send metrics
and summaries back. A killed worker's run is taken again after --lock seconds
(default 30) and resumes from its checkpoint when the worker's store holds it.
\`apical report\` draws one or more runs on one self-contained page that opens
offline from any folder (default report.html), with the figure specs beside it
as JSON (report.json).
\`apical sweep\` runs every line of a sweep file (a unit type with a rule) at every
depth, J processes at a time, each into DIR/<cell> (default runs/<sweep>-<date>),
skipping cells already finished there, and writes DIR/sweep.csv, DIR/sweep.md
and DIR/sweep.html (test error against depth).

options:
  --epochs N        train for N epochs instead of the file's number
  --seed S          experiment seed (default: the file's, else 1)
  --out DIR         run directory (default: runs/<name>-s<seed>-<date>)
  --data DIR        read MNIST's four IDX files (raw or .gz) from DIR
  --train-limit N   train on the first N training images only
  --set F=V         set the experiment's field F (a dotted path) to V (JSON, else a
                    string) before it is checked; repeatable, e.g. --set
                    optimizer.forward.lr=3e-4 --set training.shuffle=false;
                    null removes the field (--set lesion=null)
  --force           overwrite DIR if it already holds a run
  --live            serve a live view of the run on 127.0.0.1 (learning curves,
                    activity traces, learning signals) while it trains
  --port P          the live view's port (default 8123; 0: any free port)
  --checkpoint-every K  checkpoint every K epochs (0: only when stopped; default:
                    every epoch for runs expected to last over an hour)
  --seeds N         compare: seeds 1..N per experiment (default 3)
  --jobs J          compare, sweep: runs at a time (default: one per core)
  --queue URL       compare, sweep, worker: a BullMQ queue, redis://host:port/name
  --store DIR       worker: where its run folders go (default runs/worker)
  --lock SECONDS    worker: how long a dead worker's run stays locked (default 30)
  -h, --help        this text
  -v, --version     apical's version`;

class UsageError extends Error {}

function positiveInteger(flag: string, text: string | undefined, allowZero = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${text}"`);
  }
  return value;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Local processes, or with --queue a BullMQ queue (loaded only then). */
async function jobRunner(values: { jobs?: string; queue?: string }): Promise<JobRunner> {
  if (!values.queue) return new LocalPool({ jobs: positiveInteger('--jobs', values.jobs) });
  const address = parseQueueUrl(values.queue);
  const { QueueRunner } = await import('../jobs/queue-runner');
  return new QueueRunner(address, (line) => process.stdout.write(line + '\n'));
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        epochs: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        data: { type: 'string' },
        'train-limit': { type: 'string' },
        set: { type: 'string', multiple: true },
        live: { type: 'boolean' },
        port: { type: 'string' },
        force: { type: 'boolean' },
        'checkpoint-every': { type: 'string' },
        queue: { type: 'string' },
        store: { type: 'string' },
        lock: { type: 'string' },
        seeds: { type: 'string' },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (values.version) {
    process.stdout.write(version + '\n');
    return 0;
  }
  const [command, file, ...rest] = positionals;
  if (command === 'rules') {
    process.stdout.write(plausibilityTable(allRules()) + '\n');
    return 0;
  }
  if (command === 'report') {
    if (!file) throw new UsageError('report needs at least one run directory');
    const report = writeReport([file, ...rest], values.out ?? 'report.html');
    process.stdout.write(`wrote ${report.html} (${report.figures.length} figures) and ${report.json}\n`);
    return 0;
  }
  if (command === 'compare') {
    if (!file) throw new UsageError('compare needs experiment files or folders, e.g. apical compare experiments/compare-mnist');
    const runner = await jobRunner(values);
    const runs = await compare(experimentFiles([file, ...rest]), runner, {
      seeds: positiveInteger('--seeds', values.seeds) ?? 3,
      out: values.out ?? path.join('runs', `compare-${timestamp()}`),
      overrides: {
        epochs: positiveInteger('--epochs', values.epochs),
        dataDir: values.data,
        trainLimit: positiveInteger('--train-limit', values['train-limit']),
        set: values.set,
      },
      command: ['apical', ...argv].join(' '),
      log: (line) => process.stdout.write(line + '\n'),
    });
    return runs.some((r) => r.status === 'failed') ? 1 : 0;
  }
  if (command === 'worker') {
    if (file) throw new UsageError(`unexpected argument "${file}"`);
    if (!values.queue) throw new UsageError('worker needs --queue redis://host:port/name');
    const address = parseQueueUrl(values.queue);
    const { runWorker } = await import('./worker');
    return runWorker(address, {
      store: values.store ?? path.join('runs', 'worker'),
      lockSeconds: positiveInteger('--lock', values.lock) ?? 30,
      log: (line) => process.stdout.write(line + '\n'),
    });
  }
  if (command === 'resume') {
    if (!file) throw new UsageError('resume needs a run folder, e.g. apical resume runs/mnist-dtp-s1-20260101-120000');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    return resume(file);
  }
  if (command === 'sweep') {
    if (!file) throw new UsageError('sweep needs a sweep file, e.g. apical sweep experiments/depth-sweep.json');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const runner = await jobRunner(values);
    await sweep(file, runner, {
      out: values.out ?? path.join('runs', `${path.basename(file, '.json')}-${timestamp()}`),
      command: ['apical', ...argv].join(' '),
      log: (line) => process.stdout.write(line + '\n'),
    });
    return 0;
  }
  if (command !== 'run') throw new UsageError(command ? `unknown command "${command}"\n${usage}` : usage);
  if (!file) throw new UsageError('run needs an experiment file, e.g. apical run experiments/mnist-dtp.json');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const kind = experimentKind(file);
  if (kind === 'spiking') {
    return spikingCommand(file, { seed: positiveInteger('--seed', values.seed, true), out: values.out, force: values.force ?? false, timestamp: timestamp() });
  }
  if (kind === 'spiking-dtp') {
    return spikingDtpCommand(file, {
      epochs: positiveInteger('--epochs', values.epochs),
      seed: positiveInteger('--seed', values.seed, true),
      dataDir: values.data,
      trainLimit: positiveInteger('--train-limit', values['train-limit']),
      out: values.out,
      force: values.force ?? false,
      timestamp: timestamp(),
    });
  }

  const experiment = loadExperiment(file, {
    epochs: positiveInteger('--epochs', values.epochs),
    seed: positiveInteger('--seed', values.seed, true),
    dataDir: values.data,
    trainLimit: positiveInteger('--train-limit', values['train-limit']),
    checkpointEvery: positiveInteger('--checkpoint-every', values['checkpoint-every'], true),
    set: values.set,
  });
  const out = values.out ?? path.join('runs', `${experiment.name}-s${experiment.training.seed}-${timestamp()}`);
  const { epochs } = experiment.training;
  process.stdout.write(
    `apical ${version}: ${experiment.name} (${experiment.rule.name}, ${experiment.model.name}), ${epochs} epochs, ` +
      `seed ${experiment.training.seed}, ${kernels().name} kernels → ${out}\n`,
  );

  const signals = stopSignals();
  if (values.port !== undefined && !values.live) throw new UsageError('--port is the live view\'s port: add --live');
  const live = values.live
    ? await LiveServer.start(positiveInteger('--port', values.port, true) ?? 8123, `${experiment.name} s${experiment.training.seed}`)
    : null;
  if (live) process.stdout.write(`live view: ${live.url}\n`);
  const summary = await runExperiment(experiment, {
    out,
    force: values.force ?? false,
    onEvent: progressPrinter(epochs),
    stop: signals.stop$,
    observe: live ? (circuit, steps) => new LiveFeed(circuit, live, steps) : undefined,
  }).finally(() => live?.close());
  signals.dispose();
  const fileEpochs = values.epochs === undefined ? epochs : loadExperiment(file).training.epochs;
  if (epochs < fileEpochs && !summary.interrupted && !summary.diverged) {
    process.stdout.write(
      `\nThat was ${epochs} of the experiment's ${fileEpochs} epochs. All of them:\n  npm run apical -- run ${file}\n` +
        `(reproductions and their measured results: README.md, RESULTS.md)\n`,
    );
  }
  return finished(summary, out);
}

/** `apical resume <run-dir>`. */
async function resume(dir: string): Promise<number> {
  const config = path.join(dir, 'config.json');
  if (fs.existsSync(config) && experimentKind(config) === 'spiking-dtp') return spikingDtpResumeCommand(dir);
  process.stdout.write(`apical ${version}: resuming ${dir}, ${kernels().name} kernels\n`);
  const run = openResume(dir);
  const signals = stopSignals();
  const summary = await run.resume({ onEvent: progressPrinter(run.experiment.training.epochs), stop: signals.stop$ });
  signals.dispose();
  return finished(summary, dir);
}

/** The closing lines of a run, and its exit status. */
function finished(summary: Summary, out: string): number {
  const best = summary.best_valid;
  const final = summary.final;
  if (summary.divergence) process.stderr.write(`apical: ${summary.divergence.message}; stopped (summary.json marks the run diverged, the last good checkpoint is kept)\n`);
  process.stdout.write(
    `done: ${summary.epochs_completed}/${summary.epochs} epochs in ${summary.wall_seconds.toFixed(1)} s` +
      (final?.test_error != null ? `; final test error ${(100 * final.test_error).toFixed(2)}%` : '') +
      (best?.test_error != null ? `; at best validation (epoch ${best.epoch}) ${(100 * best.test_error).toFixed(2)}%` : '') +
      `\nrun directory: ${out}\n`,
  );
  if (summary.epochs_completed > 0) process.stdout.write(`report: ${path.join(out, 'report.html')}\n`);
  if (summary.signal) process.stdout.write(`continue it with: npm run apical -- resume ${out}\n`);
  return summary.diverged ? 3 : summary.signal ? signalExitStatus(summary.signal) : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof DiskError) {
      process.stderr.write(`apical: ${error.message}; training stopped (files written before are intact)\n`);
      process.exit(74);
    }
    const userFault =
      [UsageError, ConfigError, DataError, RunDirectoryError, RunReadError, BackendError, EquationError, LiveServerError, CheckpointError, QueueUrlError].some((kind) => error instanceof kind);
    if (!userFault) throw error;
    process.stderr.write(`apical: ${error.message}\n`);
    process.exit(2);
  },
);
