#!/usr/bin/env node
/**
 * The apical command line.
 *
 *   apical run <experiment.json> [--epochs N] [--seed S] [--out DIR] [--data DIR]
 *                                [--train-limit N] [--set field.path=value ...] [--force]
 *   apical compare <experiment.json | folder>... [--seeds N] [--jobs J] [--out DIR]
 *                                [--epochs N] [--data DIR] [--train-limit N] [--set ...]
 *   apical sweep <sweep.json> [--jobs J] [--out DIR]
 *   apical tune <experiment.json> --space space.json --trials N [--budget EPOCHS] [--eta H]
 *                                [--min-epochs E] [--seed S] [--jobs J | --queue URL] [--out DIR]
 *   apical resume <run-dir>
 *   apical export <run-dir> --nwb FILE
 *   apical worker --queue redis://host:port/name [--store DIR] [--lock SECONDS]
 *
 * Each command is a line of the table below (its synopsis and handler); `run` and `resume` hand
 * the run to the session (src/session/) through run.ts, which prints it.
 *
 * A user's mistake (bad flag, bad experiment field, bad data file) ends with one line naming the
 * file, field or value and what is wrong, and exit status 2. Ctrl-C, SIGTERM or SIGHUP stops after
 * the current step, writes a checkpoint, the weights and the summary (exit status 128 + the
 * signal's number: 130, 143, 129); `apical resume` continues such a run. A full disk or a vanished
 * run folder is one line too (exit status 74); a diverged run says where (exit status 3).
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { DataError } from '../data/data-error';
import { ConfigError, Overrides } from '../experiment/experiment';
import { EquationError } from '../equations/expression';
import { BackendError } from '../kernels';
import { plausibilityTable, ruleOptionsMarkdown } from '../report/plausibility';
import { commandLine } from '../report/project-path';
import { writeReport } from '../report/report';
import { RunDirectoryError } from '../session/run-directory';
import { RunReadError } from '../report/run-files';
import { LiveServerError } from '../live/server';
import { DiskError } from '../report/durable';
import { CheckpointError } from '../state/checkpoint';
import { allRules } from '../rules';
import { JobRunner } from '../jobs/job';
import { LocalPool } from '../jobs/local-pool';
import { parseQueueUrl, QueueUrlError } from '../jobs/queue';
import { version } from '../session/version';
import { compare, experimentFiles } from '../jobs/compare';
import { loadSearchSpace, SpaceError } from '../jobs/search-space';
import { sweep } from '../jobs/sweep';
import { tune } from '../jobs/tune';
import { ExportError, exportNwb } from '../export/nwb';
import { resumeCommand, runCommand } from './run';
import { signalExitStatus, stopSignals } from './signals';

/** The command line's flags: how each is parsed, and its line(s) in the usage text. */
const flags: readonly { readonly name: string; readonly type: 'string' | 'boolean'; readonly multiple?: true; readonly short?: string; readonly arg?: string; readonly help: readonly string[] }[] = [
  { name: 'epochs', type: 'string', arg: 'N', help: ["train for N epochs instead of the file's number"] },
  { name: 'seed', type: 'string', arg: 'S', help: ["experiment seed (default: the file's, else 1)"] },
  { name: 'out', type: 'string', arg: 'DIR', help: ['run directory (default: runs/<name>-s<seed>-<date>)'] },
  { name: 'data', type: 'string', arg: 'DIR', help: ["read the data set's files from DIR (MNIST's or Fashion-MNIST's four IDX files, raw or .gz; CIFAR-10's batches)"] },
  { name: 'train-limit', type: 'string', arg: 'N', help: ['train on the first N training images only'] },
  {
    name: 'set',
    type: 'string',
    multiple: true,
    arg: 'F=V',
    help: [
      "set the experiment's field F (a dotted path) to V (JSON, else a",
      'string) before it is checked; repeatable, e.g. --set',
      'optimizer.forward.lr=3e-4 --set training.shuffle=false;',
      'null removes the field (--set lesion=null)',
    ],
  },
  { name: 'force', type: 'boolean', help: ['overwrite DIR if it already holds a run'] },
  { name: 'live', type: 'boolean', help: ['serve a live view of the run on 127.0.0.1 (learning curves,', 'activity traces, learning signals) while it trains'] },
  { name: 'port', type: 'string', arg: 'P', help: ["the live view's port (default 8123; 0: any free port)"] },
  {
    name: 'checkpoint-every',
    type: 'string',
    arg: 'K',
    help: ['checkpoint every K epochs (0: only when stopped; default:', 'every epoch for runs expected to last over an hour)'],
  },
  { name: 'seeds', type: 'string', arg: 'N', help: ['compare: seeds 1..N per experiment (default 3)'] },
  { name: 'jobs', type: 'string', arg: 'J', help: ['compare, sweep, tune: runs at a time (default: one per core)'] },
  { name: 'queue', type: 'string', arg: 'URL', help: ['compare, sweep, tune, worker: a BullMQ queue, redis://host:port/name'] },
  { name: 'space', type: 'string', arg: 'FILE', help: ['tune: the search space (fields and their distributions)'] },
  { name: 'trials', type: 'string', arg: 'N', help: ['tune: trials at the first rung'] },
  { name: 'budget', type: 'string', arg: 'EPOCHS', help: ["tune: epochs of the last rung (default: the file's)"] },
  { name: 'eta', type: 'string', arg: 'H', help: ['tune: each rung keeps the best 1/H for H times the epochs (default 3)'] },
  { name: 'min-epochs', type: 'string', arg: 'E', help: ['tune: epochs of the first rung at least (default 1)'] },
  { name: 'nwb', type: 'string', arg: 'FILE', help: ["export: write the run's recordings as an NWB 2.x file"] },
  { name: 'store', type: 'string', arg: 'DIR', help: ['worker: where its run folders go (default runs/worker)'] },
  { name: 'lock', type: 'string', arg: 'SECONDS', help: ["worker: how long a dead worker's run stays locked (default 30)"] },
  { name: 'help', type: 'boolean', short: 'h', help: ['this text'] },
  { name: 'version', type: 'boolean', short: 'v', help: ["apical's version"] },
];

