/**
 * The cost of a checkpoint: encoding a run's whole state (state/checkpoint.ts) and writing it with
 * fsync and an atomic rename (report/durable.ts), for the networks of the given experiments, beside
 * the time of one training epoch of the same run on MNIST's 50,000 training images.
 *
 *   npm run build && node dist/bench/checkpoint.js experiments/mnist-dtp.json experiments/mnist-discrete-dtp.json
 *
 * Prints, per experiment: checkpoint size (MiB); wall and process-CPU seconds to write one (median
 * of 7; the wall time includes fsync); wall and CPU seconds of one training epoch; and the overhead
 * of checkpointing every epoch as the ratio of CPU seconds (on a shared machine CPU time is the
 * steadier figure).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom, take, filter } from 'rxjs';
import { loadData } from '../src/data/source';
import { train } from '../src/engine/trainer';
import { buildCircuit } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';
import { writeFileAtomic } from '../src/report/durable';
import { encodeCheckpoint } from '../src/state/checkpoint';

async function main(files: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-bench-ckpt-'));
  console.log(`kernels ${kernels().name}; CPU ${os.cpus()[0]?.model}; checkpoints written to ${dir}`);
  console.log('| experiment | checkpoint MiB | write s (wall) | write s (CPU) | epoch s (wall) | epoch s (CPU) | overhead per epoch (CPU) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const cpu = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  for (const file of files) {
    const experiment = loadExperiment(file, { epochs: 1 });
    const data = loadData(experiment.data);
    const circuit = buildCircuit(experiment);
    const events$ = train(circuit, { train: data.train }, experiment.training);
    const started = process.hrtime.bigint();
    const startedCpu = process.cpuUsage();
    await lastValueFrom(events$.pipe(filter((e) => e.kind === 'epoch'), take(1)));
    const epoch = Number(process.hrtime.bigint() - started) / 1e9;
    const epochCpu = cpu(startedCpu);
    const walls: number[] = [];
    const cpus: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      const chunks = encodeCheckpoint(circuit.network.state, { epochs_completed: 1 });
      writeFileAtomic(path.join(dir, 'checkpoint.ckpt'), chunks);
      walls.push(Number(process.hrtime.bigint() - t) / 1e9);
      cpus.push(cpu(c));
      bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[3];
    console.log(
      `| ${experiment.name} | ${(bytes / 2 ** 20).toFixed(1)} | ${median(walls).toFixed(3)} | ${median(cpus).toFixed(3)} | ` +
        `${epoch.toFixed(2)} | ${epochCpu.toFixed(2)} | ${((100 * median(cpus)) / epochCpu).toFixed(1)}% |`,
    );
    circuit.dispose();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
