/** The events that flow through a circuit, one per population per phase, each carrying a minibatch. */

/** A minibatch presented at the input, with what this step should do. */
export interface Stimulus {
  /** Running step number within the current phase (for recorders). */
  readonly step: number;
  readonly rows: number;
  /** rows × inputSize, row-major (for sequences, exactly rows × the data's features: its length gives the row stride). */
  readonly input: Float32Array;
  /** rows labels: side information that reaches the read-out (and, for some rules, more). */
  readonly labels: Int32Array;
  /** rows × outputs real-valued targets, for a regression read-out (linear-readout). */
  readonly targets?: Float32Array;
  /**
   * rows × k side information for a conditional decoder, when the data supply it (else the
   * decoder reads the one-hot label).
   */
  readonly side?: Float32Array;
  /** Send targets down and learn the forward projections. */
  readonly learnForward: boolean;
  /** Probe every decoder with noisy activity and compute its gradients. */
  readonly probeDecoders: boolean;
  /** σ of the probe noise. */
  readonly noise: number;
  /**
   * Sequences: each row of `input` holds `steps` time steps of the input's width, one after the
   * other (data/sequence.ts), presented one step per event to the recurrent population. Absent:
   * one input per row.
   */
  readonly steps?: number;
}

/** Activity sent up by one population. */
export interface Activity {
  readonly stimulus: Stimulus;
  /** The population's index (0 = the input). */
  readonly population: number;
  /** rows × size. */
  readonly activity: Float32Array;
  /** The row stride of `activity` when it is not `size`: a time step's columns of a sequence, read in place in the stimulus's rows. */
  readonly stride?: number;
  /** The time step it belongs to, for the input's and the recurrent population's events of a sequence (t 0-based). */
  readonly time?: { readonly t: number; readonly steps: number };
}

/** What the read-out reports for a minibatch. */
export interface Outcome {
  readonly stimulus: Stimulus;
  /** Σ over rows of −log p(label). */
  readonly loss: number;
  /** Misclassified rows. */
  readonly errors: number;
}

/** A decoder's reconstruction error on one probe: mean over rows of ‖g(f(h̃)) − h̃‖². */
export interface Reconstruction {
  readonly stimulus: Stimulus;
  /** "g2" … "gL". */
  readonly pathway: string;
  readonly error: number;
}

/** A top-down signal delivered to population `population` (1-based). */
export interface TopDown {
  readonly stimulus: Stimulus;
  readonly population: number;
}
