/**
 * `apical run` for spiking DTP experiments: train a layered spiking network on MNIST with
 * top-down currents (src/rules/spiking-dtp.ts), one trial per image, and write the run directory:
 *   config.json, metrics.jsonl (one line per epoch: train_error, valid_error, test_error, seconds,
 *   eval_seconds, cpu_seconds),
 *   summary.json, and the recorded trial of the first test image after training:
 *   trial/manifest.json + binaries (spikes of every layer, v of a few neurons per layer; format in
 *   src/record/monitor-files.ts; steps are the simulation's, the trial starts at rates.json's
 *   first_step), trial/rates.json (forward and target-phase rates and targets of
 *   every layer), trial.html (raster, traces, rates).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Observable, Subject } from 'rxjs';
import { loadMnist } from '../data/mnist';
import { Dataset } from '../data/dataset';
import { parameterQuantity, siValue } from '../equations/dimensions';
import { loadSpikingDtpExperiment, SpikingDtpExperiment, SpikingDtpOverrides } from '../experiment/spiking-dtp';
import { shuffleInPlace, streamState } from '../kernels/random';
import { SpikingNetwork } from '../network/spiking-network';
import { writeMonitors } from '../record/monitor-files';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { reportPage } from '../report/page';
import { TrialRecord, trialRasterFigure, trialRatesFigure, trialTracesFigure } from '../report/figures/spiking-trial';
import { writeReport } from '../report/report';
import { RunDirectory } from '../report/run-directory';
import { SpikingDtp } from '../rules/spiking-dtp';
import { version } from './version';

export interface SpikingDtpEpoch {
  readonly epoch: number;
  readonly train_error: number;
  readonly valid_error: number | null;
  readonly test_error: number | null;
  readonly seconds: number;
  readonly eval_seconds: number;
  /** CPU seconds of the process for the epoch's training and evaluation (robust to a shared machine). */
  readonly cpu_seconds: number;
}

const si = (text: string, what: string): number => siValue(parameterQuantity(text, new Map(), what));

/** The network and rule an experiment describes. */
export function buildSpikingDtp(experiment: SpikingDtpExperiment): SpikingDtp {
  const where = experiment.file;
  const dt = si(experiment.dt, `${where}, dt`);
  const network = new SpikingNetwork({
    input: 784,
    layers: experiment.network.layers,
    dt,
    neuron: experiment.network.neuron,
    encoder: experiment.network.encoder,
    inputRate: si(experiment.network.inputRate, `${where}, network.inputRate`),
    maxRate: si(experiment.network.maxRate, `${where}, network.maxRate`),
    seed: experiment.training.seed,
  });
  return new SpikingDtp(network, {
    ...experiment.rule,
    batchSize: experiment.training.batchSize,
    settleSteps: Math.round(si(experiment.settle, `${where}, settle`) / dt),
    countSteps: Math.round(si(experiment.count, `${where}, count`) / dt),
    forward: experiment.optimizer.forward,
    feedback: experiment.optimizer.feedback,
    readout: experiment.optimizer.readout,
    seed: experiment.training.seed,
  });
}

/** Fraction of the first `count` examples whose forward-phase read-out is wrong. */
export function spikingError(rule: SpikingDtp, data: Dataset, count = data.count): number {
  const x = new Float32Array(data.features);
  const probs = new Float32Array(10);
  let errors = 0;
  for (let i = 0; i < count; i++) {
    x.set(data.images.subarray(i * data.features, (i + 1) * data.features));
    rule.infer(x, probs);
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[c] > probs[best]) best = c;
    if (best !== data.labels[i]) errors++;
  }
  return errors / count;
}

