/**
 * The one shape of a resolved learning experiment (experiment.ts reads it from a file, with every
 * default filled in, so that config.json in a run directory says exactly what ran; spiking DTP
 * files are said in it too, spiking-dtp.ts).
 */
import { SideSpec } from '../data/side-information';
import { DataSource } from '../data/source';
import { InputNoiseSpec } from '../engine/input-noise';
import { MissingViewSpec } from '../engine/missing-view';
import { Schedule } from '../engine/trainer';
import { ModelSpec } from '../network/spec';
import { OptimizerSpec } from '../optim/optimizer';
import { RecordSpec } from '../record/spec';
import { RuleSpec } from '../rules';
import { LesionSpec } from './lesion';

export interface Experiment {
  readonly name: string;
  readonly description: string;
  /** The experiment file, as given. */
  readonly file: string;
  readonly model: ModelSpec;
  /**
   * The data set (data/source.ts); `testLimit`: only the first test examples are scored (absent:
   * all); `side`: side information for a conditional decoder (data/side-information.ts; absent:
   * the one-hot label).
   */
  readonly data: DataSource & { readonly testLimit?: number; readonly side?: SideSpec };
  readonly rule: RuleSpec;
  readonly training: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly schedule: Schedule;
    readonly shuffle: boolean;
    readonly seed: number;
    readonly evalBatchSize: number;
    /** Parameter arrays kept at their initial values ("W6", "b5"): lesions, or a released code's quirks. */
    readonly frozen: readonly string[];
    /** Gaussian noise on the training input (Lee et al.'s stochastic net: σ = 0.3). */
    readonly inputNoise?: InputNoiseSpec;
    /** Output probabilities averaged over `samples` sweeps, every `every` epochs. */
    readonly evaluation: { readonly samples: number; readonly every: number };
    /** Two views of each input, one missing at test, filled in by the learned input decoder (engine/missing-view.ts). */
    readonly missingView?: MissingViewSpec;
    /** Train with every output/input transform off, evaluate with them ("train continuous, test discrete"). */
    readonly continuousTraining: boolean;
    /**
     * Checkpoint every K epochs (0: only when stopped by a signal); null (the default): every epoch
     * once the run is expected to last over an hour, else only when stopped.
     */
    readonly checkpointEvery: number | null;
    /**
     * Early stopping: the run ends (finished, not interrupted) once `patience` epochs have passed
     * without a new lowest validation error (Prechelt 1998, "Early stopping — but when?"; the
     * comparison issue's protocol: until validation error has not improved for 50 epochs).
     */
    readonly patience?: number;
    /**
     * Stop at the success criterion: the run ends (finished) at the first epoch whose validation
     * error is at or below `stopAt` (a fraction; 0: no validation error at all, the released code of
     * Manchev & Spratling 2020's "problem solved", error < 0.0001%), so that solved runs count
     * epochs to success instead of spending the rest of their budget.
     */
    readonly stopAt?: number;
    /** Every learning rate is multiplied by lrDecay^(epoch − 1) in epoch `epoch` (absent: 1). */
    readonly lrDecay?: number;
    /** Decoder-only passes over the training set before the first epoch's forward phase (Meulemans et al. 2020's epochs_fb). */
    readonly feedbackEpochs?: number;
    /** Decoder-only passes after every epoch's forward phase (their extra_fb_epochs). */
    readonly extraFeedbackEpochs?: number;
    /** The name of the stream that shuffles the data (absent: "data/shuffle"; spiking DTP files keep their own, so their runs shuffle as before). */
    readonly shuffleStream?: string;
  };
  /** The read-out's optimiser, when not the forward one. */
  readonly optimizer: { readonly forward: OptimizerSpec; readonly feedback: OptimizerSpec | null; readonly readout?: OptimizerSpec };
  /** Recorders to switch on (record/spec.ts); null: none. */
  readonly record: RecordSpec | null;
  /** A feedback pathway lesioned from some epoch on (lesion.ts); null: none. */
  readonly lesion: LesionSpec | null;
  /** Measurements beyond the epoch's errors; `alignmentEvery`: alignment metrics every N learning steps (null: off). */
  readonly metrics: { readonly alignmentEvery: number | null };
}
