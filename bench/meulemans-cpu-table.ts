/**
 * The table of bench/meulemans-cpu-time.sh: for each config, the process CPU seconds of every epoch
 * of Meulemans et al.'s code (their epochs file's cpu_seconds: training, extra feedback epochs, test
 * and validation passes; epoch 1 with the feedback-only pre-training epochs, whose share is given)
 * and of apical's (bench/experiment-epochs.ts's summary.json: the training epoch, epoch 1 with its
 * pre-training epochs, plus one evaluation of the validation and test images), apical's as a
 * fraction of theirs in the same round, and each whole process's user + system seconds
 * (/usr/bin/time: start-up and data loading included). With several rounds (OUT/round<r>/<config>),
 * the median over them and each round's value in brackets.
 *
 *   node dist/bench/meulemans-cpu-table.js runs/meulemans-cpu-time "BP:bp DFA:dfa DTP:dtp …"
 */
import * as fs from 'fs';
import * as path from 'path';

interface PeerEpoch {
  readonly epoch: number;
  readonly cpu_seconds: number;
  readonly pretraining_cpu_seconds?: number;
}

interface ApicalSummary {
  readonly experiments: readonly {
    readonly epochs: readonly { readonly epoch: number; readonly cpu_seconds_median: number }[];
    readonly validation_cpu_seconds_median: number | null;
    readonly test_cpu_seconds_median: number;
  }[];
}

/** One round of one config: CPU seconds per epoch on both sides and of both whole processes. */
interface Round {
  readonly peer: readonly PeerEpoch[];
  readonly apical: readonly number[];
  readonly peerProcess: number | null;
  readonly apicalProcess: number | null;
}

function peerEpochs(dir: string): PeerEpoch[] {
  const file = path.join(dir, 'peer.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PeerEpoch);
}

/** apical's CPU seconds per epoch: the training epoch plus one evaluation of the validation and test images. */
function apicalEpochs(dir: string): number[] {
  const file = path.join(dir, 'apical', 'summary.json');
  if (!fs.existsSync(file)) return [];
  const [experiment] = (JSON.parse(fs.readFileSync(file, 'utf8')) as ApicalSummary).experiments;
  const evaluation = (experiment.validation_cpu_seconds_median ?? 0) + experiment.test_cpu_seconds_median;
  return experiment.epochs.map((e) => e.cpu_seconds_median + evaluation);
}

/** /usr/bin/time -f '%U %S %e': user + system seconds of the whole process, or null. */
function processSeconds(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  const [user, system] = fs.readFileSync(file, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
  return Number.isFinite(user + system) ? user + system : null;
}

function readRound(dir: string): Round {
  return {
    peer: peerEpochs(dir),
    apical: apicalEpochs(dir),
    peerProcess: processSeconds(path.join(dir, 'peer.time')),
    apicalProcess: processSeconds(path.join(dir, 'apical.time')),
  };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
};

/** The median of the rounds' values that exist, with each in brackets when there are several; '–' when none. */
function cell(values: readonly (number | null | undefined)[], digits: number): string {
  const present = values.filter((v): v is number => v != null);
  if (present.length === 0) return '–';
  const text = median(present).toFixed(digits);
  return present.length === 1 ? text : `${text} (${present.map((v) => v.toFixed(digits)).join(', ')})`;
}

const ratio = (ours: number | null | undefined, theirs: number | null | undefined): number | null => (ours != null && theirs ? ours / theirs : null);

function table(out: string, configs: readonly string[]): string {
  const rounds = fs
    .readdirSync(out)
    .filter((name) => /^round\d+$/.test(name))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const measured = configs.map((pair) => {
    const [theirs, ours] = pair.split(':');
    return { theirs, ours, rounds: rounds.map((round) => readRound(path.join(out, round, theirs))).filter((r) => r.peer.length + r.apical.length > 0) };
  });
  const epochs = Math.max(0, ...measured.flatMap(({ rounds: rs }) => rs.map((r) => Math.max(r.peer.length, r.apical.length))));
  const rows = measured.map(({ theirs, ours, rounds: rs }) => {
    const cells = Array.from({ length: epochs }, (_, e) => {
      const theirSeconds = rs.map((r) => r.peer[e]?.cpu_seconds);
      const pretraining = rs.map((r) => r.peer[e]?.pretraining_cpu_seconds);
      const share = pretraining.some((p) => p != null) ? ` (pre-training ${cell(pretraining, 1)})` : '';
      const ratios = rs.map((r) => ratio(r.apical[e], r.peer[e]?.cpu_seconds));
      return `${cell(theirSeconds, 1)}${share} | ${cell(rs.map((r) => r.apical[e]), 1)} | ${cell(ratios, 3)}`;
    });
    const processes = [cell(rs.map((r) => r.peerProcess), 1), cell(rs.map((r) => r.apicalProcess), 1), cell(rs.map((r) => ratio(r.apicalProcess, r.peerProcess)), 3)];
    return `| ${theirs} / ${ours} | ${rs.length} | ${[...cells, ...processes].join(' | ')} |`;
  });
  const head = Array.from({ length: epochs }, (_, i) => `their CPU s, epoch ${i + 1} | apical CPU s, epoch ${i + 1} | ratio`).join(' | ');
  return [`| config (theirs / apical) | rounds | ${head} | their process CPU s | apical process CPU s | ratio |`, `|---|${'---:|'.repeat(3 * epochs + 4)}`, ...rows, ''].join('\n');
}

const [out, configs] = process.argv.slice(2);
if (!out || !configs) {
  console.error('usage: meulemans-cpu-table <out folder> "<Theirs:ours> …"');
  process.exit(2);
}
process.stdout.write(table(out, configs.split(/\s+/).filter(Boolean)));
