/**
 * `apical export --nwb` on the CUBA run (issue 19): the export's time and the NWB file's size
 * against the run's own monitor files (monitors/: spike steps and indices as uint32, traces and
 * rates as float64) and against the run's own time.
 *
 *   npm run build && node dist/bench/nwb-export.js [--repeats N] [--out DIR]
 *
 * Runs experiments/cuba.json once (`apical run`), then, in this process, loads h5wasm (once per
 * process: its WebAssembly compiled) and exports the run N times (default 5): wall and CPU seconds of
 * each (reading the run folder, building the file in h5wasm, writing it); then one `apical export`
 * process as a user runs it (Node's start and h5wasm's load included), its printed seconds and wall
 * time. Writes DIR/exports.csv and DIR/summary.json (default DIR: results/nwb-export).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hdf5 } from '../src/data/hdf5';
import { exportNwb } from '../src/export/nwb';
import { packageRoot } from '../src/kernels/native';

const cli = path.join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

function apical(...args: string[]): { stdout: string; wall: number } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: packageRoot() });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`apical ${args[0]} failed: ${result.stderr}`);
  return { stdout: result.stdout, wall };
}

/** Wall and CPU seconds of `work`. */
async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function main(): Promise<void> {
  const repeats = Number(flag('repeats', '5'));
  const outDir = path.resolve(flag('out', path.join('results', 'nwb-export')));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-nwb-bench-'));
  const run = path.join(work, 'cuba');
  const nwb = path.join(work, 'cuba.nwb');
  try {
    const cuba = apical('run', 'experiments/cuba.json', '--out', run);
    const monitors = path.join(run, 'monitors');
    const monitorFiles = Object.fromEntries(fs.readdirSync(monitors).sort().map((name) => [name, fs.statSync(path.join(monitors, name)).size]));
    const load = await timed(() => hdf5());
    const rows: { repeat: number; wall_seconds: number; cpu_seconds: number; load1: number }[] = [];
    for (let repeat = 1; repeat <= repeats; repeat++) {
      fs.rmSync(nwb, { force: true });
      const { wall, cpu } = await timed(() => exportNwb(run, nwb));
      rows.push({ repeat, wall_seconds: wall, cpu_seconds: cpu, load1: os.loadavg()[0] });
    }
    fs.rmSync(nwb, { force: true });
    const command = apical('export', run, '--nwb', nwb);
    process.stdout.write(command.stdout);
    const runSummary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8'));
    const nwbBytes = fs.statSync(nwb).size;
    const monitorBytes = Object.values(monitorFiles).reduce((a, b) => a + b, 0);
    const summary = {
      command: `node dist/bench/nwb-export.js --repeats ${repeats}`,
      cpu: os.cpus()[0].model,
      cores: os.cpus().length,
      node: process.version,
      load1_range: [Math.min(...rows.map((r) => r.load1)), Math.max(...rows.map((r) => r.load1))],
      run: { spikes: runSummary.spikes, neurons: runSummary.neurons, wall_seconds: runSummary.wall_seconds, setup_seconds: runSummary.setup_seconds, process_seconds: cuba.wall },
      monitor_files: monitorFiles,
      monitor_bytes: monitorBytes,
      nwb_bytes: nwbBytes,
      nwb_over_monitors: nwbBytes / monitorBytes,
      h5wasm_load: { wall_seconds: load.wall, cpu_seconds: load.cpu },
      export_wall_seconds_median: median(rows.map((r) => r.wall_seconds)),
      export_cpu_seconds_median: median(rows.map((r) => r.cpu_seconds)),
      command_printed_seconds: Number(/in ([\d.]+) s$/m.exec(command.stdout)?.[1]),
      command_wall_seconds: command.wall,
    };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'exports.csv'), ['repeat,wall_seconds,cpu_seconds,load1', ...rows.map((r) => `${r.repeat},${r.wall_seconds.toFixed(4)},${r.cpu_seconds.toFixed(4)},${r.load1.toFixed(2)}`)].join('\n') + '\n');
    fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`nwb-export bench: ${error.message}\n`);
  process.exit(1);
});
