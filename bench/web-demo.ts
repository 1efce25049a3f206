/**
 * The demo page against Node's wasm backend on the same machine (issue 19): seconds per training
 * epoch of demo-dtp-tanh on the bundled MNIST subset (3,000 training images), the page in Debian's
 * headless Chromium and `apical run` with APICAL_BACKEND=wasm on the same experiment file and data,
 * in alternating runs (page, Node, Node, page, …) on one thread and on two; and the bytes the page
 * loads (as served by `npm run demo`, gzipped) and its files unpacked.
 *
 *   npm run build && node dist/bench/web-demo.js [--rounds N] [--epochs E] [--out DIR]
 *
 * Each run's first epoch is left out (the JIT and the kernels warm up); a run's figure is the median
 * of its other epochs, and the ratio page ÷ Node is taken per round, then its median. Writes
 * DIR/epochs.csv (every epoch of every run, with the load average when it ended) and
 * DIR/summary.json (default DIR: results/web-demo-speed).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageRoot } from '../src/kernels/native';
import { buildDemo } from '../src/web/bundle';
import { serveDemo } from '../src/web/serve';
import { chromiumPath, launchChromium } from '../test/browser';
import { writeDemoFiles } from '../test/demo-files';
import type { Browser } from 'playwright-core';

type Side = 'page' | 'node';
interface EpochRow {
  readonly round: number;
  readonly side: Side;
  readonly threads: number;
  readonly epoch: number;
  readonly seconds: number;
  readonly load1: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/** The page's epoch records' training seconds, and the bytes it loaded (Content-Length as served). */
async function pageEpochs(browser: Browser, url: string, epochs: number, threads: number): Promise<{ seconds: number[]; bytes: number }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  let bytes = 0;
  page.on('response', async (response) => {
    bytes += Number((await response.allHeaders())['content-length'] ?? 0);
  });
  await page.goto(`${url}?epochs=${epochs}&threads=${threads}`);
  await page.waitForFunction((n) => (globalThis as any).apicalDemo.records.length >= n || (globalThis as any).apicalDemo.failed, epochs, { timeout: 600000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
  const demo = await page.evaluate(() => (globalThis as any).apicalDemo); // eslint-disable-line @typescript-eslint/no-explicit-any
  await page.close();
  if (demo.failed) throw new Error(`the page failed: ${demo.failed}`);
  if (demo.engine.threads !== threads) throw new Error(`the page ran on ${demo.engine.threads} threads, not ${threads}`);
  return { seconds: demo.records.map((r: { seconds: number }) => r.seconds), bytes };
}

/** `apical run` of the same experiment on the wasm backend: its metrics.jsonl's training seconds. */
function nodeEpochs(file: string, epochs: number, threads: number): number[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-web-bench-'));
  const cli = path.join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const run = spawnSync(process.execPath, [cli, 'run', file, '--epochs', String(epochs), '--out', out, '--force'], {
    encoding: 'utf8',
    env: { ...process.env, APICAL_BACKEND: 'wasm', APICAL_WASM_THREADS: String(threads) },
  });
  if (run.status !== 0) throw new Error(`apical run failed: ${run.stderr}`);
  const seconds = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).seconds as number);
  fs.rmSync(out, { recursive: true, force: true });
  return seconds;
}

async function main(): Promise<void> {
  const rounds = Number(flag('rounds', '5'));
  const epochs = Number(flag('epochs', '4'));
  const outDir = path.resolve(flag('out', path.join('results', 'web-demo-speed')));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-web-bench-'));
  const demo = path.join(work, 'demo');
  const files = await buildDemo(demo);
  const experiment = writeDemoFiles(demo, path.join(work, 'node'));
  const { server, url } = await serveDemo(demo, 0);
  const browser = await launchChromium();
  const rows: EpochRow[] = [];
  let pageBytes = 0;
  try {
    for (const threads of [1, 2]) {
      for (let round = 1; round <= rounds; round++) {
        const order: Side[] = round % 2 ? ['page', 'node'] : ['node', 'page'];
        for (const side of order) {
          let seconds: number[];
          if (side === 'page') ({ seconds, bytes: pageBytes } = await pageEpochs(browser, url, epochs, threads));
          else seconds = nodeEpochs(experiment, epochs, threads);
          const load1 = os.loadavg()[0];
          seconds.forEach((s, k) => rows.push({ round, side, threads, epoch: k + 1, seconds: s, load1 }));
          process.stdout.write(`threads ${threads} round ${round} ${side}: ${seconds.map((s) => s.toFixed(2)).join(' ')} s (load ${load1.toFixed(1)})\n`);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }

  const perRun = (side: Side, threads: number, round: number): number =>
    median(rows.filter((r) => r.side === side && r.threads === threads && r.round === round && r.epoch > 1).map((r) => r.seconds));
  const sides = Object.fromEntries(
    [1, 2].map((threads) => {
      const roundsList = Array.from({ length: rounds }, (_, k) => k + 1);
      const page = roundsList.map((r) => perRun('page', threads, r));
      const node = roundsList.map((r) => perRun('node', threads, r));
      return [`threads_${threads}`, { page_seconds: page, node_seconds: node, page_median: median(page), node_median: median(node), ratio_median: median(page.map((p, k) => p / node[k])) }];
    }),
  );
  const summary = {
    command: `node dist/bench/web-demo.js --rounds ${rounds} --epochs ${epochs}`,
    experiment: 'demo-dtp-tanh (784-240x3-10, 3,000 training images per epoch, batch 100)',
    cpu: os.cpus()[0].model,
    cores: os.cpus().length,
    chromium: browserVersion(),
    node: process.version,
    load1_range: [Math.min(...rows.map((r) => r.load1)), Math.max(...rows.map((r) => r.load1))],
    page_bytes_loaded: pageBytes,
    files_unpacked: files,
    ...sides,
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'epochs.csv'), ['round,side,threads,epoch,seconds,load1', ...rows.map((r) => `${r.round},${r.side},${r.threads},${r.epoch},${r.seconds},${r.load1.toFixed(2)}`)].join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

function browserVersion(): string {
  return spawnSync(chromiumPath, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'unknown';
}

main().catch((error: Error) => {
  process.stderr.write(`web-demo bench: ${error.message}\n`);
  process.exit(1);
});
