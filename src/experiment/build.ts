/**
 * From a resolved experiment to a runnable circuit: network, rule, optimisers, frozen parameters,
 * and the lesion the experiment asks for.
 */
import { longestSequence } from '../data/sequence-tasks';
import { Circuit } from '../engine/circuit';
import { missingFeatures } from '../engine/missing-view';
import { Network } from '../network/network';
import { Projection } from '../network/projection';
import { OptimizerSpec } from '../optim/optimizer';
import { SideChannel } from '../network/top-decoder';
import { LearningRateDecay } from '../optim/schedule';
import { createRule } from '../rules';
import { asConfigError, ConfigError } from './config-error';
import type { Experiment } from './experiment';
import { FeedbackLesion, lesionTarget } from './lesion';

/** `experiment` with its model's input size (a sequence's width per step) and class count taken from `data` when the model says so. */
export function sizedFromData(experiment: Experiment, data: { readonly features: number; readonly classes: number; readonly sequence?: { readonly width: number } }): Experiment {
  const { model } = experiment;
  if (!model.sizesFromData) return experiment;
  const layers = model.layers.map((layer, i) => (i === model.layers.length - 1 ? { ...layer, size: data.classes } : layer));
  return { ...experiment, model: { ...model, input: data.sequence?.width ?? data.features, layers } };
}

export function buildCircuit(experiment: Experiment, side?: SideChannel): Circuit {
  return buildLesionedCircuit(experiment, side).circuit;
}

/**
 * The circuit, its lesion (null without one), which must see every trainer event, and its
 * learning-rate decay (null without one), which must hear of every epoch; `side`: the side
 * information a conditional decoder reads, when the data supply it.
 */
export function buildLesionedCircuit(experiment: Experiment, side?: SideChannel): { circuit: Circuit; lesion: FeedbackLesion | null; decay: LearningRateDecay | null } {
  const rule = createRule(experiment.rule);
  const { batchSize, evalBatchSize, seed } = experiment.training;
  const network = asConfigError(experiment.file, () =>
    new Network(experiment.model, {
      seed,
      maxRows: Math.max(batchSize, evalBatchSize),
      feedback: rule.feedback,
      readoutFeedback: rule.readoutFeedback,
      maxSteps: longestSequence(experiment.data),
      temporalFeedback: rule.temporalFeedback,
      decoderCentre: rule.decoderCentre,
      auxiliaryFeatures: rule.auxiliaryFeatures,
      inputDecoder: experiment.record?.reconstructions !== undefined || experiment.training.missingView !== undefined,
      ...(experiment.training.missingView ? { missingView: missingFeatures(experiment.training.missingView, experiment.model.input) } : {}),
      side,
    }),
  );
  const frozen = new Set(experiment.training.frozen);
  const known = network.projections().flatMap((p) => [p.name, p.biasName]);
  const unknown = [...frozen].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`${experiment.file}: /training/frozen names "${unknown[0]}", which the network does not have (it has ${known.join(', ')})`);
  }
  const decay = experiment.training.lrDecay === undefined ? null : new LearningRateDecay(experiment.training.lrDecay);
  const scheduled = <S extends OptimizerSpec>(spec: S): S => (decay ? decay.schedule(spec) : spec);
  const optimizers = {
    forward: scheduled(experiment.optimizer.forward),
    feedback: scheduled(experiment.optimizer.feedback ?? experiment.optimizer.forward),
    frozen: (projection: Projection) => ({ weights: frozen.has(projection.name), bias: frozen.has(projection.biasName) }),
  };
  const readoutOptimizer = experiment.optimizer.readout ? scheduled(experiment.optimizer.readout) : optimizers.forward;
  for (const population of network.populations) {
    population.projection.setOptimizer(population === network.readout ? readoutOptimizer : optimizers.forward, optimizers.frozen(population.projection));
  }
  for (const pathway of network.pathways()) pathway.setOptimizers?.(optimizers);
  const hidden = network.hidden.map((p) => p.name);
  const unknownPopulation = experiment.record?.activity?.populations?.find((name) => !hidden.includes(name));
  if (unknownPopulation) {
    throw new ConfigError(`${experiment.file}: /record/activity/populations names "${unknownPopulation}", which is not a hidden population (${hidden.join(', ')})`);
  }
  if (experiment.record?.reconstructions && rule.feedback !== 'decoder') {
    throw new ConfigError(`${experiment.file}: /record/reconstructions needs learned decoders; rule ${rule.name} has none`);
  }
  let lesion: FeedbackLesion | null = null;
  if (experiment.lesion) {
    const target = lesionTarget(network, experiment.lesion.pathway);
    if (typeof target === 'string') throw new ConfigError(`${experiment.file}: /lesion/pathway ${target}`);
    if (experiment.lesion.mode !== 'silence' && target.kind === 'transpose') {
      throw new ConfigError(`${experiment.file}: /lesion/mode "${experiment.lesion.mode}" needs a pathway with its own weights; ${experiment.lesion.pathway} borrows the forward weights (use "silence")`);
    }
    const feedbackInit = experiment.model.feedback?.init ?? experiment.model.init ?? { name: 'orthogonal' as const };
    lesion = new FeedbackLesion(experiment.lesion, network, experiment.optimizer.feedback ?? experiment.optimizer.forward, feedbackInit, seed);
  }
  const circuit = asConfigError(experiment.file, () => new Circuit(network, lesion ? lesion.wrap(rule) : rule));
  lesion?.start();
  return { circuit, lesion, decay };
}
