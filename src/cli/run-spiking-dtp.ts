/**
 * `apical run` for spiking DTP experiments: train a layered spiking network on MNIST with
 * top-down currents (src/rules/spiking-dtp.ts), one trial per image, a minibatch of trials simulated
 * together, and write the run directory:
 *   config.json, metrics.jsonl (one line per epoch: train_error, valid_error, test_error, seconds,
 *   eval_seconds, cpu_seconds),
 *   summary.json, and the recorded trial of the first test image the trained network misclassifies:
 *   trial/manifest.json + binaries (spikes of every layer, v of a few neurons per layer; format in
 *   src/record/monitor-files.ts; step 0 is the trial's start), trial/rates.json (forward and
 *   target-phase rates and targets of every layer), trial.html (raster, traces, rates).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Observable } from 'rxjs';
import { loadMnist } from '../data/mnist';
import { Dataset } from '../data/dataset';
import { parameterQuantity, siValue } from '../equations/dimensions';
import { asConfigError, ConfigError } from '../experiment/experiment';
import { FeedbackLesion, lesionTarget, LesionSpec } from '../experiment/lesion';
import { loadSpikingDtpExperiment, ruleDefaults, SpikingDtpExperiment, SpikingDtpOverrides } from '../experiment/spiking-dtp';
import { kernels } from '../kernels';
import { shuffleInPlace } from '../kernels/random';
import { SpikingNetwork } from '../network/spiking-network';
import { writeMonitors } from '../record/monitor-files';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { reportPage } from '../report/page';
import { TrialRecord, trialRasterFigure, trialRatesFigure, trialTracesFigure } from '../report/figures/spiking-trial';
import { writeReport } from '../report/report';
import { CHECKPOINT_FILE, RunDirectory } from '../report/run-directory';
import { SpikingDtp } from '../rules/spiking-dtp';
import { Checkpoint, encodeCheckpoint, restoreCheckpoint } from '../state/checkpoint';
import { StateRegistry } from '../state/registry';
import { signalExitStatus, stopSignals } from './signals';
import { warnIfOtherKernels } from './run';
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

/** The network and rule an experiment describes, for data of `shape` (input size and class count). */
export function buildSpikingDtp(experiment: SpikingDtpExperiment, shape: { readonly features: number; readonly classes: number }): SpikingDtp {
  const where = experiment.file;
  const dt = si(experiment.dt, `${where}, dt`);
  const network = asConfigError(where, () => new SpikingNetwork({
    input: shape.features,
    layers: experiment.network.layers,
    batch: experiment.training.batchSize,
    dt,
    neuron: experiment.network.neuron,
    encoder: experiment.network.encoder,
    inputRate: si(experiment.network.inputRate, `${where}, network.inputRate`),
    maxRate: si(experiment.network.maxRate, `${where}, network.maxRate`),
    roles: experiment.network.roles,
    seed: experiment.training.seed,
  }));
  return new SpikingDtp(network, {
    ...experiment.rule,
    settleSteps: Math.round(si(experiment.settle, `${where}, settle`) / dt),
    countSteps: Math.round(si(experiment.count, `${where}, count`) / dt),
    forward: experiment.optimizer.forward,
    feedback: experiment.optimizer.feedback,
    readout: experiment.optimizer.readout,
    seed: experiment.training.seed,
    classes: shape.classes,
  });
}

/** The experiment's lesion `spec` of one of `learner`'s decoder pathways: its rule wrapped, its state in `state`. */
function spikingLesion(experiment: SpikingDtpExperiment, spec: LesionSpec, learner: SpikingDtp, state: StateRegistry): FeedbackLesion {
  const target = lesionTarget(learner, spec.pathway);
  if (typeof target === 'string') throw new ConfigError(`${experiment.file}: /lesion/pathway ${target}`);
  const lesion = new FeedbackLesion(spec, { feedback: learner.feedback, state }, experiment.optimizer.feedback, { name: 'orthogonal' }, experiment.training.seed);
  learner.rule = lesion.wrap(learner.rule);
  lesion.start();
  return lesion;
}

/** Index of the largest of the `classes` scores in row r. */
const argmax = (scores: Float32Array, classes: number, r: number): number => {
  let best = 0;
  for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
  return best;
};

