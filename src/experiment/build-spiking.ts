/**
 * From a resolved spiking experiment to a runnable simulation: constants evaluated, models parsed
 * (dimensions checked), the network's memory checked against this machine's (network-memory.ts),
 * models compiled for dt, populations initialised, synapses drawn, monitors attached.
 */
import { compileModel } from '../equations/compile';
import { readQuantity } from '../equations/dimensions';
import { EquationError } from '../equations/expression';
import { evaluateConstants, parseModel } from '../equations/model';
import { Simulation } from '../engine/simulation';
import { NeuronGroup } from '../network/neuron-group';
import { Synapses } from '../network/synapses';
import { Monitor } from '../record/monitor-files';
import { RateMonitor } from '../record/rate-monitor';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { checkNetworkFits } from './network-memory';
import { SpikingExperiment } from './spiking';

export interface SpikingRun {
  readonly simulation: Simulation;
  readonly monitors: Monitor[];
  readonly dt: number;
  /** Steps in the experiment's duration. */
  readonly steps: number;
  /** Steps per metrics window. */
  readonly binSteps: number;
}

/** Builds the simulation; `streamFolder` receives streaming spike monitors' files. */
export function buildSpiking(experiment: SpikingExperiment, streamFolder: string | null = null): SpikingRun {
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
    const group = new NeuronGroup(p.name, p.size, compileModel(models[k], dt), seed);
    group.initialise(p.init, seed);
    return group;
  });
  const byName = new Map(groups.map((g) => [g.name, g]));
  const synapses = experiment.synapses.map((s) => new Synapses(s, byName.get(s.source)!, byName.get(s.target)!, shared, seed));
  const simulation = new Simulation(dt, groups, synapses);
  const monitors: Monitor[] = experiment.monitors.map((m) => {
    const group = byName.get(m.population)!;
    if (m.kind === 'spikes') return new SpikeMonitor(m.name, group, m.stream && streamFolder ? `${streamFolder}/${m.name}` : null);
    if (m.kind === 'rate') return new RateMonitor(m.name, group, Math.max(1, Math.round(readQuantity(m.bin, 'second', `${where}, monitor ${m.name}`, shared) / dt)), steps);
    const bad = m.indices.find((i) => i >= group.size);
    if (bad !== undefined) throw new EquationError(`${where}, monitor ${m.name}: neuron ${bad} is outside population "${group.name}" (size ${group.size})`);
    return new StateMonitor(m.name, simulation, group, m.variables, Uint32Array.from(m.indices), m.every, steps);
  });
  return { simulation, monitors, dt, steps, binSteps };
}
