/**
 * Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
 * Benchmarking Machine Learning Algorithms", arXiv 1708.07747, 2017): 70,000 28×28 grey images of
 * ten kinds of clothing, made as a drop-in replacement for MNIST (same IDX files, same names, same
 * split sizes), so it is loaded and split as MNIST is (./mnist.ts). Read from Debian's
 * dataset-fashion-mnist package unless a folder is given.
 */
import * as fs from 'fs';
import { DataError } from './data-error';
import { loadMnistLayout, MnistOptions } from './mnist';
import { Splits } from './splits';

/** Where Debian's dataset-fashion-mnist package puts the four gzip IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's train / valid / test splits, from `options.dir` or Debian's package. */
export function loadFashionMnist(options: MnistOptions = {}): Splits {
  const dir = options.dir ?? DEBIAN_FASHION_MNIST_DIR;
  if (options.dir === undefined && !fs.existsSync(dir)) {
    throw new DataError(`Fashion-MNIST is not installed (no ${dir}): apt-get install dataset-fashion-mnist, or give data.dir (or --data) a folder of its four IDX files`);
  }
  return loadMnistLayout('fashion-mnist', 'Fashion-MNIST', dir, options);
}
