/**
 * The rate experiment kind (experiment files without `kind`, e.g. experiments/mnist-dtp.json): load
 * the data set (data/source.ts) and side information, build the circuit (experiment/build.ts), train it epoch by epoch
 * (engine/trainer.ts) with its recorders, lesion, alignment metrics and the live view watching, and
 * at the end save the weights (weights/, unless the run diverged).
 *
 *   metrics.jsonl  the trainer's EpochRecord per epoch, with `alignment` when metrics.alignmentEvery is set
 *   summary.json   Summary below
 */
import { Dataset, subset } from '../data/dataset';
import { loadData } from '../data/source';
import { loadSideInformation } from '../data/side-information';
import { RunObserver } from '../engine/observer';
import { EpochRecord, train, TrainerEvent } from '../engine/trainer';
import { Circuit } from '../engine/circuit';
import { buildLesionedCircuit, sizedFromData } from '../experiment/build';
import { ConfigError, Experiment, loadExperiment } from '../experiment/experiment';
import { kernels } from '../kernels';
import { AlignmentMonitor } from '../metrics/alignment';
import { startRecording } from '../record/recording';
import { RunSummary } from '../report/run-files';
import { StateRegistry } from '../state/registry';
import { Divergence, ExperimentKind } from './kind';
import { bestValidation, finalErrors } from './session';
import { SpikingTrialRecorder } from './spiking-trial';
import { version } from './version';

/** summary.json of a rate run: what compare, sweep and the queue read, and more. */
export interface Summary extends RunSummary {
  /** True when the divergence guard stopped the run (`divergence` says where). */
  readonly diverged: boolean;
  readonly divergence: Divergence | null;
  /** The signal that stopped the run, if one did. */
  readonly signal: string | null;
  /** Peak resident memory of the process so far, in MiB. */
  readonly peak_rss_mib: number;
  readonly backend: string;
  readonly version: string;
}

/** Copies every float array and value of `from` that `to` also registers (parameters, optimiser buffers, a lesion's state). */
function copyState(from: StateRegistry, to: StateRegistry): void {
  const arrays = new Map(from.arrays().map((entry) => [entry.name, entry.data]));
  for (const { name, data } of to.arrays()) {
    const source = arrays.get(name);
    if (source && !(data instanceof Uint32Array) && source.length === data.length) data.set(source);
  }
  const values = new Map(from.values().map((entry) => [entry.name, entry]));
  for (const value of to.values()) {
    const source = values.get(value.name);
    if (source) value.load(source.save());
  }
}

/** A circuit like `trained` (its parameters and lesion as they are now) for one example at a time. */
function oneExampleTwin(experiment: Experiment, trained: Circuit): Circuit {
  const { circuit } = buildLesionedCircuit({ ...experiment, training: { ...experiment.training, batchSize: 1, evalBatchSize: 1 } });
  copyState(trained.network.state, circuit.network.state);
  return circuit;
}

/** Throws a ConfigError of one line when the model cannot read `train`: input width, sequences, classes or targets. */
function checkDataFits(experiment: Experiment, train: Dataset): void {
  const sequence = train.sequence;
  if (sequence && sequence.width !== experiment.model.input) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" takes ${experiment.model.input} inputs per step but the data's sequences have ${sequence.width}`);
  }
  if (!sequence && train.features !== experiment.model.input) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" takes ${experiment.model.input} inputs but the data have ${train.features} features`);
  }
  const outputs = experiment.model.layers[experiment.model.layers.length - 1].size;
  const readoutUnit = experiment.model.layers[experiment.model.layers.length - 1].units;
  const regression = (typeof readoutUnit === 'string' ? readoutUnit : readoutUnit.name) === 'linear-readout';
  if (regression !== (train.targets !== undefined)) {
    throw new ConfigError(regression
      ? `${experiment.file}: model "${experiment.model.name}" ends in a linear-readout, which needs real-valued targets (a regression task such as "adding"); these data have labels`
      : `${experiment.file}: the data are a regression (real-valued targets); model "${experiment.model.name}" needs a linear-readout of ${train.classes} outputs`);
  }
  if (regression && outputs !== train.classes) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" has ${outputs} outputs but the data's targets have ${train.classes}`);
  }
  const recurrent = experiment.model.layers[0].recurrent !== undefined;
  if (recurrent !== (sequence !== undefined)) {
    throw new ConfigError(recurrent
      ? `${experiment.file}: model "${experiment.model.name}" is recurrent but the data are not sequences (give /data/steps, or a "source": "task")`
      : `${experiment.file}: the data are sequences but model "${experiment.model.name}" has no recurrent first layer (add "recurrent": {} to it)`);
  }
  if (train.classes > outputs) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" has ${outputs} outputs but the data have ${train.classes} classes (labels 0..${train.classes - 1})`);
  }
  const split = experiment.training.missingView?.split;
  if (split !== undefined && split >= train.features) {
    throw new ConfigError(`${experiment.file}: /training/missingView/split ${split} leaves the second view empty: the data have ${train.features} features (split must be 1 … ${train.features - 1})`);
  }
}

