/**
 * The tables of README.md and RESULTS.md, recomputed from the files committed under results/
 * (metrics.jsonl, summary.json, compare and sweep CSVs) and printed as Markdown, so every figure
 * can be traced to its files; test/results-tables.test.ts checks each recomputed cell against the
 * documents. A cell that is not a measurement (a paper's figure, a description) is null here and
 * not checked; the tables no file backs are listed at the end of the output.
 *
 *   npm run build && node dist/bench/results-tables.js
 */
import * as fs from 'fs';
import * as path from 'path';
import { meanSd } from '../src/report/compare';
import { expectedBestOf } from '../src/report/best-of';
import { readAlignment } from '../src/report/figures/alignment';
import { RunSummary } from '../src/report/run-files';

/** One table of a document, recomputed. */
export interface ResultTable {
  readonly doc: 'README.md' | 'RESULTS.md';
  /** Text of the document just before the table: the table is the first one after it. */
  readonly after: string;
  readonly header: readonly string[];
  /** The first cell is the row's label as the document writes it (bold aside); null: not recomputed. */
  readonly rows: readonly (readonly (string | null)[])[];
}

/** Tables of the documents that no committed file backs, with what they would need. */
export const unbacked: readonly { readonly doc: string; readonly table: string; readonly files: string }[] = [];

/** A figure of the documents drawn from committed runs: the image, the script that redraws it, the run folders it reads. */
export interface BackedFigure {
  readonly image: string;
  readonly script: string;
  readonly runs: () => string[];
}

export const figures: readonly BackedFigure[] = [
  {
    image: 'docs/compare-alignment.png',
    script: 'scripts/compare-alignment-figure.sh',
    // The 20-epoch comparison's 14 experiments, seeds 1–3, as compare named their run folders.
    runs: () => compareLabels.slice(0, 14).flatMap(([, experiment]) => [1, 2, 3].map((seed) => results('compare-mnist', 'twenty-epochs', `${experiment}-s${seed}`))),
  },
];

const root = path.resolve(__dirname, '..', ...(path.basename(path.dirname(__dirname)) === 'dist' ? ['..'] : []));
const results = (...parts: string[]): string => path.join(root, 'results', ...parts);

type Metrics = Readonly<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

function metrics(file: string): Metrics[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

function summary(dir: string): RunSummary {
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
}

/** Rows of a CSV file written by csvCell (RFC 4180 quoting), as objects by header. */
function csv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"(.*)"$/, '$1').replace(/""/g, '"')));
  return lines.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

/** An error fraction as a percentage with two decimals. */
const pct = (fraction: number | null | undefined): string => (fraction == null ? '—' : (100 * fraction).toFixed(2));

/** "1.96 ± 0.06" of error fractions, in %. */
function meanSdPct(fractions: readonly number[]): string {
  const { mean, sd } = meanSd(fractions.map((f) => 100 * f));
  return `${mean.toFixed(2)} ± ${sd.toFixed(2)}`;
}

/** The median over a run's epochs of one field (by default its training seconds per epoch). */
function median(records: readonly Metrics[], field = 'seconds'): number {
  const sorted = records.map((r) => r[field] as number).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
}

const atEpoch = (records: readonly Metrics[], epoch: number): Metrics => records.find((r) => r.epoch === epoch)!;
const lowestTest = (records: readonly Metrics[]): number => Math.min(...records.flatMap((r) => (r.test_error == null ? [] : [r.test_error])));

/** A long run's row: last epoch's test error, at best validation, lowest seen, training error, s per epoch. */
function longRunRow(label: string, dir: string, seconds: boolean, extra: number): (string | null)[] {
  const s = summary(results(dir));
  const m = metrics(results(dir, 'metrics.jsonl'));
  return [
    label,
    null,
    String(s.epochs_completed),
    `${pct(s.final!.test_error)}%`,
    `${pct(s.best_valid!.test_error)}% (epoch ${s.best_valid!.epoch})`,
    `${pct(lowestTest(m))}%`,
    `${pct(s.final!.train_error)}%`,
    seconds ? median(m).toFixed(2) : null,
    ...Array<null>(extra).fill(null),
  ];
}

/** Mean ± sd over seeds of the last epoch's and the best-validation epoch's test errors. */
function seedsRow(label: string, dirs: readonly string[], width: number): (string | null)[] {
  const summaries = dirs.map((d) => summary(results(d)));
  const row: (string | null)[] = [label, null, null, `${meanSdPct(summaries.map((s) => s.final!.test_error!))}%`, `${meanSdPct(summaries.map((s) => s.best_valid!.test_error!))}%`];
  return [...row, ...Array<null>(width - row.length).fill(null)];
}

/**
 * A table of long runs (RESULTS.md's discrete and stochastic networks): `experiment` with seeds 1, 2
 * and 3 (seconds per epoch of seeds 2 and 3 only when `seedSeconds`), their mean ± sd, then the
 * baselines, each an experiment run with seed 1 into results/<experiment>.
 */
function longRunsTable(after: string, header: readonly string[], experiment: string, seedSeconds: boolean, baselines: readonly string[]): ResultTable {
  const extra = header.length - 8;
  const seeds = [experiment, `${experiment}-s2`, `${experiment}-s3`];
  return {
    doc: 'RESULTS.md',
    after,
    header,
    rows: [
      longRunRow(experiment, experiment, true, extra),
      longRunRow(`${experiment} --seed 2`, seeds[1], seedSeconds, extra),
      longRunRow(`${experiment} --seed 3`, seeds[2], seedSeconds, extra),
      seedsRow('DTP, seeds 1–3', seeds, header.length),
      ...baselines.map((baseline) => longRunRow(baseline, baseline, true, extra)),
    ],
  };
}

/** Test error (%) at the given epochs, one column per run. */
function byEpoch(epochs: readonly number[], dirs: readonly string[]): string[][] {
  const runs = dirs.map((d) => metrics(results(d, 'metrics.jsonl')));
  return epochs.map((epoch) => [String(epoch), ...runs.map((m) => pct(atEpoch(m, epoch).test_error))]);
}

/** Epochs as columns: valid error, test error and CPU seconds per epoch. */
function epochColumns(dir: string): ResultTable['rows'] {
  const m = metrics(results(dir, 'metrics.jsonl'));
  return [
    ['valid error (%)', ...m.map((r) => pct(r.valid_error))],
    ['test error (%)', ...m.map((r) => pct(r.test_error))],
    ['CPU s', ...m.map((r) => (r.cpu_seconds as number).toFixed(0))],
  ];
}

/** compare-mnist's experiments by the label RESULTS.md gives them. */
const compareLabels: readonly (readonly [string, string])[] = [
  ['bp', 'cmp-bp'],
  ['sign-symmetry', 'cmp-sign-symmetry'],
  ['sign-symmetry-random', 'cmp-sign-symmetry-random'],
  ['drl', 'cmp-drl'],
  ['dtp (parallel; mnist-dtp-5x256)', 'mnist-dtp-5x256'],
  ['fa', 'cmp-fa'],
  ['kp', 'cmp-kp'],
  ['dfa', 'cmp-dfa'],
  ['ddtp-linear', 'cmp-ddtp-linear'],
  ['ddtp-tanh', 'cmp-ddtp-tanh'],
  ['ao-sdtp', 'cmp-ao-sdtp'],
  ['conditional, difference (label as side information)', 'cmp-conditional-diff'],
  ['sdtp (label as target)', 'cmp-sdtp'],
  ['conditional, plain ĥ_L = g(p, y)', 'cmp-conditional'],
  ['conditional, difference', 'cmp-conditional-diff'],
  ['conditional, plain', 'cmp-conditional'],
  ['sdtp', 'cmp-sdtp'],
  ['dtp', 'mnist-dtp-5x256'],
];

/** The runs of compare-20-epochs.csv that finished, by experiment. */
function compareRuns(file: string): Map<string, Record<string, string>[]> {
  const runs = new Map<string, Record<string, string>[]>();
  for (const row of csv(file).filter((r) => r.status === 'finished' || r.status === 'skipped')) runs.set(row.experiment, [...(runs.get(row.experiment) ?? []), row]);
  return runs;
}

/** Every run's metrics identical but for the timings, over the first `epochs` epochs. */
function sameMetrics(a: string, b: string, epochs: number): boolean {
  const strip = (records: Metrics[]): string => JSON.stringify(records.slice(0, epochs).map(({ seconds, eval_seconds, ...rest }) => rest)); // eslint-disable-line @typescript-eslint/no-unused-vars
  const [ma, mb] = [a, b].map((f) => metrics(results('kernel-paths', f)));
  return mb.length >= epochs && strip(ma) === strip(mb);
}

/** The finished runs of the headline re-run (bench/rerun-headline.sh) under results/headline/<name>/, by seed. */
function headlineRuns(name: string): RunSummary[] {
  const dir = results('headline', name);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((run) => fs.existsSync(path.join(dir, run, 'summary.json')))
    .map((run) => summary(path.join(dir, run)))
    .sort((a, b) => a.seed - b.seed);
}

/** A rule's row of the headline table: seeds, final test error (mean ± sd, range), at best validation, train error. */
function headlineRow(label: string, runs: readonly RunSummary[]): string[] {
  const final = runs.map((s) => s.final!.test_error!);
  const meanPct = (fractions: readonly number[]): string => `${meanSd(fractions.map((f) => 100 * f)).mean.toFixed(2)}%`;
  return [
    label,
    String(runs.length),
    runs.length > 1 ? meanSdPct(final).replace(' ±', '% ±') : meanPct(final),
    runs.length > 1 ? `${pct(Math.min(...final))} – ${pct(Math.max(...final))}%` : '—',
    meanPct(runs.map((s) => s.best_valid!.test_error!)),
    meanPct(runs.map((s) => s.final!.train_error!)),
  ];
}

/** Every table the committed files back. */
/** A committed run's folder: results/<sweep>/cells/<sweep>-<line>-d<depth>, or any folder under results/. */
const sweepCell = (sweep: string, line: string, depth: number): string => path.join(sweep, 'cells', `${sweep}-${line}-d${depth}`);

