/**
 * Kernel benchmark: GFLOP/s of every path this machine runs — the TypeScript reference, the
 * WebAssembly kernels on one thread and two, and each instruction set of the native addon (avx512 /
 * avx2 / generic, or neon) on two threads and, via APICAL_NATIVE_THREADS=1 in a child process, on one — at the matrix
 * shapes of an MNIST 784-240-240-10 network with minibatches of 100, plus the throughput of the
 * elementwise hot spots (tanh, the RMSprop step, Gaussian noise). Each case is timed on every path
 * in turn before the next case, so the paths are compared side by side.
 *
 *   npm run build && node dist/bench/kernels.js          # table
 *   node dist/bench/kernels.js --json                    # rows as JSON (used for the 1-thread columns)
 *
 * `benchmarkKernels()` returns the rows so bench/run.ts can include them in its report.
 */
import { spawnSync } from 'child_process';
import { Activation, Kernels } from '../src/kernels/kernels';
import { loadNativeAddon, loadNativeKernels } from '../src/kernels/native';
import { loadWasmKernels } from '../src/kernels/wasm';
import { referenceKernels } from '../src/kernels/reference';
import { nextUniform, streamState } from '../src/kernels/random';

/** One measurement: an op at one shape on one backend. */
export interface KernelBenchRow {
  /** e.g. "gemm NT" or "dense tanh". */
  op: string;
  /** Human-readable shape, e.g. "100×240·(784×240)ᵀ". */
  shape: string;
  /** "reference", "wasm" or "native-<isa>" (two threads), "wasm-1t" or "native-<isa>-1t" (one thread). */
  backend: string;
  /** Floating-point operations per call (2·m·n·k for products), or elements for elementwise ops. */
  workPerCall: number;
  /** "GFLOP/s" for products, "Melem/s" for elementwise ops. */
  unit: 'GFLOP/s' | 'Melem/s';
  /** Throughput of the fastest trial, in `unit` (on a shared machine, the least disturbed one). */
  rate: number;
  /** Time per call in the fastest trial, microseconds. */
  microsPerCall: number;
  /** Calls per trial and number of trials. */
  reps: number;
  trials: number;
}

export interface KernelBenchOptions {
  /** Include the reference and WebAssembly backends (the reference is slow: ~1 GFLOP/s). Default true. */
  reference?: boolean;
  /** Suffix for the native rows' labels (e.g. "-1t"). */
  nativeSuffix?: string;
  /** Target seconds per trial (default 0.02). */
  trialSeconds?: number;
  /** Trials per measurement; the fastest is reported (default 15; reference uses 3). */
  trials?: number;
}

interface Case {
  op: string;
  shape: string;
  work: number;
  unit: KernelBenchRow['unit'];
  /** Prepares buffers and returns the call to time. */
  setup(kernels: Kernels): () => void;
}

const rng = streamState(2015, 'bench/kernels');

function randomArray(length: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = scale * (2 * nextUniform(rng) - 1);
  return out;
}

