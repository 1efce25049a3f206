/**
 * The native kernels (native/, built into build/Release/apical_native.node) against the reference
 * backend (src/kernels/reference.ts, the executable specification), op by op, on random shapes
 * including odd sizes, all transposes, α/β variants, every activation, and the RNG stream.
 *
 * If the addon cannot be loaded these tests FAIL, unless APICAL_BACKEND=reference is set, in which
 * case the native tests are skipped (the reference backend needs no comparison with itself).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as path from 'path';
import { Activation, Kernels } from '../src/kernels/kernels';
import { loadNativeAddon, loadNativeKernels } from '../src/kernels/native';
import { loadWasmKernels } from '../src/kernels/wasm';
import { referenceKernels as ref } from '../src/kernels/reference';
import { nextUniform, streamState } from '../src/kernels/random';

const referenceOnly = process.env.APICAL_BACKEND === 'reference';
const addon = referenceOnly ? 'skipped: APICAL_BACKEND=reference' : loadNativeAddon();
const describeNative = referenceOnly ? describe.skip : describe;
/** Every instruction set this CPU runs, each tested in turn (one failing entry if the addon is missing). */
const ISAS_UNDER_TEST = typeof addon === 'string' ? ['unavailable'] : addon.isas;
/** The WebAssembly build of the same kernels (wasm/apical_kernels.wasm, committed), on one thread. */
const wasm = loadWasmKernels(1);
/** A second instance with its helper thread (a worker on the same shared memory). */
const wasmThreaded = loadWasmKernels(2);

/** The kernels of the path under test (set by each path's beforeAll). */
let current: Kernels | string = 'not loaded yet';

/** The native backend under test, or a failure explaining why it is unavailable. */
function nat(): Kernels {
  if (typeof current === 'string') throw new Error(`native kernels unavailable: ${current}`);
  return current;
}

const ACTIVATIONS = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.Relu];

// ---- test data ------------------------------------------------------------------------------------

const dataRng = streamState(12345, 'test/kernels');

/**
 * Every path's tests start the test data afresh, so each path sees the same inputs in the same
 * order; the inputs and the reference's results (the slow parts of each comparison) are computed
 * once, by the first path, and looked up by the others (by call number, and for the reference by
 * the op's source and its inputs too).
 */
function restartTestData(): void {
  dataRng.set(streamState(12345, 'test/kernels'));
  referenceCall = 0;
  arrayCall = 0;
}
let referenceCall = 0;
const referenceResults = new Map<string, { theirs: Float32Array[]; referenceResult: unknown }>();
let arrayCall = 0;
const arrays = new Map<string, Float32Array>();

/** Uniform values in [lo, hi). */
function randomArray(length: number, lo = -1, hi = 1): Float32Array {
  const key = `${arrayCall++} ${length} ${lo} ${hi}`;
  let out = arrays.get(key);
  if (!out) {
    out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * nextUniform(dataRng);
    arrays.set(key, out);
  }
  return out.slice();
}

function randomLabels(m: number, n: number): Int32Array {
  return Int32Array.from(randomArray(m, 0, 1), (u) => Math.min(n - 1, Math.floor(u * n)));
}

/** Asserts |actual − expected| ≤ absTol + relTol·|expected| elementwise, reporting the first miss. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relTol: number, absTol = relTol, what = '') {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= absTol + relTol * Math.abs(e);
    if (!ok) {
      throw new Error(`${what} mismatch at ${i}: native ${a}, reference ${e} (tolerance ${absTol} + ${relTol}·|ref|)`);
    }
  }
}

/** Runs `op` on fresh copies of `arrays` with both backends and returns both sets of arrays. */
function both(arrays: Float32Array[], op: (k: Kernels, copies: Float32Array[]) => unknown) {
  const mine = arrays.map((a) => a.slice());
  const nativeResult = op(nat(), mine);
  const inputs = crypto.createHash('sha256');
  for (const a of arrays) inputs.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const key = `${referenceCall++} ${op.toString()} ${inputs.digest('hex')}`;
  let cached = referenceResults.get(key);
  if (!cached) {
    const theirs = arrays.map((a) => a.slice());
    cached = { theirs, referenceResult: op(ref, theirs) };
    referenceResults.set(key, cached);
  }
  return { mine, nativeResult, theirs: cached.theirs.map((a) => a.slice()), referenceResult: cached.referenceResult };
}

/**
 * A fixed workload over the parallel paths (row- and column-chunked products with several k-blocks,
 * the fused epilogue, the narrow kernel) and the optimizer step and noise; returns a digest of every output.
 * Source text, so a child process can run the very same code against the addon file.
 */