/** The flags' values (parseArgs): text, --set's list, and the switches. */
type FlagValues = { readonly [name: string]: string | undefined } & { readonly set?: string[]; readonly live?: boolean; readonly force?: boolean };

/** What a command's handler is given: the flags' values, the arguments after the command, and the whole command line. */
interface Invocation {
  readonly values: FlagValues;
  readonly args: readonly string[];
  readonly argv: readonly string[];
}

/** The commands: synopsis (after "apical ") and handler, resolving with the exit status. */
const commands: readonly { readonly name: string; readonly synopsis: string; readonly run: (invocation: Invocation) => Promise<number> }[] = [
  { name: 'run', synopsis: 'run <experiment.json> [options]', run },
  { name: 'rules', synopsis: 'rules', run: rules },
  { name: 'compare', synopsis: 'compare <experiment.json | folder>... [--seeds N] [--jobs J] [--out DIR]', run: compareCommand },
  { name: 'report', synopsis: 'report <run-dir>... [--out FILE]', run: report },
  { name: 'sweep', synopsis: 'sweep <sweep.json> [--jobs J] [--out DIR]', run: sweepCommand },
  { name: 'tune', synopsis: 'tune <experiment.json> --space space.json --trials N [--budget EPOCHS] [--seed S]', run: tuneCommand },
  { name: 'resume', synopsis: 'resume <run-dir>', run: resume },
  { name: 'export', synopsis: 'export <run-dir> --nwb FILE', run: exportCommand },
  { name: 'worker', synopsis: 'worker --queue redis://host:port/name [--store DIR] [--lock SECONDS]', run: worker },
];

