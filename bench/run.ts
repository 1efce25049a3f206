/**
 * `npm run bench`: apical's speed and memory, as ratios against references run side by side
 * (these machines are shared and noisy, so only same-moment comparisons mean much).
 *
 *  1. kernels: GFLOP/s of the native backend (2 threads and 1) against the TypeScript reference
 *     (bench/kernels.ts);
 *  2. one DTP epoch of experiments/mnist-dtp.json on full MNIST (training time, evaluation
 *     excluded): apical against a straightforward numpy implementation of the same epoch
 *     (bench/numpy_dtp_epoch.py), in alternating rounds; numpy both as configured on these machines
 *     (OPENBLAS_CORETYPE as set) and with OpenBLAS free to pick its own kernels;
 *  3. peak resident memory of each.
 *
 *   npm run bench [-- --rounds N] [-- --skip-kernels]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultMnistDir } from '../src/data/mnist';
import { packageRoot } from '../src/kernels/native';

interface EpochTiming {
  readonly seconds: number[];
  readonly peakMiB: number;
}

const root = packageRoot();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function apicalEpochs(epochs: number): EpochTiming {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-bench-'));
  const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
  const run = spawnSync(process.execPath, [cli, 'run', 'experiments/mnist-dtp.json', '--epochs', String(epochs), '--out', out, '--force'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`apical run failed: ${run.stderr}`);
  const records = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  fs.rmSync(out, { recursive: true, force: true });
  return { seconds: records.map((r) => r.seconds), peakMiB: summary.peak_rss_mib };
}

function numpyEpochs(epochs: number, freeOpenBlas: boolean): EpochTiming | string {
  const env = { ...process.env };
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

function main(): void {
  const args = process.argv.slice(2);
  const roundsFlag = args.indexOf('--rounds');
  const rounds = roundsFlag >= 0 ? Number(args[roundsFlag + 1]) : 3;
  const epochs = 2;

  console.log(`# apical benchmarks — ${new Date().toISOString()}, ${os.cpus()[0].model}, ${os.cpus().length} cores\n`);
  if (!args.includes('--skip-kernels')) {
    console.log('## Kernels (GFLOP/s; elementwise ops in Melem/s)\n');
    const kernels = spawnSync(process.execPath, [path.join(root, 'dist', 'bench', 'kernels.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    console.log(kernels.stdout);
  }

  console.log(`## One DTP epoch, 784-240x7-10, 50,000 images, alternating schedule (${rounds} rounds, epoch ${epochs} of ${epochs})\n`);
  const results: Record<string, { seconds: number[]; peak: number[] }> = {};
  const record = (name: string, timing: EpochTiming | string): void => {
    if (typeof timing === 'string') {
      console.log(`${name}: ${timing}`);
      return;
    }
    const entry = (results[name] ??= { seconds: [], peak: [] });
    entry.seconds.push(timing.seconds[timing.seconds.length - 1]);
    entry.peak.push(timing.peakMiB);
    console.log(`round: ${name.padEnd(28)} epochs ${timing.seconds.map((s) => s.toFixed(2)).join(', ')} s, peak ${timing.peakMiB} MiB`);
  };
  for (let round = 0; round < rounds; round++) {
    record('apical (native kernels)', apicalEpochs(epochs));
    record('numpy, OPENBLAS_CORETYPE as set', numpyEpochs(epochs, false));
    record('numpy, OpenBLAS unrestricted', numpyEpochs(epochs, true));
  }
  const apical = results['apical (native kernels)'];
  console.log('\n| implementation | epoch seconds (median) | apical ÷ it | peak MiB |\n|---|---|---|---|');
  for (const [name, { seconds, peak }] of Object.entries(results)) {
    const ratio = median(apical.seconds) / median(seconds);
    console.log(`| ${name} | ${median(seconds).toFixed(2)} | ${ratio.toFixed(2)} | ${Math.max(...peak)} |`);
  }
}

main();
