/**
 * Populations that advance on a clock (spiking populations, spiking-phases.ts) answer a target by
 * settling under it rather than by a derivative: after the top-down targets are formed, the clock
 * runs its target phase(s), each of its populations forms its delta from its own rate change, and
 * the pathways that learn from pairs of phases (rate-decoder.ts) are handed them (engine/circuit.ts,
 * step 4b). Rate populations have no clock: the step does nothing for them.
 */
import { Pathway } from './pathway';

export interface PopulationClock {
  /** Settles the clock's populations under their targets for `rows` rows, then hands the phases to `pathways`. */
  settle(rows: number, pathways: readonly Pathway[]): void;
}