/** A flag's line(s) in the usage text: the flag padded to a column, its help indented under it. */
function flagHelp(flag: (typeof flags)[number]): string {
  const key = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`;
  return `  ${key.length < 18 ? key.padEnd(18) : `${key}  `}${flag.help.join('\n' + ' '.repeat(20))}`;
}

const usage = `usage: ${commands.map((c) => `apical ${c.synopsis}`).join('\n       ')}

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
\`apical export\` writes what a run recorded as an NWB 2.x file for pynwb, Neo and
Elephant: spike times (the Units table), state traces and population rates, a rate
network's activity and targets (TimeSeries), its config.json as metadata.
\`apical sweep\` runs every line of a sweep file (a unit type with a rule) at every
depth, or (a file with "experiment" and "axes") every combination of the axes'
values set over that experiment file, J processes at a time, each into DIR/<cell>
(default runs/<sweep>-<date>), skipping cells already finished there and continuing
those stopped part way from their checkpoints, and writes
DIR/sweep.csv, DIR/sweep.md and DIR/sweep.html (test error against the last axis).
\`apical tune\` searches the experiment's fields named in the space file for the
lowest validation error: N trials drawn from the space with search seed S (default
1; the training seed stays the file's), trained by successive halving (each rung
keeps the best 1/H of the trials for H times the epochs, up to --budget), through
the same processes or queue as compare, into DIR/trials/ (default
runs/tune-<name>-<date>); re-running the same command continues the search. It
writes DIR/trials.csv, DIR/tune.md, DIR/tune.html and DIR/best.json (the
experiment with the best trial's settings).

options:
${flags.map(flagHelp).join('\n')}`;

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
async function jobRunner(values: FlagValues): Promise<JobRunner> {
  if (!values.queue) return new LocalPool({ jobs: positiveInteger('--jobs', values.jobs) });
  const address = parseQueueUrl(values.queue);
  const { QueueRunner } = await import('../jobs/queue-runner');
  return new QueueRunner(address, (line) => process.stdout.write(line + '\n'));
}

/** Refuses arguments beyond the first. */
function noMore(args: readonly string[]): void {
  if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}"`);
}

const log = (line: string): void => void process.stdout.write(line + '\n');

async function run({ values, args }: Invocation): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('run needs an experiment file, e.g. apical run experiments/mnist-dtp.json');
  noMore(args);
  // Each flag is checked when the experiment's kind reads it: a kind passes over flags it has no use for.
  const overrides: Overrides = {
    get epochs() {
      return positiveInteger('--epochs', values.epochs);
    },
    get seed() {
      return positiveInteger('--seed', values.seed, true);
    },
    dataDir: values.data,
    get trainLimit() {
      return positiveInteger('--train-limit', values['train-limit']);
    },
    get checkpointEvery() {
      return positiveInteger('--checkpoint-every', values['checkpoint-every'], true);
    },
    set: values.set,
  };
  return runCommand(file, overrides, {
    out: values.out,
    force: values.force ?? false,
    timestamp: timestamp(),
    live: () => {
      if (values.port !== undefined && !values.live) throw new UsageError("--port is the live view's port: add --live");
      return values.live ? (positiveInteger('--port', values.port, true) ?? 8123) : undefined;
    },
  });
}

async function rules(): Promise<number> {
  const options = ruleOptionsMarkdown(allRules());
  process.stdout.write(plausibilityTable(allRules()) + '\n' + (options ? `\nOptions:\n${options}\n` : ''));
  return 0;
}

async function report({ values, args }: Invocation): Promise<number> {
  if (args.length === 0) throw new UsageError('report needs at least one run directory');
  const written = writeReport([...args], values.out ?? 'report.html');
  process.stdout.write(`wrote ${written.html} (${written.figures.length} figures) and ${written.json}\n`);
  return 0;
}

async function compareCommand({ values, args, argv }: Invocation): Promise<number> {
  if (args.length === 0) throw new UsageError('compare needs experiment files or folders, e.g. apical compare experiments/compare-mnist');
  const runner = await jobRunner(values);
  const runs = await compare(experimentFiles([...args]), runner, {
    seeds: positiveInteger('--seeds', values.seeds) ?? 3,
    out: values.out ?? path.join('runs', `compare-${timestamp()}`),
    overrides: {
      epochs: positiveInteger('--epochs', values.epochs),
      dataDir: values.data,
      trainLimit: positiveInteger('--train-limit', values['train-limit']),
      set: values.set,
    },
    command: commandLine(argv),
    log,
  });
  return runs.some((r) => r.status === 'failed') ? 1 : 0;
}

