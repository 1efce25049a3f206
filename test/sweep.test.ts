/**
 * apical sweep: cells generated from a sweep file are ordinary experiment files; a tiny sweep runs
 * through the local process pool, a cell whose rule needs a derivative the units lack is reported
 * with that reason, and the table, CSV and figure agree with the runs' summaries.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweep } from '../src/jobs/sweep';
import { loadSweep, planSweep } from '../src/experiment/sweep';
import { LocalPool } from '../src/jobs/local-pool';
import { depthFigure, sweepLayersCsv, sweepMarkdown } from '../src/report/sweep';
import { layerDiagnostics } from '../src/report/layer-diagnostics';
import { ABSOLUTE_PATH } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-sweep-'));
const bp = { rule: { name: 'bp' }, optimizer: { forward: { name: 'adam', lr: 0.003 } } };

function sweepFile(extra: Record<string, unknown> = {}): string {
  const file = path.join(tmp, 'tiny-sweep.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'tiny',
      depths: [1, 2],
      width: 16,
      data: { validation: 500, trainLimit: 300 },
      training: { epochs: 1, batchSize: 50 },
      lines: [
        { units: 'sign', rule: 'bp-ste', layer: { units: 'tanh', send: { name: 'sign', derivative: 'identity' } }, learning: bp },
        { units: 'stochastic', rule: 'bp', layer: { units: 'sigmoid', send: 'sample' }, learning: bp },
      ],
      ...extra,
    }),
  );
  return file;
}

describe('apical sweep', () => {
  it('generates one experiment per line and depth: `depth` hidden layers of `width` units under a softmax', () => {
    const cells = planSweep(loadSweep(sweepFile()), path.join(tmp, 'plan'));
    expect(cells.map((c) => c.key)).toEqual(['tiny-sign-bp-ste-d1', 'tiny-sign-bp-ste-d2', 'tiny-stochastic-bp-d1', 'tiny-stochastic-bp-d2']);
    const { model } = cells[1].experiment;
    expect(model.layers).toEqual([
      { units: 'tanh', send: { name: 'sign', derivative: 'identity' }, size: 16, repeat: 2 },
      { size: 10, units: 'softmax' },
    ]);
    expect(fs.existsSync(path.join(tmp, 'plan', 'experiments', 'tiny-sign-bp-ste-d2.json'))).toBe(true);
  });

  it('names the sweep file and line when a generated experiment is invalid', () => {
    const file = sweepFile({ lines: [{ units: 'sign', rule: 'x', layer: { units: 'sgn' }, learning: bp }] });
    expect(() => planSweep(loadSweep(file), path.join(tmp, 'bad'))).toThrow(`${file}: /lines/0 (sign x): /model/layers/0/units`);
  });

  it('runs every cell, reports cells that cannot run with the reason, and writes CSV, table and figure', async () => {
    const out = path.join(tmp, 'run');
    const rows = await sweep(sweepFile(), new LocalPool({ jobs: 2 }), { out, command: 'apical sweep (test)' });
    expect(rows.map((r) => `${r.units} ${r.rule} ${r.depth} ${r.status}`)).toEqual([
      'sign bp-ste 1 finished', 'sign bp-ste 2 finished', 'stochastic bp 1 failed', 'stochastic bp 2 failed',
    ]);
    expect(rows[2].error).toContain('population h1: output transform sample declares no derivative');
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    const test = (100 * rows[0].summary!.final!.test_error!).toFixed(2);
    expect(csv[1].startsWith(`sign,bp-ste,1,finished,1,`)).toBe(true);
    expect(csv[1].split(',')[6]).toBe(test);
    const markdown = fs.readFileSync(path.join(out, 'sweep.md'), 'utf8');
    expect(markdown).toContain(`| sign · bp-ste | ${test} | ${(100 * rows[1].summary!.final!.test_error!).toFixed(2)} |`);
    expect(markdown).toContain('| stochastic · bp | n/a [1] | n/a [2] |');
    // The output folder was given as an absolute path; the files name it relative to the working directory.
    expect(markdown).toContain(`[1] stochastic · bp, depth 1: ${path.relative(process.cwd(), path.join(out, 'experiments'))}`);
    expect(markdown).not.toMatch(ABSOLUTE_PATH);
    expect(csv.join('\n')).not.toMatch(ABSOLUTE_PATH);
    const figure = depthFigure(rows);
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0]).toMatchObject({ name: 'sign · bp-ste', x: [1, 2] });
    expect(figure.data[1]).toMatchObject({ name: 'stochastic · bp', x: [], y: [] });
    expect(fs.readFileSync(path.join(out, 'sweep.html'), 'utf8')).toContain('"name":"sign · bp-ste"');
    // A second sweep into the same folder resumes: finished cells are skipped.
    const again = await sweep(sweepFile(), new LocalPool({ jobs: 2 }), { out, command: 'apical sweep (test)' });
    expect(again.map((r) => r.status)).toEqual(['skipped', 'skipped', 'failed', 'failed']);
  });

  it('shows cells not run yet as pending while the sweep is under way', () => {
    const pending = { units: 'sign', rule: 'dtp', depth: 4, status: 'pending' as const, out: 'x' };
    expect(sweepMarkdown('t', [pending], [])).toContain('| sign · dtp | … |');
    expect(depthFigure([pending]).data[0]).toMatchObject({ x: [], y: [] });
  });

  it('hands the sweep\'s metrics to every cell', () => {
    const cells = planSweep(loadSweep(sweepFile({ metrics: { alignmentEvery: 7 } })), path.join(tmp, 'metrics'));
    expect(cells.map((c) => c.experiment.metrics.alignmentEvery)).toEqual([7, 7, 7, 7]);
  });

  it('reads per-layer diagnostics from the last epoch: decoder losses and mean target angles, NaN skipped', () => {
    const dir = path.join(tmp, 'diagnostics');
    fs.mkdirSync(dir, { recursive: true });
    const sample = (st1: number | 'NaN', st2: number) => ({ step: 1, update_angle: {}, feedback_angle: {}, feedback_norm_ratio: {}, target_angle: { h1: 'NaN', h2: 1 }, target_angle_st: { h1: st1, h2: st2 }, target_rms: { h1: 0.5, h2: 2 } });
    const epoch = (recon: number, samples: unknown[]) => JSON.stringify({ epoch: 1, reconstruction_error: { g2: recon }, alignment: samples });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [epoch(99, [sample(0, 0)]), epoch(3.5, [sample(80, 10), sample('NaN', 20)])].join('\n') + '\n');
    const layers = layerDiagnostics(dir, 2);
    expect(layers).toEqual([
      { layer: 'h1', recon: 3.5, angle_st: 80, angle: NaN, rms: 0.5 },
      { layer: 'h2', recon: null, angle_st: 15, angle: 1, rms: 2 },
    ]);
    const row = { units: 'sign', rule: 'dtp', depth: 2, status: 'finished' as const, out: dir, layers };
    expect(sweepLayersCsv([row]).split('\n')[1]).toBe('sign,dtp,2,h1,3.5000,80.00,NaN,0.50000');
    expect(sweepMarkdown('t', [row], [])).toContain('| sign · dtp | 2 | 80 · 15 | 0.50 · 2.0 | 3.5 · — |');
    expect(layerDiagnostics(path.join(tmp, 'nowhere'), 2)).toEqual([]);
  });
});
