/**
 * What recorders write into a run directory's `record/` folder, one JSON object per line, and what
 * reports read back. Every file is appended as training runs (nothing is held in memory between
 * lines), and `record/manifest.json` lists the files a run wrote.
 *
 *   activity.jsonl         ActivitySample: activity, top-down signal and target of chosen units of
 *                          chosen examples of one population at one step
 *   weights.jsonl          WeightStats: per epoch and parameter array, statistics and histograms of
 *                          the values and of the epoch's update (values at its end minus its start)
 *   reconstructions.jsonl  ReconstructionSample: chosen inputs and, for every population, what the
 *                          decoders g_1 ∘ … ∘ g_l make of its activity, as 8-bit greyscale images
 */

export const RECORD_DIR = 'record';

export interface RecordManifest {
  /** File name → what it holds ("activity" | "weights" | "reconstructions"). */
  readonly files: Readonly<Record<string, string>>;
}

export interface ActivitySample {
  readonly epoch: number;
  /** Training step within the epoch's forward phase, of `steps`. */
  readonly step: number;
  readonly steps: number;
  readonly population: string;
  /** Rows of the minibatch recorded (the same examples every epoch when the data are not shuffled). */
  readonly rows: readonly number[];
  /** Units recorded. */
  readonly units: readonly number[];
  /** activity[r][u]: h of row rows[r], unit units[u]. */
  readonly activity: readonly (readonly number[])[];
  /** What the feedback pathway delivered (DTP: ĥ − h; BP: ∂Loss/∂h). */
  readonly topDown: readonly (readonly number[])[];
  /** ĥ, for rules that form targets; null for rules that do not (e.g. back-propagation). */
  readonly target: readonly (readonly number[])[] | null;
}

export interface Histogram {
  /** bins + 1 edges, ascending. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface Statistics {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Root mean square. */
  readonly rms: number;
  readonly histogram: Histogram;
}

export interface WeightStats {
  readonly epoch: number;
  /** Parameter array, e.g. "W3" or "V3". */
  readonly name: string;
  readonly values: Statistics;
  /** Values at the end of the epoch minus those at its start. */
  readonly update: Statistics;
}

export interface ReconstructionSample {
  readonly epoch: number;
  readonly width: number;
  readonly height: number;
  /** Indices of the examples in the split they were taken from. */
  readonly examples: readonly number[];
  readonly split: string;
  /** The inputs: base64 of examples × width × height bytes, 0 = black, 255 = white. */
  readonly original: string;
  /** Population name → its activity decoded down to the input, same encoding. */
  readonly decoded: Readonly<Record<string, string>>;
}
