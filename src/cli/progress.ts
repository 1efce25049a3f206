/**
 * Terminal output for `apical run`: a progress bar within each epoch (TTY only) and a line per epoch
 * of a learning run; a line per window of a spiking simulation.
 */
import { EpochRecord } from '../engine/trainer';
import { SessionEvent } from '../session/kind';

const percent = (x: number | null): string => (x === null ? '   -  ' : `${(100 * x).toFixed(2).padStart(5)}%`);

/** One line summarising an epoch. */
export function epochLine(r: EpochRecord, epochs: number): string {
  const recon = Object.values(r.reconstruction_error);
  const reconText = recon.length ? `  recon ${(recon.reduce((a, b) => a + b, 0) / recon.length).toFixed(4)}` : '';
  return (
    `epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}` +
    `  train ${percent(r.train_error)}  valid ${percent(r.valid_error)}  test ${percent(r.test_error)}` +
    `  loss ${r.loss.toFixed(4)}${reconText}  ${r.seconds.toFixed(2)} s`
  );
}

/** A writer for trainer events: bar on stderr when it is a terminal, epoch lines on stdout. */
export function progressPrinter(epochs: number): (event: SessionEvent) => void {
  const tty = process.stderr.isTTY === true;
  const width = 30;
  let lastDrawn = 0;
  return (event) => {
    if (event.kind === 'epoch') {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stdout.write(epochLine(event.record as EpochRecord, epochs) + '\n');
      return;
    }
    if (event.kind !== 'progress' || !tty) return;
    const now = Date.now();
    if (now - lastDrawn < 100 && event.done !== event.total) return;
    lastDrawn = now;
    const filled = Math.round((width * event.done) / event.total);
    process.stderr.write(
      `\r\x1b[Kepoch ${event.epoch}/${epochs} ${event.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total}`,
    );
  };
}

/** A line per simulated window of a spiking run. */
export function windowPrinter(event: SessionEvent): void {
  if (event.kind !== 'window') return;
  const r = event.record;
  process.stdout.write(`  t=${r.t_end_s} s  spikes ${r.spikes}  rate ${(r.mean_rate_hz as number).toFixed(2)} Hz\n`);
}
