/**
 * `npm run bench`: apical's speed and memory on every kernel path this machine runs, as ratios
 * against references run side by side (these machines are shared and noisy, so only same-moment
 * comparisons mean much).
 *
 *  1. the CPU's measured multiply-add peak per instruction set (bench/fma-peak.cc, built with g++);
 *  2. kernels: GFLOP/s of each path — reference, wasm, and the native instruction sets on two
 *     threads and one (bench/kernels.ts) — and the two main products as a share of that peak;
 *  3. one DTP epoch of experiments/mnist-dtp.json on full MNIST (training time, evaluation
 *     excluded) on each path, against a straightforward numpy implementation of the same epoch
 *     (bench/numpy_dtp_epoch.py), all in alternating rounds; numpy both as configured on these
 *     machines (OPENBLAS_CORETYPE as set) and with OpenBLAS free to pick its own kernels;
 *  4. peak resident memory of each.
 *
 *   npm run bench [-- --rounds N] [-- --skip-kernels] [-- --paths avx2,wasm] [-- --threads 1]
 *   npm run bench -- --spiking [--rounds N] [--sizes 4000,40000,400000]   (CUBA against Brian2: bench/spiking.ts)
 * (--paths: which apical paths run the epoch, from native-<isa> names without "native-", wasm (two
 * threads) and wasm-1t (one); default every native set this CPU runs and wasm. The reference backend, ~200× slower, is left
 * to the kernel table. --threads 1: the epochs on one core each, apical with APICAL_NATIVE_THREADS=1
 * and APICAL_WASM_THREADS=1, and numpy with OPENBLAS_NUM_THREADS=1 — on a busy shared machine, where OpenBLAS's two threads
 * spin-wait for each other, the fairer comparison.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultMnistDir } from '../src/data/mnist';
import { loadNativeAddon, packageRoot } from '../src/kernels/native';
import { formatTable, KernelBenchRow, singleThreadRows } from './kernels';
import { spikingBenchmark } from './spiking';

interface EpochTiming {
  readonly seconds: number[];
  readonly peakMiB: number;
}

const root = packageRoot();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Environment selecting one apical path: a native instruction set, wasm, or wasm-1t (one thread). */
function pathEnv(name: string): NodeJS.ProcessEnv {
  if (name === 'wasm' || name === 'wasm-1t') return { ...process.env, APICAL_BACKEND: 'wasm', ...(name === 'wasm-1t' ? { APICAL_WASM_THREADS: '1' } : {}) };
  return { ...process.env, APICAL_BACKEND: 'native', APICAL_ISA: name };
}

/** `--threads 1`: every epoch run on one thread (set in main). */
let oneThread = false;
const threadEnv = (): NodeJS.ProcessEnv => (oneThread ? { APICAL_NATIVE_THREADS: '1', APICAL_WASM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } : {});

function apicalEpochs(epochs: number, pathName: string): EpochTiming {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-bench-'));
  const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
  const run = spawnSync(process.execPath, [cli, 'run', 'experiments/mnist-dtp.json', '--epochs', String(epochs), '--out', out, '--force'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...pathEnv(pathName), ...threadEnv() },
  });
  if (run.status !== 0) throw new Error(`apical run failed: ${run.stderr}`);
  const records = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  fs.rmSync(out, { recursive: true, force: true });
  return { seconds: records.map((r) => r.seconds), peakMiB: summary.peak_rss_mib };
}

