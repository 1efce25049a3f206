/**
 * A spiking experiment's simulation (build-simulation.ts) with its monitors attached; readReplays
 * reads the spike trains its replaying populations play back.
 */
import { readSpikeTrains, SpikeTrains } from '../data/spike-trains';
import { readQuantity } from '../equations/dimensions';
import { EquationError } from '../equations/expression';
import { Simulation } from '../network/simulation';
import { Monitor } from '../record/monitor-files';
import { RateMonitor } from '../record/rate-monitor';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { buildSimulation } from './build-simulation';
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
 * Builds the simulation and its monitors; `streamFolder` receives streaming spike monitors' files,
 * `replays` holds the spike trains of the populations that replay a recording (readReplays).
 */
export function buildSpiking(experiment: SpikingExperiment, streamFolder: string | null = null, replays: ReadonlyMap<string, SpikeTrains> = new Map()): SpikingRun {
  const where = experiment.file;
  const { simulation, dt, steps, binSteps, constants: shared } = buildSimulation(experiment, replays);
  const monitors: Monitor[] = experiment.monitors.map((m) => {
    const group = simulation.group(m.population);
    if (m.kind === 'spikes') return new SpikeMonitor(m.name, group, m.stream && streamFolder ? `${streamFolder}/${m.name}` : null);
    if (m.kind === 'rate') return new RateMonitor(m.name, group, Math.max(1, Math.round(readQuantity(m.bin, 'second', `${where}, monitor ${m.name}`, shared) / dt)), steps);
    const bad = m.indices.find((i) => i >= group.size);
    if (bad !== undefined) throw new EquationError(`${where}, monitor ${m.name}: neuron ${bad} is outside population "${group.name}" (size ${group.size})`);
    return new StateMonitor(m.name, simulation, group, m.variables, Uint32Array.from(m.indices), m.every, steps);
  });
  return { simulation, monitors, dt, steps, binSteps };
}
