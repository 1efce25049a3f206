/**
 * apical's gemm against numpy's (OpenBLAS sgemm) at the products of a recurrent network's training
 * step (bench/recurrent.ts), of an MNIST 784-240-…-10 network's (experiments/mnist-dtp.json) and a
 * square, one thread each, side by side: for every shape,
 * rounds that alternate apical (in this process) and numpy (bench/numpy_gemm.py, a child), each the
 * median CPU-time throughput of 15 timed blocks; the table gives the medians over the rounds and
 * the median of the per-round ratios. CPU time, which a machine shared with other work inflates
 * less than wall time.
 *
 *   APICAL_NATIVE_THREADS=1 OPENBLAS_NUM_THREADS=1 node dist/bench/gemm-vs-numpy.js [--rounds 5]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { kernels } from '../src/kernels';
import { packageRoot } from '../src/kernels/native';

const at = process.argv.indexOf('--rounds');
const rounds = at < 0 ? 5 : Number(process.argv[at + 1]);
const blocks = 15;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** op(A) m×k times op(B) k×n, `reps` products per timed block. */
const shapes: { name: string; transA: boolean; transB: boolean; m: number; n: number; k: number; reps: number }[] = [
  { name: 'a step: minibatch × U (20×100·100×100)', transA: false, transB: false, m: 20, n: 100, k: 100, reps: 2000 },
  { name: "a step's error through Uᵀ (20×100·(100×100)ᵀ)", transA: false, transB: true, m: 20, n: 100, k: 100, reps: 2000 },
  { name: "a step's weight gradient ((20×100)ᵀ·20×100)", transA: true, transB: false, m: 100, n: 100, k: 20, reps: 2000 },
  { name: 'the gradient over 100 steps ((2,000×100)ᵀ·2,000×100)', transA: true, transB: false, m: 100, n: 100, k: 2000, reps: 30 },
  { name: 'the gradient over 28 steps ((560×100)ᵀ·560×100)', transA: true, transB: false, m: 100, n: 100, k: 560, reps: 100 },
  { name: 'a dense layer (100×784·784×240)', transA: false, transB: false, m: 100, n: 240, k: 784, reps: 50 },
  { name: "its weight gradient ((100×784)ᵀ·100×240)", transA: true, transB: false, m: 784, n: 240, k: 100, reps: 50 },
  { name: 'an error through its weights (100×240·(784×240)ᵀ)', transA: false, transB: true, m: 100, n: 784, k: 240, reps: 50 },
  { name: 'a hidden layer (100×240·240×240)', transA: false, transB: false, m: 100, n: 240, k: 240, reps: 200 },
  { name: 'the read-out (100×240·240×10)', transA: false, transB: false, m: 100, n: 10, k: 240, reps: 2000 },
  { name: 'a square (128×256·256×256)', transA: false, transB: false, m: 128, n: 256, k: 256, reps: 200 },
];

const k = kernels();
let seed = 1;
const uniform = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
console.log(`backend ${k.name}, ${process.env.APICAL_NATIVE_THREADS ?? 'default'} thread(s); ${rounds} alternating rounds; CPU-time GFLOP/s, medians`);
console.log('| product | apical | numpy | apical/numpy throughput |\n|---|--:|--:|--:|');
for (const s of shapes) {
  const a = Float32Array.from({ length: s.m * s.k }, uniform);
  const b = Float32Array.from({ length: s.k * s.n }, uniform);
  const c = new Float32Array(s.m * s.n);
  const block = (): number => {
    const start = process.cpuUsage();
    for (let i = 0; i < s.reps; i++) k.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, b, 0, c);
    const spent = process.cpuUsage(start);
    return (2 * s.m * s.n * s.k * s.reps) / ((spent.user + spent.system) * 1e3);
  };
  block();
  const apical: number[] = [];
  const numpy: number[] = [];
  for (let r = 0; r < rounds; r++) {
    apical.push(median(Array.from({ length: blocks }, block)));
    const args = [s.transA ? 'T' : 'N', s.transB ? 'T' : 'N', s.m, s.n, s.k, s.reps, blocks].map(String);
    const run = spawnSync('python3', [path.join(packageRoot(), 'bench', 'numpy_gemm.py'), ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`bench/numpy_gemm.py failed: ${run.stderr.trim()}`);
    numpy.push(Number(run.stdout.trim()));
  }
  const ratio = median(apical.map((x, i) => x / numpy[i]));
  console.log(`| ${s.name} | ${median(apical).toFixed(1)} | ${median(numpy).toFixed(1)} | ${ratio.toFixed(2)}× |`);
}