/** Records one trial of image `index` of `data` (not learnt from) into `<dir>/trial`. */
export function recordTrial(rule: SpikingDtp, data: Dataset, index: number, dir: string, traces: number): TrialRecord {
  const net = rule.network;
  const sim = net.simulation;
  const steps = 2 * (rule.options.settleSteps + rule.options.countSteps);
  const spikes = net.groups.map((g) => new SpikeMonitor(g.name, g));
  const states = net.groups.slice(1).map((g) => new StateMonitor(`${g.name}_v`, sim, g, ['v'], Uint32Array.from({ length: Math.min(traces, g.size) }, (_, i) => i), 1, steps));
  const start = sim.step;
  const x = data.images.slice(index * data.features, (index + 1) * data.features);
  const rates = rule.trial(x, data.labels[index], false);
  const folder = path.join(dir, 'trial');
  // Steps relative to the trial's start, so the files and the figure begin at 0.
  const layers = net.groups.map((g, k) => {
    const { steps: s, indices } = spikes[k].spikes();
    return {
      name: g.name,
      size: g.size,
      spikeSteps: s.map((t) => t - start),
      spikeIndices: indices.slice(),
      traced: k === 0 ? [] : Array.from(states[k - 1].indices),
      v: k === 0 ? null : states[k - 1].values[0].slice(0, states[k - 1].rows * states[k - 1].indices.length),
      forward: rates.forward[k],
      target: rates.target[k],
      goal: k === 0 ? null : rates.targets[k],
    };
  });
  fs.mkdirSync(folder, { recursive: true });
  writeMonitors(path.dirname(folder), [...spikes, ...states], sim.dt, steps, 'trial');
  const trial: TrialRecord = { dt: sim.dt, targetPhaseStep: steps / 2, settleSteps: rule.options.settleSteps, steps, label: data.labels[index], layers };
  fs.writeFileSync(
    path.join(folder, 'rates.json'),
    JSON.stringify({
      label: trial.label,
      dt: trial.dt,
      target_phase_step: trial.targetPhaseStep,
      settle_steps: trial.settleSteps,
      first_step: start,
      probabilities: Array.from(rates.probabilities),
      layers: layers.map((l) => ({ name: l.name, forward: Array.from(l.forward), target: Array.from(l.target), goal: l.goal ? Array.from(l.goal) : null })),
    }) + '\n',
  );
  return trial;
}

/** The trial page: raster, membrane traces, rates and targets. */
export function trialPage(trial: TrialRecord, title: string): string {
  return reportPage(title, `<p>One trial (test image of digit ${trial.label}): forward phase, then target phase (shaded) with top-down currents.</p>`, [
    { id: 'raster', title: 'Spike raster', caption: 'Every spike of every layer (input encoder, hidden LIF populations), trial/*.u32.', figure: trialRasterFigure(trial) },
    { id: 'traces', title: 'Membrane potentials', caption: 'v of the first neurons of each hidden layer, trial/*_v.v.f64.', figure: trialTracesFigure(trial) },
    { id: 'rates', title: 'Rates in both phases and the targets', caption: 'Spike-count rates (÷ r_max) in the forward and target phases and the target ĥ, trial/rates.json.', figure: trialRatesFigure(trial) },
  ]);
}

