/**
 * The spiking DTP experiment kind ("kind": "spiking-dtp", experiments/mnist-spiking-dtp.json): train
 * a layered spiking network on MNIST with top-down currents (src/rules/spiking-dtp.ts), one trial per
 * image, a minibatch of trials simulated together, and record one trial at the end: the first test
 * image the trained network misclassifies (spiking-dtp-trial.ts: trial/, trial.html).
 *
 *   metrics.jsonl  one line per epoch: train_error, valid_error, test_error, seconds, eval_seconds, cpu_seconds
 *   summary.json   SpikingDtpSummary below
 *
 * The state that carries from one minibatch to the next (parameters, optimiser buffers, the
 * shuffled order and its stream, the encoder's stream, the position in the epoch) is in a
 * StateRegistry, so a checkpoint is that registry; one is written after every epoch but the last.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Observable } from 'rxjs';
import { loadData } from '../data/source';
import { parameterQuantity, siValue } from '../equations/dimensions';
import { loadSpikingDtpExperiment, ruleDefaults, SpikingDtpExperiment } from '../experiment/spiking-dtp';
import { asConfigError, ConfigError } from '../experiment/experiment';
import { FeedbackLesion, lesionTarget, LesionSpec } from '../experiment/lesion';
import { kernels } from '../kernels';
import { shuffleInPlace } from '../kernels/random';
import { SpikingNetwork } from '../network/spiking-network';
import { SpikingDtp } from '../rules/spiking-dtp';
import { StateRegistry } from '../state/registry';
import { EpochResult, ExperimentKind, SessionEvent } from './kind';
import { bestValidation, finalErrors } from './session';
import { argmax, recordTrial, spikingError, spikingEvaluation, trialPage } from './spiking-dtp-trial';
import { version } from './version';

export interface SpikingDtpEpoch extends EpochResult {
  readonly eval_seconds: number;
  /** CPU seconds of the process for the epoch's training and evaluation (robust to a shared machine). */
  readonly cpu_seconds: number;
}

/** summary.json of a spiking DTP run. */
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

const si = (text: string, what: string): number => siValue(parameterQuantity(text, new Map(), what));

