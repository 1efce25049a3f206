/** From a resolved experiment to a runnable circuit: network, rule, optimisers. */
import { Circuit } from '../engine/circuit';
import { Network } from '../network/network';
import { createRule } from '../rules';
import { Experiment } from './experiment';

export function buildCircuit(experiment: Experiment): Circuit {
  const rule = createRule(experiment.rule);
  const { batchSize, evalBatchSize, seed } = experiment.training;
  const network = new Network(experiment.model, {
    seed,
    maxRows: Math.max(batchSize, evalBatchSize),
    feedback: rule.feedback,
  });
  for (const population of network.populations) population.projection.setOptimizer(experiment.optimizer.forward);
  for (const pathway of network.feedback) {
    if (pathway?.kind === 'decoder') pathway.projection.setOptimizer(experiment.optimizer.feedback ?? experiment.optimizer.forward);
  }
  return new Circuit(network, rule, seed);
}
