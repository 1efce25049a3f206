/**
 * The spiking experiment kind ("kind": "spiking", e.g. experiments/cuba.json): build the simulation
 * (experiment/build-spiking.ts) and run it window by window (metrics.bin, default 100 ms), each
 * window's spike statistics a line of metrics.jsonl; at the end write the monitors (monitors/, format
 * in src/record/monitor-files.ts). wall_seconds counts the simulation loop only (set-up and writing
 * excluded), the figure to compare with Brian2's run(). summary.json adds each population's rate and
 * ISI CV, and each rate monitor's spectrum peak (metrics/spectrum.ts; the whole spectra in
 * spectra.csv: monitor, frequency_hz, power in Hz²/Hz). Between windows the loop yields to Node's
 * event loop, so a stop ends the run after the current window. Such a run has no checkpoints.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Observable } from 'rxjs';
import { buildSpiking, readReplays } from '../experiment/build-spiking';
import { loadSpikingExperiment, SpikingExperiment } from '../experiment/spiking';
import { SpikeStatistics, SpikeSummary } from '../metrics/spike-statistics';
import { powerSpectrum, spectralPeak } from '../metrics/spectrum';
import { Monitor, monitorFolder, writeMonitors } from '../record/monitor-files';
import { RateMonitor } from '../record/rate-monitor';
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
  /** Each population's spike statistics, by name. */
  readonly populations: Record<string, SpikeSummary>;
  /** Each rate monitor's spectrum: its highest peak above the lowest non-zero frequency, and the mean power there. */
  readonly rate_spectra: Record<string, { readonly frequency_hz: number; readonly power: number; readonly mean_power: number; readonly segment_seconds: number }>;
}

/** Spectra of the rate monitors long enough for one (metrics/spectrum.ts); writes them to `<dir>/spectra.csv`. */
function rateSpectra(dir: string, monitors: readonly Monitor[], dt: number, steps: number): SpikingSummary['rate_spectra'] {
  const lines = ['monitor,frequency_hz,power'];
  const peaks: Record<string, SpikingSummary['rate_spectra'][string]> = {};
  for (const m of monitors) {
    const bins = m instanceof RateMonitor ? Math.floor(steps / m.binSteps) : 0;
    if (!(m instanceof RateMonitor) || bins < 32) continue;
    const sample = m.binSteps * dt;
    const spectrum = powerSpectrum(m.rates.subarray(0, bins), sample);
    spectrum.frequencies.forEach((f, k) => lines.push(`${m.name},${f},${spectrum.power[k]}`));
    peaks[m.name] = { ...spectralPeak(spectrum, spectrum.frequencies[1]), segment_seconds: spectrum.segment * sample };
  }
  if (lines.length > 1) fs.writeFileSync(path.join(dir, 'spectra.csv'), lines.join('\n') + '\n');
  return peaks;
}

export const spikingKind: ExperimentKind<SpikingExperiment, EpochResult, SpikingSummary> = {
  name: 'spiking',

  load: (file, { seed, set }) => ({ experiment: loadSpikingExperiment(file, { seed, set }), fileEpochs: null }),

  about: ({ name, seed }) => ({ name, seed, epochs: 0 }),

  config: (experiment) => ({ ...experiment, version }),

  async start(experiment, { run }) {
    fs.mkdirSync(monitorFolder(run.dir), { recursive: true });
    const setupStart = performance.now();
    const replays = await readReplays(experiment);
    const { simulation, monitors, dt, steps, binSteps } = buildSpiking(experiment, monitorFolder(run.dir), replays);
    const statistics = new SpikeStatistics(simulation.groups);
    const perPopulation = simulation.groups.map((g) => [g.name, new SpikeStatistics([g])] as const);
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
        const rate_spectra = rateSpectra(run.dir, monitors, dt, simulation.step);
        writeMonitors(run.dir, monitors, dt, simulation.step);
        statistics.close();
        const populations = Object.fromEntries(perPopulation.map(([name, s]) => [name, s.total(simulation.step)]));
        perPopulation.forEach(([, s]) => s.close());
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
          populations,
          rate_spectra,
        };
      },
    };
  },
};