const WORKLOAD = `(addon, crypto) => {
  let seed = 12345;
  const rand = (n, s = 1) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; a[i] = s * (seed / 4294967296 - 0.5); } return a; };
  const hash = crypto.createHash('sha256');
  const add = (a) => hash.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  for (const [m, n, k] of [[100, 240, 240], [200, 240, 784], [1000, 10, 127], [127, 300, 65]]) {
    const y = new Float32Array(m * n);
    addon.dense(m, n, k, rand(m * k), rand(k * n, 0.2), rand(n), 1, y); add(y);
  }
  for (const [ta, tb, m, n, k] of [[true, false, 240, 240, 100], [false, true, 100, 784, 240], [true, true, 300, 33, 127], [false, false, 33, 47, 1100]]) {
    const c = rand(m * n);
    addon.gemm(ta, tb, m, n, k, 0.5, rand(m * k), rand(k * n), 1.5, c); add(c);
  }
  const len = 100003, p = rand(len), avg = new Float32Array(len), sq = new Float32Array(len), inc = new Float32Array(len);
  for (let s = 0; s < 3; s++) addon.rmspropStep(len, p, rand(len), avg, sq, inc, 0.001, 0.95, 0.9, 0.001);
  add(p); add(avg); add(sq); add(inc);
  const state = new Uint32Array([1, 2, 3, 4]), noisy = new Float32Array(24001);
  for (let s = 0; s < 2; s++) { addon.addGaussianNoise(24001, rand(24001), 0.5, state, noisy); add(noisy); add(state); }
  return hash.digest('hex');
}`;

/**
 * Every test below, against one backend: `native-<isa>` (one instruction set of the addon) or
 * `wasm` (one thread, or two: its thread-count test compares two instances in this process).
 */
function kernelSuites(backend: string): void {
  const isa = backend.replace(/^native-/, '');
// ---- products --------------------------------------------------------------------------------------

/** [m, n, k] shapes: odd sizes, edge tiles, both thread-split directions, and the target sizes. */
const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 33],
  [17, 3, 65],
  [33, 65, 127],
  [127, 33, 17],
  [65, 127, 1],
  [1, 200, 3],
  [300, 33, 127], // > 2 MFLOP, m > n: split by rows
  [127, 300, 65], // > 2 MFLOP, m < n: split by columns
  [1000, 10, 127], // narrow output kernel, split by rows
  [33, 47, 1100], // several k-blocks
  [16, 16, 16], // exact 16×16 transpose blocks
];

const TARGETS: { t: [boolean, boolean]; m: number; n: number; k: number }[] = [
  { t: [false, false], m: 100, n: 240, k: 784 },
  { t: [false, false], m: 100, n: 240, k: 240 },
  { t: [false, false], m: 100, n: 10, k: 240 },
  { t: [true, false], m: 784, n: 240, k: 100 },
  { t: [true, false], m: 240, n: 240, k: 100 },
  { t: [false, true], m: 100, n: 240, k: 240 },
  { t: [false, true], m: 100, n: 784, k: 240 },
];

function checkGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, beta: number, nanC = false) {
  const a = randomArray(m * k);
  const b = randomArray(k * n);
  const c = nanC ? new Float32Array(m * n).fill(NaN) : randomArray(m * n);
  const { mine, theirs } = both([c], (kern, [cc]) => kern.gemm(transA, transB, m, n, k, alpha, a, b, beta, cc));
  const scale = Math.max(1, Math.abs(alpha)) * Math.max(1, Math.sqrt(k) / 4);
  expectClose(mine[0], theirs[0], 1e-4, 1e-4 * scale, `gemm(${transA},${transB},${m},${n},${k},α=${alpha},β=${beta})`);
}

