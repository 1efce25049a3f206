/**
 * apical sweep: cells generated from a sweep file are ordinary experiment files; a tiny sweep runs
 * through the local process pool, a cell whose rule needs a derivative the units lack is reported
 * with that reason, and the table, CSV and figure agree with the runs' summaries. A sweep over the
 * settings of an experiment file runs the committed spiking DTP file like any other.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweep } from '../src/jobs/sweep';
import { loadSweep, planSweep } from '../src/experiment/sweep';
import { LocalPool } from '../src/jobs/local-pool';
import { sweepFigure, sweepLayersByEpochCsv, sweepLayersCsv, sweepMarkdown } from '../src/report/sweep';
import { layerDiagnosticsByEpoch } from '../src/report/layer-diagnostics';
import { RunRequest } from '../src/jobs/job';
import { ABSOLUTE_PATH, runMetrics } from './helpers';
import { recordingPool, runStoppedAfterEpoch1 } from './stopped-runs';

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
    const { cells, axes } = planSweep(loadSweep(sweepFile()), path.join(tmp, 'plan'));
    expect(axes.map((axis) => axis.name)).toEqual(['units', 'rule', 'depth']);
    expect(cells[1].labels).toEqual(['sign', 'bp-ste', 2]);
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
    expect(rows.map((r) => `${r.labels.join(' ')} ${r.status}`)).toEqual([
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
    const figure = sweepFigure(planSweep(loadSweep(sweepFile()), out), rows);
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0]).toMatchObject({ name: 'sign · bp-ste', x: [1, 2] });
    expect(figure.data[1]).toMatchObject({ name: 'stochastic · bp', x: [], y: [] });
    expect(fs.readFileSync(path.join(out, 'sweep.html'), 'utf8')).toContain('"name":"sign · bp-ste"');
    // Without alignment metrics there are no per-layer diagnostics to write.
    expect(fs.existsSync(path.join(out, 'sweep-layers.csv'))).toBe(false);
    // A second sweep into the same folder resumes: finished cells are skipped.
    const again = await sweep(sweepFile(), new LocalPool({ jobs: 2 }), { out, command: 'apical sweep (test)' });
    expect(again.map((r) => r.status)).toEqual(['skipped', 'skipped', 'failed', 'failed']);
  });

  it('continues a cell stopped part way from its checkpoint, to the same metrics as a cell never stopped', async () => {
    const file = sweepFile({ depths: [1], training: { epochs: 2, batchSize: 50 }, lines: [JSON.parse(fs.readFileSync(sweepFile(), 'utf8')).lines[0]] });
    const [whole, stopped] = [path.join(tmp, 'resume-whole'), path.join(tmp, 'resume-stopped')];
    await sweep(file, new LocalPool({ jobs: 1 }), { out: whole, command: 'apical sweep (test)' });
    const [cell] = planSweep(loadSweep(file), stopped).cells;
    expect(await runStoppedAfterEpoch1(cell.experiment, path.join(stopped, cell.key))).toMatchObject({ interrupted: true, epochs_completed: 1 });
    const asked: RunRequest[] = [];
    const lines: string[] = [];
    const [row] = await sweep(file, recordingPool(asked), { out: stopped, command: 'apical sweep (test)', log: (line) => lines.push(line) });
    expect(lines[0]).toContain('1 runs (0 already finished, 1 to resume from a checkpoint)');
    expect(asked.map((r) => r.resume)).toEqual([true]);
    expect(row.status).toBe('finished');
    expect(runMetrics(path.join(stopped, cell.key))).toEqual(runMetrics(path.join(whole, cell.key)));
  });

  it('shows cells not run yet as pending while the sweep is under way', () => {
    const pending = { labels: ['sign', 'dtp', 4], status: 'pending' as const, out: 'x' };
    const layout = planSweep(loadSweep(sweepFile()), path.join(tmp, 'plan'));
    expect(sweepMarkdown('t', layout, [pending], [])).toContain('| sign · dtp | … |');
    expect(sweepFigure(layout, [pending]).data[0]).toMatchObject({ x: [], y: [] });
  });

  it('hands the sweep\'s metrics to every cell', () => {
    const { cells } = planSweep(loadSweep(sweepFile({ metrics: { alignmentEvery: 7 } })), path.join(tmp, 'metrics'));
    expect(cells.map((c) => c.experiment.metrics.alignmentEvery)).toEqual([7, 7, 7, 7]);
  });

  it('reads per-layer diagnostics at every epoch: decoder losses and mean target angles, NaN skipped', () => {
    const dir = path.join(tmp, 'diagnostics');
    fs.mkdirSync(dir, { recursive: true });
    const sample = (st1: number | 'NaN', st2: number) => ({ step: 1, update_angle: {}, feedback_angle: {}, feedback_norm_ratio: {}, target_angle: { h1: 'NaN', h2: 1 }, target_angle_st: { h1: st1, h2: st2 }, target_rms: { h1: 0.5, h2: 2 } });
    const epoch = (n: number, recon: number, samples: unknown[]) => JSON.stringify({ epoch: n, reconstruction_error: { g2: recon }, alignment: samples });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [epoch(1, 99, [sample(0, 0)]), epoch(2, 3.5, [sample(80, 10), sample('NaN', 20)])].join('\n') + '\n');
    const history = layerDiagnosticsByEpoch(dir, 2);
    expect(history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(history[0].layers[0]).toEqual({ layer: 'h1', recon: 99, angle_st: 0, angle: NaN, rms: 0.5 });
    const layers = history[1].layers;
    expect(layers).toEqual([
      { layer: 'h1', recon: 3.5, angle_st: 80, angle: NaN, rms: 0.5 },
      { layer: 'h2', recon: null, angle_st: 15, angle: 1, rms: 2 },
    ]);
    const row = { labels: ['sign', 'dtp', 2], status: 'finished' as const, out: dir, layers, history };
    const layout = planSweep(loadSweep(sweepFile()), path.join(tmp, 'plan'));
    expect(sweepLayersCsv(layout, [row]).split('\n').slice(0, 2)).toEqual(['units,rule,depth,layer,reconstruction_error,target_angle_st_deg,target_angle_deg,target_rms', 'sign,dtp,2,h1,3.5000,80.00,NaN,0.50000']);
    expect(sweepLayersByEpochCsv(layout, [row]).trim().split('\n')).toEqual([
      'units,rule,depth,epoch,layer,reconstruction_error,target_angle_st_deg,target_angle_deg,target_rms',
      'sign,dtp,2,1,h1,99.0000,0.00,NaN,0.50000',
      'sign,dtp,2,1,h2,,0.00,1.00,2.00000',
      'sign,dtp,2,2,h1,3.5000,80.00,NaN,0.50000',
      'sign,dtp,2,2,h2,,15.00,1.00,2.00000',
    ]);
    expect(sweepMarkdown('t', layout, [row], [])).toContain('| sign · dtp | 2 | 80 · 15 | 0.50 · 2.0 | 3.5 · — |');
    expect(layerDiagnosticsByEpoch(path.join(tmp, 'nowhere'), 2)).toEqual([]);
  });

  it('writes every DTP cell\'s per-layer diagnostics at the last epoch and at every epoch, as its metrics.jsonl records them', async () => {
    const out = path.join(tmp, 'diagnosed');
    const dtp = {
      units: 'sign',
      rule: 'dtp',
      layer: { units: 'tanh', send: 'sign' },
      feedback: { units: 'tanh', input: 'sign' },
      learning: { rule: { name: 'dtp', topStep: 0.5, noise: 0.3, straightThrough: true }, optimizer: { forward: { name: 'adam', lr: 0.003 }, feedback: { name: 'adam', lr: 0.003 } } },
    };
    const file = sweepFile({ depths: [3], training: { epochs: 2, batchSize: 50 }, metrics: { alignmentEvery: 2 }, lines: [dtp] });
    await sweep(file, new LocalPool({ jobs: 1 }), { out, command: 'apical sweep (test)' });
    const metrics = fs.readFileSync(path.join(out, 'tiny-sign-dtp-d3', 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const byEpoch = fs.readFileSync(path.join(out, 'sweep-layers-epochs.csv'), 'utf8').trim().split('\n');
    expect(byEpoch).toHaveLength(1 + 2 * 3);
    // h1's target comes from decoder g2: its reconstruction error, epoch by epoch; the top layer has no decoder.
    expect(byEpoch[1].startsWith(`sign,dtp,3,1,h1,${metrics[0].reconstruction_error.g2.toFixed(4)},`)).toBe(true);
    expect(byEpoch[4].startsWith(`sign,dtp,3,2,h1,${metrics[1].reconstruction_error.g2.toFixed(4)},`)).toBe(true);
    expect(byEpoch[6].startsWith('sign,dtp,3,2,h3,,0.00,')).toBe(true);
    // sweep-layers.csv holds the last epoch's rows.
    const last = fs.readFileSync(path.join(out, 'sweep-layers.csv'), 'utf8').trim().split('\n');
    expect(last.slice(1)).toEqual(byEpoch.slice(4).map((line) => line.replace('sign,dtp,3,2,', 'sign,dtp,3,')));
    // Straight-through decoders: every layer below the top receives a target step.
    for (const line of byEpoch.slice(4, 6)) expect(Number(line.split(',')[8])).toBeGreaterThan(0);
  });
});

describe('apical sweep with seeds and per-depth settings', () => {
  const dtp = {
    units: 'sign',
    rule: 'dtp-st',
    layer: { units: 'tanh', send: 'sign' },
    feedback: { units: 'tanh', input: 'sign' },
    learning: { rule: { name: 'dtp', topStep: 0.5, noise: 0.3, straightThrough: true, stepGrowth: 2 }, optimizer: { forward: { name: 'adam', lr: 0.003 }, feedback: { name: 'adam', lr: 0.003 } } },
    atDepth: { '2': ['rule.stepGrowth=1.5', 'optimizer.forward.lr=0.001'] },
  };
  /** metrics.jsonl without its timing fields. */
  const metrics = (folder: string): unknown[] =>
    fs.readFileSync(path.join(folder, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => {
      const { seconds, eval_seconds, ...rest } = JSON.parse(line); // eslint-disable-line @typescript-eslint/no-unused-vars
      return rest;
    });

  it('makes one cell per line, depth and seed, each its generated file at that training seed', () => {
    const { cells, seeded } = planSweep(loadSweep(sweepFile({ seeds: [1, 2], lines: [dtp] })), path.join(tmp, 'seeds-plan'));
    expect(seeded).toBe(true);
    expect(cells.map((c) => c.key)).toEqual(['tiny-sign-dtp-st-d1-s1', 'tiny-sign-dtp-st-d1-s2', 'tiny-sign-dtp-st-d2-s1', 'tiny-sign-dtp-st-d2-s2']);
    expect(cells.map((c) => c.seed)).toEqual([1, 2, 1, 2]);
    expect(cells.map((c) => c.labels)).toEqual([['sign', 'dtp-st', 1], ['sign', 'dtp-st', 1], ['sign', 'dtp-st', 2], ['sign', 'dtp-st', 2]]);
    expect(cells.map((c) => c.experiment.training.seed)).toEqual([1, 2, 1, 2]);
    const written = JSON.parse(fs.readFileSync(path.join(tmp, 'seeds-plan', 'experiments', 'tiny-sign-dtp-st-d2-s2.json'), 'utf8'));
    expect(written.training.seed).toBe(2);
    // Without seeds: one cell per line and depth, at the file's own seed, keyed as before.
    const plain = planSweep(loadSweep(sweepFile({ lines: [dtp] })), path.join(tmp, 'plain-plan'));
    expect(plain.seeded).toBe(false);
    expect(plain.cells.map((c) => [c.key, c.seed])).toEqual([['tiny-sign-dtp-st-d1', undefined], ['tiny-sign-dtp-st-d2', undefined]]);
  });

  it("applies a line's settings at a depth to that depth's generated experiment file only", () => {
    const { cells } = planSweep(loadSweep(sweepFile({ lines: [dtp] })), path.join(tmp, 'at-depth'));
    const file = (depth: number) => JSON.parse(fs.readFileSync(path.join(tmp, 'at-depth', 'experiments', `tiny-sign-dtp-st-d${depth}.json`), 'utf8'));
    expect(file(1).rule.stepGrowth).toBe(2);
    expect(file(1).optimizer.forward.lr).toBe(0.003);
    expect(file(2).rule).toEqual({ ...dtp.learning.rule, stepGrowth: 1.5 });
    expect(file(2).optimizer.forward).toEqual({ name: 'adam', lr: 0.001 });
    expect(cells[1].experiment.rule).toMatchObject({ stepGrowth: 1.5 });
    expect(cells[0].experiment.rule).toMatchObject({ stepGrowth: 2 });
    // The line itself is left as it was (the next cell starts from it again).
    expect(dtp.learning.rule.stepGrowth).toBe(2);
  });

  it('refuses seeds, depth keys and settings that are not right, naming the field', () => {
    const refuse = (extra: Record<string, unknown>) => () => planSweep(loadSweep(sweepFile(extra)), path.join(tmp, 'refused'));
    const at = (atDepth: Record<string, string[]>) => refuse({ lines: [{ ...dtp, atDepth }] });
    const file = path.join(tmp, 'tiny-sweep.json');
    expect(refuse({ seeds: [1, 1] })).toThrow(`${file}: /seeds must NOT have duplicate items`);
    expect(refuse({ seeds: [1.5] })).toThrow(`${file}: /seeds/0 must be integer`);
    expect(at({ '8': ['rule.stepGrowth=1.5'] })).toThrow(`${file}: /lines/0/atDepth has depth 8, not one of the sweep's depths (1, 2)`);
    expect(at({ eight: ['rule.stepGrowth=1.5'] })).toThrow(`${file}: /lines/0/atDepth has the key "eight", which must match pattern "^[1-9][0-9]*$"`);
    expect(at({ '2': ['rule.stepGrowth'] })).toThrow(`${file}: /lines/0/atDepth/2: --set rule.stepGrowth: expected field.path=value`);
    expect(at({ '2': ['rule.name.x=1'] })).toThrow(`${file}: /lines/0/atDepth/2: --set rule.name.x=1: /rule/name in the cell's experiment is not an object`);
    expect(at({ '2': ['rule.stepGrowth=-1'] })).toThrow(`${file}: /lines/0/atDepth/2 (sign dtp-st): /rule/stepGrowth must be > 0`);
  });

  it('runs every seed as its own reproducible run and reports mean ± sd over the seeds', async () => {
    const file = sweepFile({ depths: [1], seeds: [1, 2], lines: [{ ...dtp, atDepth: undefined }] });
    const [one, two] = [path.join(tmp, 'seeds-a'), path.join(tmp, 'seeds-b')];
    const rows = await sweep(file, new LocalPool({ jobs: 2 }), { out: one, command: 'apical sweep (test)' });
    await sweep(file, new LocalPool({ jobs: 2 }), { out: two, command: 'apical sweep (test)' });
    expect(rows.map((r) => `${r.labels.join(' ')} s${r.seed} ${r.status}`)).toEqual(['sign dtp-st 1 s1 finished', 'sign dtp-st 1 s2 finished']);
    const [s1, s2] = ['tiny-sign-dtp-st-d1-s1', 'tiny-sign-dtp-st-d1-s2'];
    expect(metrics(path.join(one, s1))).not.toEqual(metrics(path.join(one, s2)));
    expect(metrics(path.join(two, s1))).toEqual(metrics(path.join(one, s1)));
    expect(metrics(path.join(two, s2))).toEqual(metrics(path.join(one, s2)));
    const [a, b] = rows.map((r) => 100 * r.summary!.final!.test_error!);
    // Two values: mean (a + b)/2, sample sd |a − b|/√2.
    const expected = `${((a + b) / 2).toFixed(2)} ± ${(Math.abs(a - b) / Math.SQRT2).toFixed(2)} (2)`;
    const markdown = fs.readFileSync(path.join(one, 'sweep.md'), 'utf8');
    expect(markdown).toContain('mean ± sample sd over seeds');
    expect(markdown).toContain(`| sign · dtp-st | ${expected} |`);
    const csv = fs.readFileSync(path.join(one, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0].startsWith('units,rule,depth,seed,status,')).toBe(true);
    expect(csv[2].startsWith(`sign,dtp-st,1,2,finished,1,`)).toBe(true);
    expect(csv[2].split(',')[7]).toBe(b.toFixed(2));
    const figure = sweepFigure(planSweep(loadSweep(file), one), rows);
    expect(figure.data[0]).toMatchObject({ x: [1], y: [(a + b) / 2] });
    expect((figure.data[0].error_y as { array: number[] }).array[0]).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
  });

  it('shows a seed still pending beside the ones finished, and a place with none finished as pending', () => {
    const layout = { ...planSweep(loadSweep(sweepFile({ seeds: [1, 2] })), path.join(tmp, 'plan')) };
    const done = (seed: number, error: number) => ({ labels: ['sign', 'bp-ste', 2], seed, status: 'finished' as const, out: 'x', summary: { final: { test_error: error } } as never });
    const waiting = (seed: number) => ({ labels: ['sign', 'bp-ste', 2], seed, status: 'pending' as const, out: 'x' });
    expect(sweepMarkdown('t', layout, [done(1, 0.0744), waiting(2)], [])).toContain('| sign · bp-ste | 7.44 (1) … |');
    expect(sweepMarkdown('t', layout, [waiting(1), waiting(2)], [])).toContain('| sign · bp-ste | … |');
  });
});

