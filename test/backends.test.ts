/**
 * Choosing the kernels: the fastest instruction set the CPU runs by default, APICAL_ISA and
 * APICAL_BACKEND forcing one (a one-line error naming what the CPU has when it is unavailable),
 * and the chosen path's name in the first line of `apical run`, config.json and summary.json.
 * The WebAssembly kernels when the addon is missing (a user without g++), or when forced.
 * (Each path's numerical agreement with the reference is test/kernels.test.ts.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadNativeAddon, loadNativeKernels } from '../src/kernels/native';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-backends-'));
const addon = loadNativeAddon();
const describeNative = process.env.APICAL_BACKEND === 'reference' ? describe.skip : describe;

function apical(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describeNative('native instruction sets', () => {
  function loaded() {
    if (typeof addon === 'string') throw new Error(addon);
    return addon;
  }

  it('offers the sets this CPU runs, fastest first, and picks the first by default', () => {
    const { isas, compiled, cpu } = loaded();
    expect(isas.length).toBeGreaterThan(0);
    expect(isas.every((isa) => compiled.includes(isa))).toBe(true);
    // the order of `compiled` is fastest first; the offered sets keep it
    expect(isas).toEqual(compiled.filter((isa) => isas.includes(isa)));
    const fallback = os.arch() === 'arm64' ? 'neon' : 'generic';
    expect(isas[isas.length - 1]).toBe(fallback);
    expect(cpu).toContain(isas[0]);
    const saved = process.env.APICAL_ISA;
    delete process.env.APICAL_ISA;
    try {
      expect((loadNativeKernels() as { name: string }).name).toBe(`native-${isas[0]}`);
    } finally {
      if (saved !== undefined) process.env.APICAL_ISA = saved;
    }
  });

  it('on x86-64 offers AVX-512 and AVX2 exactly when /proc/cpuinfo lists their flags', () => {
    if (os.arch() !== 'x64' || !fs.existsSync('/proc/cpuinfo')) return;
    const flags = new Set((fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '').trim().split(/\s+/));
    const avx2 = flags.has('avx2') && flags.has('fma');
    const avx512 = avx2 && ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f));
    expect(loaded().isas).toEqual([...(avx512 ? ['avx512'] : []), ...(avx2 ? ['avx2'] : []), 'generic']);
  });

  it('APICAL_ISA forces a set; one this CPU lacks stops with one line naming what it has', () => {
    const { isas, cpu } = loaded();
    for (const isa of isas) expect((loadNativeKernels(isa) as { name: string }).name).toBe(`native-${isa}`);
    const lacking = ['avx512', 'avx2', 'neon', 'generic'].find((isa) => !isas.includes(isa))!;
    expect(() => loadNativeKernels(lacking)).toThrow(`APICAL_ISA=${lacking} is not available`);
    expect(() => loadNativeKernels(lacking)).toThrow(`this CPU has ${cpu}`);
    expect(() => loadNativeKernels('sse9')).toThrow('APICAL_ISA must be one of avx512, avx2, neon, generic; got "sse9"');

    const result = apical({ APICAL_ISA: lacking }, 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '100', '--out', path.join(tmp, 'lacking'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([`apical: APICAL_ISA=${lacking} is not available: ${os.arch() === 'x64' && lacking !== 'neon' ? 'this CPU lacks it' : 'it is not compiled for this architecture'}; this CPU has ${cpu}`]);
  });

  it('the forced path is named in the first line of `apical run`, config.json and summary.json', () => {
    const isa = loaded().isas[loaded().isas.length - 1];
    const out = path.join(tmp, 'named');
    const result = apical({ APICAL_ISA: isa }, 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '200', '--out', out);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toContain(`native-${isa} kernels`);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).backend).toBe(`native-${isa}`);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).backend).toBe(`native-${isa}`);
  });
});

describe('APICAL_BACKEND', () => {
  it('an unknown backend stops with one line listing the choices', () => {
    const result = apical({ APICAL_BACKEND: 'gpu' }, 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '100', '--out', path.join(tmp, 'gpu'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['apical: APICAL_BACKEND must be one of native, wasm, reference; got "gpu"']);
  });

  it('APICAL_BACKEND=wasm runs the WebAssembly kernels and names them', () => {
    const out = path.join(tmp, 'wasm');
    const result = apical({ APICAL_BACKEND: 'wasm' }, 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '200', '--out', out);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toContain('wasm kernels');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).backend).toBe('wasm');
  });

  it('the WebAssembly kernels give the same metrics on one thread and on two (APICAL_WASM_THREADS)', () => {
    const metrics = (threads: string) => {
      const out = path.join(tmp, `wasm-${threads}t`);
      const result = apical({ APICAL_BACKEND: 'wasm', APICAL_WASM_THREADS: threads }, 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '300', '--out', out);
      expect(result.status).toBe(0);
      return fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => {
        const { seconds, eval_seconds, ...rest } = JSON.parse(line);
        return rest;
      });
    };
    const one = metrics('1');
    expect(one.length).toBe(1);
    expect(metrics('2')).toEqual(one);
    const bad = apical({ APICAL_BACKEND: 'wasm', APICAL_WASM_THREADS: '4' }, 'run', 'experiments/mnist-dtp.json', '--out', path.join(tmp, 'bad'));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['apical: APICAL_WASM_THREADS must be 1 or 2; got "4"']);
  });

  it('without the addon (no C++ toolchain at install), falls back to the WebAssembly kernels with one note', () => {
    // A copy of the installed package without build/: what `npm install` leaves when g++ is missing.
    const copy = path.join(tmp, 'no-addon');
    fs.mkdirSync(copy);
    for (const entry of ['package.json', 'dist', 'wasm', 'experiments', 'models']) fs.cpSync(entry, path.join(copy, entry), { recursive: true });
    fs.symlinkSync(path.resolve('node_modules'), path.join(copy, 'node_modules'));
    const result = spawnSync(process.execPath, [path.join(copy, 'dist/src/cli/main.js'), 'run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '100', '--out', path.join(copy, 'run')], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, APICAL_BACKEND: '', APICAL_ISA: '' },
    });
    expect(result.status).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^apical: the native addon was not built \(.*apical_native.node is missing\); using the WebAssembly kernels$/)]);
    expect(result.stdout.split('\n')[0]).toContain('wasm kernels');
    const forced = spawnSync(process.execPath, [path.join(copy, 'dist/src/cli/main.js'), 'run', 'experiments/mnist-dtp.json'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, APICAL_BACKEND: 'native' },
    });
    expect(forced.status).toBe(2);
    expect(forced.stderr).toMatch(/^apical: APICAL_BACKEND=native but the native addon was not built/);
  });
});

describe('the committed WebAssembly kernels', () => {
  const hasToolchain = spawnSync('sh', ['-c', 'command -v clang++ && test -d /usr/include/wasm32-wasi/c++/v1']).status === 0;
  (hasToolchain ? it : it.skip)('are what scripts/build-wasm.js makes from the current sources', () => {
    const rebuilt = path.join(tmp, 'rebuilt.wasm');
    const result = spawnSync(process.execPath, ['scripts/build-wasm.js', rebuilt], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(fs.readFileSync(rebuilt).equals(fs.readFileSync('wasm/apical_kernels.wasm'))).toBe(true);
  }, 120_000);
});
