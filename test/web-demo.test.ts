/**
 * The demo page in a real browser: `npm run demo`'s program builds the page and serves it on
 * 127.0.0.1, cross-origin isolated; the page trains the demo network in a Web Worker on the
 * WebAssembly kernels (two threads), its test error falls, the live view's figures and the spiking
 * raster draw, and nothing fails; served without the isolation headers, it trains on one thread.
 * Node's wasm backend (one thread), given the same experiment file
 * and the page's subset as .npy files, reports the very same metrics. A port in use is one line.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { launchChromium, watchedPage } from './browser';
import { writeDemoFiles } from './demo-files';
import { runMetrics } from './helpers';

const demoProgram = path.resolve('dist/src/web/demo.js');
const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-web-'));
const out = path.join(tmp, 'demo');
const EPOCHS = 3;

let browser: Browser;
let server: ChildProcess;
let url: string;

/** Starts the demo program with `args`; resolves with its URL once it serves. */
function startDemo(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [demoProgram, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const listen = (chunk: Buffer): void => {
      text += chunk;
      const match = /demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (match) resolve({ child, url: match[1] });
    };
    child.stdout!.on('data', listen);
    child.stderr!.on('data', listen);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before serving: ${text}`)));
  });
}

beforeAll(async () => {
  browser = await launchChromium();
  ({ child: server, url } = await startDemo(['--port', '0', '--out', out]));
}, 120000);

afterAll(async () => {
  server?.kill();
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Records = Record<string, unknown>[];
const withoutTiming = (records: Records): Records =>
  records.map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== 'seconds' && key !== 'eval_seconds')));

describe('the demo page', () => {
  let pageRecords: Records;

  it('trains in the browser on two threads: the test error falls, the figures draw, nothing fails', async () => {
    const { page, errors, failed } = await watchedPage(browser);
    let bytes = 0;
    page.on('response', async (response) => {
      bytes += Number((await response.allHeaders())['content-length'] ?? 0);
    });
    await page.goto(`${url}?epochs=${EPOCHS}`);
    await page.waitForFunction((n) => (globalThis as any).apicalDemo.records.length >= n || (globalThis as any).apicalDemo.failed, EPOCHS, { timeout: 240000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const demo = await page.evaluate(() => (globalThis as any).apicalDemo); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(demo.failed).toBeNull();
    expect(demo.engine).toEqual({ backend: 'wasm', threads: 2, isolated: true });
    pageRecords = demo.records;
    const testErrors = pageRecords.map((r) => r.test_error as number);
    expect(testErrors).toHaveLength(EPOCHS);
    expect(testErrors[EPOCHS - 1]).toBeLessThan(testErrors[0]);
    expect(testErrors[EPOCHS - 1]).toBeLessThan(0.3);

    await page.waitForFunction(() => (globalThis as any).apicalLive.done, undefined, { timeout: 30000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    // Every figure drew: curves, traces (activity and target per unit), learning signal, raster.
    for (const id of ['curves', 'traces', 'signal', 'raster']) expect(await page.locator(`#${id} svg.main-svg`).count()).toBeGreaterThan(0);
    expect(await page.locator('#traces .scatterlayer path.js-line').count()).toBe(2 * 6);
    expect(await page.locator('#curves .scatterlayer path.js-line').count()).toBe(4);
    expect(demo.raster).toBe(1);
    expect(await page.locator('#raster .gtitle').textContent()).toMatch(/^P: \d+ spikes$/);
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
    // Gzipped, the page with plotly.js, the kernels and the subset loads in under 5 MB.
    expect(bytes).toBeLessThan(5e6);
    await page.close();
  }, 300000);

  it("gives the metrics of Node's wasm backend on one thread, for the same experiment file and subset", () => {
    const dir = path.join(tmp, 'node');
    const file = writeDemoFiles(out, dir);
    const run = path.join(dir, 'run');
    const result = spawnSync(process.execPath, [cli, 'run', file, '--epochs', String(EPOCHS), '--out', run], {
      encoding: 'utf8',
      env: { ...process.env, APICAL_BACKEND: 'wasm', APICAL_WASM_THREADS: '1' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(pageRecords).toBeDefined();
    expect(withoutTiming(pageRecords)).toEqual(runMetrics(run));
  }, 300000);

  it('trains what the menu picks, on one thread where the page is not cross-origin isolated', async () => {
    const { page, errors } = await watchedPage(browser);
    // The same files served without the isolation headers, as a plain static host would.
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !/^(cross-origin-|content-encoding|content-length)/.test(name)));
      await route.fulfill({ response, headers });
    });
    await page.goto(`${url}?epochs=2`);
    await page.selectOption('#units', 'sign');
    await page.selectOption('#rule', 'dfa');
    await page.waitForFunction(() => (globalThis as any).apicalDemo.records.length >= 2 || (globalThis as any).apicalDemo.failed, undefined, { timeout: 120000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const demo = await page.evaluate(() => (globalThis as any).apicalDemo); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(demo.failed).toBeNull();
    expect(demo.engine).toEqual({ backend: 'wasm', threads: 1, isolated: false });
    expect(await page.locator('#engine').textContent()).toMatch(/training demo-dfa-sign$/);
    expect(demo.records[1].test_error).toBeLessThan(demo.records[0].test_error);
    expect(demo.records[1].test_error).toBeLessThan(0.5);
    expect(demo.records[0].probe_noise).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 180000);

  it('says in one line when the port is taken, or a flag is wrong', () => {
    const port = new URL(url).port;
    const taken = spawnSync(process.execPath, [demoProgram, '--port', port, '--out', out], { encoding: 'utf8' });
    expect(taken.status).toBe(1);
    expect(taken.stderr).toBe(`apical demo: --port ${port}: 127.0.0.1:${port} is already in use; choose another port, or --port 0 for any free one\n`);
    const wrong = spawnSync(process.execPath, [demoProgram, '--prot', '80'], { encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('apical demo: unknown option --prot; usage: npm run demo -- [--port N] [--out DIR]\n');
  }, 120000);
});
