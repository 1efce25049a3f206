/**
 * The spiking experiment kind ("kind": "spiking", e.g. experiments/cuba.json): build the simulation
 * (experiment/build-spiking.ts) and run it window by window (metrics.bin, default 100 ms), each
 * window's spike statistics a line of metrics.jsonl; at the end write the monitors (monitors/, format
 * in src/record/monitor-files.ts). wall_seconds counts the simulation loop only (set-up and writing
 * excluded), the figure to compare with Brian2's run(). Between windows the loop yields to Node's
 * event loop, so a stop ends the run after the current window. Such a run has no checkpoints.
 */
import * as fs from 'fs';
import { Observable } from 'rxjs';
import { buildSpiking, readReplays } from '../experiment/build-spiking';
import { loadSpikingExperiment, SpikingExperiment } from '../experiment/spiking';
import { SpikeStatistics, SpikeSummary } from '../metrics/spike-statistics';
import { monitorFolder, writeMonitors } from '../record/monitor-files';
import { EpochResult, ExperimentKind, SessionEvent } from './kind';
import { version } from './version';

/** summary.json of a spiking run. */
export interface SpikingSummary extends SpikeSummary {
  readonly experiment: string;
  readonly seed: number;
  readonly neurons: number;
  readonly synapses: number;
  readonly dt_seconds: number;
  readonly simulated_seconds: number;
  readonly steps: number;
  readonly interrupted: boolean;
  readonly wall_seconds: number;
  readonly setup_seconds: number;
  readonly version: string;
}

export const spikingKind: ExperimentKind<SpikingExperiment, EpochResult, SpikingSummary> = {
  name: 'spiking',

  load: (file, { seed }) => ({ experiment: loadSpikingExperiment(file, { seed }), fileEpochs: null }),

  about: ({ name, seed }) => ({ name, seed, epochs: 0 }),

  config: (experiment) => ({ ...experiment, version }),

  async start(experiment, { run }) {
    fs.mkdirSync(monitorFolder(run.dir), { recursive: true });
    const setupStart = performance.now();
    const replays = await readReplays(experiment);
    const { simulation, monitors, dt, steps, binSteps } = buildSpiking(experiment, monitorFolder(run.dir), replays);
    const statistics = new SpikeStatistics(simulation.groups);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    let wall = 0;
    const events$ = new Observable<SessionEvent>((subscriber) => {
      const windows = async (): Promise<void> => {
        while (simulation.step < steps && !subscriber.closed) {
          const window = Math.min(binSteps, steps - simulation.step);
          const start = performance.now();
          simulation.run(window);
          wall += (performance.now() - start) / 1000;
          subscriber.next({ kind: 'window', record: { t_end_s: +(simulation.step * dt).toFixed(9), ...statistics.takeWindow(window), wall_seconds: (performance.now() - start) / 1000 } });
          await new Promise((resolve) => setImmediate(resolve));
        }
        subscriber.complete();
      };
      windows().catch((error) => subscriber.error(error));
    });
    return {
      events$,
      state: null,
      checkpointEvery: null,
      finish({ signal }) {
        writeMonitors(run.dir, monitors, dt, simulation.step);
        statistics.close();
        simulation.dispose();
        return {
          experiment: experiment.name,
          seed: experiment.seed,
          neurons: simulation.groups.reduce((n, g) => n + g.size, 0),
          synapses: simulation.synapses.reduce((n, s) => n + s.size, 0),
          dt_seconds: dt,
          simulated_seconds: simulation.step * dt,
          steps: simulation.step,
          ...statistics.total(simulation.step),
          interrupted: signal !== null,
          wall_seconds: wall,
          setup_seconds: setupSeconds,
          version,
        };
      },
    };
  },
};
