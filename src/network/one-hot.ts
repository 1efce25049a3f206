/** out ← the one-hot rows (rows × classes) of `labels`. */
export function oneHot(rows: number, classes: number, labels: Int32Array, out: Float32Array): void {
  out.fill(0, 0, rows * classes);
  for (let i = 0; i < rows; i++) out[i * classes + labels[i]] = 1;
}
