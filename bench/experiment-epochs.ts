/**
 * CPU seconds of one training epoch and of one evaluation for each experiment file given, measured
 * as process CPU time (user + system) on one kernel thread, so that a shared, busy machine slows
 * the wall clock but barely the figure. Training: the first `--images` training images (default
 * 10,000) for one epoch, evaluation excluded; evaluation: the 10,000 test images, with the
 * experiment's own number of samples M (evaluation.samples) and with M = 1.
 *
 *   APICAL_NATIVE_THREADS=1 node dist/bench/experiment-epochs.js experiments/mnist-dtp.json … [--images N]
 */
import { lastValueFrom } from 'rxjs';
import { parseArgs } from 'util';
import { loadData } from '../src/data/source';
import { evaluate } from '../src/engine/evaluation';
import { train } from '../src/engine/trainer';
import { buildCircuit } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function measure<T>(work: () => T): { seconds: number; result: T } {
  const started = cpuSeconds();
  const result = work();
  return { seconds: cpuSeconds() - started, result };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { images: { type: 'string' } } });
  const images = Number(values.images ?? 10000);
  console.log(`| experiment | CPU s per ${images} training images | CPU s per 50,000 (×${50000 / images}) | M | CPU s, 10,000 test images, M samples | … with M = 1 |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const file of positionals) {
    const experiment = loadExperiment(file, { epochs: 1, trainLimit: images });
    const data = loadData(experiment.data);
    const circuit = buildCircuit(experiment);
    const started = cpuSeconds();
    await lastValueFrom(train(circuit, { train: data.train }, { ...experiment.training, epochs: 1 }));
    const training = cpuSeconds() - started;
    const samples = experiment.training.evaluation.samples;
    const sampled = measure(() => evaluate(circuit, data.test, experiment.training.evalBatchSize, samples));
    const single = measure(() => evaluate(circuit, data.test, experiment.training.evalBatchSize, 1));
    console.log(
      `| ${experiment.name} | ${training.toFixed(2)} | ${((training * 50000) / images).toFixed(1)} | ${samples} | ${sampled.seconds.toFixed(2)} | ${single.seconds.toFixed(2)} |`,
    );
  }
  console.log(`\n(${kernels().name} kernels, APICAL_NATIVE_THREADS=${process.env.APICAL_NATIVE_THREADS ?? 'unset'})`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
