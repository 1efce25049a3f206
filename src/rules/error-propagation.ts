/**
 * The shared body of rules that send an *error* down (rather than a target), layer by layer,
 *   Δ_l = (Δ_{l+1}·B_{l+1}ᵀ) ∘ f'(a_l),
 * differing only in the feedback matrix B: W itself (back-propagation), a fixed random matrix
 * (feedback alignment), the signs of W (sign symmetry) or a learned mirror of W (Kolen-Pollack).
 */
import { ErrorPathway, FeedbackKind, isErrorPathway, Pathway } from '../network/pathways';
import { LocalView, Rule, SignalUse } from './rule';

export interface ErrorRuleParts {
  readonly name: string;
  readonly summary: string;
  readonly uses: SignalUse;
  /** A kind of error pathway (out = Δ·Bᵀ); the circuit checks that the network built it. */
  readonly feedback: FeedbackKind;
}

/**
 * What every rule of this family relies on besides its feedback matrix: the error is multiplied by
 * the derivatives along the way, and nothing learns as a decoder. Each rule adds what its B needs.
 */
export const errorFeedbackUses: SignalUse = {
  weightTransport: false,
  derivativeChain: true,
  globalError: false,
  labelAtHidden: false,
  outputGradient: false,
  learnedFeedback: false,
};

/** Δ ← topDown ∘ T'(h) ∘ f'(a) at a population: through its output transform (if any) and its unit. */
export function receiveError(at: LocalView, rows: number): void {
  const length = rows * at.size;
  at.throughSend(length, at.topDown, at.delta);
  at.throughUnit(length, at.delta, at.delta);
}

/** A rule that propagates Δ_l = (Δ_{l+1}·Bᵀ) ∘ f'(a_l) through pathways of kind `feedback`, the read-out's included. */
export function errorPropagation(parts: ErrorRuleParts): Rule {
  const pathway = (p: Pathway): ErrorPathway => {
    if (!isErrorPathway(p)) throw new Error(`rule ${parts.name} needs error pathways (out = Δ·Bᵀ), got ${p.kind}`);
    return p;
  };
  return {
    ...parts,
    readoutFeedback: parts.feedback,
    fromReadout(p, readout, top, rows) {
      pathway(p).send(rows, readout.delta, top.topDown);
    },
    top() {
      // topDown already holds Δ_out·Bᵀ.
    },
    receive: receiveError,
    descend(p, above, below, rows) {
      pathway(p).send(rows, above.delta, below.topDown);
    },
  };
}