describeNative('native gemm', () => {
  it('loads the addon', () => {
    expect(nat().name).toBe(backend);
  });

  for (const [m, n, k] of GEMM_SHAPES) {
    it(`matches the reference at m=${m} n=${n} k=${k}, all transposes and α/β variants`, () => {
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          checkGemm(transA, transB, m, n, k, 1, 0);
          checkGemm(transA, transB, m, n, k, -0.75, 1.5);
          checkGemm(transA, transB, m, n, k, 2, 0, true); // β = 0 must ignore NaNs in C
        }
    });
  }

  it('matches the reference at the target training sizes', () => {
    for (const { t, m, n, k } of TARGETS) {
      checkGemm(t[0], t[1], m, n, k, 1, 0, true);
      checkGemm(t[0], t[1], m, n, k, 0.5, 1);
    }
  });

  it('handles k = 0 (C ← β·C) and empty outputs', () => {
    checkGemm(false, false, 5, 7, 0, 1, 0.5);
    checkGemm(false, true, 5, 7, 0, 1, 0, true);
    checkGemm(true, true, 0, 7, 3, 1, 0);
  });

  it('is deterministic: a large product twice (and after the helper thread slept) is bit-identical', async () => {
    const [m, n, k] = [100, 784, 240];
    const a = randomArray(m * k);
    const b = randomArray(n * k);
    const first = new Float32Array(m * n);
    const second = new Float32Array(m * n).fill(NaN);
    const third = new Float32Array(m * n).fill(NaN);
    nat().gemm(false, true, m, n, k, 1, a, b, 0, first);
    nat().gemm(false, true, m, n, k, 1, a, b, 0, second);
    await new Promise((resolve) => setTimeout(resolve, 20));
    nat().gemm(false, true, m, n, k, 1, a, b, 0, third);
    expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    expect(Buffer.from(third.buffer).equals(Buffer.from(first.buffer))).toBe(true);
  });

  it("computes a column bit for bit alike however wide the product (A read in place or packed; the last columns in place in a half vector, or packed in a full one)", () => {
    const wide = 300; // more than four panels: op(A) packed, every column in full vectors
    for (const [m, k] of [[20, 106], [17, 1100], [33, 65]])
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const a = randomArray(m * k);
          const bWide = randomArray(k * wide);
          const cWide = new Float32Array(m * wide);
          nat().gemm(transA, transB, m, wide, k, 1, a, bWide, 0, cWide);
          const bias = randomArray(wide);
          const yWide = new Float32Array(m * wide);
          if (!transA && !transB) nat().dense(m, wide, k, a, bWide, bias, Activation.Tanh, yWide);
          for (const n of [4, 10, 47, 100]) {
            // the first n columns of op(B): B stored n×k (transB) is its first n rows
            const b = transB ? bWide.subarray(0, n * k) : Float32Array.from({ length: k * n }, (_, i) => bWide[Math.floor(i / n) * wide + (i % n)]);
            const c = new Float32Array(m * n).fill(NaN);
            nat().gemm(transA, transB, m, n, k, 1, a, b, 0, c);
            const y = new Float32Array(m * n).fill(NaN);
            if (!transA && !transB) nat().dense(m, n, k, a, b, bias, Activation.Tanh, y);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                if (!Object.is(c[i * n + j], cWide[i * wide + j])) throw new Error(`gemm(${transA},${transB}) m=${m} k=${k}: C[${i},${j}] at n=${n} is ${c[i * n + j]}, at n=${wide} ${cWide[i * wide + j]}`);
                if (!transA && !transB && !Object.is(y[i * n + j], yWide[i * wide + j])) throw new Error(`dense m=${m} k=${k}: Y[${i},${j}] at n=${n} is ${y[i * n + j]}, at n=${wide} ${yWide[i * wide + j]}`);
              }
          }
        }
  });

  it('computes a row bit for bit alike however tall the product (a ragged last row tile on fewer rows; B packed for tall blocks, read in place for short ones)', () => {
    const tall = 61; // B packed, ten full row tiles and a ragged one on every instruction set
    for (const [n, k] of [[100, 106], [37, 1100], [10, 240]])
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const aTall = randomArray(tall * k);
          const b = randomArray(k * n);
          const cTall = new Float32Array(tall * n);
          nat().gemm(transA, transB, tall, n, k, 1, aTall, b, 0, cTall);
          for (const m of [1, 2, 3, 5, 7, 9, 11, 20, 23, 24, 25, 40]) {
            // the first m rows of op(A): A stored m×k is its first m rows; stored k×m (transA), every row's first m
            const a = transA ? Float32Array.from({ length: k * m }, (_, i) => aTall[Math.floor(i / m) * tall + (i % m)]) : aTall.subarray(0, m * k);
            const c = new Float32Array(m * n).fill(NaN);
            nat().gemm(transA, transB, m, n, k, 1, a, b, 0, c);
            for (let i = 0; i < m * n; i++)
              if (!Object.is(c[i], cTall[i])) throw new Error(`gemm(${transA},${transB}) n=${n} k=${k}: C[${Math.floor(i / n)},${i % n}] at m=${m} is ${c[i]}, at m=${tall} ${cTall[i]}`);
          }
        }
  });

  it('accepts subarray views (byte offsets)', () => {
    const [m, n, k] = [17, 33, 9];
    const backing = randomArray(5 + m * k);
    const a = backing.subarray(5);
    const b = randomArray(k * n);
    const { mine, theirs } = both([new Float32Array(m * n)], (kern, [c]) => kern.gemm(false, false, m, n, k, 1, a, b, 0, c));
    expectClose(mine[0], theirs[0], 1e-4);
  });
});

describeNative('native dense', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 33],
    [33, 65, 127],
    [100, 240, 784],
    [100, 10, 240],
    [127, 300, 65],
  ];
  for (const [m, n, k] of shapes) {
    it(`matches f(X·W + b) at m=${m} n=${n} k=${k} for every activation, with and without bias`, () => {
      const x = randomArray(m * k);
      const w = randomArray(k * n, -0.2, 0.2);
      const bias = randomArray(n);
      for (const act of ACTIVATIONS)
        for (const withBias of [true, false]) {
          const y = new Float32Array(m * n).fill(NaN);
          const { mine, theirs } = both([y], (kern, [yy]) => kern.dense(m, n, k, x, w, withBias ? bias : null, act, yy));
          expectClose(mine[0], theirs[0], 1e-4, 1e-4 * Math.max(1, Math.sqrt(k) / 4), `dense act=${act} bias=${withBias}`);
        }
    });
  }
});

