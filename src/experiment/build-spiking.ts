/**
 * From a resolved spiking experiment to a runnable simulation: constants evaluated, models parsed
 * (dimensions checked) and compiled for dt, populations initialised (or given the spike trains they
 * replay), synapses drawn, monitors attached.
 */
import { readSpikeTrains, SpikeTrains } from '../data/spike-trains';
import { compileModel } from '../equations/compile';
import { readQuantity } from '../equations/dimensions';
import { EquationError } from '../equations/expression';
import { evaluateConstants, parseModel } from '../equations/model';
import { Simulation } from '../network/simulation';
import { NeuronGroup } from '../network/neuron-group';
import { SpikeReplayGroup } from '../network/spike-replay-group';
import { Synapses } from '../network/synapses';
import { Monitor } from '../record/monitor-files';
import { RateMonitor } from '../record/rate-monitor';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
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

/** The recorded spike trains of the experiment's replaying populations, by population name. */
export async function readReplays(experiment: SpikingExperiment): Promise<ReadonlyMap<string, SpikeTrains>> {
  const replays = new Map<string, SpikeTrains>();
  for (const p of experiment.populations) if (p.replay) replays.set(p.name, await readSpikeTrains(p.replay.file, p.replay.population));
  return replays;
}

/**
 * Builds the simulation; `streamFolder` receives streaming spike monitors' files, `replays` holds
 * the spike trains of the populations that replay a recording (readReplays).
 */
export function buildSpiking(experiment: SpikingExperiment, streamFolder: string | null = null, replays: ReadonlyMap<string, SpikeTrains> = new Map()): SpikingRun {
  const where = experiment.file;
  const shared = evaluateConstants(experiment.parameters, `${where}, parameters`);
  const dt = readQuantity(experiment.dt, 'second', `${where}, dt`, shared);
  if (!(dt > 0)) throw new EquationError(`${where}, dt: must be positive, got "${experiment.dt}"`);
  const steps = Math.round(readQuantity(experiment.duration, 'second', `${where}, duration`, shared) / dt);
  const binSteps = Math.max(1, Math.round(readQuantity(experiment.metrics.bin, 'second', `${where}, metrics.bin`, shared) / dt));
  const { seed } = experiment;

  const groups = experiment.populations.map((p) => {
    const model = parseModel(p.model, p.parameters, new Map([...shared, ['N', p.size]]));
    if (p.replay) {
      const trains = replays.get(p.name);
      if (!trains) throw new Error(`population "${p.name}" replays ${p.replay.file}, which was not read (readReplays)`);
      return new SpikeReplayGroup(p.name, p.size, compileModel(model, dt), seed, trains, p.replay.file);
    }
    const group = new NeuronGroup(p.name, p.size, compileModel(model, dt), seed);
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