export async function runSpikingDtp(
  experiment: SpikingDtpExperiment,
  options: { readonly out: string; readonly force: boolean; readonly stop?: Observable<unknown>; readonly log?: (line: string) => void },
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const run = RunDirectory.create(options.out, options.force);
  run.writeJson('config.json', { ...experiment, version });
  const data = loadMnist({ dir: experiment.data.dir ?? undefined, validation: experiment.data.validation, trainLimit: experiment.data.trainLimit ?? undefined });
  const rule = buildSpikingDtp(experiment);
  const train = data.train;
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  const shuffle = streamState(experiment.training.seed, 'spiking-dtp/shuffle');
  const x = new Float32Array(train.features);
  const testCount = Math.min(data.test.count, experiment.data.testLimit ?? data.test.count);
  let interrupted = false;
  const stopping = options.stop?.subscribe(() => (interrupted = true));
  const records: SpikingDtpEpoch[] = [];
  for (let epoch = 1; epoch <= experiment.training.epochs && !interrupted; epoch++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    if (experiment.training.shuffle) shuffleInPlace(shuffle, order);
    let errors = 0;
    let seen = 0;
    for (; seen < train.count && !interrupted; seen++) {
      const i = order[seen];
      x.set(train.images.subarray(i * train.features, (i + 1) * train.features));
      const { probabilities } = rule.trial(x, train.labels[i]);
      let best = 0;
      for (let c = 1; c < 10; c++) if (probabilities[c] > probabilities[best]) best = c;
      if (best !== train.labels[i]) errors++;
      if (seen % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    }
    if (interrupted) break;
    rule.learn();
    const seconds = (performance.now() - start) / 1000;
    const evalStart = performance.now();
    const valid_error = data.valid.count > 0 ? spikingError(rule, data.valid) : null;
    const test_error = testCount > 0 ? spikingError(rule, data.test, testCount) : null;
    const cpu = process.cpuUsage(cpuStart);
    const record: SpikingDtpEpoch = {
      epoch,
      train_error: errors / seen,
      valid_error,
      test_error,
      seconds,
      eval_seconds: (performance.now() - evalStart) / 1000,
      cpu_seconds: (cpu.user + cpu.system) / 1e6,
    };
    records.push(record);
    run.appendMetrics(record);
    options.log?.(
      `epoch ${epoch}: train error ${(100 * record.train_error).toFixed(2)}%` +
        (record.valid_error !== null ? `, valid ${(100 * record.valid_error).toFixed(2)}%` : '') +
        (record.test_error !== null ? `, test ${(100 * record.test_error).toFixed(2)}%` : '') +
        ` (${seconds.toFixed(1)} s + ${record.eval_seconds.toFixed(1)} s evaluation, ${record.cpu_seconds.toFixed(1)} s CPU)`,
    );
  }
  stopping?.unsubscribe();
  const trial = recordTrial(rule, data.test, 0, run.dir, experiment.record.traces);
  fs.writeFileSync(path.join(run.dir, 'trial.html'), trialPage(trial, `${experiment.name}: one trial`));
  const last = records[records.length - 1];
  const best = records.reduce<SpikingDtpEpoch | undefined>((a, r) => (r.valid_error !== null && (!a || r.valid_error < a.valid_error!) ? r : a), undefined);
  const summary = {
    experiment: experiment.name,
    seed: experiment.training.seed,
    epochs: experiment.training.epochs,
    epochs_completed: records.length,
    interrupted,
    final: last ? { train_error: last.train_error, valid_error: last.valid_error, test_error: last.test_error } : null,
    best_valid: best ? { epoch: best.epoch, valid_error: best.valid_error, test_error: best.test_error } : null,
    seconds_per_epoch: records.length ? records.reduce((a, r) => a + r.seconds, 0) / records.length : null,
    wall_seconds: (performance.now() - started) / 1000,
    version,
  };
  run.writeJson('summary.json', summary);
  writeReport([run.dir], path.join(run.dir, 'report.html'));
  return summary;
}

/** The command: `apical run experiments/mnist-spiking-dtp.json`. */
export async function spikingDtpCommand(file: string, options: SpikingDtpOverrides & { readonly out?: string; readonly force: boolean; readonly timestamp: string }): Promise<number> {
  const experiment = loadSpikingDtpExperiment(file, options);
  const out = options.out ?? path.join('runs', `${experiment.name}-s${experiment.training.seed}-${options.timestamp}`);
  process.stdout.write(`apical ${version}: ${experiment.name} (spiking DTP, ${experiment.network.layers.join('-')} LIF), ${experiment.training.epochs} epochs, seed ${experiment.training.seed} → ${out}\n`);
  const stop = new Subject<void>();
  const onSignal = (): void => {
    process.stderr.write('\napical: interrupted; recording a trial and writing the summary…\n');
    stop.next();
  };
  process.once('SIGINT', onSignal);
  const summary = await runSpikingDtp(experiment, { out, force: options.force, stop, log: (line) => process.stdout.write(line + '\n') });
  process.removeListener('SIGINT', onSignal);
  process.stdout.write(`done: ${summary.epochs_completed}/${experiment.training.epochs} epochs; run directory: ${out} (trial figure: ${path.join(out, 'trial.html')})\nreport: ${path.join(out, 'report.html')}\n`);
  return summary.interrupted ? 130 : 0;
}
