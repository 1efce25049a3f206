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
 * A layer with `recurrent` is a recurrent population (recurrent-population.ts), h_t = f(x_t·W +
 * h_{t−1}·U + b), stepping through sequences; `recurrent.init` initialises U (default: the layer's
 * init). Only the first hidden layer may be recurrent: the populations above read its last state.
 * A layer's `inputCentre` makes the population read its input minus a centre, a number c or a running
 * mean { "start": c₀, "rate": α } (input-centre.ts; rate populations that are not recurrent).
 */
import { ModelSpec as NeuronModelSpec } from '../equations/model';
import { UnitSpec } from '../units';
import { InitSpec } from './init';
import { InputCentreSpec } from './input-centre';
import { NeuronRoles } from './neuron-roles';

export interface LayerSpec {
  readonly size: number;
  readonly units: UnitSpec;
  readonly send?: UnitSpec;
  readonly repeat?: number;
  readonly init?: InitSpec;
  readonly recurrent?: { readonly init?: InitSpec };
  /** The population reads its input minus a centre: c, or a running mean { start, rate } (input-centre.ts). */
  readonly inputCentre?: InputCentreSpec;
}

export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly input: number;
  readonly layers: readonly LayerSpec[];
  readonly init?: InitSpec;
  readonly feedback?: { readonly units?: string; readonly init?: InitSpec; readonly input?: UnitSpec };
  /** The input size and the read-out's size are the data's (`input` and the read-out's `size` are then filled in when the data are loaded). */
  readonly sizesFromData?: boolean;
  /** The hidden populations spike (spiking-population.ts): their activity is a spike-count rate; their `units` are ignored. */
  readonly spiking?: SpikingSpec;
}

/**
 * Hidden populations of LIF neurons advancing on one shared clock (network/spiking-network.ts,
 * network/spiking-phases.ts), quantities in SI units.
 */
export interface SpikingSpec {
  /** Seconds per step. */
  readonly dt: number;
  /** Steps of each phase: settling uncounted, then counted. */
  readonly settleSteps: number;
  readonly countSteps: number;
  /** Hidden neuron model, and its names for the roles the network drives (default lif-apical's). */
  readonly neuron: NeuronModelSpec;
  readonly roles?: NeuronRoles;
  /** Encoder model (poisson, regular), or null: the input as rate-coded currents. */
  readonly encoder: NeuronModelSpec | null;
  /** Hz: the encoder's rate for x = 1, and the hidden rate that reads as 1. */
  readonly inputRate: number;
  readonly maxRate: number;
  /** κ: apical drive per unit of rate difference, in units of Vt − El. */
  readonly apicalGain: number;
  /** One target phase driving every population ('joint'), or one per population, only it driven ('per-layer'). */
  readonly targetPhases: 'joint' | 'per-layer';
  /**
   * Initial parameters, all drawn in order from one stream (W_1 … W_L, the read-out's, then V_2 … V_L):
   * W ~ N(0, (gain/√fan-in)²), gain `scale` for the hidden projections and 1 for the read-out and
   * decoders; hidden biases `bias`, the others 0.
   */
  readonly init: { readonly stream: string; readonly scale: number; readonly bias: number };
}

/** One population per entry: `repeat` unrolled. */
export function expandLayers(spec: ModelSpec): { size: number; units: UnitSpec; send?: UnitSpec; init: InitSpec; recurrent?: { readonly init?: InitSpec }; inputCentre?: InputCentreSpec }[] {
  const defaultInit: InitSpec = spec.init ?? { name: 'orthogonal' };
  return spec.layers.flatMap((layer) =>
    Array.from({ length: layer.repeat ?? 1 }, () => ({
      size: layer.size,
      units: layer.units,
      send: layer.send,
      init: layer.init ?? defaultInit,
      ...(layer.recurrent ? { recurrent: layer.recurrent } : {}),
      ...(layer.inputCentre !== undefined ? { inputCentre: layer.inputCentre } : {}),
    })),
  );
}
