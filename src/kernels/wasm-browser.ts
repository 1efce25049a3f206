/**
 * The WebAssembly backend in a browser (a page's Web Worker): the committed module fetched from a
 * URL, and its second thread a nested Web Worker running HELPER_PROGRAM (wasm-module.ts) on the
 * shared memory. A page may hand shared memory to another worker only when it is cross-origin
 * isolated (served with COOP: same-origin and COEP: require-corp); elsewhere the kernels run on
 * the calling thread alone. Results are bit-identical either way, and to Node's wasm backend.
 */
import { HELPER_PROGRAM, WasmInstance, WasmKernels } from './wasm-module';

/** The part of the Web Worker API used here (TypeScript declares it only in its DOM library). */
declare const Worker: new (url: string) => { postMessage(message: unknown): void };

/** How long loading waits for the helper to be up before going on without it (it joins when up). */
const START_TIMEOUT_MS = 2000;

/** Whether this context may share memory with a worker. */
export function crossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/**
 * Loads the kernels from `url` on `threads` threads (2 only where crossOriginIsolated(), else 1)
 * and resolves once the helper, if any, is up.
 */
export async function loadBrowserWasmKernels(url: string, threads: 1 | 2): Promise<WasmKernels> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  const instance = new WasmInstance(await WebAssembly.compile(await response.arrayBuffer()));
  if (threads === 2 && crossOriginIsolated()) {
    const program = `onmessage = (event) => { const start = event.data; ${HELPER_PROGRAM} };`;
    const helper = new Worker(URL.createObjectURL(new Blob([program], { type: 'text/javascript' })));
    helper.postMessage(instance.helperStart());
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (instance.threads() < 2 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return instance.kernels();
}