async function worker({ values, args }: Invocation): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  if (!values.queue) throw new UsageError('worker needs --queue redis://host:port/name');
  const address = parseQueueUrl(values.queue);
  const { runWorker } = await import('../jobs/queue-worker');
  const signals = stopSignals();
  const signal = await runWorker(address, {
    store: values.store ?? path.join('runs', 'worker'),
    lockSeconds: positiveInteger('--lock', values.lock) ?? 30,
    log,
    stop$: signals.stop$,
  });
  signals.dispose();
  return signalExitStatus(signal);
}

async function resume({ args }: Invocation): Promise<number> {
  const [dir] = args;
  if (!dir) throw new UsageError('resume needs a run folder, e.g. apical resume runs/mnist-dtp-s1-20260101-120000');
  noMore(args);
  return resumeCommand(dir);
}

async function exportCommand({ values, args }: Invocation): Promise<number> {
  const [dir] = args;
  if (!dir) throw new UsageError('export needs a run folder, e.g. apical export runs/cuba-s1 --nwb cuba.nwb');
  noMore(args);
  if (!values.nwb) throw new UsageError('export needs --nwb FILE, the NWB file to write');
  const start = performance.now();
  const written = await exportNwb(dir, values.nwb);
  const seconds = (performance.now() - start) / 1000;
  log(`wrote ${written.file} (${written.units} units, ${written.spikes} spikes, ${written.series} time series; ${(written.bytes / 1e6).toFixed(2)} MB) in ${seconds.toFixed(2)} s`);
  return 0;
}

async function sweepCommand({ values, args, argv }: Invocation): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('sweep needs a sweep file, e.g. apical sweep experiments/depth-sweep.json');
  noMore(args);
  const runner = await jobRunner(values);
  await sweep(file, runner, {
    out: values.out ?? path.join('runs', `${path.basename(file, '.json')}-${timestamp()}`),
    command: commandLine(argv),
    log,
  });
  return 0;
}

async function tuneCommand({ values, args, argv }: Invocation): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('tune needs an experiment file, e.g. apical tune experiments/mnist-dtp.json --space space.json --trials 27');
  noMore(args);
  if (!values.space) throw new UsageError('tune needs --space FILE, the search space');
  const trials = positiveInteger('--trials', values.trials);
  if (trials === undefined) throw new UsageError('tune needs --trials N, the number of trials at the first rung');
  const eta = positiveInteger('--eta', values.eta) ?? 3;
  if (eta < 2) throw new UsageError(`--eta must be at least 2, got "${values.eta}"`);
  const space = loadSearchSpace(values.space);
  const runner = await jobRunner(values);
  const { best } = await tune(file, runner, {
    space,
    spaceFile: values.space,
    trials,
    budget: positiveInteger('--budget', values.budget),
    eta,
    minEpochs: positiveInteger('--min-epochs', values['min-epochs']) ?? 1,
    seed: positiveInteger('--seed', values.seed, true) ?? 1,
    out: values.out ?? path.join('runs', `tune-${path.basename(file, '.json')}-${timestamp()}`),
    overrides: { dataDir: values.data, trainLimit: positiveInteger('--train-limit', values['train-limit']), set: values.set },
    command: commandLine(argv),
    log,
  });
  return best ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: Object.fromEntries(flags.map(({ name, type, multiple, short }) => [name, { type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}) }])),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const values = parsed.values as FlagValues;
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (values.version) {
    process.stdout.write(version + '\n');
    return 0;
  }
  const [name, ...args] = parsed.positionals;
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(name ? `unknown command "${name}"\n${usage}` : usage);
  return command.run({ values, args, argv });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof DiskError) {
      process.stderr.write(`apical: ${error.message}; training stopped (files written before are intact)\n`);
      process.exit(74);
    }
    const userFault =
      [UsageError, ConfigError, DataError, RunDirectoryError, RunReadError, BackendError, EquationError, LiveServerError, CheckpointError, QueueUrlError, SpaceError, ExportError].some((kind) => error instanceof kind);
    if (!userFault) throw error;
    process.stderr.write(`apical: ${error.message}\n`);
    process.exit(2);
  },
);
