/**
 * `apical run` for spiking experiments: build the simulation, run it window by window (metrics.bin,
 * default 100 ms), append each window's spike statistics to metrics.jsonl, then write the monitors
 * (monitors/, format in src/record/monitor-files.ts) and summary.json. wall_seconds counts the
 * simulation loop only (set-up and writing excluded), the figure to compare with Brian2's run().
 * Between windows the loop yields to Node's event loop, so Ctrl-C stops after the current window.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Observable, Subject } from 'rxjs';
import { buildSpiking } from '../experiment/build-spiking';
import { loadSpikingExperiment, SpikingExperiment } from '../experiment/spiking';
import { SpikeStatistics, SpikeSummary } from '../metrics/spike-statistics';
import { monitorFolder, writeMonitors } from '../record/monitor-files';
import { writeReport } from '../report/report';
import { RunDirectory } from '../report/run-directory';
import { version } from './version';

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

export async function runSpikingExperiment(
  experiment: SpikingExperiment,
  options: { readonly out: string; readonly force: boolean; readonly stop?: Observable<unknown>; readonly onWindow?: (record: Record<string, unknown>) => void },
): Promise<SpikingSummary> {
  const run = RunDirectory.create(options.out, options.force);
  try {
    run.writeJson('config.json', { ...experiment, version });
    fs.mkdirSync(monitorFolder(run.dir), { recursive: true });
    const setupStart = performance.now();
    const { simulation, monitors, dt, steps, binSteps } = buildSpiking(experiment, monitorFolder(run.dir));
    const statistics = new SpikeStatistics(simulation.groups);
    const setupSeconds = (performance.now() - setupStart) / 1000;

    let interrupted = false;
    const stopping = options.stop?.subscribe(() => (interrupted = true));
    let wall = 0;
    while (simulation.step < steps && !interrupted) {
      const window = Math.min(binSteps, steps - simulation.step);
      const start = performance.now();
      simulation.run(window);
      wall += (performance.now() - start) / 1000;
      const record = { t_end_s: +(simulation.step * dt).toFixed(9), ...statistics.takeWindow(window), wall_seconds: (performance.now() - start) / 1000 };
      run.appendMetrics(record);
      options.onWindow?.(record);
      await new Promise((resolve) => setImmediate(resolve));
    }
    stopping?.unsubscribe();
    writeMonitors(run.dir, monitors, dt, simulation.step);
    statistics.close();
    simulation.dispose();
    const summary: SpikingSummary = {
      experiment: experiment.name,
      seed: experiment.seed,
      neurons: simulation.groups.reduce((n, g) => n + g.size, 0),
      synapses: simulation.synapses.reduce((n, s) => n + s.size, 0),
      dt_seconds: dt,
      simulated_seconds: simulation.step * dt,
      steps: simulation.step,
      ...statistics.total(simulation.step),
      interrupted,
      wall_seconds: wall,
      setup_seconds: setupSeconds,
      version,
    };
    run.writeJson('summary.json', summary);
    writeReport([run.dir], path.join(run.dir, 'report.html'));
    return summary;
  } finally {
    run.close();
  }
}

/** The command: `apical run <spiking experiment>`; prints one line per window and the totals. */
export async function spikingCommand(file: string, options: { readonly seed?: number; readonly out?: string; readonly force: boolean; readonly timestamp: string }): Promise<number> {
  const experiment = loadSpikingExperiment(file, { seed: options.seed });
  const out = options.out ?? path.join('runs', `${experiment.name}-s${experiment.seed}-${options.timestamp}`);
  process.stdout.write(`apical ${version}: ${experiment.name} (spiking, ${experiment.duration} at dt ${experiment.dt}), seed ${experiment.seed} → ${out}\n`);
  const stop = new Subject<void>();
  const onSignal = (): void => {
    process.stderr.write('\napical: interrupted; writing what has been simulated…\n');
    stop.next();
  };
  process.once('SIGINT', onSignal);
  const summary = await runSpikingExperiment(experiment, {
    out,
    force: options.force,
    stop,
    onWindow: (r) => process.stdout.write(`  t=${r.t_end_s} s  spikes ${r.spikes}  rate ${(r.mean_rate_hz as number).toFixed(2)} Hz\n`),
  });
  process.removeListener('SIGINT', onSignal);
  process.stdout.write(
    `done: ${summary.spikes} spikes, mean rate ${summary.mean_rate_hz.toFixed(3)} Hz, ISI CV ${summary.isi_cv?.toFixed(3) ?? 'n/a'}, ` +
      `${summary.simulated_seconds} s simulated in ${summary.wall_seconds.toFixed(3)} s (set-up ${summary.setup_seconds.toFixed(2)} s)\nrun directory: ${out}\nreport: ${path.join(out, 'report.html')}\n`,
  );
  return summary.interrupted ? 130 : 0;
}
