/**
 * The demo page's Web Worker: loads the WebAssembly kernels (two threads where the page is
 * cross-origin isolated), simulates the spiking example and draws its raster, then trains the
 * experiment the page asked for on the bundled MNIST subset, posting what the live view shows
 * (live/feed.ts: hello, batch, trace, epoch, done) to the page as it goes.
 *
 * Page → worker, once: a DemoRequest. Worker → page: DemoMessage's.
 */
import { splitTraining, rows } from '../data/splits';
import { train } from '../engine/trainer';
import { buildCircuit } from '../experiment/build';
import type { Experiment } from '../experiment/experiment';
import type { SpikingExperiment } from '../experiment/spiking';
import { useKernels } from '../kernels';
import { crossOriginIsolated, loadBrowserWasmKernels } from '../kernels/wasm-browser';
import { LiveFeed } from '../live/feed';
import { rasterFigure } from '../report/figures/spiking';
import { DemoAssets, DemoMessage, DemoRequest } from './protocol';
import { simulateRaster } from './spiking-example';
import { decodeSubset } from './subset';

/** The part of a dedicated worker's global scope used here (TypeScript declares it only in its WebWorker library). */
interface WorkerScope {
  onmessage: ((event: { data: DemoRequest }) => void) | null;
  postMessage(message: DemoMessage): void;
}

const scope = globalThis as unknown as WorkerScope;
const post = (message: DemoMessage): void => scope.postMessage(message);

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson<T>(url: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await fetchBytes(url))) as T;
}

async function run(request: DemoRequest): Promise<void> {
  const kernels = await loadBrowserWasmKernels(DemoAssets.kernels, request.threads);
  useKernels(kernels);
  post({ kind: 'ready', data: { backend: kernels.name, threads: kernels.threads(), isolated: crossOriginIsolated() } });

  const spiking = await fetchJson<SpikingExperiment>(DemoAssets.spiking);
  const started = performance.now();
  const { spikes, dt } = simulateRaster(spiking);
  post({ kind: 'raster', data: { figure: rasterFigure(spikes, dt), seconds: (performance.now() - started) / 1000 } });

  const experiments = await fetchJson<Record<string, Experiment>>(DemoAssets.experiments);
  const experiment = experiments[request.experiment];
  if (!experiment) throw new Error(`no demo experiment "${request.experiment}" (known: ${Object.keys(experiments).join(', ')})`);
  const subset = decodeSubset(await fetchBytes(DemoAssets.subset), DemoAssets.subset);
  const splits = { ...splitTraining('the MNIST subset', subset.train, { validation: experiment.data.validation }), test: rows(subset.test, 'test', 0, subset.test.labels.length) };

  const circuit = buildCircuit(experiment);
  const plan = { ...experiment.training, epochs: request.epochs ?? experiment.training.epochs };
  const feed = new LiveFeed(circuit, { send: (kind, data) => post({ kind, data } as DemoMessage) }, Math.ceil(splits.train.count / plan.batchSize), { every: 3 });
  train(circuit, splits, plan).subscribe({
    next: (event) => feed.onEvent(event),
    error: (error: Error) => post({ kind: 'failed', data: { message: error.message } }),
    complete: () => {
      feed.close();
      circuit.dispose();
    },
  });
}

scope.onmessage = (event) => {
  run(event.data).catch((error: Error) => post({ kind: 'failed', data: { message: error.message } }));
};
