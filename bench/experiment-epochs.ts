/**
 * CPU seconds of training epochs and of evaluation for each experiment file given, measured as
 * process CPU time (user + system) on one kernel thread, so that a shared, busy machine slows the
 * wall clock but barely the figure. Training: the first `--images` training images (default
 * 10,000; the whole training split when it holds fewer) for `--epochs` epochs (default 1; epoch 1
 * includes the experiment's feedback-only pre-training epochs, every epoch its extra feedback
 * epochs), evaluation excluded; evaluation, after the last epoch: the validation images with the
 * experiment's number of samples M (evaluation.samples), the 10,000 test images with M and with
 * M = 1. Data loading and network construction are not counted.
 *
 * `--rounds R` (default 1) measures every file R times in alternation, round r (from 1) starting
 * at the r-th file and going round, so that no file always runs first (the JIT's warm-up) or after
 * the same neighbour; `--vs FILE` (one of the files) adds each file's training time as a ratio to
 * FILE's, epoch by epoch, in the same round; the table gives the median over rounds (each round's
 * value in brackets). `--out DIR` writes every measurement (measurements.csv), the medians with
 * the CPU, load and command (summary.json) and the table (table.md).
 *
 *   APICAL_NATIVE_THREADS=1 node dist/bench/experiment-epochs.js experiments/mnist-dtp.json … \
 *     [--images N] [--epochs E] [--rounds R] [--vs FILE] [--out DIR]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom, tap } from 'rxjs';
import { parseArgs } from 'util';
import { loadData } from '../src/data/source';
import { evaluate } from '../src/engine/evaluation';
import { train } from '../src/engine/trainer';
import { buildCircuit } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';
import { csvLines } from '../src/report/csv';

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function measure<T>(work: () => T): { seconds: number; result: T } {
  const started = cpuSeconds();
  const result = work();
  return { seconds: cpuSeconds() - started, result };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
};

/** One file measured once: CPU seconds of each training epoch and of the three evaluations. */
interface Measurement {
  readonly round: number;
  readonly position: number;
  readonly file: string;
  readonly name: string;
  /** Training images per epoch (the training split's size when `--images` exceeds it). */
  readonly images: number;
  readonly samples: number;
  readonly epochs: readonly number[];
  readonly valid: number | null;
  readonly test: number;
  readonly testSingle: number;
  /** The 1-minute load average when the measurement started. */
  readonly load: number;
}

interface Options {
  readonly images: number;
  readonly epochs: number;
  readonly rounds: number;
  readonly vs: string | null;
  readonly out: string | null;
}

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`experiment-epochs: --${flag} must be a positive integer, got ${text}`);
  return value;
}

/** Trains `file`'s network for `epochs` epochs on its first `images` training images, then evaluates it. */
async function measureFile(file: string, options: Options, round: number, position: number): Promise<Measurement> {
  const experiment = loadExperiment(file, { epochs: options.epochs, trainLimit: options.images });
  const data = loadData(experiment.data);
  const circuit = buildCircuit(experiment);
  const load = os.loadavg()[0];
  const epochs: number[] = [];
  let started = cpuSeconds();
  const training$ = train(circuit, { train: data.train }, { ...experiment.training, epochs: options.epochs });
  await lastValueFrom(
    training$.pipe(
      tap((event) => {
        if (event.kind !== 'epoch') return;
        const now = cpuSeconds();
        epochs.push(now - started);
        started = now;
      }),
    ),
  );
  const { evalBatchSize } = experiment.training;
  const samples = experiment.training.evaluation.samples;
  const valid = data.valid ? measure(() => evaluate(circuit, data.valid!, evalBatchSize, samples)).seconds : null;
  const test = measure(() => evaluate(circuit, data.test, evalBatchSize, samples)).seconds;
  const testSingle = measure(() => evaluate(circuit, data.test, evalBatchSize, 1)).seconds;
  return { round, position, file, name: experiment.name, images: data.train.count, samples, epochs, valid, test, testSingle, load };
}

/** Each measurement's training epochs as a ratio to the `vs` file's same epoch in the same round. */
function ratios(all: readonly Measurement[], vs: string | null): Map<Measurement, number[]> {
  const byRatio = new Map<Measurement, number[]>();
  if (vs === null) return byRatio;
  for (const m of all) {
    const reference = all.find((r) => r.round === m.round && r.file === vs)!;
    byRatio.set(
      m,
      m.epochs.map((seconds, e) => seconds / reference.epochs[e]),
    );
  }
  return byRatio;
}

const cell = (values: readonly number[], digits: number): string =>
  values.length === 1 ? values[0].toFixed(digits) : `${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})`;

