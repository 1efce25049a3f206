/**
 * `apical run` and `apical resume`: the session (src/session/) does the run; this prints it. Each
 * experiment kind has a screen: its opening line, its per-epoch (or per-window) lines
 * (progress.ts), its closing lines and exit status. Ctrl-C, SIGTERM or SIGHUP stop a run with a
 * checkpoint (exit status 128 + the signal's number); a plain spiking simulation stops on Ctrl-C
 * alone, writing what has been simulated.
 */
import * as path from 'path';
import { Observable, Subject } from 'rxjs';
import { Experiment, Overrides } from '../experiment/experiment';
import { SpikingExperiment } from '../experiment/spiking';
import { kernels } from '../kernels';
import { LiveFeed } from '../live/feed';
import { LiveServer } from '../live/server';
import { SessionEvent } from '../session/kind';
import { loadAnyExperiment, runKind } from '../session/kinds';
import { Summary } from '../session/rate';
import { openSession, runSession, SessionResult } from '../session/session';
import { SpikingSummary } from '../session/spiking';
import { version } from '../session/version';
import { progressPrinter, windowPrinter } from './progress';
import { signalExitStatus, stopSignals } from './signals';

/** How a run ended, for its closing lines. */
interface Ending<S> extends SessionResult<S> {
  readonly out: string;
  /** `run`'s experiment file and the epochs it asks for (absent when resuming). */
  readonly file?: string;
  readonly fileEpochs?: number | null;
}

/** What a kind's run looks like on the terminal. */
interface Screen<X, S> {
  opening(experiment: X, out: string): string;
  resuming(dir: string): string;
  printer(epochs: number): (event: SessionEvent) => void;
  /** The signals that stop the run. */
  stops(): { readonly stop$: Observable<string>; dispose(): void };
  /** Writes the closing lines; the exit status. */
  closing(ending: Ending<S>): number;
  /** Whether --live serves a live view of it. */
  readonly live: boolean;
}

const rateScreen: Screen<Experiment, Summary> = {
  opening: (experiment, out) =>
    `${experiment.name} (${experiment.rule.name}, ${experiment.model.name}), ${experiment.training.epochs} epochs, ` +
    `seed ${experiment.training.seed}, ${kernels().name} kernels → ${out}`,
  resuming: (dir) => `resuming ${dir}, ${kernels().name} kernels`,
  printer: progressPrinter,
  stops: stopSignals,
  closing({ summary, epochs, out, file, fileEpochs }) {
    if (file && fileEpochs != null && epochs < fileEpochs && !summary.interrupted && !summary.diverged) {
      process.stdout.write(
        `\nThat was ${epochs} of the experiment's ${fileEpochs} epochs. All of them:\n  npm run apical -- run ${file}\n` +
          `(reproductions and their measured results: README.md, RESULTS.md)\n`,
      );
    }
    const best = summary.best_valid;
    const final = summary.final;
    if (summary.divergence) process.stderr.write(`apical: ${summary.divergence.message}; stopped (summary.json marks the run diverged, the last good checkpoint is kept)\n`);
    const early = summary.stopped_early;
    if (early && 'patience' in early) process.stdout.write(`stopped early at epoch ${early.epoch}: validation error has not improved for ${early.patience} epochs (best at epoch ${early.best_epoch})\n`);
    if (early && 'stop_at' in early) process.stdout.write(`stopped at epoch ${early.epoch}: validation error ${(100 * early.valid_error).toFixed(2)}% reached training.stopAt (${100 * early.stop_at}%)\n`);
    process.stdout.write(
      `done: ${summary.epochs_completed}/${summary.epochs} epochs in ${summary.wall_seconds.toFixed(1)} s` +
        (final?.test_error != null ? `; final test error ${(100 * final.test_error).toFixed(2)}%` : '') +
        (best?.test_error != null ? `; at best validation (epoch ${best.epoch}) ${(100 * best.test_error).toFixed(2)}%` : '') +
        `\nrun directory: ${out}\n`,
    );
    if (summary.epochs_completed > 0) process.stdout.write(`report: ${path.join(out, 'report.html')}\n`);
    if (summary.signal) process.stdout.write(`continue it with: npm run apical -- resume ${out}\n`);
    return summary.diverged ? 3 : summary.signal ? signalExitStatus(summary.signal) : 0;
  },
  live: true,
};

