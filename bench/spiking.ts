/**
 * `npm run bench -- --spiking`: CUBA (Vogels & Abbott 2005) at N = 4,000, 40,000 and 400,000
 * neurons (connection probability 0.02 at 4,000, 80/N above: ~80 synapses per neuron), 1 s of
 * biological time, apical against Brian2 with cython code generation (bench/cuba_brian2.py) and in
 * C++ standalone mode (bench/cuba_brian2_standalone.py), when Debian's python3-brian is installed.
 * Loops against loops, in CPU seconds (Brian2 standalone's own run time is its loop's CPU time,
 * std::clock in its network.cpp; on a shared machine CPU is what other processes inflate least),
 * wall seconds beside them: apical's Simulation.run, Brian2's run() after a 1 ms warm-up run,
 * Brian2 standalone's run time; set-up (model compilation, connection, initial values) in its own
 * column, and each process's peak resident memory. Every configuration runs in fresh processes in
 * alternating rounds (apical, cython, standalone, apical, …), medians reported, the per-round
 * figures in the JSON. Brian2 runs each network once untimed first (its compilers' caches).
 *
 *   npm run bench -- --spiking [--rounds 3] [--sizes 4000,40000,400000] [--out results/bench-spiking]
 *
 * Writes <out>/cuba-brian2.json (every run) and <out>/cuba-brian2.csv (the medians) and prints the
 * table, naming the CPU, its load and apical's spiking backend.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeCompiler } from '../src/equations/compiler';
import { packageRoot } from '../src/kernels/native';
import { Result, spawnJson } from './cuba';

const root = packageRoot();
const python = '/usr/bin/python3';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "AMD EPYC (family 25 model 17, AVX-512), 2 cores" from /proc/cpuinfo where there is one. */
export function cpuName(): string {
  const model = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  let detail = '';
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1].trim();
    const flags = ` ${field('flags') ?? ''} `;
    const isa = flags.includes(' avx512f ') ? 'AVX-512' : flags.includes(' avx2 ') ? 'AVX2' : 'no AVX2';
    detail = ` (family ${field('cpu family')} model ${field('model')}, ${isa})`;
  } catch {
    // not Linux: the model name alone
  }
  return `${model}${detail}, ${os.cpus().length} cores`;
}

const brianInstalled = (): boolean => fs.existsSync(python) && spawnSync(python, ['-c', 'import brian2'], { stdio: 'ignore' }).status === 0;

interface Row {
  readonly n: number;
  readonly p: number;
  readonly apical: Result[];
  readonly cython: Result[];
  readonly standalone: Result[];
}

function measure(n: number, rounds: number, brian: boolean): Row {
  const p = n > 4000 ? 80 / n : 0.02;
  const seconds = '1';
  const apicalArgs = [path.join(root, 'dist', 'bench', 'cuba.js'), 'one', String(n), seconds, String(p), '-49'];
  const cythonArgs = [path.join(root, 'bench', 'cuba_brian2.py'), String(n), seconds, String(p), '-49', 'cython'];
  const standaloneArgs = [path.join(root, 'bench', 'cuba_brian2_standalone.py'), String(n), seconds, String(p), '-49', path.join(os.tmpdir(), `apical-bench-brian2-standalone-${n}`)];
  const row: Row = { n, p, apical: [], cython: [], standalone: [] };
  if (brian) {
    spawnJson(python, cythonArgs);
    spawnJson(python, standaloneArgs);
  }
  for (let r = 0; r < rounds; r++) {
    row.apical.push(spawnJson(process.execPath, apicalArgs));
    if (!brian) continue;
    row.cython.push(spawnJson(python, cythonArgs));
    row.standalone.push(spawnJson(python, standaloneArgs));
  }
  return row;
}

const fixed = (x: number | undefined, digits: number): string => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const medianOf = (results: Result[], key: keyof Result): number | undefined => {
  const values = results.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  return values.length ? median(values) : undefined;
};

function tableRow(row: Row): string {
  // CPU against CPU: Brian2 standalone's run time is the loop's CPU time (std::clock in its
  // network.cpp), and on a shared machine CPU seconds are what other processes inflate least.
  const a = medianOf(row.apical, 'cpu');
  const c = medianOf(row.cython, 'cpu');
  const s = medianOf(row.standalone, 'wall');
  const ratio = (x: number | undefined, y: number | undefined): string => (x !== undefined && y !== undefined ? `**${(x / y).toFixed(2)}**` : '–');
  const spikes = [row.apical, row.cython, row.standalone].map((rs) => (rs[0] ? String(rs[0].spikes) : '–')).join(' / ');
  return `| ${row.n.toLocaleString('en')} | ${row.p.toPrecision(2)} | ${row.apical[0].synapses.toLocaleString('en')} | ${spikes} | ${fixed(a, 3)} (${fixed(medianOf(row.apical, 'wall'), 3)}) | ${fixed(c, 3)} (${fixed(medianOf(row.cython, 'wall'), 3)}) | ${fixed(s, 3)} | ${ratio(a, c)} | ${ratio(a, s)} | ${fixed(medianOf(row.apical, 'setup'), 1)} / ${fixed(medianOf(row.cython, 'setup'), 1)} / ${fixed(medianOf(row.standalone, 'setup'), 1)} | ${fixed(medianOf(row.apical, 'peak_mib'), 0)} / ${fixed(medianOf(row.cython, 'peak_mib'), 0)} / ${fixed(medianOf(row.standalone, 'peak_mib'), 0)} |`;
}

