/**
 * The parity table of bench/meulemans-parity.sh: for each config, Meulemans et al.'s code (one run,
 * their seed 42) and apical (mean ± sd over its seeds, and each seed), test error after every epoch
 * and seconds per epoch (apical: training plus evaluation, as their epoch's wall time includes its
 * test and validation passes; epoch 1 includes the feedback-only pre-training epochs on both
 * sides), and apical's time as a fraction of theirs.
 *
 *   node dist/bench/meulemans-parity-table.js runs/meulemans-parity "BP:bp DFA:dfa DTP:dtp …"
 */
import * as fs from 'fs';
import * as path from 'path';

interface EpochRow {
  readonly epoch: number;
  readonly test_error: number;
  readonly seconds: number;
}

const lines = (file: string): Record<string, number>[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, number>);

/** Their epochs file: test error already in %, seconds the epoch's wall time (none when their run did not finish an epoch). */
function peerEpochs(dir: string): EpochRow[] {
  const file = path.join(dir, 'peer.jsonl');
  if (!fs.existsSync(file)) return [];
  return lines(file).map((r) => ({ epoch: r.epoch, test_error: r.test_error, seconds: r.seconds }));
}

/** An apical run's metrics.jsonl: error as a fraction, training and evaluation seconds apart. */
function apicalEpochs(run: string): EpochRow[] {
  return lines(path.join(run, 'metrics.jsonl')).map((r) => ({ epoch: r.epoch, test_error: 100 * r.test_error, seconds: r.seconds + r.eval_seconds }));
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const f2 = (x: number): string => x.toFixed(2);

function table(out: string, configs: string[]): string {
  const rows: string[] = [];
  let epochs = 0;
  for (const pair of configs) {
    const [theirs, ours] = pair.split(':');
    const dir = path.join(out, theirs);
    const peer = peerEpochs(dir);
    const runs = fs
      .readdirSync(dir)
      .filter((name) => /^apical-s\d+$/.test(name) && fs.existsSync(path.join(dir, name, 'metrics.jsonl')))
      .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
    const apical = runs.map((run) => apicalEpochs(path.join(dir, run)));
    const count = Math.max(peer.length, ...apical.map((r) => r.length));
    epochs = Math.max(epochs, count);
    const cells: string[] = [];
    for (let e = 0; e < count; e++) {
      const finished = apical.filter((r) => r.length > e);
      const errors = finished.map((r) => r[e].test_error);
      const seconds = finished.map((r) => r[e].seconds);
      const theirs = peer[e];
      const ours = errors.length > 0 ? `${f2(mean(errors))} ± ${f2(sd(errors))} (${errors.map(f2).join(', ')})` : '–';
      const ratio = theirs && seconds.length > 0 ? (mean(seconds) / theirs.seconds).toFixed(2) : '–';
      cells.push(
        `${theirs ? f2(theirs.test_error) : '–'} | ${ours} | ${theirs ? theirs.seconds.toFixed(1) : '–'} | ${seconds.length > 0 ? mean(seconds).toFixed(1) : '–'} | ${ratio}`,
      );
    }
    rows.push(`| ${theirs} / ${ours} | ${cells.join(' | ')} |`);
  }
  const head = Array.from({ length: epochs }, (_, i) => `their test % ep ${i + 1} | apical test % ep ${i + 1} (seeds) | their s | apical s | ratio`).join(' | ');
  return [`| config (theirs / apical) | ${head} |`, `|${'---|'.repeat(1 + 5 * epochs)}`, ...rows, ''].join('\n');
}

const [out, configs] = process.argv.slice(2);
if (!out || !configs) {
  console.error('usage: meulemans-parity-table <out folder> "<Theirs:ours> …"');
  process.exit(2);
}
process.stdout.write(table(out, configs.split(/\s+/).filter(Boolean)));