describeNative('native denseConcat', () => {
  const shapes: [number, number, number, number][] = [
    [1, 1, 1, 1],
    [3, 6, 17, 33], // odd sizes
    [20, 6, 100, 100], // a recurrent step of the benchmark
    [13, 0, 9, 5], // no A columns
  ];
  for (const [m, wa, wb, n] of shapes) {
    it(`matches the reference, and its own copyBlock + dense bit for bit, at m=${m} wa=${wa} wb=${wb} n=${n}`, () => {
      const k = wa + wb;
      const lda = wa + 3; // A a strided view into wider rows
      const a = randomArray(2 + m * lda).subarray(2);
      const b = randomArray(m * wb);
      const w = randomArray(k * n, -0.2, 0.2);
      const bias = randomArray(n);
      for (const act of ACTIVATIONS)
        for (const [withB, withBias] of [[true, true], [false, false], [false, true]]) {
          const z = new Float32Array(m * k).fill(NaN);
          const y = new Float32Array(m * n).fill(NaN);
          const { mine, theirs } = both([z, y], (kern, [zz, yy]) => kern.denseConcat(m, wa, wb, n, a, lda, withB ? b : null, zz, w, withBias ? bias : null, act, yy));
          expectClose(mine[0], theirs[0], 0, 0, `denseConcat z act=${act} b=${withB}`);
          expectClose(mine[1], theirs[1], 1e-4, 1e-4 * Math.max(1, Math.sqrt(k) / 4), `denseConcat y act=${act} b=${withB} bias=${withBias}`);
          const z2 = new Float32Array(m * k).fill(NaN);
          const y2 = new Float32Array(m * n).fill(NaN);
          nat().copyBlock(m, wa, a, lda, z2, k);
          if (withB) nat().copyBlock(m, wb, b, wb, z2.subarray(wa), k);
          else for (let r = 0; r < m; r++) z2.fill(0, r * k + wa, (r + 1) * k);
          nat().dense(m, n, k, z2, w, withBias ? bias : null, act, y2);
          expect(Buffer.from(mine[0].buffer).equals(Buffer.from(z2.buffer))).toBe(true);
          expect(Buffer.from(mine[1].buffer).equals(Buffer.from(y2.buffer))).toBe(true);
        }
    });
  }
});

describeNative('native errorThroughSteps', () => {
  const shapes: [number, number, number][] = [
    [1, 3, 5], // one step: nothing to carry
    [2, 1, 1],
    [5, 7, 33], // odd sizes, a half-width last panel
    [4, 20, 100], // the recurrent benchmark's minibatch and population
  ];
  for (const [steps, rows, n] of shapes) {
    it(`matches the reference, and its own gemm + deltaFromGrad step by step bit for bit, at steps=${steps} rows=${rows} n=${n}`, () => {
      const b = randomArray(n * n, -0.3, 0.3);
      const states = randomArray(steps * rows * n, -0.99, 0.99);
      for (const act of ACTIVATIONS)
        for (const transB of [false, true]) {
          // views at an offset, with the first steps' blocks of `deltas` NaN: only the last one is read
          const backing = new Float32Array(3 + steps * rows * n).fill(NaN);
          const deltas = backing.subarray(3);
          deltas.set(randomArray(rows * n), (steps - 1) * rows * n);
          const { mine, theirs } = both([deltas], (kern, [d]) => kern.errorThroughSteps(steps, rows, n, transB, b, act, states, d));
          expectClose(mine[0], theirs[0], 1e-4, 1e-5 * n, `errorThroughSteps act=${act} transB=${transB}`);
          const stepwise = deltas.slice();
          const block = rows * n;
          for (let t = steps - 1; t > 0; t--) {
            const below = stepwise.subarray((t - 1) * block, t * block);
            nat().gemm(false, transB, rows, n, n, 1, stepwise.subarray(t * block), b, 0, below);
            nat().deltaFromGrad(act, block, states.subarray((t - 1) * block), below, below);
          }
          expect(Buffer.from(mine[0].buffer).equals(Buffer.from(stepwise.buffer))).toBe(true);
        }
    });
  }
});

// ---- elementwise -----------------------------------------------------------------------------------

/** Inputs spanning the activations' interesting ranges: tiny, moderate, saturating, and zero. */
function activationInputs(): Float32Array {
  const special = [0, -0, 1e-8, -1e-8, 1e-3, -1e-3, 0.1249, 0.125, 0.1251, 0.5, -0.5, 1, -1, 3, -3, 8.9, 9, 9.1, 20, -20, 88, -88, 100, -100, 1e30, -1e30];
  const random = randomArray(4001, -12, 12);
  const out = new Float32Array(special.length + random.length);
  out.set(special);
  out.set(random, special.length);
  return out;
}