/** "test (validation)" of the run in results/<dir>, both in %. */
const testValid = (dir: string): string => {
  const s = summary(results(dir));
  return `${pct(s.final!.test_error)} (${pct(s.final!.valid_error)})`;
};

/**
 * The run with the lowest final validation error among `dirs` (under results/), as
 * "test (validation), γ <its rule.stepGrowth>", or ", <label>" for a run `labels` names.
 */
function chosenOnValidation(dirs: readonly string[], labels: Readonly<Record<string, string>> = {}): string {
  const valid = (dir: string): number => summary(results(dir)).final!.valid_error!;
  const best = dirs.reduce((a, b) => (valid(b) < valid(a) ? b : a));
  const rule = JSON.parse(fs.readFileSync(results(best, 'config.json'), 'utf8')).rule as { stepGrowth?: number };
  return `${testValid(best)}, ${labels[best] ?? `γ ${rule.stepGrowth ?? 1}`}`;
}

/** The table of every line of the reduced depth sweeps at depths 2, 4, 8 and 16 (issue 17). */
function depthSweepLinesRows(): (string | null)[][] {
  const depths = [2, 4, 8];
  const more = (line: string, depth: number): string => sweepCell('depth-sweep-fair-more', line, depth);
  const fair = (line: string, depth: number): string => sweepCell('depth-sweep-fair', line, depth);
  const st = (line: string, depth: number): string => sweepCell('depth-sweep-fair-st', line, depth);
  const d8 = (line: string): string => sweepCell('depth-sweep-fair-st-d8', line, 8);
  const d16 = (line: string): string => sweepCell('depth-sweep-fair-d16', line, 16);
  const d16More = (line: string): string => sweepCell('depth-sweep-fair-d16-more', line, 16);
  const test = (dir: string): string => pct(summary(results(dir)).final!.test_error);
  const tuned = path.join('depth8-stochastic-st', 'tune', 'trials', 't001-e10');
  const signSt = (depth: number): string[] => [st('sign-dtp-st', depth), st('sign-dtp-st-growth2-lr2x', depth), ...(depth === 8 ? ['1.2', '1.35', '1.5'].map((g) => d8(`sign-dtp-st-growth${g}-lr2x`)) : [])];
  const stochasticSt = (depth: number): string[] => [st('stochastic-dtp-st', depth), st('stochastic-dtp-st-growth2-lr2x', depth), ...(depth === 8 ? [d8('stochastic-dtp-st-growth1.35-lr2x'), tuned] : [])];
  return [
    ['tanh · BP (true derivative; continuous reference)', ...depths.map((d) => test(more('tanh-bp', d))), test(d16('tanh-bp'))],
    ['sign · BP, true derivative', ...depths.map((d) => test(more('sign-bp', d))), test(d16('sign-bp'))],
    ['sign · straight-through BP', ...depths.map((d) => testValid(fair('sign-bp-ste', d))), testValid(d16('sign-bp-ste'))],
    ['sign · DTP, straight-through decoders', ...depths.map((d) => chosenOnValidation(signSt(d))), chosenOnValidation(['1.1', '1.2', '1.3'].map((g) => d16(`sign-dtp-st-growth${g}-lr2x`)))],
    ['quantise4 · BP, true derivative', ...depths.map((d) => test(more('quantise4-bp', d))), test(d16More('quantise4-bp'))],
    ['quantise4 · straight-through BP', ...depths.map((d) => testValid(more('quantise4-bp-ste', d))), testValid(d16More('quantise4-bp-ste'))],
    ['quantise4 · DTP, decoders read the levels', ...depths.map((d) => test(more('quantise4-dtp', d))), ''],
    [
      'quantise4 · DTP, straight-through decoders',
      ...depths.map((d) => chosenOnValidation(['2', '1.5'].map((g) => more(`quantise4-dtp-st-growth${g}-lr2x`, d)))),
      chosenOnValidation(['1.1', '1.2', '1.3'].map((g) => d16More(`quantise4-dtp-st-growth${g}-lr2x`))),
    ],
    ['stochastic · straight-through BP', ...depths.map((d) => testValid(fair('stochastic-bp-ste', d))), testValid(d16More('stochastic-bp-ste'))],
    [
      'stochastic · DTP, straight-through decoders',
      ...depths.map((d) => chosenOnValidation(stochasticSt(d), { [tuned]: 'tuned' })),
      chosenOnValidation(['1.02', '1.045', '1.07'].map((g) => d16More(`stochastic-dtp-st-tuned-growth${g}`))),
    ],
  ];
}

/**
 * The last sample (step 200) of bench/target-common-mode.ts's runs on the depth-8 stochastic net at
 * γ = 1 (results/depth8-stochastic-st/common-mode/<run>/common-mode.jsonl), h1 → h7: each row one
 * measurement of one run.
 */
function commonModeRows(): string[][] {
  const last = (run: string): Record<string, Record<string, number>> => {
    const lines = fs.readFileSync(results('depth8-stochastic-st', 'common-mode', run, 'common-mode.jsonl'), 'utf8').trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
  };
  const layers = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
  const row = (label: string, run: string, key: string): string[] => {
    const sample = last(run);
    return [label, ...layers.map((l) => String(sample[l][key]))];
  };
  return [
    row('∠ST, as trained', 'gamma1', 'angle_st'),
    row('∠ST, each row\'s mean over the units removed from both vectors', 'gamma1', 'angle_st_centred'),
    row('∠ST, target chain recomputed with every decoder\'s mean weight removed', 'gamma1', 'chain_v_centred'),
    row('∠ST, gradient recomputed with every forward matrix\'s mean weight removed', 'gamma1', 'st_w_centred'),
    row('∠ST, decoders frozen at their initialisation', 'gamma1-frozen-decoders', 'angle_st'),
    row('∠ST, decoders reading h', 'gamma1-decoders-read-h', 'angle_st'),
    row('∠ST, no input noise', 'gamma1-no-input-noise', 'angle_st'),
    row('common-mode share of −∂L/∂h_l', 'gamma1', 'share_gradient'),
    row('common-mode share of ĥ_l − h_l', 'gamma1', 'share_target'),
    row('mean/rms of ĥ_l − h_l', 'gamma1', 'mean_target'),
    row('mean/rms of W_{l+1}', 'gamma1', 'mean_w'),
    row('mean/rms of V_{l+1}', 'gamma1', 'mean_v'),
    row('mean/rms of ĥ_l − h_l, decoders frozen', 'gamma1-frozen-decoders', 'mean_target'),
    row('mean/rms of W_{l+1}, decoders frozen', 'gamma1-frozen-decoders', 'mean_w'),
  ];
}

