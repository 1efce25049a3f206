/**
 * Weight initialisers for a k×n (input-major) weight matrix, driven by a seeded stream.
 *
 *  - orthogonal (Saxe et al. 2014): W = g·Q with Q the thin-QR factor of a Gaussian matrix, signs
 *    fixed by diag(R) so Q is Haar-distributed; columns (k ≥ n) or rows (k < n) are orthonormal.
 *    Lee et al. (2015) initialise every forward and inverse matrix this way.
 *  - glorot (Glorot & Bengio 2010): W_ij ~ U(−g·r, g·r), r = √(6/(k + n)).
 *  - glorot-normal ("Xavier normal", as in Meulemans et al. 2020's code): W_ij ~ N(0, g²·2/(k + n)).
 *  - zeros.
 */
import { fillNormal, nextUniform, RngState } from '../kernels/random';

export type InitName = 'orthogonal' | 'glorot' | 'glorot-normal' | 'zeros';
export const initNames: readonly InitName[] = ['orthogonal', 'glorot', 'glorot-normal', 'zeros'];

export interface InitSpec {
  readonly name: InitName;
  /** Multiplies the result (default 1). */
  readonly gain?: number;
}

/** Fills `w` (k×n, row-major) as `spec` says. */
export function initialise(spec: InitSpec, k: number, n: number, rng: RngState, w: Float32Array): void {
  const gain = spec.gain ?? 1;
  switch (spec.name) {
    case 'zeros':
      w.fill(0);
      return;
    case 'glorot': {
      const range = gain * Math.sqrt(6 / (k + n));
      for (let i = 0; i < k * n; i++) w[i] = range * (2 * nextUniform(rng) - 1);
      return;
    }
    case 'glorot-normal': {
      const std = gain * Math.sqrt(2 / (k + n));
      fillNormal(rng, k * n, w);
      for (let i = 0; i < k * n; i++) w[i] *= std;
      return;
    }
    case 'orthogonal': {
      const tall = k >= n;
      const rows = tall ? k : n;
      const cols = tall ? n : k;
      const q = new Float64Array(rows * cols);
      fillNormal(rng, rows * cols, q);
      orthonormaliseColumns(rows, cols, q);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < n; j++) w[i * n + j] = gain * (tall ? q[i * cols + j] : q[j * cols + i]);
      }
      return;
    }
  }
}

/**
 * Replaces the rows×cols matrix A (rows ≥ cols, row-major) by the Q of its thin QR factorisation
 * with R's diagonal made positive, using Householder reflections in double precision.
 * Hand-written because mathjs's qr needs 17 s for a 784×240 matrix here (it forms the full Q);
 * test/network.test.ts checks this against mathjs.qr on small matrices.
 */
export function orthonormaliseColumns(rows: number, cols: number, a: Float64Array): void {
  const vectors: Float64Array[] = [];
  const signs = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    // Householder vector v for column j below the diagonal: (I − 2vvᵀ/vᵀv) zeroes a[j+1.., j].
    let norm = 0;
    for (let i = j; i < rows; i++) norm += a[i * cols + j] ** 2;
    norm = Math.sqrt(norm);
    const head = a[j * cols + j];
    const alpha = head > 0 ? -norm : norm;
    signs[j] = Math.sign(alpha) || 1;
    const v = new Float64Array(rows - j);
    for (let i = j; i < rows; i++) v[i - j] = a[i * cols + j];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let c = j; c < cols; c++) {
        let dot = 0;
        for (let i = j; i < rows; i++) dot += v[i - j] * a[i * cols + c];
        const scale = (2 * dot) / vv;
        for (let i = j; i < rows; i++) a[i * cols + c] -= scale * v[i - j];
      }
    }
    vectors.push(vv > 0 ? v.map((x) => x / Math.sqrt(vv)) : v.fill(0));
  }
  // Q = H_0 H_1 … H_{cols−1} applied to the first `cols` columns of the identity; then scale column
  // j by sign(R_jj) so that diag(R) > 0 and the factorisation is unique.
  a.fill(0);
  for (let j = 0; j < cols; j++) a[j * cols + j] = 1;
  for (let j = cols - 1; j >= 0; j--) {
    const v = vectors[j];
    for (let c = 0; c < cols; c++) {
      let dot = 0;
      for (let i = j; i < rows; i++) dot += v[i - j] * a[i * cols + c];
      for (let i = j; i < rows; i++) a[i * cols + c] -= 2 * dot * v[i - j];
    }
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i * cols + j] *= signs[j];
}