export function spikingBenchmark(argv: readonly string[]): void {
  const option = (name: string): string | undefined => {
    const k = argv.indexOf(`--${name}`);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const rounds = Number(option('rounds') ?? 3);
  const sizes = (option('sizes') ?? '4000,40000,400000').split(',').map(Number);
  const out = path.resolve(option('out') ?? path.join(root, 'results', 'bench-spiking'));
  const brian = brianInstalled();
  const compiler = nativeCompiler();
  const backend = process.env.APICAL_SPIKING_BACKEND || (typeof compiler === 'string' ? 'javascript' : 'native');
  const started = new Date().toISOString();
  const loadBefore = os.loadavg()[0];
  process.stdout.write(
    `# CUBA, apical against Brian2 ${brian ? '(cython runtime, C++ standalone)' : '(not installed: apt-get install python3-brian)'} — ${started}\n` +
      `# ${cpuName()}; apical spiking loops: ${backend}${typeof compiler === 'string' ? '' : ` (${compiler.description})`}; ` +
      `1 s simulated at dt 0.1 ms; median of ${rounds} alternating rounds; load average ${loadBefore.toFixed(1)} at the start\n\n`,
  );
  const header =
    '| N | p | synapses | spikes apical / cython / standalone | apical loop CPU s (wall s) | Brian2 cython loop CPU s (wall s) | Brian2 standalone loop CPU s | apical ÷ cython (CPU) | apical ÷ standalone (CPU) | set-up s apical / cython / standalone | peak MiB apical / cython / standalone |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|\n';
  process.stdout.write(header);
  const rows: Row[] = [];
  for (const n of sizes) {
    const row = measure(n, rounds, brian);
    rows.push(row);
    process.stdout.write(tableRow(row) + '\n');
  }
  const loadAfter = os.loadavg()[0];
  process.stdout.write(
    `\nload average ${loadAfter.toFixed(1)} at the end (${os.cpus().length} cores). Loops in CPU seconds of the process (apical's on both cores, summed; ` +
      `Brian2 standalone's own run time is its loop's CPU time, std::clock), wall seconds in brackets; set-up in wall seconds.\n`,
  );
  fs.mkdirSync(out, { recursive: true });
  const meta = { started, cpu: cpuName(), backend, compiler: typeof compiler === 'string' ? compiler : compiler.description, load_average: [loadBefore, loadAfter], node: process.version, rounds };
  fs.writeFileSync(path.join(out, 'cuba-brian2.json'), JSON.stringify({ ...meta, rows }, null, 1) + '\n');
  const csv = ['n,p,synapses,spikes_apical,spikes_cython,spikes_standalone,loop_apical_s,cpu_apical_s,loop_cython_s,cpu_cython_s,loop_standalone_s,setup_apical_s,setup_cython_s,setup_standalone_s,peak_apical_mib,peak_cython_mib,peak_standalone_mib'];
  for (const row of rows) {
    const m = (rs: Result[], key: keyof Result): string => fixed(medianOf(rs, key), 4).replace('–', '');
    csv.push([row.n, row.p, row.apical[0].synapses, row.apical[0].spikes, row.cython[0]?.spikes ?? '', row.standalone[0]?.spikes ?? '',
      m(row.apical, 'wall'), m(row.apical, 'cpu'), m(row.cython, 'wall'), m(row.cython, 'cpu'), m(row.standalone, 'wall'),
      m(row.apical, 'setup'), m(row.cython, 'setup'), m(row.standalone, 'setup'), m(row.apical, 'peak_mib'), m(row.cython, 'peak_mib'), m(row.standalone, 'peak_mib')].join(','));
  }
  fs.writeFileSync(path.join(out, 'cuba-brian2.csv'), csv.join('\n') + '\n');
  process.stdout.write(`written: ${path.relative(process.cwd(), path.join(out, 'cuba-brian2.json'))}, ${path.relative(process.cwd(), path.join(out, 'cuba-brian2.csv'))}\n`);
}
