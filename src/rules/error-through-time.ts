/**
 * The shared body of rules that carry an *error* back through the steps of a recurrent population,
 *   Δ_{t−1} = (Δ_t·Bᵀ) ∘ f'(a_{t−1}),  from Δ_T as `receive` formed it at the last step,
 * differing only in B: the recurrent weights U themselves (back-propagation through time) or a
 * fixed random matrix (feedback alignment through time).
 */
import { isErrorPathway, Pathway } from '../network/pathways';
import { TemporalView } from './rule';

export function errorThroughTime(rule: string): (pathway: Pathway, at: TemporalView, rows: number) => void {
  return (pathway, at, rows) => {
    if (!isErrorPathway(pathway)) throw new Error(`rule ${rule} needs an error pathway between steps (out = Δ·Bᵀ), got ${pathway.kind}`);
    const last = at.steps - 1;
    at.delta(last).set(at.last.delta.subarray(0, rows * at.size));
    const matrix = pathway.sendMatrix;
    if (matrix && at.errorThroughSteps(matrix.b, matrix.transB)) return;
    for (let t = last; t > 0; t--) {
      const below = at.delta(t - 1);
      pathway.send(rows, at.delta(t), below);
      at.throughUnit(t - 1, below, below);
    }
  };
}