export function resultsTables(): ResultTable[] {
  const discreteSeeds = ['mnist-discrete-dtp', 'mnist-discrete-dtp-s2', 'mnist-discrete-dtp-s3'];
  const stochasticSeeds = ['mnist-stochastic-dtp', 'mnist-stochastic-dtp-s2', 'mnist-stochastic-dtp-s3'];
  const compare20 = compareRuns(results('compare-mnist', 'compare-20-epochs.csv'));
  // FA and DTP scored as Bartunov et al. score them: tables of best-of-k figures, FA's last row also README's.
  const randomFa = randomSearchRows('random-fa-60', [1, 3, 10, 20, 30, 60]);
  const randomDtp = randomSearchRows('random-dtp-60', [1, 3, 10, 20, 30, 60]);
  const lrSearch = ['3e-4', '1e-3'].map((lr) => new Map(csv(results('compare-mnist', 'search', `lr-${lr}-20-epochs.csv`)).map((r) => [r.experiment, r])));
  const kernelRow = (name: string, file: string): string[] => {
    const m = metrics(results('kernel-paths', file));
    return [name, `${m.slice(0, 5).map((r) => pct(r.test_error)).join(' / ')} %`, (m[4].loss as number).toFixed(6)];
  };
  const spikingFull = metrics(results('mnist-spiking-dtp', 'full', 'metrics.jsonl'));
  const constant = metrics(results('mnist-spiking-dtp', 'lr-2e-3-constant', 'metrics.jsonl'));
  const decayed = metrics(results('mnist-spiking-dtp', 'lr-decay-topstep-2', 'metrics.jsonl'));
  const errors = (r: Metrics): string => `${pct(r.train_error)} / ${pct(r.valid_error)} / ${pct(r.test_error)}`;
  const epochsHeader = (n: number): string[] => ['epoch', ...Array.from({ length: n }, (_, i) => String(i + 1))];
  const discrete = (s: string): RunSummary => summary(results(s));
  const stochastic = stochasticSeeds.map((d) => summary(results(d)).final!.test_error!);
  const discreteFinal = discreteSeeds.map((d) => discrete(d).final!.test_error!);
  const remedyFinal = [1, 2, 3].map((seed) => discrete(`mnist-discrete-dtp-inoise-lrdecay/mnist-discrete-dtp-inoise-lrdecay-s${seed}`).final!.test_error!);
  const range = (xs: number[]): string => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}%`;
  const fifty = (name: string): RunSummary => summary(results('compare-mnist', 'seed1-50-epochs', `${name}-s1`));
  const mean20 = (experiment: string): string => meanSd(compare20.get(experiment)!.map((r) => 100 * Number(r.test_error))).mean.toFixed(2);
  const sweep = csv(results('depth-sweep', 'sweep.csv'));
  let failed = 0;
  const sweepLines = [...new Set(sweep.map((r) => `${r.units} · ${r.rule}`))];

  const headline = (['dtp', 'bp', 'tp', 'dtp-released'] as const).map((name) => [name, headlineRuns(name)] as const).filter(([, runs]) => runs.length > 0);
  const headlineLabels: Record<string, string> = { dtp: 'DTP', bp: 'BP', tp: 'TP', 'dtp-released': "DTP, released code's update list (W6, b5 frozen)" };
  const rerun = (name: string): string[] => headlineRow(headlineLabels[name], headlineRuns(name));
  return [
    {
      doc: 'RESULTS.md',
      after: '## Lee et al. (2015), 784-240×7-10 tanh, 100 epochs',
      header: ['rule', 'seeds', 'test error, final (mean ± sd)', 'range', 'at best valid (mean)', 'train error', 'paper'],
      rows: headline.map(([name, runs]) => [...headlineRow(headlineLabels[name], runs), null]),
    },
    {
      doc: 'RESULTS.md',
      after: 'Per seed, final test error (%',
      header: ['seed', ...Array.from({ length: 10 }, (_, i) => String(i + 1))],
      rows: headline
        .filter(([name]) => name === 'dtp' || name === 'bp')
        .map(([name, runs]) => [headlineLabels[name], ...Array.from({ length: 10 }, (_, i) => {
          const run = runs.find((s) => s.seed === i + 1);
          return run ? pct(run.final!.test_error) : '';
        })]),
    },
    {
      doc: 'README.md',
      after: '(`npm run bench` re-measures them).',
      header: ['experiment', 'paper (test error)', 'apical (test error, final epoch)'],
      rows: [
        ['DTP, 784-240×7-10 tanh, 100 epochs', null, `${rerun('dtp')[2]} (${rerun('dtp')[1]} seeds, ${rerun('dtp')[3].replace(' – ', '–')})`],
        ['BP, same network', null, `${rerun('bp')[2]} (${rerun('bp')[1]} seeds)`],
        ['TP, same network', null, `${rerun('tp')[2]} (does not learn: no difference correction)`],
        [
          'DTP, discrete 784-500-500-10 (h1 sends sign(h1)), 500 epochs',
          null,
          `${meanSdPct(discreteFinal)}% (3 seeds, ${range(discreteFinal)}; seed 1: BP with sign's true derivative ${pct(discrete('mnist-discrete-bp-true').final!.test_error)}%, train continuous/test discrete ${pct(discrete('mnist-discrete-bp-continuous').final!.test_error)}%)`,
        ],
        [
          'DTP, the same discrete network with input noise 0.3 and lrDecay 0.99 (chosen on validation), 500 epochs',
          null,
          `${meanSdPct(remedyFinal)}% (3 seeds, ${range(remedyFinal)}; experiments/mnist-discrete-dtp-inoise-lrdecay.json)`,
        ],
        [
          'DTP, stochastic 784-200-200-10 (Bernoulli samples), 1000 epochs, 100-sample test',
          null,
          `${meanSdPct(stochastic)}% (3 seeds, ${range(stochastic)}; seed 1: straight-through BP ${pct(summary(results('mnist-stochastic-ste')).final!.test_error)}%)`,
        ],
        [
          '14 rules on 784-256×5-10 tanh, Adam (`apical compare experiments/compare-mnist experiments/mnist-dtp-5x256.json --epochs 20`)',
          null,
          `20 epochs, 3 seeds: BP ${mean20('cmp-bp')}, sign symmetry ${mean20('cmp-sign-symmetry')}, DRL ${mean20('cmp-drl')}, DTP (parallel) ${mean20('mnist-dtp-5x256')}, ` +
            `FA ${mean20('cmp-fa')}, KP ${mean20('cmp-kp')}, DFA ${mean20('cmp-dfa')}, DDTP ${mean20('cmp-ddtp-linear')}, AO-SDTP ${mean20('cmp-ao-sdtp')}, ` +
            `conditional decoders ${mean20('cmp-conditional-diff')}, SDTP ${mean20('cmp-sdtp')}%; ` +
            `seed 1 at 50 epochs: BP ${pct(fifty('cmp-bp').final!.test_error)}, DFA ${pct(fifty('cmp-dfa').final!.test_error)}%; ` +
            `DTP 100 epochs ${pct(summary(results('mnist-dtp-5x256')).final!.test_error)}% (RESULTS.md)`,
        ],
        [
          "Bartunov et al.'s protocol, 784-256×5-10 tanh, up to 500 epochs (`apical compare experiments/bartunov-mnist/<rule>-paper.json --seeds 3 --set training.patience=50`)",
          null,
          `lowest test error (their measure), 3 seeds: ${bartunovReadmeFigures()}% ` +
            `(BP at the rate apical's search chose, \`bp-tuned.json\`, for all 500 epochs: ${lowestOverSeeds('seeds-bp')} with the stop, Table 5's rate ${lowestOverSeeds('paper-bp-500')}; ` +
            `DTP with α per example, \`dtp-paper-example.json\`; FA at the setting apical's search chose over their Table 4 domain, \`fa-appendix-tuned.json\`, and ${randomFa.at(-1)![1]} when chosen as they chose, the best of 60 random configurations over that domain by lowest test error; ` +
            "SDTP at the setting its search chose with the decoders' rate free down to 1e-8, `sdtp-feedback-wide-tuned.json` (1.5e-8: decoders that stay at their random initial weights; " +
            `decoders that learn reach ${lowestOverSeeds('tuned-sdtp')}); AO-SDTP with 512 auxiliary features, its decoders learning at the rate its search chose (${lowestOverSeeds('tuned-ao-sdtp')} with 64, ` +
            `${lowestOverSeeds('seeds-ao-sdtp-feedback-wide')} with decoders held at their initial weights); RESULTS.md)`,
        ],
        [
          'Eight hidden layers of discrete or stochastic units, full MNIST, 20 epochs (`apical sweep experiments/depth-sweep-full-mnist.json`)',
          null,
          `seeds 1 · 2: sign, DTP with straight-through decoders ${fullSweepSeeds('mnist', 'sign', 'dtp-st', 8)}, straight-through BP ${fullSweepSeeds('mnist', 'sign', 'bp-ste', 8)}, BP with the true derivative ${fullSweepSeeds('mnist', 'sign', 'bp', 8)}%; ` +
            `Bernoulli samples, DTP ${fullSweepSeeds('mnist', 'stochastic', 'dtp-st', 8)}, straight-through BP ${fullSweepSeeds('mnist', 'stochastic', 'bp-ste', 8)}% (RESULTS.md)`,
        ],
      ],
    },
    {
      doc: 'README.md',
      after: 'results/kernel-paths/):',
      header: ['path', 'test error after epochs 1 / 2 / 3 / 4 / 5', 'training loss, epoch 5'],
      rows: [
        kernelRow('native-avx512', 'avx512.metrics.jsonl'),
        ['native-avx2', sameMetrics('avx512.metrics.jsonl', 'avx2.metrics.jsonl', 5) ? 'identical to avx512 in every metric, every epoch' : 'differs from avx512', kernelRow('', 'avx2.metrics.jsonl')[2]],
        kernelRow('native-generic', 'generic.metrics.jsonl'),
        ['wasm (2 epochs)', sameMetrics('generic.metrics.jsonl', 'wasm-2-epochs.metrics.jsonl', 2) ? 'identical to generic in every metric' : 'differs from generic', null],
      ],
    },
    longRunsTable(
      '### Discrete network: 784-500-500-10',
      ['experiment', 'rule', 'epochs', 'test error after the last epoch', 'at best validation', 'lowest test error seen', 'train error', 's per training epoch', 'paper'],
      'mnist-discrete-dtp',
      true,
      ['mnist-discrete-bp-true', 'mnist-discrete-bp-continuous'],
    ),
    {
      doc: 'RESULTS.md',
      after: 'Test error (%) by epoch (seed 1):',
      header: ['epoch', 'DTP', 'BP, true derivative', 'train continuous, test discrete'],
      rows: byEpoch([1, 5, 10, 20, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500], ['mnist-discrete-dtp', 'mnist-discrete-bp-true', 'mnist-discrete-bp-continuous']),
    },
    longRunsTable(
      '### Stochastic network: 784-200-200-10',
      ['experiment', 'rule', 'epochs', 'test error after the last epoch', 'at best validation', 'lowest test error seen', 'train error (one sample)', 's per training epoch', 's per 100-sample evaluation (20,000 images)', 'paper'],
      'mnist-stochastic-dtp',
      false,
      ['mnist-stochastic-ste'],
    ),
    {
      doc: 'RESULTS.md',
      after: 'Test error (%, 100 samples) by epoch:',
      header: ['epoch', 'DTP', 'straight-through BP'],
      rows: byEpoch([50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], ['mnist-stochastic-dtp', 'mnist-stochastic-ste']),
    },
    {
      doc: 'RESULTS.md',
      after: '### Depth sweep',
      header: ['units · rule', '2', '4', '8', '16', '32'],
      rows: sweepLines.map((line) => [
        line,
        ...sweep.filter((r) => `${r.units} · ${r.rule}` === line).map((r) => (r.status === 'failed' ? `n/a [${++failed}]` : r.test_error_pct)),
      ]),
    },
    {
      doc: 'RESULTS.md',
      after: 'The committed experiment (top step 0.5',
      header: ['epoch', 'train error (%)', 'valid error (%)', 'test error (%)', 'training s (wall)', 'evaluation s (wall)', 'CPU s'],
      rows: spikingFull.map((r) => [String(r.epoch), pct(r.train_error), pct(r.valid_error), pct(r.test_error), r.seconds.toFixed(0), r.eval_seconds.toFixed(0), r.cpu_seconds.toFixed(1)]),
    },
    {
      doc: 'RESULTS.md',
      after: 'Two runs before the top-step search',
      header: epochsHeader(9),
      rows: [
        ['constant 2e-3: train / valid / test error (%)', ...constant.map(errors)],
        ['decayed 0.85 per epoch', ...decayed.map(errors)],
        ['CPU s per epoch (constant)', ...constant.map((r) => (r.cpu_seconds as number).toFixed(1))],
      ],
    },
    { doc: 'RESULTS.md', after: 'results/mnist-spiking-dtp/count-60ms/),', header: epochsHeader(32), rows: epochColumns('mnist-spiking-dtp/count-60ms') },
    { doc: 'RESULTS.md', after: 'results/mnist-spiking-dtp/seed-2/):', header: epochsHeader(31), rows: epochColumns('mnist-spiking-dtp/seed-2') },
    {
      doc: 'RESULTS.md',
      after: '### Every rule, 20 epochs, seeds 1–3',
      header: ['rule', 'train error %', 'test error %', 'best-valid test error %', 'Bartunov et al. test % (500 epochs)'],
      rows: compareLabels.slice(0, 14).map(([label, experiment]) => {
        const runs = compare20.get(experiment)!;
        const column = (name: string): string => meanSdPct(runs.map((r) => Number(r[name])));
        return [label, column('train_error'), column('test_error'), column('best_valid_test_error'), null];
      }),
    },
    {
      doc: 'RESULTS.md',
      after: '### Seed 1 at 50 epochs',
      header: ['rule', 'train error %', 'test error %', 'best-valid test error % (epoch)'],
      rows: ['bp', 'ddtp-linear', 'drl', 'dfa', 'ddtp-tanh', 'kp', 'fa', 'ao-sdtp', 'conditional, difference', 'conditional, plain'].map((label) => {
        const s = fifty(compareLabels.find(([l]) => l === label)![1]);
        return [label, pct(s.final!.train_error), pct(s.final!.test_error), `${pct(s.best_valid!.test_error)} (${s.best_valid!.epoch})`];
      }),
    },
    {
      doc: 'RESULTS.md',
      after: 'Last epoch (20), mean ± sd over seeds 1–3 (results/missing-view/):',
      header: ['trained on, tested with', 'test error %', 'squared error of the bottom half per digit'],
      rows: missingViewRows(),
    },
    {
      doc: 'RESULTS.md',
      after: '(`results/compare-mnist/search/`)',
      header: ['rule', 'validation error % after 20 epochs, lr 3e-4', 'lr 1e-3', 'chosen'],
      rows: ['fa', 'kp', 'sign-symmetry', 'sign-symmetry-random', 'ao-sdtp', 'sdtp', 'conditional, difference', 'conditional, plain'].map((label) => {
        const experiment = compareLabels.find(([l]) => l === label)![1];
        return [label, ...lrSearch.map((runs) => pct(Number(runs.get(experiment)!.valid_error))), null];
      }),
    },
    {
      doc: 'RESULTS.md',
      after: 'Seed 1, one core each (`results/bartunov-mnist/ablation-*/`',
      header: ['run', 'epochs', 'train % (last)', 'validation % at best (epoch)', 'test % there', 'lowest test % (epoch)', 'test % (last)'],
      rows: bartunovAblationRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'Searched per cell on validation (session 17',
      header: ['data · cell', 'fields searched', 'chosen', 'validation % at epoch 20', "the sweep's setting before", 'adopted', 'seed-1 cell re-run trains as the trial', 'training h'],
      rows: depthSweepSearchRows(),
    },
    ...fullSweepTables('mnist', 'Test error % after 20 epochs, seeds 1 · 2 (… not finished):', 'MNIST'),
    ...fullSweepTables('fashion', 'Fashion-MNIST test error % after 20 epochs, seeds 1 · 2 (… not finished):', 'Fashion-MNIST'),
    {
      doc: 'RESULTS.md',
      after: '**Tuned on validation**',
      header: ['rule', 'settings chosen (best.json)', 'test % after epoch 10', 'test % at best validation', 'search CPU hours'],
      rows: seqMnistTunedRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'Table 5\'s settings over seeds',
      header: ['rule', 'seeds', 'epochs run', 'test % at best validation', 'lowest test %', 'Bartunov et al. (lowest test, best of 60 configurations)'],
      rows: bartunovPaperRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'Best of k random configurations (`results/bartunov-mnist/random-fa-60/`',
      header: randomSearchHeader,
      rows: randomFa,
    },
    {
      doc: 'RESULTS.md',
      after: 'Best of k random configurations of DTP (`results/bartunov-mnist/random-dtp-60/`',
      header: randomSearchHeader,
      rows: randomDtp,
    },
    {
      doc: 'RESULTS.md',
      after: 'Fashion-MNIST, the same protocol (issue 15, item 4',
      header: ['rule', 'search (CPU h)', 'tuned settings', 'seeds', 'epochs run', 'test % at best validation', 'lowest test %'],
      rows: bartunovFashionRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'SDTP\'s decoders, learning or held (seed 1, 20 epochs; `results/bartunov-mnist/ablation-sdtp-tuned-20-*/`):',
      header: ['decoders', 'test % at best validation', 'recon g2', 'g3', 'g4', 'g5', 'g6 (top)', 'target angle h1 (°)', 'h2', 'h3', 'h4', 'h5'],
      rows: sdtpDecoderRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'the search below.',
      header: ['units · rule', '2', '4', '8', '16'],
      rows: depthSweepLinesRows(),
    },
    {
      doc: 'RESULTS.md',
      after: 'At step 200 (the end of epoch 2), from h1 to h7, the layer under the top:',
      header: ['measurement', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'],
      rows: commonModeRows(),
    },
    {
      doc: 'RESULTS.md',
      after: '### Their seeds against apical\'s (test error % after epochs 1 and 2;',
      header: ['config', 'their seeds', 'their ep 1', 'apical ep 1 (seeds 1–3)', 'their ep 2', 'apical ep 2 (seeds 1–3)'],
      rows: meulemansSeedRows(),
    },
    {
      doc: 'RESULTS.md',
      after: '(results/cuba/seed-S/summary.json, config.json, metrics.jsonl):',
      header: ['seed', 'spikes', 'mean rate (Hz)', 'ISI CV'],
      rows: cubaRows(),
    },
    { doc: 'RESULTS.md', after: 'record/weights.jsonl):', header: epochsHeader(8), rows: lesionRows() },
    {
      doc: 'RESULTS.md',
      after: 'Validation error (%) after each epoch (results/mnist-spiking-dtp/search/NAME/metrics.jsonl):',
      header: ['setting (patch)', ...epochsHeader(8).slice(1)],
      rows: spikingSearchRows([
        ['*20 trials per update, Adam 1e-3, 10 + 40 ms phases, top step 2, gain 3:* base', 'base'],
        ['bias 1.2', 'bias12'],
        ['gain 10', 'g10'],
        ['gain 30', 'g30'],
        ['gain 10 + top step 5', 'g10t5'],
        ['100 ms counted', 'c100'],
        ['Adam 3e-3 on the hidden layers', 'lrf3'],
        ['hidden layers not learning (lr 1e-9): read-out only', 'lrf0'],
        ['500-500', 'w500'],
        ['5 + 30 ms phases', 's5c30'],
        ['100 trials per update, Adam 2e-3', 'b100'],
        ['*100 per update, Adam 2e-3, 5 + 30 ms (the committed file before the top step):* top step 2', 'j10'],
        ['one target phase per layer (`targetPhases: "per-layer"`)', 'pl10'],
        ['top step 0.5', 'ts05'],
        ['top step 0.5, gain 12', 'ts05g12'],
        ['top step 0.25', 'ts025'],
        ['top step 0.5, gain 1.5', 'ts05g15'],
        ['top step 0.5, one target phase per layer', 'pl-ts05'],
        ['top step 0.5, 500-500', 'w500-ts05'],
        ['top step 0.5, Adam 1e-3', 'lr1e3-ts05'],
        ['top step 0.5, r_max 333 Hz (rates ÷ 1/refractory)', 'mr333-ts05'],
      ]),
    },
    alignmentTable('### Alignment with back-propagation', ['fa', 'dfa', 'kp', 'sign-symmetry', 'sign-symmetry-random', 'dtp', 'drl', 'ddtp-linear', 'ddtp-tanh', 'sdtp', 'ao-sdtp', 'conditional, difference', 'conditional, plain']),
    {
      doc: 'RESULTS.md',
      after: '### 100 epochs, apical beside their code (apical seed 1, their seed 42;',
      header: ['config', 'test % at best validation (epoch)', 'validation % there', 'test % after epoch 100', 'train % after epoch 100', 's per training epoch', 'their code: test % at best validation (epoch)', 'their test % after epoch 100', 'their CPU s per epoch'],
      rows: meulemans100Configs.map(([theirs, config]) => meulemans100Row(theirs, config)),
    },
  ];
}

