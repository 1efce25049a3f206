/**
 * The cost of a checkpoint: encoding a run's whole state (state/checkpoint.ts) and writing it with
 * fsync and an atomic rename (report/durable.ts), for the networks of the given experiments, beside
 * the time of one training epoch of the same run on MNIST's 50,000 training images.
 *
 *   npm run build && node dist/bench/checkpoint.js experiments/mnist-dtp.json experiments/mnist-discrete-dtp.json
 *
 * Prints, per experiment: checkpoint size (MiB), median seconds to write one (of 7), seconds of one
 * epoch, and their ratio (the overhead of checkpointing every epoch).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom, take, filter } from 'rxjs';
import { loadMnist } from '../src/data/mnist';
import { train } from '../src/engine/trainer';
import { buildCircuit } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';
import { writeFileAtomic } from '../src/report/durable';
import { encodeCheckpoint } from '../src/state/checkpoint';

async function main(files: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-bench-ckpt-'));
  console.log(`kernels ${kernels().name}; CPU ${os.cpus()[0]?.model}; checkpoints written to ${dir}`);
  console.log('| experiment | checkpoint MiB | write s (median of 7) | epoch s | overhead per epoch |');
  console.log('|---|---:|---:|---:|---:|');
  for (const file of files) {
    const experiment = loadExperiment(file, { epochs: 1 });
    const data = loadMnist({ dir: experiment.data.dir ?? undefined, validation: experiment.data.validation });
    const circuit = buildCircuit(experiment);
    const events$ = train(circuit, { train: data.train }, experiment.training);
    const started = process.hrtime.bigint();
    await lastValueFrom(events$.pipe(filter((e) => e.kind === 'epoch'), take(1)));
    const epoch = Number(process.hrtime.bigint() - started) / 1e9;
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const t = process.hrtime.bigint();
      const chunks = encodeCheckpoint(circuit.network.state, { epochs_completed: 1 });
      writeFileAtomic(path.join(dir, 'checkpoint.ckpt'), chunks);
      times.push(Number(process.hrtime.bigint() - t) / 1e9);
      bytes = chunks.reduce((sum, c) => sum + c.length, 0);
    }
    times.sort((a, b) => a - b);
    const write = times[3];
    console.log(`| ${experiment.name} | ${(bytes / 2 ** 20).toFixed(1)} | ${write.toFixed(3)} | ${epoch.toFixed(2)} | ${((100 * write) / epoch).toFixed(1)}% |`);
    circuit.dispose();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
