/**
 * The demo's spiking example: a resolved spiking experiment (a CUBA network, experiments/cuba.json)
 * simulated with the equations' generated JavaScript (experiment/build-simulation.ts), its first
 * population's spikes kept for a raster.
 */
import { buildSimulation } from '../experiment/build-simulation';
import type { SpikingExperiment } from '../experiment/spiking';
import type { SpikeData } from '../report/monitor-data';

/** Runs `experiment` to its end; the spikes of its first population, and the step. */
export function simulateRaster(experiment: SpikingExperiment): { readonly spikes: SpikeData; readonly dt: number } {
  const { simulation, dt, steps } = buildSimulation(experiment);
  const group = simulation.groups[0];
  const step: number[] = [];
  const index: number[] = [];
  const watching = group.spikes$.subscribe((event) => {
    for (const i of event.indices) {
      step.push(event.step);
      index.push(i);
    }
  });
  simulation.run(steps);
  watching.unsubscribe();
  simulation.dispose();
  return { spikes: { name: 'spikes', population: group.name, size: group.size, step: Uint32Array.from(step), index: Uint32Array.from(index) }, dt };
}
