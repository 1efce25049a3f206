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
 *
 * Units are a name ("tanh") or a name with options ({ "name": "sign", "derivative": "identity" },
 * { "name": "quantise", "levels": 4 }). A layer's `send` is an output transform: what the
 * population sends up (Lee et al.'s discrete net: { "size": 500, "units": "tanh", "send": "sign" });
 * the feedback's `input` is the decoders' input transform (g_l reads T(h_l)).
 */
import { UnitSpec } from '../units';
import { InitSpec } from './init';

export interface LayerSpec {
  readonly size: number;
  readonly units: UnitSpec;
  readonly send?: UnitSpec;
  readonly repeat?: number;
  readonly init?: InitSpec;
}

export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly input: number;
  readonly layers: readonly LayerSpec[];
  readonly init?: InitSpec;
  readonly feedback?: { readonly units?: string; readonly init?: InitSpec; readonly input?: UnitSpec };
}

/** One population per entry: `repeat` unrolled. */
export function expandLayers(spec: ModelSpec): { size: number; units: UnitSpec; send?: UnitSpec; init: InitSpec }[] {
  const defaultInit: InitSpec = spec.init ?? { name: 'orthogonal' };
  return spec.layers.flatMap((layer) =>
    Array.from({ length: layer.repeat ?? 1 }, () => ({
      size: layer.size,
      units: layer.units,
      send: layer.send,
      init: layer.init ?? defaultInit,
    })),
  );
}
