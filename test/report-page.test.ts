/**
 * The report page in a real browser (Debian's headless Chromium): every figure draws, nothing is
 * logged as an error, and it still does after the run folder is moved elsewhere (the page carries
 * plotly and its data inside). Screenshots are written to the run folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { launchChromium, watchedPage } from './browser';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-report-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens `file`, waits for its figures, and returns what drew. */
async function open(file: string, screenshot: string) {
  const { page, errors, failed } = await watchedPage(browser, 1000, 900);
  await page.goto('file://' + file);
  await page.waitForFunction(() => {
    const state = (globalThis as any).apicalReport; // eslint-disable-line @typescript-eslint/no-explicit-any
    return state && state.drawn + state.failed.length === state.figures;
  }, undefined, { timeout: 60000 });
  const state = await page.evaluate(() => (globalThis as any).apicalReport); // eslint-disable-line @typescript-eslint/no-explicit-any
  // A drawn plot has its SVG and at least one trace group (scatter, bar, heatmap).
  const plots = await page.$$eval('div.plot', (divs) =>
    divs.map((div) => ({
      id: div.id,
      svg: div.querySelectorAll('svg.main-svg').length,
      traces: div.querySelectorAll('g.trace, g.hm, g.imagelayer image, canvas').length,
    })),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { state, plots, errors: [...errors, ...failed.map((url) => `request failed: ${url}`)] };
}

describe('report page in Chromium', () => {
  it('draws every figure of a run, also after the run folder has moved', async () => {
    const run = path.join(tmp, 'run');
    const result = spawnSync(
      process.execPath,
      [cli, 'run', 'experiments/lesion-feedback.json', '--epochs', '2', '--train-limit', '600', '--out', run],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`report: ${path.join(run, 'report.html')}`);

    const moved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apical-elsewhere-')), 'moved-run');
    fs.renameSync(run, moved);
    const spec = JSON.parse(fs.readFileSync(path.join(moved, 'report.json'), 'utf8'));
    const { state, plots, errors } = await open(path.join(moved, 'report.html'), path.join(moved, 'report.png'));
    expect(errors).toEqual([]);
    expect(state.failed).toEqual([]);
    expect(state.drawn).toBe(spec.figures.length);
    expect(plots.map((p) => p.id)).toEqual(spec.figures.map((f: { id: string }) => f.id));
    // The recorders' figures are among them: targets, traces, digits, histograms.
    for (const id of ['learning-curves', 'signal-size', 'targets-h1', 'traces-h4', 'digits-e1', 'digits-e2', 'weights-histogram', 'updates-histogram']) {
      expect(plots.map((p) => p.id)).toContain(id);
    }
    for (const plot of plots) {
      expect(plot.svg).toBeGreaterThan(0);
      expect(plot.traces).toBeGreaterThan(0);
    }
    expect(fs.statSync(path.join(moved, 'report.png')).size).toBeGreaterThan(10000);

    // apical report of several runs: one page with a comparison.
    const both = path.join(tmp, 'both.html');
    const report = spawnSync(process.execPath, [cli, 'report', moved, moved, '--out', both], { encoding: 'utf8' });
    expect(report.status).toBe(0);
    expect(report.stdout).toMatch(/^wrote .*both\.html \(\d+ figures\) and .*both\.json\n$/);
    const ids = JSON.parse(fs.readFileSync(path.join(tmp, 'both.json'), 'utf8')).figures.map((f: { id: string }) => f.id);
    expect(ids.slice(0, 2)).toEqual(['learning-curves', 'comparison']);
    expect(ids).toEqual(expect.arrayContaining(['run1-digits-e2', 'run2-digits-e2']));
  });

  it('draws a spiking run: raster (WebGL), membrane traces and rate', async () => {
    const run = path.join(tmp, 'cuba');
    const result = spawnSync(process.execPath, [cli, 'run', 'experiments/cuba.json', '--out', run], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`report: ${path.join(run, 'report.html')}`);
    const spec = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
    const ids = spec.figures.map((f: { id: string }) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['raster-spikes', 'state-trace-v', 'rate-rate', 'metric-mean_rate_hz']));
    expect(ids).not.toContain('learning-curves');
    const { state, plots, errors } = await open(path.join(run, 'report.html'), path.join(run, 'report.png'));
    expect(errors).toEqual([]);
    expect(state.failed).toEqual([]);
    expect(state.drawn).toBe(ids.length);
    for (const plot of plots) expect(plot.traces).toBeGreaterThan(0);
  });
});
