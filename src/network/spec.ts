/**
 * Model specs (models/*.json): the network's anatomy, independent of how it learns.
 *
 *   { "name": "mnist-tanh-7x240", "input": 784,
 *     "layers": [ { "size": 240, "units": "tanh", "repeat": 7 }, { "size": 10, "units": "softmax" } ],
 *     "init": { "name": "orthogonal" },
 *     "feedback": { "units": "tanh", "init": { "name": "orthogonal" } } }
 *
 * `layers` lists the populations above the input, bottom to top; the last is the read-out.
 * `repeat` stacks identical layers. `feedback` describes the learned feedback pathways g_l
 * (used by rules that learn decoders).
 */
import { InitSpec } from './init';

export interface LayerSpec {
  readonly size: number;
  readonly units: string;
  readonly repeat?: number;
  readonly init?: InitSpec;
}

export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly input: number;
  readonly layers: readonly LayerSpec[];
  readonly init?: InitSpec;
  readonly feedback?: { readonly units?: string; readonly init?: InitSpec };
}

/** One population per entry: `repeat` unrolled. */
export function expandLayers(spec: ModelSpec): { size: number; units: string; init: InitSpec }[] {
  const defaultInit: InitSpec = spec.init ?? { name: 'orthogonal' };
  return spec.layers.flatMap((layer) =>
    Array.from({ length: layer.repeat ?? 1 }, () => ({
      size: layer.size,
      units: layer.units,
      init: layer.init ?? defaultInit,
    })),
  );
}