/** Forward-phase classification of the first `count` examples: the error and the first misclassified example (-1: none). */
export function spikingEvaluation(rule: SpikingDtp, data: Dataset, count = data.count): { error: number; firstWrong: number } {
  const B = rule.network.batch;
  const probs = new Float32Array(B * data.classes);
  let errors = 0;
  let firstWrong = -1;
  for (let start = 0; start < count; start += B) {
    const rows = Math.min(B, count - start);
    rule.infer(data.images.subarray(start * data.features, (start + rows) * data.features), rows, probs);
    for (let r = 0; r < rows; r++) {
      if (argmax(probs, data.classes, r) === data.labels[start + r]) continue;
      errors++;
      if (firstWrong < 0) firstWrong = start + r;
    }
  }
  return { error: errors / count, firstWrong };
}

/** Fraction of the first `count` examples whose forward-phase read-out is wrong. */
export function spikingError(rule: SpikingDtp, data: Dataset, count = data.count): number {
  return spikingEvaluation(rule, data, count).error;
}

/** Records one trial of image `index` of `data` (not learnt from) into `<dir>/trial`. */
export function recordTrial(trained: SpikingDtp, data: Dataset, index: number, dir: string, traces: number): TrialRecord {
  // One-trial copies of the network, so that the monitors see this trial's neurons only. A copy
  // starts afresh, so the trial runs identically twice: first to find the neurons whose targets lie
  // farthest from their forward rates (where the apical drive shows), then recorded, tracing those.
  const x = data.images.slice(index * data.features, (index + 1) * data.features);
  const label = Int32Array.of(data.labels[index]);
  const dry = trained.withBatch(1).trials(x, label, 1, false);
  const traced = dry.targets.slice(1).map((goal, k) => {
    const forward = dry.forward[k + 1];
    const order = Array.from(goal.keys()).sort((a, b) => Math.abs(goal[b] - forward[b]) - Math.abs(goal[a] - forward[a]) || a - b);
    return Uint32Array.from(order.slice(0, traces)).sort();
  });
  const rule = trained.withBatch(1);
  const net = rule.network;
  const sim = net.simulation;
  const phase = rule.options.settleSteps + rule.options.countSteps;
  const steps = (rule.options.targetPhases === 'joint' ? 2 : 1 + rule.network.layers.length) * phase;
  const spikes = net.groups.map((g) => new SpikeMonitor(g.name, g));
  const states = net.layers.map((g, k) => new StateMonitor(`${g.name}_v`, sim, g, [net.roles.membrane], traced[k], 1, steps));
  const rates = rule.trials(x, label, 1, false);
  const folder = path.join(dir, 'trial');
  const layers = net.groups.map((g, k) => {
    const l = g === net.encoder ? 0 : net.layers.indexOf(g) + 1;
    const { steps: s, indices } = spikes[k].spikes();
    const state = l === 0 ? null : states[l - 1];
    return {
      name: g.name,
      size: g.size,
      spikeSteps: s.slice(),
      spikeIndices: indices.slice(),
      traced: state ? Array.from(state.indices) : [],
      v: state ? state.values[0].slice(0, state.rows * state.indices.length) : null,
      forward: rates.forward[l].slice(),
      target: rates.target[l].slice(),
      goal: l === 0 ? null : rates.targets[l].slice(),
    };
  });
  fs.mkdirSync(folder, { recursive: true });
  writeMonitors(path.dirname(folder), [...spikes, ...states], sim.dt, steps, 'trial');
  const probabilities = Array.from(rates.probabilities);
  const trial: TrialRecord = { dt: sim.dt, targetPhaseStep: phase, settleSteps: rule.options.settleSteps, steps, label: data.labels[index], predicted: argmax(rates.probabilities, data.classes, 0), layers };
  fs.writeFileSync(
    path.join(folder, 'rates.json'),
    JSON.stringify({
      image: index,
      label: trial.label,
      predicted: trial.predicted,
      dt: trial.dt,
      target_phase_step: trial.targetPhaseStep,
      settle_steps: trial.settleSteps,
      probabilities,
      layers: layers.map((l) => ({ name: l.name, forward: Array.from(l.forward), target: Array.from(l.target), goal: l.goal ? Array.from(l.goal) : null })),
    }) + '\n',
  );
  return trial;
}

