/**
 * The WebAssembly kernels on one thread against two (native/wasm/threads.cc), product by product
 * from 0.2 to 38 MFLOP at minibatch 100 (row-split and column-split products), measured side by
 * side: each trial times one instance with APICAL_WASM_THREADS=1 and one with the helper thread,
 * in alternation, and the fastest trial of each is kept (on a shared machine, the least disturbed).
 * Below native/gemm.cc's kParallelFlops both run on one thread, so their ratio there is 1 by
 * construction; the threshold was chosen by running this against a build with it set to 0.
 *
 *   npm run build && node dist/bench/wasm-threads.js [TRIALS]    # default 200 trials
 */
import { loadWasmKernels, WasmKernels } from '../src/kernels/wasm';

/** [m, n, k, transB]: the DTP network's products and smaller ones around the threshold. */
const SHAPES: [number, number, number, boolean][] = [
  [100, 32, 32, false],
  [100, 64, 64, false],
  [100, 96, 96, false],
  [100, 128, 128, false],
  [100, 160, 160, false],
  [100, 240, 240, false],
  [100, 240, 784, false],
  [100, 240, 240, true],
  [100, 784, 240, true],
];

function main(): void {
  const trials = Number(process.argv[2] ?? 200);
  const one = loadWasmKernels(1);
  const two = loadWasmKernels(2);
  if (typeof one === 'string' || typeof two === 'string') throw new Error(`${one} ${two}`);
  let seed = 1;
  const rand = (length: number): Float32Array =>
    Float32Array.from({ length }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5);
  console.log(`WebAssembly kernels, 1 thread vs ${two.threads()} (fastest of ${trials} alternating trials)\n`);
  console.log('| product | MFLOP | 1 thread µs | GFLOP/s | 2 threads µs | GFLOP/s | 2 ÷ 1 time |\n|---|---|---|---|---|---|---|');
  for (const [m, n, k, transB] of SHAPES) {
    const flops = 2 * m * n * k;
    const a = rand(m * k);
    const b = rand(k * n);
    const c = new Float32Array(m * n);
    const calls = Math.max(1, Math.round(4e6 / flops));
    const best = [Infinity, Infinity];
    for (let t = 0; t < trials; t++) {
      ([one, two] as WasmKernels[]).forEach((kernels, i) => {
        const start = process.hrtime.bigint();
        for (let r = 0; r < calls; r++) kernels.gemm(false, transB, m, n, k, 1, a, b, 0, c);
        best[i] = Math.min(best[i], Number(process.hrtime.bigint() - start) / 1e3 / calls);
      });
    }
    const shape = transB ? `${m}×${k}·(${n}×${k})ᵀ` : `${m}×${k}·${k}×${n}`;
    const rate = (micros: number): string => (flops / micros / 1e3).toFixed(1);
    console.log(`| ${shape} | ${(flops / 1e6).toFixed(2)} | ${best[0].toFixed(1)} | ${rate(best[0])} | ${best[1].toFixed(1)} | ${rate(best[1])} | ${(best[1] / best[0]).toFixed(2)} |`);
  }
}

main();
