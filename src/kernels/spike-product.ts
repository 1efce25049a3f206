/**
 * S·B in single precision for a sparse 0/1 matrix S, with the bits of the native and WebAssembly
 * gemm (native/gemm.cc) for that S: native/wasm/spike-product.cc sums the rows of B where S has a
 * one, in gemm's order and k-blocks (the file explains why that is the same float). Its WebAssembly
 * SIMD module is small and held as base64 (spike-product-wasm.ts, built by
 * scripts/build-spike-product.js), so it loads synchronously in Node and in a browser; one
 * instance serves the process. Each call copies B and the indices into the module's memory and C
 * out (for a 300×300 B, 360 KB: microseconds).
 */
import { Kernels } from './kernels';
import { spikeProductWasm } from './spike-product-wasm';

interface SpikeProductModule {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: { readonly value: number };
  spike_product(m: number, n: number, k: number, ones: number, count: number, b: number, c: number, rows: number): void;
}

let loaded: SpikeProductModule | undefined;

function load(): SpikeProductModule {
  const bytes = Uint8Array.from(atob(spikeProductWasm), (c) => c.charCodeAt(0));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as SpikeProductModule;
}

const PAGE = 65536;

/** Kernels.spikeProduct for the backends whose gemm accumulates in single precision (native, wasm). */
export const float32SpikeProduct: Kernels['spikeProduct'] = (m, n, k, ones, count, b, c) => {
  const module = (loaded ??= load());
  // B, the indices, C and k indices of scratch, one after another above the module's own data.
  const bAt = module.__heap_base.value;
  const onesAt = bAt + 4 * k * n;
  const cAt = onesAt + 4 * count;
  const rowsAt = cAt + 4 * m * n;
  const end = rowsAt + 4 * k;
  const have = module.memory.buffer.byteLength;
  if (end > have) module.memory.grow(Math.ceil((end - have) / PAGE));
  const { buffer } = module.memory;
  new Float32Array(buffer, bAt, k * n).set(b.subarray(0, k * n));
  new Uint32Array(buffer, onesAt, count).set(ones.subarray(0, count));
  module.spike_product(m, n, k, onesAt, count, bAt, cAt, rowsAt);
  c.set(new Float32Array(buffer, cAt, m * n));
};