/** Meulemans et al.'s MNIST configs (their final_configs/mnist_<name>.py) and apical's files of the same (experiments/meulemans-mnist/). */
const meulemans100Configs: readonly (readonly [string, string])[] = [
  ['BP', 'bp'],
  ['DFA', 'dfa'],
  ['DTP', 'dtp'],
  ['DDTPlinear', 'ddtp-linear'],
  ['DTPDRL', 'drl'],
];

/**
 * A row of the 100-epoch table: apical's seed 1 (results/meulemans-100/<config>-s1/summary.json)
 * and, where their run is kept, Meulemans et al.'s code at their configs' random_seed 42
 * (results/meulemans-100/<theirs>-peer-seed42/peer.jsonl, test and validation error in %): the test
 * error at the first epoch of lowest validation error, as their paper reports it, after epoch 100,
 * and their median CPU seconds per epoch (epochs 2–100: epoch 1's also holds DDTP's and DRL's
 * feedback pre-training). An em dash where their run has not finished.
 */
function meulemans100Row(theirs: string, config: string): (string | null)[] {
  const s = summary(results('meulemans-100', `${config}-s1`));
  const peer = meulemans100Peer(theirs);
  const theirCells = peer
    ? [`${peer.best.test_error.toFixed(2)} (${peer.best.epoch})`, atEpoch(peer.epochs, 100).test_error.toFixed(2), median(peer.epochs.slice(1), 'cpu_seconds').toFixed(1)]
    : ['—', '—', '—'];
  return [config, `${pct(s.best_valid!.test_error)} (${s.best_valid!.epoch})`, pct(s.best_valid!.valid_error), pct(s.final!.test_error), pct(s.final!.train_error), (s.training_seconds / s.epochs_completed).toFixed(2), ...theirCells];
}

/** Their 100-epoch run of a config, when kept and finished: its epochs and the first epoch of lowest validation error. */
function meulemans100Peer(theirs: string): { readonly epochs: Metrics[]; readonly best: Metrics } | null {
  const file = results('meulemans-100', `${theirs}-peer-seed42`, 'peer.jsonl');
  const epochs = fs.existsSync(file) ? metrics(file) : [];
  if (epochs.length < 100) return null;
  return { epochs, best: epochs.reduce((best, m) => (m.valid_error < best.valid_error ? m : best)) };
}

/**
 * Where the 100-epoch table's reading of their peer.jsonl disagrees with their own summary of the
 * run (performance_overview.txt: acc_test_val_best, the test accuracy at the epoch of best validation
 * accuracy; epoch_best_acc, that epoch from 0), as "<config>: <ours> against <theirs>".
 */
