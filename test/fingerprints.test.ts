/**
 * Results that a redesign must not change: the first epochs of the reference experiments, run
 * through the command line exactly as a user runs them, fingerprinted (SHA-256 of metrics.jsonl
 * without its timing fields, of every weight file, of the recorded trial and of the spiking
 * monitors) and compared with the fingerprints committed in test/fixtures/fingerprints.json,
 * which were taken at main 5df0d96, before the one-engine redesign (issue 14).
 *
 * Kernel paths round a multiply-add in one of two ways (README, "Kernels on every CPU"): fused
 * (AVX-512, AVX2, NEON) or separate (generic x86-64, WebAssembly). Each group has its own
 * fingerprints; a path whose group has none (the TypeScript reference) skips with a note.
 * `APICAL_WRITE_FINGERPRINTS=1 npx jest test/fingerprints` records this machine's group.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist/src/cli/main.js');
const fixture = path.join(__dirname, 'fixtures/fingerprints.json');

/** Fields that measure time, not results. */
const TIMING = new Set(['seconds', 'eval_seconds', 'cpu_seconds', 'wall_seconds', 't_wall']);

interface Reference {
  readonly args: string[];
  /** Files (relative to the run folder, '/'-ended for every file of a folder) whose bytes are results. */
  readonly files: string[];
  /** The spiking loops' backend (APICAL_SPIKING_BACKEND): javascript is the reference. */
  readonly loops?: 'javascript' | 'native';
  /** The reference whose fingerprint this run must match (default: its own name). */
  readonly sameAs?: string;
}

/**
 * The runs issue 14 names: 2 epochs of each rate DTP network, 1 spiking DTP epoch on 2,000 images,
 * CUBA's spikes. The spiking runs twice: with the JavaScript loops (the reference) and with the
 * compiled C++ loops (issue 16), which must give the same bits.
 */
const references: Record<string, Reference> = {
  'mnist-dtp': { args: ['experiments/mnist-dtp.json', '--epochs', '2'], files: ['weights/'] },
  'mnist-discrete-dtp': { args: ['experiments/mnist-discrete-dtp.json', '--epochs', '2'], files: ['weights/'] },
  'mnist-stochastic-dtp': { args: ['experiments/mnist-stochastic-dtp.json', '--epochs', '2'], files: ['weights/'] },
  'mnist-spiking-dtp': { args: ['experiments/mnist-spiking-dtp.json', '--epochs', '1', '--train-limit', '2000'], files: ['trial/'], loops: 'javascript' },
  'mnist-spiking-dtp, native loops': { args: ['experiments/mnist-spiking-dtp.json', '--epochs', '1', '--train-limit', '2000'], files: ['trial/'], loops: 'native', sameAs: 'mnist-spiking-dtp' },
  cuba: { args: ['experiments/cuba.json'], files: ['monitors/'], loops: 'javascript' },
  'cuba, native loops': { args: ['experiments/cuba.json'], files: ['monitors/'], loops: 'native', sameAs: 'cuba' },
};

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** metrics.jsonl without timing fields, one object per line. */
function metricsWithoutTiming(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Object.fromEntries(Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !TIMING.has(key))));
}

interface Fingerprint {
  /** The last metrics line, readable in a diff. */
  readonly last: Record<string, unknown>;
  readonly metrics: string;
  readonly files: Record<string, string>;
}

function fingerprint(dir: string, files: string[]): Fingerprint {
  const metrics = metricsWithoutTiming(path.join(dir, 'metrics.jsonl'));
  const hashed: Record<string, string> = {};
  for (const entry of files) {
    const names = entry.endsWith('/') ? fs.readdirSync(path.join(dir, entry)).sort().map((name) => entry + name) : [entry];
    for (const name of names) if (!name.endsWith('manifest.json')) hashed[name] = sha(fs.readFileSync(path.join(dir, name)));
  }
  return { last: metrics[metrics.length - 1], metrics: sha(JSON.stringify(metrics)), files: hashed };
}

/** The rounding group of the kernel path a run used. */
function group(backend: string | undefined): string {
  if (backend === undefined) return 'any';
  if (/^native-(avx512|avx2|neon)$/.test(backend)) return 'fused';
  if (backend === 'native-generic' || backend === 'wasm') return 'separate';
  return backend;
}

const recorded: Record<string, Record<string, Fingerprint>> = fs.existsSync(fixture) ? JSON.parse(fs.readFileSync(fixture, 'utf8')) : {};
const writing = process.env.APICAL_WRITE_FINGERPRINTS === '1';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-fingerprints-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.each(Object.entries(references))('%s is bit-identical to main before the redesign', (name, reference) => {
  test('metrics, weights and recordings', () => {
    const out = path.join(work, name.replace(/\W+/g, '-'));
    const env = reference.loops ? { ...process.env, APICAL_SPIKING_BACKEND: reference.loops } : process.env;
    const result = spawnSync(process.execPath, [cli, 'run', ...reference.args, '--out', out], { cwd: root, encoding: 'utf8', env });
    if (reference.loops === 'native' && /APICAL_SPIKING_BACKEND=native is not available/.test(result.stderr)) {
      console.warn(`${name}: not compared (${result.stderr.trim()})`);
      return;
    }
    expect(result.stderr).not.toMatch(/Error|at .*\.js/);
    expect(result.status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { backend?: string };
    // CUBA uses no kernels: its spikes do not depend on them.
    const fixtureName = reference.sameAs ?? name;
    const key = fixtureName === 'cuba' ? 'any' : group(config.backend);
    const print = fingerprint(out, reference.files);
    if (writing) {
      if (reference.sameAs) return;
      recorded[key] = { ...recorded[key], [name]: print };
      fs.mkdirSync(path.dirname(fixture), { recursive: true });
      fs.writeFileSync(fixture, JSON.stringify(recorded, null, 1) + '\n');
      return;
    }
    const expected = recorded[key]?.[fixtureName];
    if (!expected) {
      console.warn(`no committed fingerprint of ${name} for ${config.backend} kernels (group "${key}"): not compared`);
      return;
    }
    expect(print.last).toEqual(expected.last);
    expect(print.metrics).toBe(expected.metrics);
    expect(print.files).toEqual(expected.files);
  });
});