export const rateKind: ExperimentKind<Experiment, EpochRecord, Summary> = {
  name: 'rate',

  load(file, overrides) {
    const experiment = loadExperiment(file, { ...overrides, epochs: undefined });
    const fileEpochs = experiment.training.epochs;
    return { experiment: { ...experiment, training: { ...experiment.training, epochs: overrides.epochs ?? fileEpochs } }, fileEpochs };
  },

  about: ({ name, training }) => ({ name, seed: training.seed, epochs: training.epochs }),

  config: (experiment) => ({ ...experiment, backend: kernels().name, version }),

  resumed(config, dir) {
    if ((config as { kind?: unknown }).kind === 'spiking-dtp') {
      throw new ConfigError(`${dir}: a spiking DTP run of an apical before spiking DTP ran through the circuit; its checkpoint cannot resume (start the run afresh)`);
    }
    return config as Experiment;
  },

  start(loaded, { run, resuming, observe }) {
    const all = loadData(loaded.data);
    const testLimit = loaded.data.testLimit;
    const data = testLimit === undefined ? all : { ...all, test: subset(all.test, Math.min(testLimit, all.test.count)) };
    const experiment = sizedFromData(loaded, data.train);
    checkDataFits(experiment, data.train);
    const side = experiment.data.side
      ? loadSideInformation(experiment.data.side, data.train.labels, data.train.classes, data.trainingFileCount, `${experiment.file}: /data/side`)
      : undefined;
    const { circuit, lesion, decay } = buildLesionedCircuit(experiment, side);
    const every = experiment.metrics.alignmentEvery;
    const alignment = every === null ? null : new AlignmentMonitor(circuit, every);
    const { batchSize } = experiment.training;
    const events$ = train(circuit, side ? { ...data, train: { ...data.train, side } } : data, experiment.training, decay ?? undefined);
    // Recorders register their state (file lengths included) before the checkpoint is restored.
    const recorders = experiment.record ? startRecording(experiment.record, circuit, run.dir, data, batchSize, resuming) : [];
    const trial = experiment.record?.trial;
    if (trial) recorders.push(new SpikingTrialRecorder(circuit, () => oneExampleTwin(experiment, circuit), data.test, run.dir, trial.traces, `${experiment.name}: one trial`));
    const observers: RunObserver[] = [
      // Recorders first: an epoch's weights are recorded before a lesion changes them.
      ...recorders,
      ...(lesion ? [lesion] : []),
      ...(observe ? [observe(circuit, Math.ceil(data.train.count / batchSize))] : []),
    ];
    return {
      events$,
      state: circuit.network.state,
      checkpointEvery: experiment.training.checkpointEvery,
      patience: experiment.training.patience ?? null,
      stopAt: experiment.training.stopAt ?? null,
      metricsLine: (record) => (alignment ? { ...record, alignment: alignment.take() } : record),
      observe: (event) => {
        for (const observer of observers) observer.onEvent(event as TrainerEvent);
      },
      finish({ records, signal, divergence, stoppedEarly, wallSeconds }) {
        for (const observer of observers) observer.close();
        alignment?.dispose();
        circuit.dispose();
        if (!divergence) run.saveWeights(circuit.network);
        return {
          experiment: experiment.name,
          rule: experiment.rule.name,
          seed: experiment.training.seed,
          epochs: experiment.training.epochs,
          epochs_completed: records.length,
          interrupted: signal !== null,
          diverged: divergence !== null,
          divergence,
          signal,
          final: finalErrors(records),
          best_valid: bestValidation(records),
          stopped_early: stoppedEarly,
          training_seconds: records.reduce((sum, r) => sum + r.seconds, 0),
          wall_seconds: wallSeconds(),
          peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
          backend: kernels().name,
          version,
        };
      },
    };
  },
};
