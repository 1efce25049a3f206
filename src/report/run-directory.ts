/**
 * A run directory: everything a run leaves behind.
 *   config.json      the resolved experiment (model inlined, defaults and overrides applied)
 *   metrics.jsonl    one JSON object per epoch, appended and flushed as each epoch ends
 *   summary.json     final and best-validation test error, wall time, seed, version
 *   weights/         one little-endian float32 file per parameter array, and manifest.json
 * A directory that already holds a run is never overwritten unless asked (`force`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Network } from '../network/network';

export interface WeightEntry {
  readonly name: string;
  readonly file: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly byteOrder: 'little';
}

/** A run directory that cannot be used (exists, not a directory, already holds a run). */
export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
}

export class RunDirectory {
  private constructor(readonly dir: string) {}

  /** Creates `dir`; refuses one that already holds files unless `force`. */
  static create(dir: string, force: boolean): RunDirectory {
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) throw new RunDirectoryError(`--out ${dir}: exists and is not a directory`);
      if (fs.readdirSync(dir).length > 0 && !force) {
        throw new RunDirectoryError(`--out ${dir}: already holds a run; choose another directory or pass --force to overwrite it`);
      }
      fs.rmSync(path.join(dir, 'metrics.jsonl'), { force: true });
    }
    fs.mkdirSync(dir, { recursive: true });
    return new RunDirectory(dir);
  }

  writeJson(name: string, value: unknown): void {
    fs.writeFileSync(path.join(this.dir, name), JSON.stringify(value, null, 2) + '\n');
  }

  appendMetrics(record: unknown): void {
    fs.appendFileSync(path.join(this.dir, 'metrics.jsonl'), JSON.stringify(record) + '\n');
  }

  /** Saves every projection's weights and biases with a manifest. */
  saveWeights(network: Network): WeightEntry[] {
    const folder = path.join(this.dir, 'weights');
    fs.mkdirSync(folder, { recursive: true });
    const entries: WeightEntry[] = [];
    const save = (name: string, data: Float32Array, shape: number[]): void => {
      const file = `${name}.f32`;
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      fs.writeFileSync(path.join(folder, file), bytes);
      entries.push({ name, file, shape, dtype: 'float32', byteOrder: 'little' });
    };
    for (const projection of network.projections()) {
      save(projection.name, projection.weights, [projection.inSize, projection.outSize]);
      save(projection.biasName, projection.bias, [projection.outSize]);
    }
    fs.writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify({ model: network.spec.name, weights: entries }, null, 2) + '\n');
    return entries;
  }
}
