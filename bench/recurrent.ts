/**
 * Seconds per 1,000 training sequences of a simple recurrent network (100 tanh units, minibatches of
 * 20), apical's BPTT and TPTT against a straightforward numpy BPTT (bench/numpy_bptt.py), in
 * alternating rounds, one thread each (apical: set APICAL_NATIVE_THREADS=1; numpy runs with
 * OPENBLAS_NUM_THREADS=1). Shapes: the temporal order problem at `--length` steps
 * (experiments/seq-temporal-order-*.json), and sequential MNIST, 28 rows as 28 steps
 * (experiments/seq-mnist-*.json, numpy on random inputs of the same shape). Training time only:
 * apical's epoch `seconds` (no evaluation), numpy's loop over pre-drawn minibatches. A second table
 * gives the CPU time of the same spans (apical: the process's CPU time over the epoch; numpy: its
 * process time over the loop), which a machine shared with other work inflates less than wall time.
 * With `--epochs E` both sides train E epochs on the same network and the last one is timed (numpy:
 * its loop run E times over the same minibatches): a training run's steady state, without the first
 * epoch's one-time costs on either side (V8's compilation of the hot path, buffers sized on first
 * use, the previous round's garbage); apical's temporal-order epochs after the first also draw their
 * fresh sequences inside the timed span, which numpy's pre-drawn loop does not. Default 1: the
 * first epoch of a freshly built network, as before.
 *
 *   APICAL_NATIVE_THREADS=1 node dist/bench/recurrent.js [--length 100] [--rounds 3] [--sequences 2000] [--epochs 1]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { lastValueFrom, filter, tap, toArray } from 'rxjs';
import { loadData } from '../src/data/source';
import { train } from '../src/engine/trainer';
import { buildCircuit } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';
import { packageRoot } from '../src/kernels/native';

const root = packageRoot();
const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Shape {
  readonly name: string;
  readonly file: (rule: string) => string;
  readonly set: readonly string[];
  readonly numpy: readonly string[];
}

/** Seconds per 1,000 sequences: wall time and CPU time. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** The last of `epochs` epochs of `sequences` sequences of the experiment `file`. */
async function apicalSeconds(file: string, set: readonly string[], sequences: number, epochs: number): Promise<Timing> {
  const experiment = loadExperiment(path.join(root, file), { epochs, set: [...set] });
  const data = loadData(experiment.data);
  const circuit = buildCircuit(experiment);
  // Process CPU time at the start and at the end of every epoch: the last span is the timed one.
  const marks = [process.cpuUsage()];
  const events = await lastValueFrom(
    train(circuit, { train: data.train }, experiment.training).pipe(
      filter((e) => e.kind === 'epoch'),
      tap(() => marks.push(process.cpuUsage())),
      toArray(),
    ),
  );
  const record = events[epochs - 1];
  if (record?.kind !== 'epoch') throw new Error(`${file}: no epoch ${epochs}`);
  const micros = (usage: NodeJS.CpuUsage): number => usage.user + usage.system;
  const spent = micros(marks[epochs]) - micros(marks[epochs - 1]);
  return { wall: (record.record.seconds * 1000) / sequences, cpu: spent / 1000 / sequences };
}

function numpySeconds(args: readonly string[]): Timing {
  const run = spawnSync('python3', [path.join(root, 'bench', 'numpy_bptt.py'), ...args], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (run.status !== 0) throw new Error(`numpy_bptt.py failed: ${run.stderr}`);
  const line = JSON.parse(run.stdout.trim().split('\n').pop()!);
  return { wall: line.seconds_per_1000, cpu: line.cpu_seconds_per_1000 };
}

/** A table row: numpy's time, then each rule's time and its ratio to numpy's. */
function row(name: string, numpy: number, bptt: number, tptt: number): string {
  return `| ${name} | ${numpy.toFixed(3)} | ${bptt.toFixed(3)} | ${(bptt / numpy).toFixed(2)}× | ${tptt.toFixed(3)} | ${(tptt / numpy).toFixed(2)}× |`;
}

async function main(): Promise<void> {
  const length = argument('length', 100);
  const rounds = argument('rounds', 3);
  const sequences = argument('sequences', 2000);
  const epochs = argument('epochs', 1);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${epochs}`);
  const shapes: Shape[] = [
    {
      name: `temporal order, T = ${length}`,
      file: (rule) => `experiments/seq-temporal-order-${rule}.json`,
      set: [`data.minLength=${length}`, `data.maxLength=${length}`, `data.sequences={"train":${sequences},"valid":0,"test":0}`],
      numpy: ['--length', String(length), '--sequences', String(sequences), '--rounds', String(epochs)],
    },
    {
      name: 'sequential MNIST, 28 rows',
      file: (rule) => `experiments/seq-mnist-${rule}.json`,
      set: [`data.trainLimit=${sequences}`, 'data.validation=100', 'training.shuffle=false'],
      numpy: ['--length', '28', '--inputs', '28', '--classes', '10', '--sequences', String(sequences), '--rounds', String(epochs)],
    },
  ];
  console.log(`backend ${kernels().name}, APICAL_NATIVE_THREADS=${process.env.APICAL_NATIVE_THREADS ?? '(default)'}; ${rounds} alternating rounds, medians; epoch ${epochs} of ${epochs} timed`);
  const cpuRows: string[] = [];
  console.log('| shape | numpy BPTT s/1000 seq | apical BPTT | ratio | apical TPTT | ratio |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const shape of shapes) {
    const times: Record<string, Timing[]> = { numpy: [], bptt: [], tptt: [] };
    for (let r = 0; r < rounds; r++) {
      times.numpy.push(numpySeconds(shape.numpy));
      for (const rule of ['bptt', 'tptt']) times[rule].push(await apicalSeconds(shape.file(rule), shape.set, sequences, epochs));
    }
    const [numpy, bptt, tptt] = [times.numpy, times.bptt, times.tptt];
    console.log(row(shape.name, median(numpy.map((t) => t.wall)), median(bptt.map((t) => t.wall)), median(tptt.map((t) => t.wall))));
    cpuRows.push(row(shape.name, median(numpy.map((t) => t.cpu)), median(bptt.map((t) => t.cpu)), median(tptt.map((t) => t.cpu))));
  }
  console.log('\nCPU time of the same spans (s/1000 seq):\n');
  console.log('| shape | numpy BPTT CPU s/1000 seq | apical BPTT | ratio | apical TPTT | ratio |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const line of cpuRows) console.log(line);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
