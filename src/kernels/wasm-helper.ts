/**
 * The WebAssembly kernels' second thread in Node: a worker thread running the module's
 * HELPER_PROGRAM (wasm-module.ts) on the calling thread's shared memory.
 *
 * APICAL_WASM_THREADS=1 keeps everything on the calling thread, =2 starts the helper; unset, the
 * helper starts when the process may use two cores or more. Results are bit-identical either way.
 */
import * as os from 'os';
import { Worker } from 'worker_threads';
import { BackendError } from './backend-error';
import { HELPER_PROGRAM, WasmInstance } from './wasm-module';

/** How many threads the WebAssembly kernels use: 1 or 2 (see the file comment). */
export function wasmThreads(): 1 | 2 {
  const v = process.env.APICAL_WASM_THREADS;
  if (v === undefined || v === '') return os.availableParallelism() >= 2 ? 2 : 1;
  if (v !== '1' && v !== '2') throw new BackendError(`APICAL_WASM_THREADS must be 1 or 2; got "${v}"`);
  return v === '1' ? 1 : 2;
}

/** The worker's whole program (run with `eval`: no file to find at run time). */
const HELPER = `const start = require('worker_threads').workerData;\n${HELPER_PROGRAM}`;

/** How long loading waits for the helper to be up (a worker starts in 20–50 ms on an idle machine). */
const START_TIMEOUT_MS = 2000;

/**
 * Starts the helper thread on `instance`'s memory and waits until it runs (so the first products
 * already use it; if it is slower than START_TIMEOUT_MS, it joins in whenever it is up, and until
 * then the calling thread runs every chunk). The worker is unref'd: it never keeps the process alive.
 */
export function startHelper(instance: WasmInstance): void {
  const worker = new Worker(HELPER, { eval: true, workerData: instance.helperStart() });
  worker.unref();
  worker.on('error', (error) => process.stderr.write(`apical: the WebAssembly helper thread stopped (${error.message}); the kernels continue on one thread\n`));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (instance.threads() < 2 && Date.now() < deadline) Atomics.wait(pause, 0, 0, 1);
}