/** The trial page: raster, membrane traces, rates and targets. */
export function trialPage(trial: TrialRecord, title: string): string {
  return reportPage(title, `<p>One trial (a test image of digit ${trial.label}, read out as ${trial.predicted} in the forward phase): forward phase, then target phase (shaded) with top-down currents.</p>`, [
    { id: 'raster', title: 'Spike raster', caption: 'Every spike of every population (the input encoder when the input is spikes, the hidden LIF layers), trial/*.u32.', figure: trialRasterFigure(trial) },
    { id: 'traces', title: 'Membrane potentials', caption: 'v of the neurons of each hidden layer whose targets lie farthest from their forward rates, trial/*_v.v.f64.', figure: trialTracesFigure(trial) },
    { id: 'rates', title: 'Rates in both phases and the targets', caption: 'Spike-count rates (÷ r_max) in the forward and target phases and the target ĥ of the neurons whose targets differ most from their forward rates, trial/rates.json.', figure: trialRatesFigure(trial) },
  ]);
}

export interface SpikingDtpRunOptions {
  /** Emits (a signal's name) when the run should stop: after the current minibatch it saves a checkpoint. */
  readonly stop?: Observable<unknown>;
  readonly log?: (line: string) => void;
}

/** The checkpoint's own fields (beside the state): how far the run got, for `resume`. */
interface CheckpointMeta {
  readonly epochs_completed: number;
  readonly wall_seconds: number;
  readonly backend: string;
  readonly version: string;
}

/** Trains `experiment` into a new run folder `out`. */
export async function runSpikingDtp(experiment: SpikingDtpExperiment, options: SpikingDtpRunOptions & { readonly out: string; readonly force: boolean }): Promise<SpikingDtpSummary> {
  const run = RunDirectory.create(options.out, options.force);
  try {
    run.writeJson('config.json', { ...experiment, backend: kernels().name, version });
    return await session(experiment, run, null, options);
  } finally {
    run.close();
  }
}

/**
 * Continues the spiking DTP run in `dir` from its checkpoint (`apical resume`): the run is rebuilt
 * from config.json, its state restored (state/checkpoint.ts), metrics.jsonl trimmed to the
 * checkpoint's epochs; the result is bit-identical to a run never stopped.
 */
export async function resumeSpikingDtp(dir: string, options: SpikingDtpRunOptions): Promise<SpikingDtpSummary> {
  const { run, checkpoint } = RunDirectory.resume(dir);
  try {
    warnIfOtherKernels(dir, checkpoint);
    const saved = run.readJson('config.json') as SpikingDtpExperiment;
    const experiment: SpikingDtpExperiment = { ...saved, rule: { ...ruleDefaults, ...saved.rule } };
    return await session(experiment, run, checkpoint, options);
  } finally {
    run.close();
  }
}

export interface SpikingDtpSummary {
  readonly experiment: string;
  readonly rule: 'spiking-dtp';
  readonly seed: number;
  readonly epochs: number;
  readonly epochs_completed: number;
  readonly interrupted: boolean;
  readonly final: { readonly train_error: number; readonly valid_error: number | null; readonly test_error: number | null } | null;
  readonly best_valid: { readonly epoch: number; readonly valid_error: number | null; readonly test_error: number | null } | null;
  readonly seconds_per_epoch: number | null;
  /** Seconds of training, evaluation excluded, over every epoch (as a rate run's summary has it). */
  readonly training_seconds: number;
  readonly wall_seconds: number;
  readonly backend: string;
  readonly version: string;
}

/**
 * Trains in `run`, from the start or from `checkpoint`. The state that carries from one minibatch
 * to the next (parameters, optimiser buffers, the shuffled order and its stream, the encoder's
 * stream, the position in the epoch) is in a StateRegistry, so a checkpoint is that registry.
 */
