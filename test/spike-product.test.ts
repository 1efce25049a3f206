/**
 * Kernels.spikeProduct (S·B for a 0/1 matrix S given by the indices of its ones) against each
 * backend's own gemm on the same S written out densely: the same bits, which is what lets a spiking
 * projection switch between the two from step to step without changing a result
 * (src/network/dense-spike-projection.ts). Shapes cover one and several of gemm's k-blocks (k > 512),
 * widths that are not a multiple of the 16-float column chunk, rows without spikes, no spikes at all
 * and every source spiking.
 */
import { Kernels } from '../src/kernels/kernels';
import { loadNativeAddon, loadNativeKernels } from '../src/kernels/native';
import { referenceKernels } from '../src/kernels/reference';
import { nextUniform, streamState } from '../src/kernels/random';
import { loadWasmKernels } from '../src/kernels/wasm';

const rng = streamState(7, 'test/spike-product');

/** [m, n, k, probability of a one] */
const SHAPES: [number, number, number, number][] = [
  [100, 300, 300, 0.03],
  [20, 300, 300, 0.5],
  [7, 37, 1100, 0.3],
  [3, 17, 1030, 0.02],
  [5, 40, 513, 1],
  [4, 9, 6, 0],
  [1, 1, 1, 1],
];

function problem(m: number, n: number, k: number, p: number): { ones: Uint32Array; dense: Float32Array; b: Float32Array } {
  const dense = new Float32Array(m * k);
  const ones: number[] = [];
  for (let i = 0; i < m * k; i++) {
    // rows 1 and 3 (when present) stay silent
    const row = Math.floor(i / k);
    if (row !== 1 && row !== 3 && nextUniform(rng) < p) {
      dense[i] = 1;
      ones.push(i);
    }
  }
  const b = Float32Array.from({ length: k * n }, () => (nextUniform(rng) - 0.5) * Math.exp(8 * (nextUniform(rng) - 0.5)));
  return { ones: Uint32Array.from(ones), dense, b };
}

const backends: [string, () => Kernels][] = [['reference', () => referenceKernels]];
const addon = loadNativeAddon();
if (typeof addon !== 'string') for (const isa of addon.isas) backends.push([`native-${isa}`, () => loadNativeKernels(isa) as Kernels]);
const wasm = loadWasmKernels(1);
if (typeof wasm !== 'string') backends.push(['wasm', () => wasm]);

describe.each(backends)('spikeProduct on %s', (_name, load) => {
  test.each(SHAPES)('m %i, n %i, k %i, ones with probability %f: the bits of gemm', (m, n, k, p) => {
    const kernels = load();
    const { ones, dense, b } = problem(m, n, k, p);
    const expected = new Float32Array(m * n).fill(NaN);
    kernels.gemm(false, false, m, n, k, 1, dense, b, 0, expected);
    const actual = new Float32Array(m * n).fill(NaN);
    // a longer index array than `count` says: only the first `count` count
    const padded = new Uint32Array(ones.length + 3);
    padded.set(ones);
    padded.fill(0, ones.length);
    kernels.spikeProduct(m, n, k, padded, ones.length, b, actual);
    expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});

test('the native addon is tested when it loads', () => {
  expect(backends.length).toBeGreaterThan(typeof addon === 'string' ? 1 : 2);
});
