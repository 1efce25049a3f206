/**
 * Adopts one of issue 17's per-cell searches into the full depth sweep: when the search's choice
 * validates lower than the sweep's own setting (bench/results-tables.ts, depthSweepSearch), writes the
 * chosen fields into the line's `atDepth` entry of experiments/depth-sweep-full-<data>.json (replacing
 * earlier values of the same fields) and moves the cell's committed seeds (every seed of the sweep) from
 * results/depth-sweep-full/<data>/cells/ to <data>/before-search/, where the tables keep reading the setting
 * before the search. `apical sweep` then re-runs the cell (move its run folders out of the sweep's run
 * folder first: a finished folder is skipped) and copy-cells.sh brings the new seeds back.
 *
 *   npm run build && node dist/bench/depth-sweep-adopt.js fashion sign-bp-ste-d8
 */
import * as fs from 'fs';
import * as path from 'path';
import { depthSweepSearch } from './results-tables';

/** The project's root, from bench/ or dist/bench/. */
const root = path.resolve(__dirname, '..', ...(path.basename(path.dirname(__dirname)) === 'dist' ? ['..'] : []));

interface SweepLine {
  readonly units: string;
  readonly rule: string;
  atDepth?: Record<string, string[]>;
}

function adopt(data: 'mnist' | 'fashion', cell: string): string {
  const parsed = /^(.+?)-(.+)-d(\d+)$/.exec(cell);
  if (!parsed) throw new Error(`${cell}: not a cell name <units>-<rule>-d<depth>`);
  const [, units, rule, depth] = parsed;
  const search = depthSweepSearch(data, cell);
  if (!search.chosen) throw new Error(`${cell}: the search on ${data} has not finished its last rung`);
  if (fs.existsSync(search.beforeSearch)) return `${cell}: already adopted (${search.beforeSearch} exists)`;
  if (!search.adopted) return `${cell}: kept the sweep's setting (validation ${search.beforeValid} against the search's ${search.chosen.validError})`;
  const file = path.join(root, 'experiments', `depth-sweep-full-${data}.json`);
  const sweep = JSON.parse(fs.readFileSync(file, 'utf8'));
  const line: SweepLine | undefined = sweep.lines.find((l: SweepLine) => l.units === units && l.rule === rule);
  if (!line) throw new Error(`${file}: no line ${units} · ${rule}`);
  const kept = (line.atDepth?.[depth] ?? []).filter((entry) => !search.fields.includes(entry.slice(0, entry.indexOf('='))));
  line.atDepth = { ...line.atDepth, [depth]: [...kept, ...search.fields.map((f) => `${f}=${search.chosen!.settings[f]}`)] };
  fs.writeFileSync(file, JSON.stringify(sweep, null, 2) + '\n');
  const seeds: readonly number[] = sweep.seeds ?? [1];
  const moved = seeds.map((seed) => search.current.replace(/-s1$/, `-s${seed}`)).filter((folder) => fs.existsSync(folder));
  for (const folder of moved) {
    const to = folder.replace(`${path.sep}cells${path.sep}`, `${path.sep}before-search${path.sep}`);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(folder, to);
  }
  return `${cell}: ${line.atDepth[depth].join(' ')} in ${file}; ${moved.length} cells moved to before-search/`;
}

const [data, ...cells] = process.argv.slice(2);
if ((data !== 'mnist' && data !== 'fashion') || cells.length === 0) {
  process.stderr.write('usage: node dist/bench/depth-sweep-adopt.js mnist|fashion <cell>...\n');
  process.exit(2);
}
for (const cell of cells) {
  try {
    process.stdout.write(adopt(data, cell) + '\n');
  } catch (error) {
    process.stderr.write(`depth-sweep-adopt: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
