/**
 * Starts the recorders an experiment's `record` section asks for, each writing its own file under
 * the run directory's record/ folder, and lists them in record/manifest.json.
 *
 * Recordings survive a resume: each file's length is registered in the network's state registry
 * (and flushed to disk before every checkpoint records it), as is whatever a recorder carries from
 * one step to the next, so `apical resume` cuts the files back to the checkpoint and goes on, and
 * a resumed run's record/ equals an uninterrupted run's byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Circuit } from '../engine/circuit';
import { RunObserver } from '../engine/observer';
import { DataSplits } from '../engine/trainer';
import { ActivityRecorder } from './activity-recorder';
import { RECORD_DIR, RecordManifest } from './formats';
import { JsonLinesFile } from './jsonl-file';
import { ReconstructionRecorder } from './reconstruction-recorder';
import { RecordSpec } from './spec';
import { WeightRecorder } from './weight-recorder';

/** `resume`: reopen the files of a run about to be restored from its checkpoint instead of starting them empty. */
export function startRecording(spec: RecordSpec, circuit: Circuit, runDir: string, data: DataSplits, batchSize: number, resume = false): RunObserver[] {
  const dir = path.join(runDir, RECORD_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const open = (name: string, kind: string): JsonLinesFile => {
    files[name] = kind;
    const file = new JsonLinesFile(path.join(dir, name), resume);
    circuit.network.state.value(
      `${RECORD_DIR}/${name}`,
      () => {
        file.sync();
        return file.bytes;
      },
      (bytes) => file.truncate(bytes as number),
    );
    return file;
  };
  const observers: RunObserver[] = [];
  if (spec.activity) {
    const steps = Math.ceil(data.train.count / batchSize);
    observers.push(new ActivityRecorder(circuit, open('activity.jsonl', 'activity'), spec.activity, steps));
  }
  if (spec.weights) observers.push(new WeightRecorder(circuit.network, open('weights.jsonl', 'weights'), spec.weights.bins));
  if (spec.reconstructions) {
    const [split, examples] = data.valid ? ['valid', data.valid] : ['train', data.train];
    observers.push(
      new ReconstructionRecorder(circuit.network, examples, open('reconstructions.jsonl', 'reconstructions'), split, spec.reconstructions.examples, spec.reconstructions.every),
    );
  }
  const manifest: RecordManifest = { files };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return observers;
}