export function meulemans100OverviewDifferences(): string[] {
  return meulemans100Configs.flatMap(([theirs]) => {
    const peer = meulemans100Peer(theirs);
    if (!peer) return [];
    const overview = Object.fromEntries(
      fs
        .readFileSync(results('meulemans-100', `${theirs}-peer-seed42`, 'performance_overview.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')),
    );
    const ours = `${peer.best.test_error.toFixed(4)} at epoch ${peer.best.epoch}`;
    const written = `${(100 * (1 - Number(overview.acc_test_val_best))).toFixed(4)} at epoch ${Number(overview.epoch_best_acc) + 1}`;
    return ours === written ? [] : [`${theirs}: ${ours} against ${written}`];
  });
}

/**
 * Meulemans et al.'s code over their seeds (`random_seed` S: results/meulemans-parity/<config>-peer-seed<S>/,
 * or -peer-float32-seed<S>/ for their code in float32) against apical's seeds 1–3 of the same
 * configuration (<config>/apical-s<S>/; DTP-validation-last/ for the runs on MNIST's last 5,000
 * training images, DDTPlinear-validation-random/ for DDTP-linear's on a random 5,000): test error %
 * after each epoch as "mean ± sd (each seed)", their peer.jsonl in % already, apical's fractions.
 */
function meulemansSeedRows(): (string | null)[][] {
  const dir = (...parts: string[]): string => results('meulemans-parity', ...parts);
  const finished = (peer: string): number[] => [1, 2, 3].filter((seed) => fs.existsSync(dir(`${peer}${seed}`, 'peer.jsonl')));
  const cell = (errors: readonly number[]): string => `${errors.length > 1 ? meanSdPct(errors.map((e) => e / 100)) : errors[0].toFixed(2)} (${errors.map((e) => e.toFixed(2)).join(', ')})`;
  const row = (label: string, peer: string, apical: string): (string | null)[] => {
    const theirs = finished(peer).map((seed) => metrics(dir(`${peer}${seed}`, 'peer.jsonl')));
    const ours = [1, 2, 3].map((seed) => metrics(dir(apical, `apical-s${seed}`, 'metrics.jsonl')));
    const at = (runs: readonly Metrics[][], epoch: number, scale: number): number[] => runs.map((r) => scale * atEpoch(r, epoch).test_error);
    return [label, finished(peer).join(', '), cell(at(theirs, 1, 1)), cell(at(ours, 1, 100)), cell(at(theirs, 2, 1)), cell(at(ours, 2, 100))];
  };
  const rows: readonly (readonly [string, string, string])[] = [
    ['DTP', 'DTP-peer-seed', 'DTP'],
    ['DTP, theirs in float32', 'DTP-peer-float32-seed', 'DTP'],
    ['DTP, apical on the last 5,000 validating', 'DTP-peer-seed', 'DTP-validation-last'],
    ['DDTP-linear', 'DDTPlinear-peer-seed', 'DDTPlinear'],
    ['DDTP-linear, apical with validationPick "random"', 'DDTPlinear-peer-seed', 'DDTPlinear-validation-random'],
  ];
  return rows.filter(([, peer, apical]) => finished(peer).length > 0 && fs.existsSync(dir(apical))).map(([label, peer, apical]) => row(label, peer, apical));
}

/** SDTP at apical's tuned setting, seed 1, 20 epochs with alignment angles, its decoders learning or held (`training.frozen`). */
const sdtpDecoderRuns: readonly (readonly [string, string])[] = [
  ['every decoder learning', 'ablation-sdtp-tuned-20-learning'],
  ['the top decoder (V6, c6) held', 'ablation-sdtp-tuned-20-top-held'],
  ['the four decoders below it held', 'ablation-sdtp-tuned-20-lower-held'],
  ['every decoder held', 'ablation-sdtp-tuned-20-all-held'],
];

/**
 * Where SDTP's learning decoders cost accuracy: per run of `sdtpDecoderRuns`, the test error at best
 * validation, each decoder's reconstruction error after epoch 20, and the angle between each hidden
 * layer's target direction ĥ − h and −∂L/∂h (`target_angle`), averaged over the samples of epochs 16–20.
 */
function sdtpDecoderRows(): (string | null)[][] {
  return sdtpDecoderRuns.map(([label, dir]) => {
    const s = summary(results('bartunov-mnist', dir));
    const m = metrics(results('bartunov-mnist', dir, 'metrics.jsonl'));
    const last = m[m.length - 1];
    const angles = (layer: string): string => {
      const samples = m.slice(15).flatMap((r) => r.alignment.map((a: Metrics) => a.target_angle[layer]));
      return meanSd(samples.filter((v): v is number => typeof v === 'number')).mean.toFixed(1); // an undefined angle is the string "NaN"
    };
    return [
      label,
      pct(s.best_valid!.test_error),
      ...['g2', 'g3', 'g4', 'g5', 'g6'].map((g) => last.reconstruction_error[g].toFixed(0)),
      ...['h1', 'h2', 'h3', 'h4', 'h5'].map(angles),
    ];
  });
}

/**
 * The appendix ablations of Bartunov et al.'s protocol: each run's last training error, its best
 * validation epoch with the test error there, and the lowest test error of any epoch (the figure
 * Bartunov et al.'s Table 1 reports, "best errors achieved in 500 epochs").
 */
function bartunovAblationRows(): (string | null)[][] {
  const runs: readonly (readonly [string, string])[] = [
    ['BP, Table 5, trained on 59,900 images (validation: the last 100)', 'ablation-bp-paper-train-59900'],
    ['FA, apical tune trial 8 (lr 5.52e-4, ε 1e-8)', 'tune-fa/trials/t008-e50'],
    ['FA, apical tune trial 24 (lr 3.11e-4, ε 1e-8)', 'tune-fa/trials/t024-e50'],
    ['FA, Table 5 (lr 1.68e-4, ε 1e-4)', 'ablation-fa-paper'],
    ['FA, Table 5, 500 epochs without early stopping (session 16)', 'ablation-fa-paper-500'],
    ['FA, Table 5, inputs standardised (session 16; stopped by patience 50)', 'ablation-fa-paper-standardised'],
    ['BP, Table 5, inputs standardised (session 16; stopped by patience 50)', 'ablation-bp-paper-standardised'],
    ['DTP (alternating), Table 5, inputs standardised (session 16; stopped by patience 50)', 'ablation-dtp-paper-standardised'],
    ['SDTP, apical tune trial 8', 'tune-sdtp/trials/t008-e50'],
    ['SDTP, Table 5', 'ablation-sdtp-paper'],
    ['SDTP, Table 5, denoising', 'ablation-sdtp-paper-denoising'],
    ['SDTP, Table 5, inverse loss averaged over units', 'ablation-sdtp-paper-unit-mean'],
    ['AO-SDTP, apical tune trial 8', 'tune-ao-sdtp/trials/t008-e50'],
    ['AO-SDTP, Table 5 (SDTP’s column), inverse loss averaged over units', 'ablation-ao-sdtp-paper-unit-mean'],
    ['FA, Table 5, the loss summed over the minibatch (ε/128; session 18; stopped by patience 50)', 'ablation-fa-paper-batch-sum'],
    ['DTP (alternating), Table 5, every loss summed over the minibatch (ε/128; session 18; stopped by patience 50)', 'ablation-dtp-paper-batch-sum'],
    ['SDTP, Table 5, inverse loss averaged over units, to patience 50 (session 18)', 'ablation-sdtp-paper-unit-mean-long'],
    ['DTP (parallel), Table 5’s parallel column, α per example (session 18; stopped by patience 50)', 'ablation-dtp-parallel-paper-example'],
    ['SDTP (parallel), Table 5’s parallel column, denoising (session 18; stopped by patience 50)', 'ablation-sdtp-parallel-paper'],
    ['SDTP, apical tune trial 8 with its decoders held at their initial weights (feedback lr 1e-9; session 18)', 'ablation-sdtp-tuned-frozen-decoders'],
    ['DTP (alternating), Table 5, α per example, its decoders held at their initial weights (feedback lr 1e-9; session 18)', 'ablation-dtp-paper-example-frozen-decoders'],
    ['SDTP, Table 5, inverse and forward losses averaged over units (both ε × 256; session 19)', 'ablation-sdtp-paper-unit-mean-both'],
    ...sdtpDecoderRuns.map(([label, dir]) => [`SDTP, apical tune trial 8, 20 epochs: ${label} (session 19)`, dir] as const),
    ['AO-SDTP, apical tune trial 8, 512 auxiliary features (session 21)', 'ablation-ao-sdtp-tuned-512'],
    ['AO-SDTP, the feedback-wide search’s trial 8 (decoders held by lr 1.45e-8), 512 auxiliary features (session 21)', 'ablation-ao-sdtp-feedback-wide-tuned-512'],
    ['AO-SDTP, apical tune trial 8, 512 auxiliary features, feedback lr 1e-4 (session 21)', 'ablation-ao-sdtp-tuned-512-feedback-1e-4'],
    ['AO-SDTP, apical tune trial 8, 512 auxiliary features, feedback lr 1e-3 (session 21)', 'ablation-ao-sdtp-tuned-512-feedback-1e-3'],
    ['AO-SDTP, Table 5 (SDTP’s column; session 21)', 'ablation-ao-sdtp-paper'],
    ['AO-SDTP, Table 5 (SDTP’s column), 512 auxiliary features (session 21)', 'ablation-ao-sdtp-paper-512'],
    ['AO-SDTP, Table 5 (SDTP’s column), 512 auxiliary features, to patience 50 (session 21)', 'ablation-ao-sdtp-paper-512-long'],
  ];
  return runs.map(([label, dir]) => {
    const s = summary(results('bartunov-mnist', dir));
    const m = metrics(results('bartunov-mnist', dir, 'metrics.jsonl'));
    const lowest = m.reduce((best, r) => (r.test_error < best.test_error ? r : best));
    return [
      label,
      String(s.epochs_completed),
      pct(s.final!.train_error),
      `${pct(s.best_valid!.valid_error)} (${s.best_valid!.epoch})`,
      pct(s.best_valid!.test_error),
      `${pct(lowest.test_error)} (${lowest.epoch})`,
      pct(s.final!.test_error),
    ];
  });
}

