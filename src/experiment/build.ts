/**
 * From a resolved experiment to a runnable circuit: network, rule, optimisers, frozen parameters,
 * and the lesion the experiment asks for.
 */
import { Circuit } from '../engine/circuit';
import { Network } from '../network/network';
import { Projection } from '../network/projection';
import { SideChannel } from '../network/top-decoder';
import { createRule } from '../rules';
import { asConfigError, ConfigError } from './config-error';
import type { Experiment } from './experiment';
import { FeedbackLesion, lesionTarget } from './lesion';

export function buildCircuit(experiment: Experiment, side?: SideChannel): Circuit {
  return buildLesionedCircuit(experiment, side).circuit;
}

/**
 * The circuit and its lesion (null without one), which must see every trainer event; `side`: the
 * side information a conditional decoder reads, when the data supply it.
 */
export function buildLesionedCircuit(experiment: Experiment, side?: SideChannel): { circuit: Circuit; lesion: FeedbackLesion | null } {
  const rule = createRule(experiment.rule);
  const { batchSize, evalBatchSize, seed } = experiment.training;
  const network = asConfigError(experiment.file, () =>
    new Network(experiment.model, {
      seed,
      maxRows: Math.max(batchSize, evalBatchSize),
      feedback: rule.feedback,
      readoutFeedback: rule.readoutFeedback,
      inputDecoder: experiment.record?.reconstructions !== undefined,
      side,
    }),
  );
  const frozen = new Set(experiment.training.frozen);
  const known = network.projections().flatMap((p) => [p.name, p.biasName]);
  const unknown = [...frozen].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`${experiment.file}: /training/frozen names "${unknown[0]}", which the network does not have (it has ${known.join(', ')})`);
  }
  const optimizers = {
    forward: experiment.optimizer.forward,
    feedback: experiment.optimizer.feedback ?? experiment.optimizer.forward,
    frozen: (projection: Projection) => ({ weights: frozen.has(projection.name), bias: frozen.has(projection.biasName) }),
  };
  for (const population of network.populations) population.projection.setOptimizer(optimizers.forward, optimizers.frozen(population.projection));
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
  return { circuit, lesion };
}
