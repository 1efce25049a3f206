/**
 * The WebAssembly kernels' second thread. Large products (native/gemm.cc, above a size threshold)
 * are cut into chunks that the calling thread and a helper claim from a shared ticket
 * (native/wasm/threads.cc). The helper is a second instance of the same module, on the same shared
 * WebAssembly.Memory, in a Node worker thread that does nothing but run `apical_helper()`: no
 * messages pass, so the calling thread never waits for the event loop. Each instance gets its own
 * stack and thread-local block (the kernels' packing buffers); the module's data and heap are shared.
 *
 * APICAL_WASM_THREADS=1 keeps everything on the calling thread, =2 starts the helper; unset, the
 * helper starts when the process may use two cores or more. Results are bit-identical either way.
 */
import * as os from 'os';
import { Worker } from 'worker_threads';
import { BackendError } from './backend-error';

/** The exports a thread of the module needs to set itself up. */
export interface ThreadExports {
  readonly __stack_pointer: { value: number };
  readonly __tls_size: { value: number };
  readonly __wasm_init_tls: (block: number) => void;
  readonly apical_alloc: (bytes: number) => number;
  readonly apical_threads: () => number;
}

/** The helper's stack (the module's own, for the calling thread, is the same size). */
const STACK_BYTES = 256 * 1024;

/** How many threads the WebAssembly kernels use: 1 or 2 (see the file comment). */
export function wasmThreads(): 1 | 2 {
  const v = process.env.APICAL_WASM_THREADS;
  if (v === undefined || v === '') return os.availableParallelism() >= 2 ? 2 : 1;
  if (v !== '1' && v !== '2') throw new BackendError(`APICAL_WASM_THREADS must be 1 or 2; got "${v}"`);
  return v === '1' ? 1 : 2;
}

/** Gives the calling thread's instance its thread-local block (before any kernel runs). */
export function initCallingThread(exports: ThreadExports): void {
  exports.__wasm_init_tls(exports.apical_alloc(exports.__tls_size.value));
}

/** The worker's whole program (plain JavaScript, run with `eval`: no file to find at run time). */
const HELPER = `
const { workerData } = require('worker_threads');
const { module, memory, stackTop, tls } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
exports.__stack_pointer.value = stackTop;
exports.__wasm_init_tls(tls);
exports.apical_helper();
`;

/** How long loading waits for the helper to be up (a worker starts in 20–50 ms on an idle machine). */
const START_TIMEOUT_MS = 2000;

/**
 * Starts the helper thread on `memory` and waits until it runs (so the first products already use
 * it; if it is slower than START_TIMEOUT_MS, it joins in whenever it is up, and until then the
 * calling thread runs every chunk). The worker is unref'd: it never keeps the process alive.
 */
export function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, exports: ThreadExports): void {
  const stackTop = exports.apical_alloc(STACK_BYTES) + STACK_BYTES;
  const tls = exports.apical_alloc(exports.__tls_size.value);
  const worker = new Worker(HELPER, { eval: true, workerData: { module, memory, stackTop, tls } });
  worker.unref();
  worker.on('error', (error) => process.stderr.write(`apical: the WebAssembly helper thread stopped (${error.message}); the kernels continue on one thread\n`));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (exports.apical_threads() < 2 && Date.now() < deadline) Atomics.wait(pause, 0, 0, 1);
}