const spikingScreen: Screen<SpikingExperiment, SpikingSummary> = {
  opening: (experiment, out) => `${experiment.name} (spiking, ${experiment.duration} at dt ${experiment.dt}), seed ${experiment.seed} → ${out}`,
  resuming: rateScreen.resuming,
  printer: () => windowPrinter,
  stops() {
    const stop = new Subject<string>();
    const onSignal = (): void => {
      process.stderr.write('\napical: interrupted; writing what has been simulated…\n');
      stop.next('SIGINT');
    };
    process.once('SIGINT', onSignal);
    return { stop$: stop, dispose: () => process.removeListener('SIGINT', onSignal) };
  },
  closing({ summary, out }) {
    process.stdout.write(
      `done: ${summary.spikes} spikes, mean rate ${summary.mean_rate_hz.toFixed(3)} Hz, ISI CV ${summary.isi_cv?.toFixed(3) ?? 'n/a'}, ` +
        `${summary.simulated_seconds} s simulated in ${summary.wall_seconds.toFixed(3)} s (set-up ${summary.setup_seconds.toFixed(2)} s)\nrun directory: ${out}\nreport: ${path.join(out, 'report.html')}\n`,
    );
    return summary.interrupted ? 130 : 0;
  },
  live: false,
};

const screens: Readonly<Record<string, Screen<any, any>>> = { rate: rateScreen, spiking: spikingScreen }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A kind's screen; a kind without its own is shown as a rate run. */
const screenOf = (kind: string): Screen<any, any> => screens[kind] ?? rateScreen; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How long a live view waits after its run for a first page to connect. */
const LIVE_GRACE_MS = 30000;

/** `run`'s settings beside the experiment's overrides. */
export interface RunCommandOptions {
  readonly out?: string;
  readonly force: boolean;
  readonly timestamp: string;
  /** The live view's port, or undefined: no live view (for a kind that has one). */
  readonly live: () => number | undefined;
}

/** `apical run <experiment.json>`: resolves with the exit status. */
export async function runCommand(file: string, overrides: Overrides, options: RunCommandOptions): Promise<number> {
  const { kind, experiment, fileEpochs } = loadAnyExperiment(file, overrides);
  const screen = screenOf(kind.name);
  const { name, seed, epochs } = kind.about(experiment);
  const out = options.out ?? path.join('runs', `${name}-s${seed}-${options.timestamp}`);
  process.stdout.write(`apical ${version}: ${screen.opening(experiment, out)}\n`);
  const signals = screen.stops();
  const port = screen.live ? options.live() : undefined;
  const live = port === undefined ? null : await LiveServer.start(port, `${name} s${seed}`);
  if (live) process.stdout.write(`live view: ${live.url}\n`);
  const result = await runSession(kind, experiment, {
    out,
    force: options.force,
    onEvent: screen.printer(epochs),
    stop: signals.stop$,
    observe: live ? (circuit, steps) => new LiveFeed(circuit, live, steps) : undefined,
  }).catch(async (error: unknown) => {
    await live?.close();
    throw error;
  });
  signals.dispose();
  // Everything is saved: Ctrl-C now just leaves. A run that ended before a page connected stays
  // served a while, so the page just opened still shows it whole.
  await live?.close(LIVE_GRACE_MS, () =>
    process.stdout.write(`live view: the run has ended; ${live.url} stays up ${LIVE_GRACE_MS / 1000} s more for a page to show it (Ctrl-C to leave)\n`),
  );
  return screen.closing({ ...result, out, file, fileEpochs });
}

/** `apical resume <run-dir>`: resolves with the exit status. */
export async function resumeCommand(dir: string): Promise<number> {
  const kind = runKind(dir);
  const screen = screenOf(kind.name);
  process.stdout.write(`apical ${version}: ${screen.resuming(dir)}\n`);
  const run = openSession(kind, dir);
  const signals = screen.stops();
  const result = await run.resume({ onEvent: screen.printer(kind.about(run.experiment).epochs), stop: signals.stop$ }).finally(() => signals.dispose());
  return screen.closing({ ...result, out: dir });
}
