/**
 * The table of bench/meulemans-cpu-time.sh: for each config, the process CPU seconds of every epoch
 * of Meulemans et al.'s code (their epochs file's cpu_seconds: training, extra feedback epochs, test
 * and validation passes; epoch 1 with the feedback-only pre-training epochs, whose share is given)
 * and of apical's (bench/experiment-epochs.ts's summary.json: the training epoch, epoch 1 with its
 * pre-training epochs, plus one evaluation of the validation and test images), apical's as a
 * fraction of theirs, and each whole process's user + system seconds (/usr/bin/time: start-up and
 * data loading included).
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

const s1 = (x: number | null | undefined): string => (x == null ? '–' : x.toFixed(1));

function table(out: string, configs: readonly string[]): string {
  const measured = configs.map((pair) => {
    const [theirs, ours] = pair.split(':');
    const dir = path.join(out, theirs);
    return { theirs, ours, dir, peer: peerEpochs(dir), apical: apicalEpochs(dir) };
  });
  const epochs = Math.max(0, ...measured.map(({ peer, apical }) => Math.max(peer.length, apical.length)));
  const rows = measured.map(({ theirs, ours, dir, peer, apical }) => {
    const cells = Array.from({ length: epochs }, (_, e) => {
      const their = peer[e];
      const pretraining = their?.pretraining_cpu_seconds != null ? ` (pre-training ${s1(their.pretraining_cpu_seconds)})` : '';
      const ratio = their && apical[e] !== undefined ? (apical[e] / their.cpu_seconds).toFixed(3) : '–';
      return `${s1(their?.cpu_seconds)}${pretraining} | ${s1(apical[e])} | ${ratio}`;
    });
    const theirProcess = processSeconds(path.join(dir, 'peer.time'));
    const apicalProcess = processSeconds(path.join(dir, 'apical.time'));
    const processRatio = theirProcess && apicalProcess ? (apicalProcess / theirProcess).toFixed(3) : '–';
    return `| ${theirs} / ${ours} | ${cells.join(' | ')} | ${s1(theirProcess)} | ${s1(apicalProcess)} | ${processRatio} |`;
  });
  const head = Array.from({ length: epochs }, (_, i) => `their CPU s, epoch ${i + 1} | apical CPU s, epoch ${i + 1} | ratio`).join(' | ');
  return [`| config (theirs / apical) | ${head} | their process CPU s | apical process CPU s | ratio |`, `|---|${'---:|'.repeat(3 * epochs + 3)}`, ...rows, ''].join('\n');
}

const [out, configs] = process.argv.slice(2);
if (!out || !configs) {
  console.error('usage: meulemans-cpu-table <out folder> "<Theirs:ours> …"');
  process.exit(2);
}
process.stdout.write(table(out, configs.split(/\s+/).filter(Boolean)));