/** gemm(transA, transB) with op(A) m×k and op(B) k×n. */
function gemmCase(transA: boolean, transB: boolean, m: number, n: number, k: number, shape: string): Case {
  const name = `gemm ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
  return {
    op: name,
    shape,
    work: 2 * m * n * k,
    unit: 'GFLOP/s',
    setup(kernels) {
      const a = randomArray(m * k);
      const b = randomArray(k * n, 0.1);
      const c = new Float32Array(m * n);
      return () => kernels.gemm(transA, transB, m, n, k, 1, a, b, 0, c);
    },
  };
}

function denseCase(m: number, n: number, k: number, act: Activation): Case {
  return {
    op: `dense ${Activation[act].toLowerCase()}`,
    shape: `${m}×${k}·${k}×${n} + b`,
    work: 2 * m * n * k,
    unit: 'GFLOP/s',
    setup(kernels) {
      const x = randomArray(m * k);
      const w = randomArray(k * n, 0.1);
      const bias = randomArray(n, 0.1);
      const y = new Float32Array(m * n);
      return () => kernels.dense(m, n, k, x, w, bias, act, y);
    },
  };
}

/** The benchmarked cases: forward (NN), back-propagated deltas Δ·Wᵀ (NT), weight gradients Xᵀ·Δ (TN). */
export function kernelBenchCases(): Case[] {
  return [
    gemmCase(false, false, 100, 240, 784, '100×784·784×240'),
    gemmCase(false, false, 100, 240, 240, '100×240·240×240'),
    gemmCase(false, false, 100, 10, 240, '100×240·240×10'),
    gemmCase(false, true, 100, 784, 240, '100×240·(784×240)ᵀ'),
    gemmCase(false, true, 100, 240, 240, '100×240·(240×240)ᵀ'),
    gemmCase(true, false, 784, 240, 100, '(100×784)ᵀ·100×240'),
    gemmCase(true, false, 240, 240, 100, '(100×240)ᵀ·100×240'),
    denseCase(100, 240, 784, Activation.Tanh),
    denseCase(100, 240, 240, Activation.Tanh),
    denseCase(200, 240, 240, Activation.Tanh),
    {
      op: 'activate tanh',
      shape: '24 000 (in place)',
      work: 24000,
      unit: 'Melem/s',
      setup(kernels) {
        const a = randomArray(24000, 3);
        return () => kernels.activate(Activation.Tanh, 24000, a, a);
      },
    },
    {
      op: 'rmspropStep',
      shape: '57 600 (240×240 weights)',
      work: 57600,
      unit: 'Melem/s',
      setup(kernels) {
        const param = randomArray(57600);
        const grad = randomArray(57600, 0.01);
        const avg = new Float32Array(57600);
        const avgSq = new Float32Array(57600);
        const inc = new Float32Array(57600);
        return () => kernels.rmspropStep(57600, param, grad, avg, avgSq, inc, 0.001, 0.95, 0.9, 0.001);
      },
    },
    {
      op: 'addGaussianNoise',
      shape: '24 000',
      work: 24000,
      unit: 'Melem/s',
      setup(kernels) {
        const x = randomArray(24000);
        const out = new Float32Array(24000);
        const state = streamState(1, 'bench/noise');
        return () => kernels.addGaussianNoise(24000, x, 0.1, state, out);
      },
    },
  ];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Times `call`: calibrates reps to ~trialSeconds per trial, then keeps the fastest of `trials`
 * trials — the machines are shared, and the fastest trial is the one least slowed by other work.
 */
function measure(c: Case, kernels: Kernels, label: string, trialSeconds: number, trials: number): KernelBenchRow {
  const call = c.setup(kernels);
  // Warm up (packing buffers, helper thread, JIT) and calibrate.
  let reps = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) call();
    const dt = seconds(start);
    if (dt >= trialSeconds / 4 || reps >= 1 << 20) {
      reps = Math.max(1, Math.round((reps * trialSeconds) / Math.max(dt, 1e-9)));
      break;
    }
    reps *= 4;
  }
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) call();
    times.push(seconds(start) / reps);
  }
  const perCall = Math.min(...times);
  const scale = c.unit === 'GFLOP/s' ? 1e9 : 1e6;
  return {
    op: c.op,
    shape: c.shape,
    backend: label,
    workPerCall: c.work,
    unit: c.unit,
    rate: c.work / perCall / scale,
    microsPerCall: perCall * 1e6,
    reps,
    trials,
  };
}

/** The paths to measure, slowest first: reference, wasm, then the addon's sets (fastest last). */
function paths(options: KernelBenchOptions): { label: string; kernels: Kernels }[] {
  const out: { label: string; kernels: Kernels }[] = [];
  if (options.reference !== false) {
    out.push({ label: 'reference', kernels: referenceKernels });
    for (const threads of [1, 2] as const) {
      const wasm = loadWasmKernels(threads);
      if (typeof wasm !== 'string') out.push({ label: threads === 1 ? 'wasm-1t' : 'wasm', kernels: wasm });
    }
  }
  const addon = loadNativeAddon();
  if (typeof addon !== 'string') {
    for (const isa of [...addon.isas].reverse()) {
      const kernels = loadNativeKernels(isa) as Kernels;
      out.push({ label: `${kernels.name}${options.nativeSuffix ?? ''}`, kernels });
    }
  }
  return out;
}

/** Benchmarks every case on every path in turn and returns one row per (case, path). */
export async function benchmarkKernels(options: KernelBenchOptions = {}): Promise<KernelBenchRow[]> {
  const rows: KernelBenchRow[] = [];
  const trialSeconds = options.trialSeconds ?? 0.02;
  const trials = options.trials ?? 15;
  const backends = paths(options);
  for (const c of kernelBenchCases()) {
    for (const { label, kernels } of backends) {
      const slow = label === 'reference';
      rows.push(measure(c, kernels, label, slow ? trialSeconds * 2 : trialSeconds, slow ? 3 : trials));
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the event loop breathe between cases
  }
  return rows;
}

/** Runs this file again with APICAL_NATIVE_THREADS=1 to measure the native paths on one thread. */
export function singleThreadRows(): KernelBenchRow[] {
  const child = spawnSync(process.execPath, [__filename, '--json', '--native-only', '--suffix=-1t'], {
    env: { ...process.env, APICAL_NATIVE_THREADS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) return [];
  return JSON.parse(child.stdout) as KernelBenchRow[];
}

export function formatTable(rows: KernelBenchRow[]): string {
  const backends = [...new Set(rows.map((r) => r.backend))];
  const keys = [...new Set(rows.map((r) => `${r.op}|${r.shape}`))];
  const header = ['op', 'shape', 'unit', ...backends];
  const lines = keys.map((key) => {
    const [op, shape] = key.split('|');
    const any = rows.find((r) => r.op === op && r.shape === shape)!;
    return [
      op,
      shape,
      any.unit,
      ...backends.map((b) => {
        const r = rows.find((row) => row.op === op && row.shape === shape && row.backend === b);
        return r ? r.rate.toFixed(r.rate < 10 ? 2 : 1) : '–';
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suffix = args.find((a) => a.startsWith('--suffix='))?.slice('--suffix='.length);
  if (args.includes('--json')) {
    const rows = await benchmarkKernels({ reference: !args.includes('--native-only'), nativeSuffix: suffix });
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const addon = loadNativeAddon();
  console.log(typeof addon === 'string' ? `note: ${addon}; the native paths are not measured` : `native paths on this CPU: ${addon.cpu}`);
  const rows = await benchmarkKernels();
  if (typeof addon !== 'string') rows.push(...singleThreadRows());
  console.log(formatTable(rows));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
