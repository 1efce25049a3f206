/**
 * From a resolved spiking experiment to a runnable simulation: constants evaluated, models parsed
 * (dimensions checked), the network's memory checked against this machine's (network-memory.ts),
 * models compiled for dt, populations initialised (or given the spike trains they replay), synapses
 * drawn. Monitors are build-spiking.ts's (they write files), and so is reading the replayed
 * recordings (readReplays); a page watches the groups' spikes$ itself.
 */
import type { SpikeTrains } from '../data/spike-trains';
import { compileModel } from '../equations/compile';
import { Quantity, readQuantity } from '../equations/dimensions';
import { EquationError } from '../equations/expression';
import { evaluateConstants, parseModel } from '../equations/model';
import { NeuronGroup } from '../network/neuron-group';
import { Simulation } from '../network/simulation';
import { SpikeReplayGroup } from '../network/spike-replay-group';
import { Synapses } from '../network/synapses';
import { checkNetworkFits } from './network-memory';
import type { SpikingExperiment } from './spiking';

export interface SpikingSimulation {
  readonly simulation: Simulation;
  readonly dt: number;
  /** Steps in the experiment's duration. */
  readonly steps: number;
  /** Steps per metrics window. */
  readonly binSteps: number;
  /** The experiment's constants (`parameters`), evaluated. */
  readonly constants: ReadonlyMap<string, Quantity>;
}

/**
 * Builds the simulation of `experiment` (see the file comment); `replays` holds the spike trains of
 * its replaying populations, by name.
 */
export function buildSimulation(experiment: SpikingExperiment, replays: ReadonlyMap<string, SpikeTrains> = new Map()): SpikingSimulation {
  const where = experiment.file;
  const shared = evaluateConstants(experiment.parameters, `${where}, parameters`);
  const dt = readQuantity(experiment.dt, 'second', `${where}, dt`, shared);
  if (!(dt > 0)) throw new EquationError(`${where}, dt: must be positive, got "${experiment.dt}"`);
  const steps = Math.round(readQuantity(experiment.duration, 'second', `${where}, duration`, shared) / dt);
  const binSteps = Math.max(1, Math.round(readQuantity(experiment.metrics.bin, 'second', `${where}, metrics.bin`, shared) / dt));
  const { seed } = experiment;

  const models = experiment.populations.map((p) => parseModel(p.model, p.parameters, new Map([...shared, ['N', p.size]])));
  checkNetworkFits(where, experiment.populations.map((p, k) => ({ name: p.name, size: p.size, model: models[k] })), experiment.synapses, shared, dt);
  const groups = experiment.populations.map((p, k) => {
    if (p.replay) {
      const trains = replays.get(p.name);
      if (!trains) throw new Error(`population "${p.name}" replays ${p.replay.file}, which was not read (readReplays)`);
      return new SpikeReplayGroup(p.name, p.size, compileModel(models[k], dt), seed, trains, p.replay.file);
    }
    const group = new NeuronGroup(p.name, p.size, compileModel(models[k], dt), seed);
    group.initialise(p.init, seed);
    return group;
  });
  const byName = new Map(groups.map((g) => [g.name, g]));
  const synapses = experiment.synapses.map((s) => new Synapses(s, byName.get(s.source)!, byName.get(s.target)!, shared, seed));
  return { simulation: new Simulation(dt, groups, synapses), dt, steps, binSteps, constants: shared };
}
