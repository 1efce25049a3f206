/**
 * CUBA side by side with Brian2 (Debian's python3-brian, cython code generation), in alternating
 * rounds, each run in a fresh process, timing the simulation loop only (apical: Simulation.run;
 * Brian2: run() after a 1 ms warm-up run, which generates and compiles its code). The ratio is taken on the process's CPU time, which other processes on a shared
 * machine do not inflate; wall times are listed beside it. Two tables: wall time against N (1k … 64k neurons, connection probability 80/N so
 * each neuron keeps ~80 synapses) and against the firing rate (the resting potential El raised
 * from CUBA's −49 mV drives the network harder).
 *
 *   node dist/bench/cuba.js [--rounds 3] [--sizes 1000,4000,16000,64000] [--el -49,-48,-47,-46] [--seconds 1]
 *   node dist/bench/cuba.js one N SECONDS P EL_MV     (one apical run; prints a JSON line)
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildSpiking } from '../src/experiment/build-spiking';
import { loadSpikingExperiment } from '../src/experiment/spiking';
import { SpikeStatistics } from '../src/metrics/spike-statistics';
import { packageRoot } from '../src/kernels/native';

export interface Result {
  /** Wall seconds of the simulation loop. */
  readonly wall: number;
  /** CPU seconds of the process during the loop: robust to other processes on a shared machine. */
  readonly cpu: number;
  /** Wall seconds from reading the experiment to the loop's start (compiling, connecting, initialising). */
  readonly setup?: number;
  /** Peak resident memory of the process, MiB. */
  readonly peak_mib?: number;
  readonly spikes: number;
  readonly mean_rate_hz: number;
  readonly isi_cv: number | null;
  readonly synapses: number;
}

const root = packageRoot();

/** One apical CUBA run in this process. */
function apicalOnce(n: number, seconds: number, p: number, elMillivolts: number): Result {
  const setupStart = performance.now();
  const experiment = loadSpikingExperiment(path.join(root, 'experiments', 'cuba.json'), { duration: `${seconds} s` });
  const run = buildSpiking({
    ...experiment,
    parameters: { ...experiment.parameters, Ne: Math.floor(0.8 * n) },
    populations: experiment.populations.map((pop) => ({ ...pop, size: n, parameters: { El: `${elMillivolts} mV` } })),
    synapses: experiment.synapses.map((s) => ({ ...s, connect: { ...s.connect, p } })),
    monitors: [{ kind: 'spikes', name: 'spikes', population: 'P', stream: false }],
  });
  const statistics = new SpikeStatistics(run.simulation.groups);
  const start = performance.now();
  const setup = (start - setupStart) / 1000;
  const cpuStart = process.cpuUsage();
  run.simulation.run(run.steps);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  const synapses = run.simulation.synapses.reduce((a, s) => a + s.size, 0);
  return { wall, cpu: (used.user + used.system) / 1e6, setup, peak_mib: process.resourceUsage().maxRSS / 1024, ...statistics.total(run.steps), synapses };
}

export function spawnJson(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Result {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Result;
  } catch {
    throw new Error(`${command} ${args.join(' ')} failed: ${out.stderr.slice(-500)}`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function compare(n: number, seconds: number, el: number, rounds: number): string {
  const p = Math.min(1, 80 / n);
  const apical: Result[] = [];
  const brian: Result[] = [];
  const brianArgs = [path.join(root, 'bench', 'cuba_brian2.py'), String(n), String(seconds), String(p), String(el), 'cython'];
  // Brian2's first run of a network fills its cython cache (about 20 s): one untimed run first.
  spawnJson('/usr/bin/python3', brianArgs);
  for (let r = 0; r < rounds; r++) {
    apical.push(spawnJson(process.execPath, [__filename, 'one', String(n), String(seconds), String(p), String(el)]));
    brian.push(spawnJson('/usr/bin/python3', brianArgs));
  }
  const a = median(apical.map((x) => x.cpu));
  const b = median(brian.map((x) => x.cpu));
  const cv = (x: number | null): string => (x === null ? '–' : x.toFixed(2));
  const all = (xs: Result[]): string => xs.map((x) => `${x.cpu.toFixed(2)}/${x.wall.toFixed(2)}`).join(', ');
  return `| ${n} | ${el} | ${p.toPrecision(3)} | ${apical[0].synapses} | ${apical[0].spikes} / ${brian[0].spikes} | ${apical[0].mean_rate_hz.toFixed(2)} / ${brian[0].mean_rate_hz.toFixed(2)} | ${cv(apical[0].isi_cv)} / ${cv(brian[0].isi_cv)} | ${a.toFixed(3)} (${all(apical)}) | ${b.toFixed(3)} (${all(brian)}) | **${(a / b).toFixed(3)}** |`;
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === 'one') {
    const [n, seconds, p, el] = argv.slice(1).map(Number);
    process.stdout.write(JSON.stringify(apicalOnce(n, seconds, p, el)) + '\n');
    return;
  }
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string' }, sizes: { type: 'string' }, el: { type: 'string' }, seconds: { type: 'string' } } });
  const rounds = Number(values.rounds ?? 3);
  const seconds = Number(values.seconds ?? 1);
  const sizes = (values.sizes ?? '1000,4000,16000,64000').split(',').map(Number);
  const els = (values.el ?? '-49,-48,-47,-46').split(',').map(Number);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`# CUBA, apical vs Brian2 (cython), ${seconds} s simulated, median of ${rounds} alternating rounds (all rounds in brackets) — ${new Date().toISOString()}, ${cpu}, ${os.cpus().length} cores\n\n`);
  const header = '| N | El (mV) | p | synapses | spikes apical / Brian2 | rate Hz apical / Brian2 | ISI CV apical / Brian2 | apical CPU s (rounds: CPU/wall) | Brian2 CPU s (rounds: CPU/wall) | apical ÷ Brian2 (CPU) |\n|---|---|---|---|---|---|---|---|---|---|\n';
  process.stdout.write('## Wall time against N (~80 synapses per neuron)\n\n' + header);
  for (const n of sizes) process.stdout.write(compare(n, seconds, -49, rounds) + '\n');
  process.stdout.write('\n## Wall time against firing rate (N = 4000)\n\n' + header);
  for (const el of els) process.stdout.write(compare(4000, seconds, el, rounds) + '\n');
}

if (require.main === module) main();