/** The network and rule an experiment describes, for data of `shape` (input size and class count). */
export function buildSpikingDtp(experiment: SpikingDtpExperiment, shape: { readonly features: number; readonly classes: number }): SpikingDtp {
  const where = experiment.file;
  const dt = si(experiment.dt, `${where}, dt`);
  const network = asConfigError(where, () =>
    new SpikingNetwork({
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
    }),
  );
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

export const spikingDtpKind: ExperimentKind<SpikingDtpExperiment, SpikingDtpEpoch, SpikingDtpSummary> = {
  name: 'spiking-dtp',

  load(file, { epochs, seed, dataDir, trainLimit }) {
    const experiment = loadSpikingDtpExperiment(file, { seed, dataDir, trainLimit });
    const fileEpochs = experiment.training.epochs;
    return { experiment: { ...experiment, training: { ...experiment.training, epochs: epochs ?? fileEpochs } }, fileEpochs };
  },

  about: ({ name, training }) => ({ name, seed: training.seed, epochs: training.epochs }),

  config: (experiment) => ({ ...experiment, backend: kernels().name, version }),

  resumed(config) {
    const saved = config as SpikingDtpExperiment;
    return { ...saved, rule: { ...ruleDefaults, ...saved.rule } };
  },

  start(experiment, { run }) {
    const data = loadData({ source: 'mnist', ...experiment.data });
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
    const { epochs, batchSize: B } = experiment.training;
    const x = new Float32Array(B * train.features);
    const labels = new Int32Array(B);
    let firstWrong = -1;
    const testCount = Math.min(data.test.count, experiment.data.testLimit ?? data.test.count);

    const events$ = new Observable<SessionEvent<SpikingDtpEpoch>>((subscriber) => {
      /** When the epoch's training (re)started, or null between epochs. */
      let clock: { start: number; cpu: NodeJS.CpuUsage } | null = null;
      /** Adds the epoch's training time since `clock` to the position. */
      const clockOut = (): void => {
        const cpu = process.cpuUsage(clock!.cpu);
        position.cpu += (cpu.user + cpu.system) / 1e6;
        position.seconds += (performance.now() - clock!.start) / 1000;
        clock = null;
      };
      const trainEpochs = async (): Promise<void> => {
        while (position.epoch <= epochs) {
          clock = { start: performance.now(), cpu: process.cpuUsage() };
          if (position.seen === 0 && experiment.training.shuffle) shuffleInPlace(shuffle, order);
          rule.setEpoch(position.epoch);
          for (let batches = 0; position.seen < train.count; batches++) {
            const rows = Math.min(B, train.count - position.seen);
            for (let r = 0; r < rows; r++) {
              const i = order[position.seen + r];
              x.set(train.images.subarray(i * train.features, (i + 1) * train.features), r * train.features);
              labels[r] = train.labels[i];
            }
            const { probabilities } = rule.trials(x, labels, rows);
            for (let r = 0; r < rows; r++) if (argmax(probabilities, train.classes, r) !== labels[r]) position.errors++;
            position.seen += rows;
            if (batches % 25 === 24) {
              await new Promise((resolve) => setImmediate(resolve));
              if (subscriber.closed) return;
            }
          }
          clockOut();
          const evalStart = performance.now();
          const evalCpuStart = process.cpuUsage();
          const valid_error = data.valid.count > 0 ? spikingError(rule, data.valid) : null;
          const test = testCount > 0 ? spikingEvaluation(rule, data.test, testCount) : null;
          if (test) firstWrong = test.firstWrong;
          const evalCpu = process.cpuUsage(evalCpuStart);
          const record: SpikingDtpEpoch = {
            epoch: position.epoch,
            train_error: position.errors / position.seen,
            valid_error,
            test_error: test ? test.error : null,
            seconds: position.seconds,
            eval_seconds: (performance.now() - evalStart) / 1000,
            cpu_seconds: position.cpu + (evalCpu.user + evalCpu.system) / 1e6,
          };
          // A lesion due at this epoch's end acts before the checkpoint the session writes after the event.
          lesion?.epochEnded(record.epoch);
          Object.assign(position, { epoch: position.epoch + 1, seen: 0, errors: 0, cpu: 0, seconds: 0 });
          subscriber.next({ kind: 'epoch', record });
          if (subscriber.closed) return;
        }
        subscriber.complete();
      };
      trainEpochs().catch((error) => subscriber.error(error));
      // Stopped mid-epoch (at a yield): the time trained so far goes into the checkpoint's position.
      return () => {
        if (clock) clockOut();
      };
    });

    return {
      events$,
      state,
      checkpointEvery: 1,
      restored: () => rule.network.syncParameters(), // the synapses' weights and bias drives from the restored W, b
      finish({ records, signal, wallSeconds }) {
        // The recorded trial: the first test digit the trained network misclassifies, where the targets
        // differ most from the forward rates and the apical drive shows (the first test digit if none).
        if (firstWrong < 0 && testCount > 0) firstWrong = spikingEvaluation(rule, data.test, testCount).firstWrong;
        const trial = recordTrial(rule, data.test, Math.max(firstWrong, 0), run.dir, experiment.record.traces);
        fs.writeFileSync(path.join(run.dir, 'trial.html'), trialPage(trial, `${experiment.name}: one trial`));
        const trainingSeconds = records.reduce((a, r) => a + r.seconds, 0);
        return {
          experiment: experiment.name,
          rule: 'spiking-dtp',
          seed: experiment.training.seed,
          epochs,
          epochs_completed: records.length,
          interrupted: signal !== null,
          final: finalErrors(records),
          best_valid: bestValidation(records),
          seconds_per_epoch: records.length ? trainingSeconds / records.length : null,
          training_seconds: trainingSeconds,
          wall_seconds: wallSeconds(),
          backend: kernels().name,
          version,
        };
      },
    };
  },
};