/**
 * Bartunov et al.'s Table 5 settings over seeds (results/bartunov-mnist/paper-<rule>/, `apical compare
 * experiments/bartunov-mnist/<rule>-paper.json --seeds 3 --set training.patience=50`), and for SDTP and
 * AO-SDTP, whose Table 5 values do not transfer, the settings of apical's search
 * (results/bartunov-mnist/tuned-<rule>/, the same command with <rule>-tuned.json): per rule, the
 * finished seeds, the epochs they ran, the test error at best validation and the lowest test error of
 * any epoch (their Table 1's figure), mean ± sd over seeds.
 */
function bartunovPaperRows(): (string | null)[][] {
  return bartunovSeedRows('bartunov-mnist', bartunovPaperRuns.map(({ folder, label }) => [folder, label])).map((row) => [...row, null]);
}

/** The rows of "Table 5's settings over seeds": folder of results/bartunov-mnist/, label, and the rule's name in README's row when it is the rule's headline figure. */
const bartunovPaperRuns: readonly { readonly folder: string; readonly label: string; readonly readme?: string }[] = [
  { folder: 'paper-bp', label: 'BP' },
  { folder: 'paper-bp-500', label: 'BP, every one of the 500 epochs (no early stop)' },
  { folder: 'seeds-bp', label: "BP, apical's search (tune-bp/best.json, bp-tuned.json)" },
  { folder: 'seeds-bp-500', label: "BP, apical's search, every one of the 500 epochs (bp-tuned.json)", readme: 'BP' },
  { folder: 'paper-fa', label: 'FA' },
  { folder: 'paper-fa-batch-sum', label: 'FA, the loss summed over the minibatch (ε 1e-4/128)' },
  { folder: 'seeds-fa-appendix', label: "FA, apical's search over Table 4's domain (tune-fa-appendix/best.json)", readme: 'FA' },
  { folder: 'ablation-fa-appendix-train-59900', label: "FA, the same setting trained on 59,900 images (validation: the last 100), 130 epochs" },
  { folder: 'paper-dfa', label: 'DFA', readme: 'DFA' },
  { folder: 'paper-dtp-example', label: 'DTP (alternating), α per example (dtp-paper-example.json)', readme: 'DTP' },
  { folder: 'paper-dtp-example-500', label: 'DTP (alternating), α per example, every one of the 500 epochs' },
  { folder: 'paper-dtp', label: "DTP (alternating), α on the minibatch's mean loss (dtp-paper.json)" },
  { folder: 'seeds-dtp', label: "DTP (alternating), α per example, apical's search (tune-dtp/best.json)" },
  { folder: 'seeds-dtp-rates', label: "DTP (alternating), α per example, apical's search over Table 4's rates, σ and α at Table 5's Adam moments (tune-dtp-rates/best.json)" },
  { folder: 'tuned-sdtp', label: "SDTP (alternating), apical's search (sdtp-tuned.json)" },
  { folder: 'tuned-sdtp-fixed-decoders', label: "SDTP (alternating), apical's search with its decoders held at their initial weights (feedback lr 1e-9)" },
  { folder: 'seeds-sdtp-feedback-wide', label: "SDTP (alternating), apical's search with the feedback rate down to 1e-8 (tune-sdtp-feedback-wide/best.json)", readme: 'SDTP' },
  { folder: 'tuned-ao-sdtp', label: "AO-SDTP (alternating), apical's search (ao-sdtp-tuned.json)" },
  { folder: 'tuned-ao-sdtp-512', label: "AO-SDTP (alternating), apical's search with 512 auxiliary features (ao-sdtp-tuned.json, auxiliaryFeatures 512)", readme: 'AO-SDTP' },
  { folder: 'seeds-ao-sdtp-feedback-wide', label: "AO-SDTP (alternating), apical's search with the feedback rate down to 1e-8 (tune-ao-sdtp-feedback-wide/best.json)" },
];

/** The columns of randomSearchRows' tables. */
const randomSearchHeader = ['configurations k', 'lowest test %, the best by lowest test (their Table 1)', 'test % at best validation, the best by validation', 'lowest test %, the best by validation'];

/**
 * A random search of results/bartunov-mnist/<folder>/trials/ (each trial its own configuration and
 * seed) read as searches of k of its finished trials would report it: the expected best of k
 * (src/report/best-of.ts) chosen by lowest test error, as Bartunov et al.'s Table 1, or by
 * validation error, as apical's seeds; the last row is every finished trial.
 */
function randomSearchRows(folder: string, ks: readonly number[]): string[][] {
  const dir = results('bartunov-mnist', folder, 'trials');
  const trials = fs
    .readdirSync(dir)
    .filter((trial) => fs.existsSync(path.join(dir, trial, 'summary.json')))
    .map((trial) => ({ best: summary(path.join(dir, trial)).best_valid!, lowest: lowestTest(metrics(path.join(dir, trial, 'metrics.jsonl'))) }));
  const byTest = trials.map((t) => ({ key: t.lowest, value: t.lowest }));
  const byValid = (value: (t: (typeof trials)[number]) => number) => trials.map((t) => ({ key: t.best.valid_error, value: value(t) }));
  return [...ks.filter((k) => k < trials.length), trials.length].map((k) => [
    k === trials.length ? `${k} (every finished trial)` : String(k),
    pct(expectedBestOf(byTest, k)),
    pct(expectedBestOf(byValid((t) => t.best.test_error!), k)),
    pct(expectedBestOf(byValid((t) => t.lowest), k)),
  ]);
}

/** The lowest test error of the finished seeds in results/bartunov-mnist/<folder>/, "mean ± sd" in %. */
function lowestOverSeeds(folder: string): string {
  return bartunovSeedRows('bartunov-mnist', [[folder, folder]])[0]![4]!;
}

/** README's Bartunov figures: each rule's headline row of bartunovPaperRuns, "<rule> <lowest test % mean ± sd>". */
function bartunovReadmeFigures(): string {
  return bartunovPaperRuns
    .flatMap(({ folder, label, readme }) => (readme ? bartunovSeedRows('bartunov-mnist', [[folder, label]]).map((row) => `${readme} ${row[4]!.replace('%', '')}`) : []))
    .join(', ');
}

/**
 * Bartunov et al.'s protocol on Fashion-MNIST (`bash bench/bartunov.sh fashion-mnist`,
 * results/bartunov-fashion-mnist/seeds-<rule>/): the rules whose seeds have finished, as for MNIST;
 * the search's cost and settings (tune.md, best.json) are not recomputed.
 */
function bartunovFashionRows(): (string | null)[][] {
  const labels: readonly (readonly [string, string])[] = [
    ['seeds-bp', 'BP'],
    ['seeds-fa', 'FA'],
    ['seeds-fa-appendix', "FA, searched over Table 4's domain"],
    ['seeds-dfa', 'DFA'],
    ['seeds-dtp', 'DTP (α per example)'],
    ['seeds-sdtp', 'SDTP'],
    ['seeds-sdtp-feedback-wide', "SDTP, the decoders' rate down to 1e-8"],
    ['seeds-ao-sdtp', 'AO-SDTP'],
    ['seeds-ao-sdtp-512', 'AO-SDTP, 512 auxiliary features'],
  ];
  return bartunovSeedRows('bartunov-fashion-mnist', labels).map(([label, ...rest]) => [label, null, null, ...rest]);
}

/** Per rule folder of results/<data>/ with finished seeds: label, seeds, epochs run, test % at best validation and lowest test %, mean ± sd. */
function bartunovSeedRows(data: string, labels: readonly (readonly [string, string])[]): (string | null)[][] {
  return labels.flatMap(([folder, label]) => {
    const dir = results(data, folder);
    const runs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((run) => fs.existsSync(path.join(dir, run, 'summary.json'))).sort() : [];
    if (runs.length === 0) return [];
    const summaries = runs.map((run) => summary(path.join(dir, run)));
    const lowest = runs.map((run) => lowestTest(metrics(path.join(dir, run, 'metrics.jsonl'))));
    const overSeeds = (fractions: readonly number[]): string => (fractions.length > 1 ? meanSdPct(fractions) : pct(fractions[0]));
    return [[label, String(runs.length), summaries.map((s) => s.epochs_completed).join(', '), overSeeds(summaries.map((s) => s.best_valid!.test_error!)), overSeeds(lowest)]];
  });
}

/**
 * The full depth sweep's finished cells on one dataset (results/depth-sweep-full/<data>/cells/, copied from
 * `apical sweep experiments/depth-sweep-full-<data>.json`): per line with a finished cell, the test error
 * after the last epoch at each depth, seed 1 · seed 2, "…" where that seed's cell has not finished.
 */
function fullSweepRows(data: 'mnist' | 'fashion'): (string | null)[][] {
  const lines: readonly (readonly [string, string, string])[] = [
    ['tanh', 'bp', 'tanh · bp'],
    ['sign', 'bp', 'sign · bp (true derivative)'],
    ['sign', 'bp-ste', 'sign · bp-ste'],
    ['sign', 'dtp-st', 'sign · dtp-st'],
    ['quantise4', 'bp', 'quantise4 · bp (true derivative)'],
    ['quantise4', 'bp-ste', 'quantise4 · bp-ste'],
    ['quantise4', 'dtp-st', 'quantise4 · dtp-st'],
    ['stochastic', 'bp-ste', 'stochastic · bp-ste'],
    ['stochastic', 'dtp-st', 'stochastic · dtp-st'],
  ];
  return lines
    .map(([units, rule, label]) => [label, ...[2, 4, 8, 16].map((depth) => fullSweepSeeds(data, units, rule, depth))])
    .filter((row) => row.slice(1).some((value) => value !== '… · …'));
}