async function session(experiment: SpikingDtpExperiment, run: RunDirectory, checkpoint: Checkpoint | null, options: SpikingDtpRunOptions): Promise<SpikingDtpSummary> {
  const started = performance.now();
  const data = loadMnist({ dir: experiment.data.dir ?? undefined, validation: experiment.data.validation, trainLimit: experiment.data.trainLimit ?? undefined });
  const train = data.train;
  const rule = buildSpikingDtp(experiment, train);
  const state = new StateRegistry(experiment.training.seed);
  rule.register(state);
  const lesion = experiment.lesion ? spikingLesion(experiment, experiment.lesion, rule, state) : null;
  const order = state.register('spiking-dtp/order', Uint32Array.from({ length: train.count }, (_, i) => i));
  const shuffle = state.stream('spiking-dtp/shuffle');
  /** Where training stands: the epoch under way, trials of it seen, and errors among them. */
  const position = { epoch: 1, seen: 0, errors: 0, cpu: 0, seconds: 0 };
  state.value('spiking-dtp/position', () => ({ ...position }), (saved) => Object.assign(position, saved));
  let records: SpikingDtpEpoch[] = [];
  let wallBefore = 0;
  if (checkpoint) {
    restoreCheckpoint(state, checkpoint, path.join(run.dir, CHECKPOINT_FILE));
    rule.network.syncParameters(); // the synapses' weights and bias drives from the restored W, b
    const meta = checkpoint.meta as unknown as CheckpointMeta;
    records = run.keepMetrics(meta.epochs_completed) as SpikingDtpEpoch[];
    wallBefore = meta.wall_seconds;
  }
  const wallSeconds = (): number => wallBefore + (performance.now() - started) / 1000;
  const saveCheckpoint = (): void => {
    const meta: CheckpointMeta = { epochs_completed: records.length, wall_seconds: wallSeconds(), backend: kernels().name, version };
    run.writeCheckpoint(encodeCheckpoint(state, { ...meta }));
  };
  const B = experiment.training.batchSize;
  const x = new Float32Array(B * train.features);
  const labels = new Int32Array(B);
  let firstWrong = -1;
  const testCount = Math.min(data.test.count, experiment.data.testLimit ?? data.test.count);
  let interrupted = false;
  const stopping = options.stop?.subscribe(() => (interrupted = true));
  while (position.epoch <= experiment.training.epochs && !interrupted) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    if (position.seen === 0 && experiment.training.shuffle) shuffleInPlace(shuffle, order);
    rule.setEpoch(position.epoch);
    for (let batches = 0; position.seen < train.count && !interrupted; batches++) {
      const rows = Math.min(B, train.count - position.seen);
      for (let r = 0; r < rows; r++) {
        const i = order[position.seen + r];
        x.set(train.images.subarray(i * train.features, (i + 1) * train.features), r * train.features);
        labels[r] = train.labels[i];
      }
      const { probabilities } = rule.trials(x, labels, rows);
      for (let r = 0; r < rows; r++) if (argmax(probabilities, train.classes, r) !== labels[r]) position.errors++;
      position.seen += rows;
      if (batches % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
    }
    const trainCpu = process.cpuUsage(cpuStart);
    position.cpu += (trainCpu.user + trainCpu.system) / 1e6;
    position.seconds += (performance.now() - start) / 1000;
    if (interrupted) break;
    const evalStart = performance.now();
    const evalCpuStart = process.cpuUsage();
    const valid_error = data.valid.count > 0 ? spikingError(rule, data.valid) : null;
    const test = testCount > 0 ? spikingEvaluation(rule, data.test, testCount) : null;
    const test_error = test ? test.error : null;
    if (test) firstWrong = test.firstWrong;
    const evalCpu = process.cpuUsage(evalCpuStart);
    const record: SpikingDtpEpoch = {
      epoch: position.epoch,
      train_error: position.errors / position.seen,
      valid_error,
      test_error,
      seconds: position.seconds,
      eval_seconds: (performance.now() - evalStart) / 1000,
      cpu_seconds: position.cpu + (evalCpu.user + evalCpu.system) / 1e6,
    };
    records.push(record);
    run.appendMetrics(record);
    lesion?.epochEnded(record.epoch);
    Object.assign(position, { epoch: position.epoch + 1, seen: 0, errors: 0, cpu: 0, seconds: 0 });
    if (position.epoch <= experiment.training.epochs) saveCheckpoint();
    options.log?.(
      `epoch ${record.epoch}: train error ${(100 * record.train_error).toFixed(2)}%` +
        (record.valid_error !== null ? `, valid ${(100 * record.valid_error).toFixed(2)}%` : '') +
        (record.test_error !== null ? `, test ${(100 * record.test_error).toFixed(2)}%` : '') +
        ` (${record.seconds.toFixed(1)} s + ${record.eval_seconds.toFixed(1)} s evaluation, ${record.cpu_seconds.toFixed(1)} s CPU)`,
    );
  }
  stopping?.unsubscribe();
  if (interrupted) saveCheckpoint();
  // The recorded trial: the first test digit the trained network misclassifies, where the targets
  // differ most from the forward rates and the apical drive shows (the first test digit if none).
  if (firstWrong < 0 && testCount > 0) firstWrong = spikingEvaluation(rule, data.test, testCount).firstWrong;
  const trial = recordTrial(rule, data.test, Math.max(firstWrong, 0), run.dir, experiment.record.traces);
  fs.writeFileSync(path.join(run.dir, 'trial.html'), trialPage(trial, `${experiment.name}: one trial`));
  const last = records[records.length - 1];
  const best = records.reduce<SpikingDtpEpoch | undefined>((a, r) => (r.valid_error !== null && (!a || r.valid_error < a.valid_error!) ? r : a), undefined);
  const trainingSeconds = records.reduce((a, r) => a + r.seconds, 0);
  const summary: SpikingDtpSummary = {
    experiment: experiment.name,
    rule: 'spiking-dtp',
    seed: experiment.training.seed,
    epochs: experiment.training.epochs,
    epochs_completed: records.length,
    interrupted,
    final: last ? { train_error: last.train_error, valid_error: last.valid_error, test_error: last.test_error } : null,
    best_valid: best ? { epoch: best.epoch, valid_error: best.valid_error, test_error: best.test_error } : null,
    seconds_per_epoch: records.length ? trainingSeconds / records.length : null,
    training_seconds: trainingSeconds,
    wall_seconds: wallSeconds(),
    backend: kernels().name,
    version,
  };
  run.writeJson('summary.json', summary);
  if (!interrupted) run.removeCheckpoint();
  if (records.length > 0) writeReport([run.dir], path.join(run.dir, 'report.html'));
  return summary;
}