describe('apical sweep over the settings of an experiment file', () => {
  const spikingDtp = path.join(__dirname, '..', 'experiments', 'mnist-spiking-dtp.json');
  const tiny = ['training.epochs=1', 'data.trainLimit=300', 'data.validation=200', 'data.testLimit=300'];

  function settingsSweep(axes: Record<string, unknown[]>): string {
    const file = path.join(tmp, 'settings-sweep.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'sdtp', experiment: path.relative(tmp, spikingDtp), set: tiny, axes }));
    return file;
  }

  it('makes one cell per combination of the axes, the last varying fastest, each the experiment file with its settings', () => {
    const { cells, axes } = planSweep(loadSweep(settingsSweep({ 'network.layers': [[20], [10, 10]], 'rule.topStep': [0.25, 0.5] })), path.join(tmp, 'plan2'));
    expect(axes.map((axis) => axis.name)).toEqual(['network.layers', 'rule.topStep']);
    expect(cells.map((c) => c.labels)).toEqual([['[20]', 0.25], ['[20]', 0.5], ['[10,10]', 0.25], ['[10,10]', 0.5]]);
    expect(cells[3].set).toEqual([...tiny, 'network.layers=[10,10]', 'rule.topStep=0.5']);
    const { experiment } = cells[3];
    expect(experiment.file).toBe(spikingDtp);
    expect(experiment.rule).toMatchObject({ name: 'spiking-dtp', topStep: 0.5 });
    expect(experiment.model.layers.map((layer) => layer.size)).toEqual([10, 10, 0]);
    expect(experiment.training.epochs).toBe(1);
  });

  it("names the sweep file, the cell's settings and the experiment's field when a cell is invalid", () => {
    const file = settingsSweep({ 'rule.topStep': [0.5, -1] });
    expect(() => planSweep(loadSweep(file), path.join(tmp, 'bad2'))).toThrow(`${file}: /axes (rule.topStep=-1): ${spikingDtp}: /rule/topStep must be > 0`);
  });

  it('runs spiking DTP cells through the process pool and tabulates them like any sweep', async () => {
    const out = path.join(tmp, 'run-sdtp');
    const rows = await sweep(settingsSweep({ 'network.layers': [[20], [10, 10]], 'rule.topStep': [0.5] }), new LocalPool({ jobs: 2 }), { out, command: 'apical sweep (test)' });
    expect(rows.map((r) => `${r.labels.join(' ')} ${r.status}`)).toEqual(['[20] 0.5 finished', '[10,10] 0.5 finished']);
    rows.forEach((row, i) => {
      const config = JSON.parse(fs.readFileSync(path.join(row.out, 'config.json'), 'utf8'));
      expect(config.rule).toEqual({ name: 'spiking-dtp', topStep: 0.5 });
      expect(config.model.layers.slice(0, -1).map((layer: { size: number }) => layer.size)).toEqual([[20], [10, 10]][i]);
      expect(row.summary!.epochs_completed).toBe(1);
      expect(row.summary!.rule).toBe('spiking-dtp');
    });
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0].startsWith('network.layers,rule.topStep,status,epochs,')).toBe(true);
    expect(csv[2].startsWith('"[10,10]",0.5,finished,1,')).toBe(true);
    const test = rows.map((r) => (100 * r.summary!.final!.test_error!).toFixed(2));
    const markdown = fs.readFileSync(path.join(out, 'sweep.md'), 'utf8');
    expect(markdown).toContain('| network.layers | 0.5 |');
    expect(markdown).toContain(`| [20] | ${test[0]} |`);
    expect(markdown).toContain(`| [10,10] | ${test[1]} |`);
  });

});