/** The full sweep's tables on one dataset: its cells (after `cellsAfter`), the per-layer diagnostics by depth, and the issue's goal checked on the cells. */
function fullSweepTables(data: 'mnist' | 'fashion', cellsAfter: string, dataName: string): ResultTable[] {
  return [
    {
      doc: 'RESULTS.md',
      after: `Per-layer diagnostics by depth, ${dataName}`,
      header: ['units · depth', '∠ST at h1 (°)', '∠ST under the top hidden layer (°)', 'rms(ĥ − h) at h1', 'decoder loss at h1'],
      rows: fullSweepDiagnosticsRows(data),
    },
    { doc: 'RESULTS.md', after: cellsAfter, header: ['units · rule', 'depth 2', 'depth 4', 'depth 8', 'depth 16'], rows: fullSweepRows(data) },
    {
      doc: 'RESULTS.md',
      after: `The issue's goal, cell by cell, on ${dataName}`,
      header: ['units · depth', 'dtp-st %', 'straight-through BP %', 'true-derivative BP %', 'dtp-st − straight-through', 'within 1 point', 'below the true derivative'],
      rows: fullSweepGoalRows(data),
    },
  ];
}

/** A full-sweep cell's test error after its last epoch (a fraction), or null while it has not finished. */
function fullSweepCell(data: 'mnist' | 'fashion', units: string, rule: string, depth: number, seed: number): number | null {
  const dir = results('depth-sweep-full', data, 'cells', `depth-sweep-full-${data}-${units}-${rule}-d${depth}-s${seed}`);
  return fs.existsSync(path.join(dir, 'summary.json')) ? summary(dir).final!.test_error : null;
}

/**
 * The full sweep's per-layer diagnostics by depth (results/depth-sweep-full/<data>/sweep-layers.csv, the
 * sweep's own file: each hidden layer at the last epoch), per target-propagation line and depth, seed 1 ·
 * seed 2: the angle between the target step ĥ − h and the straight-through gradient at h1 and at the
 * layer under the top hidden one, the step's rms at h1, and the loss of the decoder forming h1's target.
 */
function fullSweepDiagnosticsRows(data: 'mnist' | 'fashion'): (string | null)[][] {
  const file = results('depth-sweep-full', data, 'sweep-layers.csv');
  const rows = fs.existsSync(file) ? csv(file) : [];
  const at = (units: string, depth: number, layer: string, column: string, shown: (v: number) => string): string =>
    [1, 2]
      .map((seed) => rows.find((r) => r.units === units && r.rule === 'dtp-st' && r.depth === String(depth) && r.seed === String(seed) && r.layer === layer))
      .map((r) => (r && r[column] !== '' ? shown(Number(r[column])) : '…'))
      .join(' · ');
  return ['sign', 'quantise4', 'stochastic'].flatMap((units) =>
    [2, 4, 8, 16].map((depth) => [
      `${units} · ${depth}`,
      at(units, depth, 'h1', 'target_angle_st_deg', (v) => v.toFixed(0)),
      at(units, depth, `h${depth - 1}`, 'target_angle_st_deg', (v) => v.toFixed(0)),
      at(units, depth, 'h1', 'target_rms', (v) => v.toExponential(1)),
      at(units, depth, 'h1', 'reconstruction_error', (v) => v.toFixed(1)),
    ]),
  );
}

/** A full-sweep line's test errors at one depth, "seed 1 · seed 2" in %, "…" for a seed not finished. */
function fullSweepSeeds(data: 'mnist' | 'fashion', units: string, rule: string, depth: number): string {
  return [1, 2].map((seed) => fullSweepCell(data, units, rule, depth, seed)).map((error) => (error === null ? '…' : pct(error))).join(' · ');
}

/**
 * Issue 17's goal, cell by cell, from the full sweep's cells: per discrete unit type and depth, the test
 * error of target propagation (dtp-st), straight-through BP and BP through the true derivative (mean over
 * the seeds finished, their number in brackets), dtp-st's distance from straight-through BP in points,
 * and whether it is within 1 point and below the true derivative's error. "…" where a line has no seed
 * finished; "—" where the line does not exist (stochastic samples have no true derivative).
 */
function fullSweepGoalRows(data: 'mnist' | 'fashion'): (string | null)[][] {
  /** The test errors (%) of the seeds finished. */
  const seeds = (units: string, rule: string, depth: number): number[] =>
    [1, 2].map((seed) => fullSweepCell(data, units, rule, depth, seed)).filter((e): e is number => e !== null).map((e) => 100 * e);
  const average = (errors: readonly number[]): number => meanSd(errors).mean;
  const shown = (errors: readonly number[]): string => (errors.length === 0 ? '…' : `${average(errors).toFixed(2)} (${errors.length})`);
  return ['sign', 'quantise4', 'stochastic'].flatMap((units) =>
    [2, 4, 8, 16].map((depth) => {
      const tp = seeds(units, 'dtp-st', depth);
      const ste = seeds(units, 'bp-ste', depth);
      const exact = units === 'stochastic' ? null : seeds(units, 'bp', depth);
      const gap = tp.length && ste.length ? average(tp) - average(ste) : null;
      const beats = exact === null ? '—' : tp.length && exact.length ? (average(tp) < average(exact) ? 'yes' : 'no') : '…';
      return [
        `${units} · ${depth}`,
        shown(tp),
        shown(ste),
        exact === null ? '—' : shown(exact),
        gap === null ? '…' : `${gap >= 0 ? '+' : '−'}${Math.abs(gap).toFixed(2)}`,
        gap === null ? '…' : gap <= 1 ? 'yes' : 'no',
        beats,
      ];
    }),
  );
}

/** A searched setting as the tables print it: small rates in exponent form, the rest to three figures. */
const settingValue = (value: number): string => (value < 0.01 ? value.toExponential(2) : String(Number(value.toPrecision(3))));

/** One of issue 17's per-cell searches on validation, read from its committed files. */
export interface DepthSweepSearch {
  /** Dotted paths, as the space file names them. */
  readonly fields: readonly string[];
  /** The last rung's trial with the lowest validation error at its last epoch, with its settings; null while that rung has not finished. */
  readonly chosen: { readonly trial: string; readonly settings: Readonly<Record<string, number>>; readonly validError: number; readonly records: readonly Metrics[] } | null;
  /** The sweep's setting before the search: its seed-1 cell's validation error at the budget's epoch. */
  readonly beforeValid: number | null;
  /** The chosen setting validates lower than the sweep's. */
  readonly adopted: boolean;
  readonly hours: number;
  /** The seed-1 cell's folder before the search (before-search/ once the choice is adopted) and now (cells/). */
  readonly beforeSearch: string;
  readonly current: string;
}

/**
 * Issue 17's per-cell search of `cell` (e.g. "sign-bp-ste-d8") on `data`, from
 * results/depth-sweep-full/tune/<data>/<cell>/ (`bash bench/depth-sweep-tune.sh <data> <cell>:<space>`; the
 * cell's seed 1, 12 trials, successive halving to its 20 epochs). The choice is the last rung's trial
 * with the lowest validation error at its last epoch (the sweep reports the last epoch's test error),
 * and it is adopted when that is below the sweep's own setting's (its seed-1 cell, in <data>/before-search/
 * once the search's setting replaced it, else in <data>/cells/). Hours: the trials' wall-clock epoch
 * seconds, one core.
 */
export function depthSweepSearch(data: 'mnist' | 'fashion', cell: string): DepthSweepSearch {
  const dir = results('depth-sweep-full', 'tune', data, cell);
  const trials = csv(path.join(dir, 'trials.csv'));
  const columns = Object.keys(trials[0]);
  const fields = columns.slice(columns.indexOf('epochs') + 1, columns.indexOf('status'));
  const budget = Math.max(...trials.map((t) => Number(t.epochs)));
  const lastValid = (records: readonly Metrics[]): number => records[records.length - 1].valid_error;
  const [best] = trials
    .filter((t) => Number(t.epochs) === budget && (t.status === 'finished' || t.status === 'skipped'))
    .map((t) => ({ trial: t, records: metrics(path.join(dir, t.out, 'metrics.jsonl')) }))
    .filter(({ records }) => records.length === budget)
    .sort((a, b) => lastValid(a.records) - lastValid(b.records) || Number(a.trial.trial) - Number(b.trial.trial));
  const cellName = `depth-sweep-full-${data}-${cell}-s1`;
  const beforeSearch = results('depth-sweep-full', data, 'before-search', cellName);
  const current = results('depth-sweep-full', data, 'cells', cellName);
  const before = path.join(fs.existsSync(beforeSearch) ? beforeSearch : current, 'metrics.jsonl');
  const beforeValid = fs.existsSync(before) ? (atEpoch(metrics(before), budget)?.valid_error ?? null) : null;
  const chosen = best ? { trial: best.trial.trial, settings: Object.fromEntries(fields.map((f) => [f, Number(best.trial[f])])), validError: lastValid(best.records), records: best.records } : null;
  return {
    fields,
    chosen,
    beforeValid,
    adopted: chosen !== null && beforeValid !== null && chosen.validError < beforeValid,
    hours: trials.reduce((sum, t) => sum + (t.training_seconds === '' ? 0 : Number(t.training_seconds)), 0) / 3600,
    beforeSearch,
    current,
  };
}

/**
 * Issue 17's per-cell searches (depthSweepSearch), a row each: the fields searched, the choice and its
 * validation error at epoch 20, the sweep's setting's before the search, whether the choice was adopted,
 * for an adopted choice whether the sweep's re-run seed-1 cell trained exactly as the trial did (training
 * error and loss at every epoch: the trial validates every epoch, the cell every 10th), and the hours.
 */
function depthSweepSearchRows(): (string | null)[][] {
  const datasets: readonly (readonly ['mnist' | 'fashion', string])[] = [
    ['mnist', 'MNIST'],
    ['fashion', 'Fashion-MNIST'],
  ];
  const training = (records: readonly Metrics[]): string => JSON.stringify(records.map((r) => [r.train_error, r.loss]));
  return datasets.flatMap(([data, dataName]) => {
    const dir = results('depth-sweep-full', 'tune', data);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .sort()
      .filter((cell) => fs.existsSync(path.join(dir, cell, 'trials.csv')))
      .map((cell) => {
        const search = depthSweepSearch(data, cell);
        const { chosen } = search;
        const rerun = path.join(search.current, 'metrics.jsonl');
        /** '—' when nothing was adopted, '…' while the adopted cell has not been re-run. */
        const retrainsAsTrial = (): string => {
          if (!search.adopted) return '—';
          if (!fs.existsSync(search.beforeSearch) || !fs.existsSync(rerun)) return '…';
          return training(metrics(rerun)) === training(chosen!.records) ? 'yes' : 'no';
        };
        return [
          `${dataName} · ${cell}`,
          search.fields.join(', '),
          chosen ? `trial ${chosen.trial}: ${search.fields.map((f) => `${f.split('.').pop()} ${settingValue(chosen.settings[f])}`).join(', ')}` : '…',
          chosen ? pct(chosen.validError) : '…',
          pct(search.beforeValid),
          chosen ? (search.adopted ? 'yes' : 'no') : '…',
          retrainsAsTrial(),
          search.hours.toFixed(2),
        ];
      });
  });
}