/** The command: `apical run experiments/mnist-spiking-dtp.json`. */
export async function spikingDtpCommand(file: string, options: SpikingDtpOverrides & { readonly out?: string; readonly force: boolean; readonly timestamp: string }): Promise<number> {
  const experiment = loadSpikingDtpExperiment(file, options);
  const out = options.out ?? path.join('runs', `${experiment.name}-s${experiment.training.seed}-${options.timestamp}`);
  process.stdout.write(`apical ${version}: ${experiment.name} (spiking DTP, ${experiment.network.layers.join('-')} LIF), ${experiment.training.epochs} epochs, seed ${experiment.training.seed} → ${out}\n`);
  return finishedCommand(out, (stop$, log) => runSpikingDtp(experiment, { out, force: options.force, stop: stop$, log }));
}

/** `apical resume <run-dir>` for a spiking DTP run. */
export function spikingDtpResumeCommand(dir: string): Promise<number> {
  process.stdout.write(`apical ${version}: resuming ${dir} (spiking DTP)\n`);
  return finishedCommand(dir, (stop$, log) => resumeSpikingDtp(dir, { stop: stop$, log }));
}

/** Runs a session with Ctrl-C, SIGTERM and SIGHUP stopping it at a checkpoint; the closing lines and exit status. */
async function finishedCommand(out: string, go: (stop$: Observable<string>, log: (line: string) => void) => Promise<SpikingDtpSummary>): Promise<number> {
  const signals = stopSignals();
  let received = 'SIGINT';
  signals.stop$.subscribe((name) => (received = name));
  const summary = await go(signals.stop$, (line) => process.stdout.write(line + '\n')).finally(() => signals.dispose());
  process.stdout.write(`done: ${summary.epochs_completed}/${summary.epochs} epochs; run directory: ${out} (trial figure: ${path.join(out, 'trial.html')})\nreport: ${path.join(out, 'report.html')}\n`);
  if (!summary.interrupted) return 0;
  process.stdout.write(`continue it with: npm run apical -- resume ${out}\n`);
  return signalExitStatus(received);
}
