/** From a resolved experiment to a runnable circuit: network, rule, optimisers, frozen parameters. */
import { Circuit } from '../engine/circuit';
import { Network } from '../network/network';
import { Projection } from '../network/projection';
import { OptimizerSpec } from '../optim/optimizer';
import { createRule } from '../rules';
import { ConfigError, Experiment } from './experiment';

export function buildCircuit(experiment: Experiment): Circuit {
  const rule = createRule(experiment.rule);
  const { batchSize, evalBatchSize, seed } = experiment.training;
  const network = asConfigError(experiment, () =>
    new Network(experiment.model, { seed, maxRows: Math.max(batchSize, evalBatchSize), feedback: rule.feedback }),
  );
  const frozen = new Set(experiment.training.frozen);
  const known = network.projections().flatMap((p) => [p.name, p.biasName]);
  const unknown = [...frozen].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`${experiment.file}: /training/frozen names "${unknown[0]}", which the network does not have (it has ${known.join(', ')})`);
  }
  const setOptimizer = (projection: Projection, spec: OptimizerSpec): void =>
    projection.setOptimizer(spec, { weights: frozen.has(projection.name), bias: frozen.has(projection.biasName) });
  for (const population of network.populations) setOptimizer(population.projection, experiment.optimizer.forward);
  for (const pathway of network.feedback) {
    if (pathway?.kind === 'decoder') setOptimizer(pathway.projection, experiment.optimizer.feedback ?? experiment.optimizer.forward);
  }
  return asConfigError(experiment, () => new Circuit(network, rule));
}

/** A model the code cannot build (a unit without the derivative a rule needs…) is the file's fault. */
function asConfigError<T>(experiment: Experiment, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ConfigError(`${experiment.file}: ${(error as Error).message}`);
  }
}