/**
 * Sequential MNIST with each rule tuned on validation (results/tptt/seq-mnist-tuned/<rule>/, `sh
 * results/tptt/run-seq-mnist-tuned.sh`): per rule, its seeds' test error after epoch 10 and at the epoch
 * of best validation, mean ± sd over seeds 1–3, and the search's CPU hours (tune.md).
 */
function seqMnistTunedRows(): (string | null)[][] {
  const labels: readonly (readonly [string, string])[] = [['bptt', 'BPTT'], ['tptt', 'TPTT'], ['fa-tt', 'random feedback through time']];
  return labels.map(([rule, label]) => {
    const runs = [1, 2, 3].map((seed) => summary(results('tptt', 'seq-mnist-tuned', rule, `seq-mnist-${rule}-tuned-s${seed}`)));
    const hours = /Training time: ([\d.]+) CPU hours/.exec(fs.readFileSync(results('tptt', 'seq-mnist-tuned', rule, 'tune', 'tune.md'), 'utf8'))![1];
    return [label, null, meanSdPct(runs.map((s) => s.final!.test_error!)), meanSdPct(runs.map((s) => s.best_valid!.test_error!)), hours];
  });
}

/** The missing-modality table: the last epoch of each seed's run, both-views and top-only networks. */
function missingViewRows(): (string | null)[][] {
  const last = (run: string): Metrics[] => [1, 2, 3].map((seed) => metrics(results('missing-view', `${run}-s${seed}`, 'metrics.jsonl')).pop()!);
  const both = last('mnist-halves-dtp');
  const topOnly = last('mnist-halves-dtp-top-only');
  const errors = (runs: readonly Metrics[], field: string): string => meanSdPct(runs.map((r) => r[field] as number));
  const squared = (runs: readonly Metrics[], field: string): string => {
    const { mean, sd } = meanSd(runs.map((r) => r[field] as number));
    return `${mean.toFixed(2)} ± ${sd.toFixed(2)}`;
  };
  return [
    ['both halves, both halves', errors(both, 'test_error'), null],
    ['both halves, the bottom zero-filled', errors(both, 'test_error_zero_filled'), squared(both, 'missing_view_sse_zero_filled')],
    ['both halves, the bottom filled in by g1', errors(both, 'test_error_filled_in'), squared(both, 'missing_view_sse_filled_in')],
    ['the top half only, the bottom blank (as trained)', errors(topOnly, 'test_error_zero_filled'), null],
    ['the top half only, the bottom filled in by g1', errors(topOnly, 'test_error_filled_in'), squared(topOnly, 'missing_view_sse_filled_in')],
  ];
}

/** CUBA against Brian2 (results/cuba/seed-S/summary.json, `apical run experiments/cuba.json --seed S`): spikes, mean rate, ISI CV. */
function cubaRows(): string[][] {
  return [1, 2, 3, 4, 5].map((seed) => {
    const s = JSON.parse(fs.readFileSync(results('cuba', `seed-${seed}`, 'summary.json'), 'utf8')) as { spikes: number; mean_rate_hz: number; isi_cv: number };
    return [String(seed), s.spikes.toLocaleString('en-US'), s.mean_rate_hz.toFixed(3), s.isi_cv.toFixed(3)];
  });
}

/**
 * The lesion demonstration (results/lesion-feedback/{intact,lesioned}/): train / test error per
 * epoch of both runs, and the rms of W1's and W5's update over each epoch of the lesioned run
 * (its record/weights.jsonl).
 */
function lesionRows(): string[][] {
  const errors = (run: string): string[] => metrics(results('lesion-feedback', run, 'metrics.jsonl')).map((r) => `${pct(r.train_error)} / ${pct(r.test_error)}`);
  const weights = metrics(results('lesion-feedback', 'lesioned', 'record', 'weights.jsonl'));
  const rmsUpdate = (name: string): string[] => weights.filter((w) => w.name === name).map((w) => (w.update.rms as number).toExponential(1));
  return [
    ['intact: train / test error (%)', ...errors('intact')],
    ['g4 silenced from epoch 4', ...errors('lesioned')],
    ['rms update of W1 over the epoch', ...rmsUpdate('W1')],
    ['rms update of W5 over the epoch', ...rmsUpdate('W5')],
  ];
}

/**
 * The spiking DTP validation search (results/mnist-spiking-dtp/search/<name>/metrics.jsonl, each run
 * of <name>.json there): validation error (%) after each of up to 8 epochs, one row per setting.
 */
function spikingSearchRows(rows: readonly (readonly [string, string])[]): string[][] {
  return rows.map(([label, name]) => {
    const valid = metrics(results('mnist-spiking-dtp', 'search', name, 'metrics.jsonl')).map((r) => pct(r.valid_error));
    return [label, ...Array.from({ length: 8 }, (_, i) => valid[i] ?? '')];
  });
}

/** A 20-epoch comparison run committed under results/compare-mnist/twenty-epochs/ (the compare's run folder). */
const twentyEpochRun = (label: string, seed: number): string => results('compare-mnist', 'twenty-epochs', `${compareLabels.find(([l]) => l === label)![1]}-s${seed}`);

/** The seeds (of 1–3) whose 20-epoch runs of every one of `rules` are committed. */
function twentyEpochSeeds(rules: readonly string[]): number[] {
  return [1, 2, 3].filter((seed) => rules.every((label) => fs.existsSync(path.join(twentyEpochRun(label, seed), 'summary.json'))));
}

/**
 * The committed 20-epoch re-runs (results/compare-mnist/twenty-epochs/) whose final train, validation
 * and test errors, best validation epoch or test error there differ from their row of the first
 * comparison's compare-20-epochs.csv, as "<run>: <field> <re-run> against <csv>"; RESULTS.md says none do.
 */
export function twentyEpochRerunDifferences(): string[] {
  const rows = csv(results('compare-mnist', 'compare-20-epochs.csv'));
  const dir = results('compare-mnist', 'twenty-epochs');
  return fs
    .readdirSync(dir)
    .filter((run) => fs.existsSync(path.join(dir, run, 'summary.json')))
    .flatMap((run) => {
      const s = summary(path.join(dir, run));
      const row = rows.find((r) => r.experiment === s.experiment && Number(r.seed) === s.seed);
      if (!row) return [`${run}: no row in compare-20-epochs.csv`];
      const fields: [string, number | null | undefined][] = [
        ['train_error', s.final?.train_error],
        ['valid_error', s.final?.valid_error],
        ['test_error', s.final?.test_error],
        ['best_valid_epoch', s.best_valid?.epoch],
        ['best_valid_test_error', s.best_valid?.test_error],
      ];
      return fields.filter(([field, value]) => value !== Number(row[field])).map(([field, value]) => `${run}: ${field} ${value} against ${row[field]}`);
    });
}

/**
 * Alignment with back-propagation: per layer, the mean over the seeds committed for every rule of
 * each run's first and last alignment sample (metrics.jsonl), as "first→last" in degrees: the update
 * angle with BP's update for every hidden layer, the feedback matrix's angle with W for each feedback matrix.
 */
function alignmentTable(after: string, rules: readonly string[]): ResultTable {
  const seeds = twentyEpochSeeds(rules);
  const runs = new Map(rules.map((label) => [label, seeds.map((seed) => readAlignment(twentyEpochRun(label, seed)))]));
  const steps = [...runs.values()].flat(2).map((s) => s.step);
  const [first, last] = [Math.min(...steps), Math.max(...steps)];
  const angle = (samples: ReturnType<typeof readAlignment>[], key: string, layer: string, step: number): string => {
    const values = samples.map((run) => (run.find((s) => s.step === step)?.[key] as Record<string, number | 'NaN'>)[layer]).filter((v): v is number => typeof v === 'number');
    return meanSd(values).mean.toFixed(0);
  };
  const layers = (samples: ReturnType<typeof readAlignment>[], key: string): string[] => Object.keys(samples[0][0][key] as object);
  const firstToLast = (samples: ReturnType<typeof readAlignment>[], key: string, layer: string): string => `${angle(samples, key, layer, first)}→${angle(samples, key, layer, last)}`;
  return {
    doc: 'RESULTS.md',
    after,
    header: [
      'rule',
      `update angle ${layers([...runs.values()][0], 'update_angle').join(' / ')} (°), step ${first} → ${last}, ${seeds.length > 1 ? `mean of seeds ${seeds.join(', ')}` : `seed ${seeds[0]}`}`,
      `∠(B, W) per feedback matrix, step ${first} → ${last}`,
    ],
    rows: [...runs].map(([label, samples]) => {
      const feedback = layers(samples, 'feedback_angle');
      return [
        label,
        layers(samples, 'update_angle').map((layer) => firstToLast(samples, 'update_angle', layer)).join(' / '),
        feedback.length ? feedback.map((layer) => `${layer} ${firstToLast(samples, 'feedback_angle', layer)}`).join(', ') : '—',
      ];
    }),
  };
}

/** A table as Markdown; cells not recomputed are "·". */
export function tableMarkdown(table: ResultTable): string {
  const line = (cells: readonly (string | null)[]): string => `| ${cells.map((c) => c ?? '·').join(' | ')} |`;
  return [line(table.header), `|${table.header.map(() => '---').join('|')}|`, ...table.rows.map(line)].join('\n');
}

if (require.main === module) {
  for (const table of resultsTables()) process.stdout.write(`${table.doc}, the table after “${table.after}”:\n\n${tableMarkdown(table)}\n\n`);
  process.stdout.write('No files behind:' + (unbacked.length === 0 ? ' none' : '\n' + unbacked.map((u) => `- ${u.doc}: ${u.table}: ${u.files}`).join('\n')) + '\n');
}
