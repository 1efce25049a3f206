/**
 * What the demo page and its worker (worker.ts) say to each other, and the files of the demo's
 * folder (bundle.ts writes them; the worker fetches them beside itself).
 */
import type { EpochRecord } from '../engine/trainer';
import type { Figure } from '../report/figure';

export const DemoAssets = {
  page: 'index.html',
  worker: 'worker.js',
  plotly: 'plotly.min.js',
  kernels: 'apical_kernels.wasm',
  /** The MNIST subset (subset.ts). */
  subset: 'mnist-subset.bin',
  /** Every demo experiment, resolved (experiment/experiment.ts), by name. */
  experiments: 'experiments.json',
  /** The spiking example, resolved (experiment/spiking.ts). */
  spiking: 'spiking.json',
} as const;

/** Page → worker: which experiment to train, for how many epochs (default: the experiment's), on how many threads. */
export interface DemoRequest {
  readonly experiment: string;
  readonly epochs?: number;
  readonly threads: 1 | 2;
}

/** Worker → page: the live feed's events (live/feed.ts), and the demo's own. */
export type DemoMessage =
  | { readonly kind: 'ready'; readonly data: { readonly backend: string; readonly threads: number; readonly isolated: boolean } }
  | { readonly kind: 'raster'; readonly data: { readonly figure: Figure; readonly seconds: number } }
  | { readonly kind: 'epoch'; readonly data: EpochRecord }
  | { readonly kind: 'hello' | 'batch' | 'trace' | 'done'; readonly data: unknown }
  | { readonly kind: 'failed'; readonly data: { readonly message: string } };
