/**
 * The signals that stop a run: Ctrl-C (SIGINT), and SIGTERM or SIGHUP, which is how batch
 * schedulers, container runtimes and closing terminals stop jobs. Each makes the run stop after
 * the current step and save a checkpoint; the process then exits with 128 + the signal's number.
 */
import * as os from 'os';
import { Observable, Subject } from 'rxjs';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Emits the signal's name when the first one arrives; `dispose` restores the default handlers. A
 * signal repeated while the run stops (a scheduler's second SIGTERM, a second Ctrl-C) is noted and
 * otherwise ignored, so it cannot kill the process half-way through writing its checkpoint.
 */
export function stopSignals(): { readonly stop$: Observable<string>; dispose(): void } {
  const stop = new Subject<string>();
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`apical: ${signal} again; still saving the checkpoint\n`);
      return;
    }
    stopping = true;
    process.stderr.write(`\napical: ${signal === 'SIGINT' ? 'interrupted' : `received ${signal}`}; saving a checkpoint and what has been trained…\n`);
    stop.next(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    stop$: stop,
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.removeListener(signal, handler);
    },
  };
}

/** The exit status of a process stopped by `signal`: 128 + its number (130 for SIGINT). */
export function signalExitStatus(signal: string): number {
  return 128 + (os.constants.signals[signal as NodeJS.Signals] ?? 0);
}
