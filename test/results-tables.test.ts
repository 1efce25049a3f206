/**
 * Every figure of README.md and RESULTS.md that a committed file backs equals what
 * bench/results-tables.ts recomputes from results/ (metrics.jsonl, summary.json, compare and sweep
 * CSVs): a figure that drifts from its files, or a table row whose files are gone, fails here; so
 * does an image of docs/ drawn from committed runs when its script or one of its runs is missing.
 */
import * as fs from 'fs';
import { figures, meulemans100OverviewDifferences, resultsTables, ResultTable, twentyEpochRerunDifferences } from '../bench/results-tables';
import { readAlignment } from '../src/report/figures/alignment';

/** A Markdown line's cells, bold marks and outer spaces removed. */
const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.replace(/\*\*/g, '').trim());

/** The rows (header included) of the first table after `after` in `doc`. */
function documentTable(doc: string, after: string): string[][] {
  const text = fs.readFileSync(doc, 'utf8');
  const at = text.indexOf(after);
  expect(at).toBeGreaterThanOrEqual(0);
  const lines = text.slice(at + after.length).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end).filter((_, i) => i !== 1).map(cells);
}

const tables = resultsTables();

describe.each(tables.map((t): [string, ResultTable] => [`${t.doc}, the table after "${t.after}"`, t]))('%s', (_, table) => {
  const [header, ...rows] = documentTable(table.doc, table.after);

  it('has the columns the recomputation fills', () => {
    expect(header).toEqual(table.header);
  });

  it.each(table.rows.map((row): [string, readonly (string | null)[]] => [row[0]!, row]))('row "%s" matches its files', (label, computed) => {
    const written = rows.find((row) => row[0] === label);
    expect(written).toBeDefined();
    computed.forEach((cell, i) => {
      if (cell !== null) expect(`${table.header[i]}: ${written![i]}`).toBe(`${table.header[i]}: ${cell}`);
    });
  });
});

it('the committed 20-epoch re-runs reproduce compare-20-epochs.csv, as RESULTS.md says', () => {
  expect(twentyEpochRerunDifferences()).toEqual([]);
});

it("the 100-epoch table reads their runs' test error at best validation as their own summary (performance_overview.txt) gives it", () => {
  expect(meulemans100OverviewDifferences()).toEqual([]);
});

describe.each(figures.map((f): [string, (typeof figures)[number]] => [f.image, f]))('%s', (_, figure) => {
  it('is redrawn by its script from committed runs, each with alignment samples at the same steps', () => {
    expect(fs.existsSync(figure.image)).toBe(true);
    expect(fs.existsSync(figure.script)).toBe(true);
    const steps = figure.runs().map((run) => readAlignment(run).map((s) => s.step));
    expect(steps[0].length).toBeGreaterThan(0);
    figure.runs().forEach((run, i) => expect(`${run}: ${steps[i].join(',')}`).toBe(`${run}: ${steps[0].join(',')}`));
  });
});
