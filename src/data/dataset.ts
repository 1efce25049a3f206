/**
 * In-memory labelled data set used by the simulator.
 */
import { SequenceShape } from './sequence';

/**
 * A labelled data set of `count` examples with `features` inputs each.
 * `images` is row-major: example i occupies images[i*features .. (i+1)*features).
 * For MNIST, pixels are scaled from bytes to [0, 1] by dividing by 255.
 */
export interface Dataset {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  features: number;
  classes: number;
  name: string;
  /** Real-valued targets, count × outputs, for a regression (labels are then 0); absent: classification. */
  targets?: Float32Array;
  /** Sequences (./sequence.ts): each row is its example's time steps; absent: one input per example. */
  sequence?: SequenceShape;
  /** Redraws the examples in place for `epoch` (1-based; generated tasks); absent: the same every epoch. */
  refresh?: (epoch: number) => void;
}

/**
 * The first `count` examples of `dataset`, as views into the same arrays
 * (no copy). Throws a RangeError if `count` is not an integer in [0, dataset.count].
 */
export function subset(dataset: Dataset, count: number): Dataset {
  if (!Number.isInteger(count) || count < 0 || count > dataset.count) {
    throw new RangeError(`subset of ${dataset.name}: count ${count} must be an integer in [0, ${dataset.count}]`);
  }
  if (count === dataset.count) return dataset;
  return {
    images: dataset.images.subarray(0, count * dataset.features),
    labels: dataset.labels.subarray(0, count),
    count,
    features: dataset.features,
    classes: dataset.classes,
    name: `${dataset.name}[0:${count}]`,
    ...(dataset.targets ? { targets: dataset.targets.subarray(0, count * dataset.classes) } : {}),
    ...(dataset.sequence ? { sequence: { width: dataset.sequence.width, lengths: dataset.sequence.lengths.subarray(0, count) } } : {}),
  };
}