function table(files: readonly string[], all: readonly Measurement[], byRatio: Map<Measurement, number[]>, options: Options): string {
  const epochHeads = Array.from({ length: options.epochs }, (_, e) => {
    const epoch = options.epochs > 1 ? `, epoch ${e + 1}` : '';
    return [`CPU s per epoch${epoch}`, `per 50,000 images${epoch}`, ...(options.vs ? [`÷ ${path.basename(options.vs, '.json')}${epoch}`] : [])];
  }).flat();
  const head = ['experiment', 'training images', ...epochHeads, 'M', 'CPU s, validation, M samples', 'CPU s, 10,000 test images, M samples', '… with M = 1'];
  const lines = [`| ${head.join(' | ')} |`, `|---|${'---:|'.repeat(head.length - 1)}`];
  for (const file of files) {
    const runs = all.filter((m) => m.file === file).sort((a, b) => a.round - b.round);
    const { name, images, samples } = runs[0];
    const epochCells = Array.from({ length: options.epochs }, (_, e) => {
      const seconds = runs.map((m) => m.epochs[e]);
      return [cell(seconds, 2), (median(seconds) * (50000 / images)).toFixed(2), ...(options.vs ? [cell(runs.map((m) => byRatio.get(m)![e]), 2)] : [])];
    }).flat();
    const valid = runs.every((m) => m.valid !== null) ? cell(runs.map((m) => m.valid!), 2) : '—';
    lines.push(`| ${[name, images, ...epochCells, samples, valid, cell(runs.map((m) => m.test), 2), cell(runs.map((m) => m.testSingle), 2)].join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

function measurementsCsv(all: readonly Measurement[], byRatio: Map<Measurement, number[]>): string {
  const rows = all.flatMap((m) => {
    const base = [m.round, m.position, m.file, m.name, m.images, m.samples, m.load.toFixed(2)];
    return [
      ...m.epochs.map((seconds, e) => [...base, 'train', e + 1, seconds.toFixed(4), byRatio.get(m)?.[e].toFixed(4)]),
      ...(m.valid === null ? [] : [[...base, 'evaluate validation, M samples', null, m.valid.toFixed(4), null]]),
      [...base, 'evaluate test, M samples', null, m.test.toFixed(4), null],
      [...base, 'evaluate test, M = 1', null, m.testSingle.toFixed(4), null],
    ];
  });
  return csvLines(['round', 'position', 'file', 'experiment', 'training_images', 'samples', 'load_average_1min', 'measure', 'epoch', 'cpu_seconds', 'ratio_to_vs'], rows);
}

function summary(files: readonly string[], all: readonly Measurement[], byRatio: Map<Measurement, number[]>, options: Options, started: Date, loads: readonly number[][]) {
  return {
    command: `node ${path.relative(process.cwd(), process.argv[1])} ${process.argv.slice(2).join(' ')}`,
    cpu: `${os.cpus()[0].model}, ${os.cpus().length} logical cores`,
    kernels: kernels().name,
    native_threads: process.env.APICAL_NATIVE_THREADS ?? null,
    node: process.version,
    started: started.toISOString(),
    finished: new Date().toISOString(),
    load_average_at_start: loads[0],
    load_average_at_end: loads[1],
    ...options,
    experiments: files.map((file) => {
      const runs = all.filter((m) => m.file === file);
      const { name, images, samples } = runs[0];
      return {
        file,
        name,
        training_images: images,
        samples,
        epochs: Array.from({ length: options.epochs }, (_, e) => ({
          epoch: e + 1,
          cpu_seconds_median: median(runs.map((m) => m.epochs[e])),
          cpu_seconds_per_50000_images: (median(runs.map((m) => m.epochs[e])) * 50000) / images,
          ratio_to_vs_median: options.vs ? median(runs.map((m) => byRatio.get(m)![e])) : null,
        })),
        validation_cpu_seconds_median: runs.every((m) => m.valid !== null) ? median(runs.map((m) => m.valid!)) : null,
        test_cpu_seconds_median: median(runs.map((m) => m.test)),
        test_single_sample_cpu_seconds_median: median(runs.map((m) => m.testSingle)),
      };
    }),
  };
}

async function main(): Promise<void> {
  const { values, positionals: files } = parseArgs({
    allowPositionals: true,
    options: { images: { type: 'string' }, epochs: { type: 'string' }, rounds: { type: 'string' }, vs: { type: 'string' }, out: { type: 'string' } },
  });
  const options: Options = {
    images: positiveInteger('images', values.images, 10000),
    epochs: positiveInteger('epochs', values.epochs, 1),
    rounds: positiveInteger('rounds', values.rounds, 1),
    vs: values.vs ?? null,
    out: values.out ?? null,
  };
  if (options.vs !== null && !files.includes(options.vs)) throw new Error(`experiment-epochs: --vs ${options.vs} is not one of the experiment files given`);
  const started = new Date();
  const loadAtStart = os.loadavg();
  const all: Measurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (let position = 0; position < files.length; position++) {
      const file = files[(round - 1 + position) % files.length];
      const m = await measureFile(file, options, round, position + 1);
      console.error(`round ${round}, ${m.name}: ${m.epochs.map((s) => s.toFixed(2)).join(' / ')} CPU s (load ${m.load.toFixed(1)})`);
      all.push(m);
    }
  }
  const byRatio = ratios(all, options.vs);
  const markdown = table(files, all, byRatio, options);
  const footer = `\n(${kernels().name} kernels, APICAL_NATIVE_THREADS=${process.env.APICAL_NATIVE_THREADS ?? 'unset'}; ${options.rounds} round(s), medians)\n`;
  console.log(markdown + footer);
  if (options.out) {
    fs.mkdirSync(options.out, { recursive: true });
    fs.writeFileSync(path.join(options.out, 'table.md'), markdown + footer);
    fs.writeFileSync(path.join(options.out, 'measurements.csv'), measurementsCsv(all, byRatio));
    fs.writeFileSync(path.join(options.out, 'summary.json'), JSON.stringify(summary(files, all, byRatio, options, started, [loadAtStart, os.loadavg()]), null, 2) + '\n');
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