function numpyEpochs(epochs: number, freeOpenBlas: boolean): EpochTiming | string {
  const env = { ...process.env, ...threadEnv() };
  if (freeOpenBlas) {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  const run = spawnSync('python3', [path.join(root, 'bench', 'numpy_dtp_epoch.py'), defaultMnistDir(), String(epochs)], {
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) return `numpy reference unavailable (${(run.stderr || String(run.error)).trim().split('\n').pop()})`;
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  return { seconds: lines.map((l) => l.seconds), peakMiB: Math.round(lines[lines.length - 1].peak_rss_mib) };
}

/** The multiply-add peak per instruction set, [one thread, two threads] GFLOP/s, or why not. */
function fmaPeak(): Record<string, [number, number]> | string {
  const binary = path.join(os.tmpdir(), `apical-fma-peak-${process.pid}`);
  const build = spawnSync('g++', ['-O3', '-std=c++17', '-pthread', path.join(root, 'bench', 'fma-peak.cc'), '-o', binary], { encoding: 'utf8' });
  if (build.status !== 0) return `not measured (g++: ${(build.stderr || String(build.error)).trim().split('\n')[0]})`;
  const run = spawnSync(binary, { encoding: 'utf8' });
  fs.rmSync(binary, { force: true });
  return JSON.parse(run.stdout);
}

function kernelRows(): KernelBenchRow[] {
  const child = spawnSync(process.execPath, [path.join(root, 'dist', 'bench', 'kernels.js'), '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return [...(JSON.parse(child.stdout) as KernelBenchRow[]), ...singleThreadRows()];
}

/** The two main products on each path as a share of the matching peak (wasm: the SSE mul+add one). */
function productsVsPeak(rows: KernelBenchRow[], peaks: Record<string, [number, number]>): string {
  const lines = ['| path | threads | 100×784·784×240 GFLOP/s | % of peak | 100×240·240×240 GFLOP/s | % of peak | peak GFLOP/s |', '|---|---|---|---|---|---|---|'];
  const backends = [...new Set(rows.map((r) => r.backend))].filter((b) => b !== 'reference');
  for (const backend of backends) {
    const single = backend.endsWith('-1t');
    const isa = backend.startsWith('wasm') ? 'generic' : backend.replace(/^native-/, '').replace(/-1t$/, '');
    const peak = peaks[isa]?.[single ? 0 : 1];
    const cell = (shape: string): string[] => {
      const row = rows.find((r) => r.backend === backend && r.op === 'gemm NN' && r.shape === shape);
      if (!row) return ['–', '–'];
      return [row.rate.toFixed(1), peak ? `${((100 * row.rate) / peak).toFixed(0)}%` : '–'];
    };
    lines.push(`| ${backend.replace(/-1t$/, '')} | ${single ? 1 : 2} | ${cell('100×784·784×240').join(' | ')} | ${cell('100×240·240×240').join(' | ')} | ${peak ?? '–'} |`);
  }
  return lines.join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--spiking')) {
    spikingBenchmark(args);
    return;
  }
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const rounds = Number(flag('--rounds') ?? 3);
  oneThread = flag('--threads') === '1';
  const epochs = 2;
  const addon = loadNativeAddon();
  const paths = flag('--paths')?.split(',') ?? [...(typeof addon === 'string' ? [] : addon.isas), 'wasm'];

  console.log(`# apical benchmarks — ${new Date().toISOString()}, ${os.cpus()[0].model}, ${os.cpus().length} cores`);
  console.log(typeof addon === 'string' ? `native addon: ${addon}\n` : `native instruction sets on this CPU: ${addon.cpu}\n`);
  if (!args.includes('--skip-kernels')) {
    const peaks = fmaPeak();
    console.log('## Multiply-add peak of this CPU (bench/fma-peak.cc; GFLOP/s, best of 100 short trials)\n');
    console.log(typeof peaks === 'string' ? peaks : Object.entries(peaks).map(([isa, [one, two]]) => `${isa}: ${one} on one thread, ${two} on two`).join('\n'));
    console.log('\n## Kernels (GFLOP/s; elementwise ops in Melem/s; -1t: one thread)\n');
    const rows = kernelRows();
    console.log(formatTable(rows));
    if (typeof peaks !== 'string') console.log(`\n${productsVsPeak(rows, peaks)}\n`);
  }

  console.log(
    `## One DTP epoch, 784-240x7-10, 50,000 images, alternating schedule (${rounds} rounds, epoch ${epochs} of ${epochs}` +
      `${oneThread ? ', one thread each' : ''})\n`,
  );
  const results: Record<string, { seconds: number[]; peak: number[] }> = {};
  const record = (name: string, timing: EpochTiming | string): void => {
    if (typeof timing === 'string') {
      console.log(`${name}: ${timing}`);
      return;
    }
    const entry = (results[name] ??= { seconds: [], peak: [] });
    entry.seconds.push(timing.seconds[timing.seconds.length - 1]);
    entry.peak.push(timing.peakMiB);
    console.log(`round: ${name.padEnd(32)} epochs ${timing.seconds.map((s) => s.toFixed(2)).join(', ')} s, peak ${timing.peakMiB} MiB`);
  };
  const numpyNames = ['numpy, OPENBLAS_CORETYPE as set', 'numpy, OpenBLAS unrestricted'];
  for (let round = 0; round < rounds; round++) {
    for (const p of paths) record(`apical ${p.startsWith('wasm') ? p : `native-${p}`}`, apicalEpochs(epochs, p));
    record(numpyNames[0], numpyEpochs(epochs, false));
    record(numpyNames[1], numpyEpochs(epochs, true));
  }
  const numpy = numpyNames.map((n) => results[n]);
  console.log(`\n| implementation | epoch seconds (median) | ÷ ${numpyNames[0]} | ÷ ${numpyNames[1]} | peak MiB |\n|---|---|---|---|---|`);
  for (const [name, { seconds, peak }] of Object.entries(results)) {
    const ratios = numpy.map((n) => (n ? (median(seconds) / median(n.seconds)).toFixed(2) : '–'));
    console.log(`| ${name} | ${median(seconds).toFixed(2)} | ${ratios.join(' | ')} | ${Math.max(...peak)} |`);
  }
}

main();
