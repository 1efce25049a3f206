/**
 * The live view in a real browser: `apical run --live` serves a page on 127.0.0.1 that streams the
 * run's curves and traces; reloading a page or opening another never disturbs the run, whose
 * metrics are the same as without the live view; a port in use is one clear line. A spiking DTP
 * run streams the same view, its traces the spiking populations' spike-count rates.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { launchChromium, watchedPage } from './browser';
import { runMetrics } from './helpers';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-live-'));
// Long enough that the reload and the second page land mid-run on a fast idle machine too (with
// 3,000 images the run could end during the reload, and a page then never hears 'done').
const args = ['run', 'experiments/lesion-feedback.json', '--epochs', '4', '--train-limit', '8000'];
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const metrics = runMetrics;

/** Resolves with the first match of `pattern` in the CLI's output once it prints it. */
function printed(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`apical exited (${code}) before printing ${pattern}: ${out}`)));
  });
}

type LiveState = { hello: number; batch: number; epoch: number; trace: number; done: boolean };
const liveState = (page: Page): Promise<LiveState> => page.evaluate(() => (globalThis as any).apicalLive); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Starts `apical <runArgs> --out <out> --live --port 0`: its URL, its exit code and its stderr so far. */
async function startLive(
  runArgs: readonly string[],
  out: string,
): Promise<{ url: string; exited: Promise<number | null>; stderr: () => string; ended: Promise<string> }> {
  const child = spawn(process.execPath, [cli, ...runArgs, '--out', out, '--live', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ended = printed(child, /live view: (the run has ended[^\n]*)/);
  ended.catch(() => {}); // a page was open at the end: the line never comes
  return { url: await printed(child, /live view: (http:\/\/127\.0\.0\.1:\d+\/)/), exited, stderr: () => stderr, ended };
}

/** metrics.jsonl of the same run without the live view. */
function plainMetrics(runArgs: readonly string[], out: string): Record<string, unknown>[] {
  const plain = spawnSync(process.execPath, [cli, ...runArgs, '--out', out], { encoding: 'utf8' });
  expect(plain.status).toBe(0);
  return metrics(out);
}

describe('live view', () => {
  it('streams curves and traces to several pages, survives a reload, and leaves the metrics unchanged', async () => {
    const withLive = path.join(tmp, 'live');
    const { url, exited, stderr } = await startLive(args, withLive);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const first = await watchedPage(browser);
    const second = await watchedPage(browser);
    await first.page.goto(url);
    await first.page.waitForFunction(() => (globalThis as any).apicalLive.trace >= 2, undefined, { timeout: 60000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    // Reload mid-run, and open a second page.
    const beforeReload = await liveState(first.page);
    expect(beforeReload.done).toBe(false);
    await first.page.reload();
    await second.page.goto(url);
    for (const { page } of [first, second]) {
      await page.waitForFunction(() => (globalThis as any).apicalLive.done, undefined, { timeout: 120000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    }
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');

    for (const { page, errors, failed } of [first, second]) {
      const state = await liveState(page);
      expect(state.hello).toBe(1);
      expect(state.epoch).toBe(4);
      expect(state.batch).toBeGreaterThanOrEqual(2);
      expect(state.trace).toBeGreaterThanOrEqual(2);
      // Each epoch drawn once: no duplicates from the replay after the reload.
      const points = await page.evaluate(() => (globalThis as any).document.getElementById('curves').data[3].y.length); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(points).toBe(4);
      expect(await page.$$eval('#traces g.trace, #signal g.trace', (g) => g.length)).toBeGreaterThan(4);
      // A refused connection is the event stream reconnecting after the run closed the server (on a fast
      // machine the run can end while a page reloads); which resource failed is checked just below.
      expect(errors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
      // Only event streams end early (the reload drops one; the end of the run closes the others).
      expect(failed.filter((url) => !url.endsWith('/events'))).toEqual([]);
    }
    await first.page.screenshot({ path: path.join(withLive, 'live.png'), fullPage: true });
    await first.page.close();
    await second.page.close();

    expect(metrics(withLive)).toEqual(plainMetrics(args, path.join(tmp, 'plain')));
  }, 240000);

  it('streams a spiking DTP run: its spiking populations, spike-count rates as activity, the same metrics as without', async () => {
    // experiments/mnist-spiking-dtp.json on a subset, with one hidden population of 20 neurons (a page
    // that connects only after the run has ended is served the whole run: the test below).
    const spiking = ['run', 'experiments/mnist-spiking-dtp.json', '--epochs', '2', '--train-limit', '3000'];
    const small = [...spiking, '--set', 'data.validation=200', '--set', 'data.testLimit=300', '--set', 'network.layers=[20]'];
    const withLive = path.join(tmp, 'spiking-live');
    const { url, exited, stderr } = await startLive(small, withLive);
    const { page, errors } = await watchedPage(browser);
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).apicalLive.done, undefined, { timeout: 120000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
    const state = await liveState(page);
    expect(state).toMatchObject({ hello: 1, epoch: 2, done: true });
    expect(state.batch).toBeGreaterThanOrEqual(2);
    expect(state.trace).toBeGreaterThanOrEqual(2);
    expect(errors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
    expect(await page.evaluate(() => (globalThis as any).document.getElementById('curves').data[3].y.length)).toBe(2); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await page.$$eval('#population option', (options) => options.map((o) => o.textContent))).toEqual(['h1']);
    // Activity traces (solid, every other plotly trace): spike counts over the 30 ms counted window at dt 1 ms, over 30.
    const activity: number[][] = await page.evaluate(() => (globalThis as any).document.getElementById('traces').data.filter((_: unknown, i: number) => i % 2 === 0).map((t: { y: number[] }) => t.y)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const values = activity.flat();
    expect(values.length).toBeGreaterThanOrEqual(2 * 6);
    for (const value of values) expect(Math.abs(value * 30 - Math.round(value * 30))).toBeLessThan(1e-4);
    expect(values.some((value) => value > 0)).toBe(true);
    await page.close();
    expect(metrics(withLive)).toEqual(plainMetrics(small, path.join(tmp, 'spiking-plain')));
  }, 240000);

  it('keeps serving a run that ended before any page connected, until a page has it whole', async () => {
    const short = ['run', 'experiments/lesion-feedback.json', '--epochs', '2', '--train-limit', '600'];
    const withLive = path.join(tmp, 'late-live');
    const { url, exited, stderr, ended } = await startLive(short, withLive);
    expect(await ended).toBe(`the run has ended; ${url} stays up 30 s more for a page to show it (Ctrl-C to leave)`);
    const { page, errors, failed } = await watchedPage(browser);
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).apicalLive.done, undefined, { timeout: 20000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    // The page connected, had the whole run replayed, and the CLI left then rather than after 30 s.
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
    expect(await liveState(page)).toMatchObject({ hello: 1, epoch: 2, done: true });
    expect(await page.evaluate(() => (globalThis as any).document.getElementById('curves').data[3].y.length)).toBe(2); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([errors, failed]).toEqual([[], []]);
    await page.close();
  }, 120000);

  it('names a port in use in one line', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const result = spawnSync(process.execPath, [cli, ...args, '--out', path.join(tmp, 'blocked'), '--live', '--port', String(port)], { encoding: 'utf8' });
    blocker.close();
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([`apical: --port ${port}: 127.0.0.1:${port} is already in use (another live view?); choose another port, or --port 0 for any free one`]);
  });
});
