/** Report pieces: figure specs as JSON (traces, axes, counts), the plausibility table. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MetricsRecord } from '../src/report/run-files';
import { comparisonFigure } from '../src/report/figures/comparison';
import { learningCurveFigure } from '../src/report/figures/learning-curves';
import { ActivitySample, WeightStats } from '../src/record/formats';
import { digitsFigure } from '../src/report/figures/digits';
import { histogramFigure } from '../src/report/figures/histograms';
import { metricFigure, seriesKeys } from '../src/report/figures/metric-series';
import { rasterFigure, rateFigure, stateFigure } from '../src/report/figures/spiking';
import { signalSize, targetsFigure } from '../src/report/figures/targets';
import { plausibilityTable, ruleOptionsMarkdown } from '../src/report/plausibility';
import { reportFigures } from '../src/report/report';
import { RunFiles } from '../src/report/run-files';
import { allRules } from '../src/rules';

const record = (epoch: number, train: number, test: number | null): MetricsRecord => ({
  epoch,
  train_error: train,
  valid_error: null,
  test_error: test,
  loss: 0,
  valid_loss: null,
  test_loss: null,
  seconds: 1,
  eval_seconds: 0, eval_samples: 1,
  probe_noise: null,
  reconstruction_error: {},
});

describe('learning-curve figure', () => {
  it('has train, valid and test traces per run, in percent; a split evaluated at some epochs joins them with markers, one never evaluated has none', () => {
    const figure = learningCurveFigure([
      { label: 'a', records: [record(1, 0.1, 0.2), record(2, 0.05, null), record(3, 0.04, 0.1)] },
      { label: 'b', records: [record(1, 0.3, 0.4)] },
    ]);
    expect(figure.data.map((t) => t.name)).toEqual(['a train', 'a test', 'b train', 'b test']);
    expect(figure.data[0]).toMatchObject({ x: [1, 2, 3], y: [10, 5, 4], mode: 'lines' });
    expect(figure.data[1]).toMatchObject({ x: [1, 3], y: [20, 10], mode: 'lines+markers' });
    expect(figure.data[3]).toMatchObject({ x: [1], y: [40], mode: 'lines' });
  });

  it('spans the log axis from a tenth of the lowest held-out error to the highest error', () => {
    const figure = learningCurveFigure([{ label: 'a', records: [record(1, 0.3, 0.2), record(2, 0, 0.02), record(3, 0.00001, 0.05)] }]);
    const [low, high] = (figure.layout.yaxis as { range: number[] }).range;
    expect(low).toBeCloseTo(Math.log10(0.2), 10);
    expect(high).toBeCloseTo(Math.log10(30) + 0.05, 10);
  });
});

describe('comparison figure', () => {
  it('gives each run its last evaluated test error and the test error at its best validation error', () => {
    const valid = (r: MetricsRecord, v: number | null): MetricsRecord => ({ ...r, valid_error: v });
    const figure = comparisonFigure([
      { label: 'a', records: [valid(record(1, 0.1, 0.2), 0.3), valid(record(2, 0.05, 0.1), 0.15), valid(record(3, 0.04, null), null)] },
      { label: 'b', records: [valid(record(1, 0.3, 0.4), 0.2), valid(record(2, 0.2, 0.3), 0.25)] },
    ]);
    expect(figure.data[0]).toMatchObject({ x: ['a', 'b'], y: [10, 30] });
    expect(figure.data[1]).toMatchObject({ x: ['a', 'b'], y: [10, 40] });
  });
});

describe('plausibility table', () => {
  it('has one row per rule, read from its declarations', () => {
    const rules = allRules();
    const lines = plausibilityTable(rules).split('\n');
    expect(lines).toHaveLength(2 + rules.length);
    const bp = lines.find((l) => l.startsWith('| bp |'))!.split('|').map((c) => c.trim());
    const dtp = lines.find((l) => l.startsWith('| dtp |'))!.split('|').map((c) => c.trim());
    expect(bp[2]).toBe('yes'); // weight transport
    expect(dtp[2]).toBe('—');
    expect(dtp[7]).toBe('yes'); // learned feedback
  });

  it('lists each rule’s options: dtp and drl choose their top target, grow and cap steps, project targets and read straight through, dtp also trains auto-encoders, ddtp only projects, sdtp and ao-sdtp may denoise, ao-sdtp sets its auxiliary width', () => {
    const options = ruleOptionsMarkdown(allRules()).split('\n');
    const of = (rule: string) => options.filter((l) => l.startsWith(`- ${rule}: `)).map((l) => l.split(': ')[1].split(' ')[0]);
    expect(of('dtp')).toEqual(['top', 'stepGrowth', 'stepClip', 'project', 'straightThrough', 'autoEncoder', 'decoderCentre']);
    expect(of('drl')).toEqual(['top', 'stepGrowth', 'stepClip', 'project', 'straightThrough']);
    expect(of('ddtp-linear')).toEqual(['project']);
    expect(of('sdtp')).toEqual(['denoising']);
    expect(of('ao-sdtp')).toEqual(['denoising', 'auxiliaryFeatures']);
    for (const rule of ['tp', 'conditional']) expect(of(rule)).toEqual([]);
    expect(of('bp')).toEqual([]);
  });
});

describe('report figures', () => {
  const epochs = [1, 2, 3].map((epoch) => ({
    ...record(epoch, 0.3 / epoch, 0.4 / epoch),
    reconstruction_error: { g10: 1 / epoch, g2: 2 / epoch },
    probe_noise: 0.3,
    angle_bp: { h1: 80 - epoch, h2: 85 - epoch },
  }));

  it('draws every changing per-epoch metric generically (objects per key, in numeric order), skipping constants', () => {
    expect(seriesKeys(epochs)).toEqual(['reconstruction_error', 'angle_bp']);
    const angles = metricFigure([{ label: 'fa', records: epochs }], 'angle_bp');
    expect(angles.data.map((t) => [t.name, t.y])).toEqual([
      ['h1', [79, 78, 77]],
      ['h2', [84, 83, 82]],
    ]);
    expect(angles.layout.yaxis).toEqual({ title: { text: 'degrees' } });
    const recon = metricFigure([{ label: 'a', records: epochs }, { label: 'b', records: epochs }], 'reconstruction_error');
    expect(recon.data.map((t) => t.name)).toEqual(['a g2', 'a g10', 'b g2', 'b g10']);
    expect(recon.layout.yaxis).toEqual({ title: { text: 'reconstruction error' } });
  });

  const sample: ActivitySample = {
    epoch: 2,
    step: 40,
    steps: 100,
    population: 'h3',
    rows: [0, 1],
    units: [0, 1, 2],
    activity: [[0.5, -0.25, 0], [1, 1, 1]],
    topDown: [[0.1, 0, -0.5], [0, 0, 0]],
    target: [[0.6, -0.25, -0.5], [1, 1, 1]],
  };

  it('draws activity, target and ĥ − h of one example, and the rms learning signal', () => {
    const figure = targetsFigure(sample);
    expect(figure.data.map((t) => t.name)).toEqual(['activity h', 'target ĥ', 'ĥ − h (right axis)']);
    expect(figure.data[2]).toMatchObject({ type: 'bar', x: [0, 1, 2], yaxis: 'y2' });
    (figure.data[2].y as number[]).forEach((v, i) => expect(v).toBeCloseTo([0.1, 0, -0.5][i], 12));
    expect(signalSize(sample)).toBeCloseTo(Math.sqrt((0.01 + 0.25) / 6), 12);
    const bp = targetsFigure({ ...sample, target: null });
    expect(bp.data.map((t) => t.name)).toEqual(['activity h', 'top-down signal (right axis)']);
  });

  it('tiles inputs and their reconstructions into one greyscale mosaic', () => {
    const image = (value: number) => Buffer.from(new Uint8Array(2 * 2 * 3).fill(value)).toString('base64');
    const figure = digitsFigure({ epoch: 1, width: 3, height: 2, examples: [4, 7], split: 'valid', original: image(255), decoded: { h1: image(10), h2: image(20) } });
    const z = figure.data[0].z as (number | null)[][];
    // 2 examples of 2 rows with one blank row between; 3 columns of 3 pixels with blank columns between.
    expect([z.length, z[0].length]).toEqual([5, 11]);
    expect(z[0]).toEqual([255, 255, 255, null, 10, 10, 10, null, 20, 20, 20]);
    expect(z[2].every((v) => v === null)).toBe(true);
    expect((figure.layout.xaxis as { ticktext: string[] }).ticktext).toEqual(['input', 'h1', 'h2']);
  });

  it('draws weight and update histograms as fractions per parameter array', () => {
    const stats = (name: string): WeightStats => ({
      epoch: 3,
      name,
      values: { mean: 0, std: 1, min: -1, max: 1, rms: 1, histogram: { edges: [-1, 0, 1], counts: [1, 3] } },
      update: { mean: 0, std: 0, min: 0, max: 0, rms: 0, histogram: { edges: [-0.5, 0.5], counts: [4] } },
    });
    const figure = histogramFigure([stats('W1'), stats('V2')], 'values');
    expect(figure.data.map((t) => [t.name, t.x, t.y])).toEqual([
      ['W1', [-0.5, 0.5], [0.25, 0.75]],
      ['V2', [-0.5, 0.5], [0.25, 0.75]],
    ]);
  });

  it('reports a run with recordings figure by figure, and several runs with a comparison', () => {
    const run: RunFiles = {
      dir: 'x',
      label: 'dtp s1',
      config: null,
      summary: null,
      metrics: epochs,
      activity: [sample, { ...sample, epoch: 3 }],
      weights: [],
      reconstructions: [],
      monitors: null,
      other: {},
    };
    expect(reportFigures([run]).map((f) => f.id)).toEqual([
      'learning-curves',
      'metric-reconstruction_error',
      'metric-angle_bp',
      'signal-size',
      'targets-h3',
      'traces-h3',
    ]);
    // Alignment samples in metrics.jsonl (the rules comparison's format) add the alignment figure.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-alignment-'));
    const angleSample = (step: number) => ({ step, update_angle: { W1: 90 - step, W2: 'NaN' }, feedback_angle: {}, feedback_norm_ratio: {}, target_angle: {} });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ epoch: 1, alignment: [angleSample(1), angleSample(2)] }) + '\n');
    const aligned = reportFigures([{ ...run, dir }]);
    expect(aligned.map((f) => f.id)).toContain('alignment');
    const trace = aligned.find((f) => f.id === 'alignment')!.figure.data.find((t) => String(t.hovertemplate).startsWith('dtp s1 W1:'))!;
    expect([trace.x, trace.y]).toEqual([[1, 2], [89, 88]]);
    const two = reportFigures([run, { ...run, label: 'bp s1', activity: [] }]).map((f) => f.id);
    expect(two.slice(0, 2)).toEqual(['learning-curves', 'comparison']);
    expect(two).toContain('run1-targets-h3');
  });
});

describe('spiking figures', () => {
  const dt = 1e-4;
  it('draws a raster with scattergl in milliseconds, traces in mV, rates in Hz', () => {
    const raster = rasterFigure({ name: 'spikes', population: 'P', size: 5, step: Uint32Array.from([10, 10, 25]), index: Uint32Array.from([0, 4, 2]) }, dt);
    expect(raster.data[0]).toMatchObject({ type: 'scattergl', x: [1, 1, 2.5], y: [0, 4, 2] });
    expect(raster.layout.yaxis).toEqual({ title: { text: 'neuron' }, range: [-0.5, 4.5] });
    expect(rasterFigure({ name: 's', population: 'P', size: 5, step: Uint32Array.from([1, 2, 3]), index: Uint32Array.from([0, 1, 2]) }, dt, 2).data[0].x).toEqual([0.1, 0.2]);

    const state = stateFigure(
      { name: 'trace', population: 'P', variables: ['v'], units: { v: 'volt' }, indices: [3, 7], every: 10, rows: 2, values: { v: Float64Array.from([-0.06, -0.05, -0.055, -0.049]) } },
      'v',
      dt,
    );
    expect(state.data.map((t) => [t.name, t.x, (t.y as number[]).map((v) => +v.toFixed(6))])).toEqual([
      ['neuron 3', [0, 1], [-60, -55]],
      ['neuron 7', [0, 1], [-50, -49]],
    ]);
    expect(state.layout.yaxis).toEqual({ title: { text: 'v (mV)' } });

    const rate = rateFigure({ name: 'rate', population: 'P', binSteps: 10, rates: Float64Array.from([5, 6]) }, dt);
    expect(rate.data[0]).toMatchObject({ x: [0, 1], y: [5, 6] });
  });
});