describeNative('native elementwise ops', () => {
  it('activate: every activation within 2e-6 absolute, NaN propagating for tanh/sigmoid, in place too', () => {
    const a = activationInputs();
    for (const act of ACTIVATIONS) {
      const { mine, theirs } = both([a, new Float32Array(a.length)], (kern, [aa, y]) => kern.activate(act, aa.length, aa, y));
      expectClose(mine[1], theirs[1], 0, 2e-6, `activate ${Activation[act]}`);
      const inPlace = a.slice();
      nat().activate(act, inPlace.length, inPlace, inPlace);
      expectClose(inPlace, theirs[1], 0, 2e-6, `activate in place ${Activation[act]}`);
    }
    const nan = new Float32Array([NaN]);
    const y = new Float32Array(1);
    nat().activate(Activation.Tanh, 1, nan, y);
    expect(Number.isNaN(y[0])).toBe(true);
    nat().activate(Activation.Sigmoid, 1, nan, y);
    expect(Number.isNaN(y[0])).toBe(true);
  });

  it('activate: small tanh arguments keep relative accuracy', () => {
    const a = new Float32Array([1e-6, -3e-5, 0.01, -0.1]);
    const y = new Float32Array(4);
    nat().activate(Activation.Tanh, 4, a, y);
    for (let i = 0; i < 4; i++) expect(Math.abs(y[i] - Math.tanh(a[i]))).toBeLessThanOrEqual(2e-7 * Math.abs(a[i]));
  });

  it('deltaFromGrad and deltaFromTarget for every activation (odd lengths)', () => {
    for (const length of [1, 17, 1003]) {
      for (const act of ACTIVATIONS) {
        const y = new Float32Array(length);
        ref.activate(act, length, randomArray(length, -3, 3), y);
        const g = randomArray(length);
        const t = randomArray(length);
        let r = both([new Float32Array(length)], (kern, [d]) => kern.deltaFromGrad(act, length, y, g, d));
        expectClose(r.mine[0], r.theirs[0], 1e-6, 1e-7, 'deltaFromGrad');
        r = both([new Float32Array(length)], (kern, [d]) => kern.deltaFromTarget(act, length, 0.02, y, t, d));
        expectClose(r.mine[0], r.theirs[0], 1e-6, 1e-8, 'deltaFromTarget');
        // d may alias g
        const r2 = both([g], (kern, [gg]) => kern.deltaFromGrad(act, length, y, gg, gg));
        expectClose(r2.mine[0], r2.theirs[0], 1e-6, 1e-7, 'deltaFromGrad in place');
      }
    }
  });

  it('axpby and addDifference, including aliased outputs', () => {
    for (const length of [0, 1, 33, 1025]) {
      const x = randomArray(length);
      const y = randomArray(length);
      let r = both([x, y, new Float32Array(length)], (kern, [xx, yy, out]) => kern.axpby(length, 0.3, xx, -1.7, yy, out));
      expectClose(r.mine[2], r.theirs[2], 1e-6, 1e-6, 'axpby');
      r = both([x, y, new Float32Array(length)], (kern, [xx, yy]) => kern.axpby(length, 0.3, xx, -1.7, yy, yy));
      expectClose(r.mine[1], r.theirs[1], 1e-6, 1e-6, 'axpby aliased');
      const z = randomArray(length);
      r = both([x, y, z], (kern, [xx, yy, zz]) => kern.addDifference(length, xx, yy, zz, xx));
      expectClose(r.mine[0], r.theirs[0], 1e-6, 1e-6, 'addDifference aliased');
    }
  });

  it('copyBlock copies a block of columns between strides and keeps the rest of dst', () => {
    for (const [rows, width, srcStride, dstStride] of [[0, 5, 5, 5], [3, 0, 4, 4], [1, 7, 7, 7], [20, 6, 600, 106], [20, 100, 100, 106], [5, 33, 40, 33]]) {
      const src = randomArray(rows === 0 ? 3 : (rows - 1) * srcStride + width);
      const dst = randomArray(rows === 0 ? 3 : (rows - 1) * dstStride + width + 2);
      const r = both([src, dst], (kern, [s, d]) => kern.copyBlock(rows, width, s, srcStride, d, dstStride));
      expect(r.mine[1]).toEqual(r.theirs[1]);
      for (let i = 0; i < rows; i++) expect(r.mine[1].subarray(i * dstStride, i * dstStride + width)).toEqual(src.subarray(i * srcStride, i * srcStride + width));
    }
    // Into a view at an offset, as a recurrent step writes h_{t−1} after x_t in [x_t, h_{t−1}].
    const z = randomArray(4 * 9);
    const h = randomArray(4 * 6);
    const r = both([z], (kern, [zz]) => kern.copyBlock(4, 6, h, 6, zz.subarray(3), 9));
    expect(r.mine[0]).toEqual(r.theirs[0]);
    expect(Array.from(r.mine[0].subarray(9 + 3, 9 + 9))).toEqual(Array.from(h.subarray(6, 12)));
  });

  it('columnSums with β = 0 (NaN-filled out) and β ≠ 0', () => {
    for (const [m, n] of [[1, 1], [100, 240], [17, 33], [3, 1000]]) {
      const d = randomArray(m * n);
      let r = both([new Float32Array(n).fill(NaN)], (kern, [out]) => kern.columnSums(m, n, 0.5, d, 0, out));
      expectClose(r.mine[0], r.theirs[0], 1e-6, 1e-6, 'columnSums β=0');
      r = both([randomArray(n)], (kern, [out]) => kern.columnSums(m, n, -1, d, 0.9, out));
      expectClose(r.mine[0], r.theirs[0], 1e-6, 1e-6, 'columnSums');
    }
  });

  it('softmaxCrossEntropy: probabilities, gradient, loss; with and without grad, probs aliasing scores', () => {
    for (const [m, n] of [[1, 1], [100, 10], [7, 33]]) {
      const scores = randomArray(m * n, -8, 8);
      const labels = randomLabels(m, n);
      const r = both([scores, new Float32Array(m * n), new Float32Array(m * n)], (kern, [s, p, g]) =>
        kern.softmaxCrossEntropy(m, n, s, labels, p, 1.5, g),
      );
      expectClose(r.mine[1], r.theirs[1], 1e-6, 1e-7, 'probs');
      expectClose(r.mine[2], r.theirs[2], 1e-6, 1e-8, 'grad');
      expect(Math.abs((r.nativeResult as number) - (r.referenceResult as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(r.referenceResult as number)));
      const r2 = both([scores], (kern, [s]) => kern.softmaxCrossEntropy(m, n, s, labels, s, 1, null));
      expectClose(r2.mine[0], r2.theirs[0], 1e-6, 1e-7, 'probs in place');
      expect(Math.abs((r2.nativeResult as number) - (r2.referenceResult as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(r2.referenceResult as number)));
    }
  });

  it('countErrors, with ties resolved to the first maximum', () => {
    const m = 200;
    const n = 10;
    const scores = randomArray(m * n);
    for (let i = 0; i < m; i += 3) scores[i * n + 7] = scores[i * n + 2] = 5; // ties
    const labels = randomLabels(m, n);
    for (let i = 0; i < m; i += 5) labels[i] = 2;
    expect(nat().countErrors(m, n, scores, labels)).toBe(ref.countErrors(m, n, scores, labels));
  });

  it('sumSquaredDifference accumulates in double', () => {
    for (const length of [0, 1, 15, 16, 17, 100003]) {
      const x = randomArray(length, -100, 100);
      const y = randomArray(length, -100, 100);
      const a = nat().sumSquaredDifference(length, x, y);
      const e = ref.sumSquaredDifference(length, x, y);
      expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-12 * Math.abs(e));
    }
  });

  it('sgdStep, rmspropStep and adamStep over several steps', () => {
    const length = 1001;
    const param = randomArray(length);
    const zeros = () => new Float32Array(length);
    const sgd = both([param, zeros()], () => undefined);
    const rms = both([param, zeros(), zeros(), zeros()], () => undefined);
    const adam = both([param, zeros(), zeros()], () => undefined);
    for (let step = 1; step <= 5; step++) {
      const grad = randomArray(length);
      nat().sgdStep(length, sgd.mine[0], grad, sgd.mine[1], 0.01, 0.9, 1e-4);
      ref.sgdStep(length, sgd.theirs[0], grad, sgd.theirs[1], 0.01, 0.9, 1e-4);
      nat().rmspropStep(length, rms.mine[0], grad, rms.mine[1], rms.mine[2], rms.mine[3], 0.001, 0.95, 0.9, 0.001);
      ref.rmspropStep(length, rms.theirs[0], grad, rms.theirs[1], rms.theirs[2], rms.theirs[3], 0.001, 0.95, 0.9, 0.001);
      nat().adamStep(length, adam.mine[0], grad, adam.mine[1], adam.mine[2], 0.001, 0.9, 0.999, 1e-8, step);
      ref.adamStep(length, adam.theirs[0], grad, adam.theirs[1], adam.theirs[2], 0.001, 0.9, 0.999, 1e-8, step);
    }
    for (let i = 0; i < 2; i++) expectClose(sgd.mine[i], sgd.theirs[i], 1e-5, 1e-6, `sgd ${i}`);
    for (let i = 0; i < 4; i++) expectClose(rms.mine[i], rms.theirs[i], 1e-5, 1e-6, `rmsprop ${i}`);
    for (let i = 0; i < 3; i++) expectClose(adam.mine[i], adam.theirs[i], 1e-5, 1e-6, `adam ${i}`);
  });
});

// ---- random numbers ----------------------------------------------------------------------------------

describeNative('native addGaussianNoise', () => {
  it('consumes the xoshiro128** stream exactly as the reference (odd and even lengths, scalar and 16-lane paths)', () => {
    for (const length of [0, 1, 2, 3, 255, 256, 257, 511, 512, 513, 1001, 1100, 1101, 24000, 100001]) {
      const rngNative = streamState(7, `noise/${length}`);
      const rngRef = rngNative.slice();
      const x = randomArray(length);
      const outNative = new Float32Array(length);
      const outRef = new Float32Array(length);
      nat().addGaussianNoise(length, x, 1, rngNative, outNative);
      ref.addGaussianNoise(length, x, 1, rngRef, outRef);
      expect(Array.from(rngNative)).toEqual(Array.from(rngRef));
      expectClose(outNative, outRef, 0, 1e-5, `noise length ${length}`);
    }
  });

  it('normals are within 1e-5 of the reference, σ scales them, out may alias x', () => {
    const length = 200001;
    const rngNative = streamState(99, 'noise/zero');
    const rngRef = rngNative.slice();
    const zeros = new Float32Array(length);
    const z = new Float32Array(length);
    const zRef = new Float32Array(length);
    nat().addGaussianNoise(length, zeros, 1, rngNative, z);
    ref.addGaussianNoise(length, zeros, 1, rngRef, zRef);
    let maxErr = 0;
    for (let i = 0; i < length; i++) maxErr = Math.max(maxErr, Math.abs(z[i] - zRef[i]));
    expect(maxErr).toBeLessThanOrEqual(1e-5);
    // moments, as a sanity check of the recipe itself
    let mean = 0;
    let sq = 0;
    for (let i = 0; i < length; i++) {
      mean += z[i];
      sq += z[i] * z[i];
    }
    expect(Math.abs(mean / length)).toBeLessThan(0.01);
    expect(Math.abs(sq / length - 1)).toBeLessThan(0.02);

    const x = randomArray(1001);
    const a = x.slice();
    const rngA = streamState(5, 'alias');
    const rngB = rngA.slice();
    const expected = new Float32Array(1001);
    ref.addGaussianNoise(1001, x, 0.3, rngB, expected);
    nat().addGaussianNoise(1001, a, 0.3, rngA, a);
    expectClose(a, expected, 0, 1e-5, 'aliased noise');
    expect(Array.from(rngA)).toEqual(Array.from(rngB));
  });
});

// ---- determinism across thread counts ----------------------------------------------------------------


describeNative('native determinism', () => {
  it('gives bit-identical results with one thread (APICAL_NATIVE_THREADS=1; wasm: APICAL_WASM_THREADS=1) and with two', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const workload = new Function(`return ${WORKLOAD}`)() as (addon: unknown, c: typeof crypto) => string;
    const here = [workload(nat(), crypto), workload(nat(), crypto), workload(nat(), crypto)];
    expect(here[1]).toBe(here[0]);
    expect(here[2]).toBe(here[0]);
    if (backend === 'wasm') {
      if (typeof wasm === 'string' || typeof wasmThreaded === 'string') throw new Error(`wasm kernels unavailable: ${wasm} ${wasmThreaded}`);
      expect(wasm.threads()).toBe(1);
      expect(wasmThreaded.threads()).toBe(2);
      expect(workload(current === wasm ? wasmThreaded : wasm, crypto)).toBe(here[0]);
      return;
    }
    const addonFile = path.join(__dirname, '..', 'build', 'Release', 'apical_native.node');
    const child = spawnSync(process.execPath, ['-e', `console.log((${WORKLOAD})(require(${JSON.stringify(addonFile)}).paths.${isa}, require('crypto')))`], {
      env: { ...process.env, APICAL_NATIVE_THREADS: '1' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(here[0]);
  });
});

// ---- argument checking ----------------------------------------------------------------------------

/**
 * Asserts that `fn` throws an error of the given class name whose message matches `pattern`.
 * (Compared by name: errors thrown by the addon come from Node's realm, not jest's sandbox.)
 */
function expectThrows(fn: () => unknown, kind?: 'TypeError' | 'RangeError', pattern?: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeDefined();
  const error = caught as Error;
  if (kind) expect(error.name).toBe(kind);
  if (pattern) expect(error.message).toMatch(pattern);
}

describeNative('native argument checking', () => {
  const f = new Float32Array(100);
  it('throws TypeError for wrong types, naming the op and argument', () => {
    const k = nat();
    expectThrows(() => k.gemm(false, false, 2, 2, 2, 1, new Float64Array(4) as unknown as Float32Array, f, 0, f), 'TypeError');
    expectThrows(() => k.gemm(false, false, 2, 2, 2, 1, new Float64Array(4) as unknown as Float32Array, f, 0, f), undefined, /gemm.*'a'/);
    expectThrows(() => k.gemm(0 as unknown as boolean, false, 2, 2, 2, 1, f, f, 0, f), undefined, /gemm.*transA/);
    expectThrows(() => k.dense(2, 2, 2, f, f, undefined as unknown as null, Activation.Tanh, f), undefined, /dense.*bias/);
    expectThrows(() => k.axpby(3, '1' as unknown as number, f, 1, f, f), 'TypeError');
    expectThrows(() => k.softmaxCrossEntropy(2, 2, f, new Float32Array(2) as unknown as Int32Array, f, 1, null), undefined, /labels/);
    expectThrows(() => k.addGaussianNoise(2, f, 1, new Int32Array(4) as unknown as Uint32Array, f), undefined, /rng/);
    expectThrows(() => (k.gemm as unknown as (...a: unknown[]) => void)(false, false, 1), 'TypeError');
  });

  it('throws RangeError for bad sizes and too-short arrays', () => {
    const k = nat();
    expectThrows(() => k.gemm(false, false, 10, 10, 10, 1, f, new Float32Array(99), 0, f), 'RangeError');
    expectThrows(() => k.gemm(false, false, 10, 10, 10, 1, f, new Float32Array(99), 0, f), undefined, /gemm.*'b'.*too short/);
    expectThrows(() => k.gemm(false, false, -1, 10, 10, 1, f, f, 0, f), 'RangeError');
    expectThrows(() => k.gemm(false, false, 2.5, 1, 1, 1, f, f, 0, f), 'RangeError');
    expectThrows(() => k.activate(7 as Activation, 3, f, f), undefined, /activate.*act/);
    expectThrows(() => k.activate(Activation.Tanh, 101, f, f), 'RangeError');
    expectThrows(() => k.addGaussianNoise(1, f, 1, new Uint32Array(3), f), 'RangeError');
    expectThrows(() => k.softmaxCrossEntropy(1, 3, f, new Int32Array([3]), f, 1, null), undefined, /labels/);
    expectThrows(() => k.dense(2, 3, 2, f, f, new Float32Array(2), Activation.Relu, f), undefined, /dense.*bias/);
    expectThrows(() => k.sgdStep(200, f, f, f, 0.1, 0.9, 0), undefined, /sgdStep.*param/);
    expectThrows(() => k.copyBlock(3, 10, f, 46, f, 10), undefined, /copyBlock.*'src'.*too short/);
    expectThrows(() => k.copyBlock(3, 10, f, 10, new Float32Array(29), 10), undefined, /copyBlock.*'dst'.*too short/);
    expectThrows(() => k.errorThroughSteps(3, 2, 5, false, f, Activation.Tanh, f, new Float32Array(29)), undefined, /errorThroughSteps.*'deltas'.*too short/);
    expectThrows(() => k.denseConcat(3, 4, 5, 2, f, 50, f, f, f, null, Activation.Tanh, f), undefined, /denseConcat.*'a'.*too short/);
    expectThrows(() => k.denseConcat(3, 4, 5, 2, f, 4, f, new Float32Array(26), f, null, Activation.Tanh, f), undefined, /denseConcat.*'z'.*too short/);
    expectThrows(() => k.errorThroughSteps(3, 2, 11, true, new Float32Array(120), Activation.Tanh, f, f), undefined, /errorThroughSteps.*'b'.*too short/);
  });
});
}

for (const isa of ISAS_UNDER_TEST) {
  describeNative(`native-${isa}`, () => {
    beforeAll(() => {
      restartTestData();
      current = typeof addon === 'string' ? addon : loadNativeKernels(isa);
    });
    kernelSuites(`native-${isa}`);
  });
}

describe('wasm', () => {
  beforeAll(() => {
    restartTestData();
    current = wasm;
  });
  kernelSuites('wasm');
});

describe('wasm, two threads', () => {
  beforeAll(() => {
    restartTestData();
    current = wasmThreaded;
  });
  kernelSuites('wasm');
});

describeNative('results across paths', () => {
  /**
   * Every path sums each product element in the same order (over k, in the same k-blocks) and
   * evaluates the same formulas; what differs is whether a·b + c is rounded once (fused: AVX-512,
   * AVX2, NEON) or twice (generic, wasm). So paths of the same kind agree bit for bit.
   */
  it('paths with fused multiply-add agree bit for bit, and so do the paths without', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const workload = new Function(`return ${WORKLOAD}`)() as (kernels: unknown, c: typeof crypto) => string;
    const digest = (name: string): string => workload(name === 'wasm' ? wasm : loadNativeKernels(name), crypto);
    const fused = ISAS_UNDER_TEST.filter((isa) => isa !== 'generic');
    for (const isa of fused.slice(1)) expect(digest(isa)).toBe(digest(fused[0]));
    if (ISAS_UNDER_TEST.includes('generic')) expect(digest('generic')).toBe(digest('wasm'));
    if (fused.length > 0) expect(digest(fused[0])).not.toBe(digest('wasm'));
  });
});
