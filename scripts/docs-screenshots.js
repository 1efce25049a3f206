#!/usr/bin/env node
/**
 * The screenshots in docs/ (shown in the README), made from real runs in Debian's headless Chromium:
 *   docs/report-lesion.png   report of experiments/lesion-feedback.json: learning curves, learning
 *                            signal per population, targets against activity, activity traces,
 *                            update sizes, decoded digits
 *   docs/report-spiking.png  report of experiments/cuba.json: raster, membrane potentials, rate
 *   docs/live-view.png       the live view of a short lesion-feedback run, as it finished
 * and, from a spiking DTP run already made (its trial.html: raster, membrane traces, rates):
 *   docs/spiking-dtp-trial.png   node scripts/docs-screenshots.js --trial <run-dir>
 * and from a comparison already made (its alignment.html: angles with back-propagation per layer):
 *   docs/compare-alignment.png   node scripts/docs-screenshots.js --alignment <compare-dir>
 * and from the demo page (npm run demo), training its default network for 10 epochs in Chromium:
 *   docs/web-demo.png            node scripts/docs-screenshots.js --demo
 * and from runs already made, their learning curves on one report (apical report) with the table of
 * their final and best-validation errors:
 *   docs/<name>.png              node scripts/docs-screenshots.js --curves <name> <run-dir>...
 * Needs `npm run build`, chromium (apt-get install -y chromium) and ImageMagick's `convert`.
 * Usage: node scripts/docs-screenshots.js
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist/src/cli/main.js');
const runs = path.join(root, 'runs/docs');
const docs = path.join(root, 'docs');
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function apical(...command) {
  const result = spawnSync(process.execPath, [cli, ...command], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`apical ${command.join(' ')} failed`);
}

/** Screenshots of the report's figures `ids` (in order), stacked into `file`. */
async function figures(browser, report, ids, file) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto('file://' + report);
  await page.waitForFunction(() => window.apicalReport && window.apicalReport.drawn === window.apicalReport.figures, undefined, { timeout: 120000 });
  const parts = [];
  for (const id of ids) {
    const part = path.join(runs, `${id}.png`);
    await page.locator(`section:has(#${id})`).screenshot({ path: part });
    parts.push(part);
  }
  await page.close();
  const montage = spawnSync('convert', [...parts, '-append', '-resize', '800x', file]);
  if (montage.status !== 0) throw new Error(`convert failed: ${montage.stderr}`);
}

(async () => {
  fs.mkdirSync(runs, { recursive: true });
  const made = { '--trial': ['trial.html', ['raster', 'traces', 'rates'], 'spiking-dtp-trial.png'], '--alignment': ['alignment.html', ['alignment'], 'compare-alignment.png'] }[process.argv[2]];
  if (process.argv[2] === '--demo') {
    const child = spawn(process.execPath, [path.join(root, 'dist/src/web/demo.js'), '--port', '0', '--out', path.join(runs, 'demo')], { cwd: root });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /demo: (\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(out)));
    });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => window.apicalLive && window.apicalLive.done, undefined, { timeout: 600000 });
    await page.screenshot({ path: path.join(docs, 'web-demo.png'), fullPage: true });
    await browser.close();
    child.kill();
    console.log('wrote docs/web-demo.png');
    return;
  }
  if (process.argv[2] === '--curves') {
    const [name, ...dirs] = process.argv.slice(3);
    const report = path.join(runs, `${name}.html`);
    apical('report', ...dirs, '--out', report);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
    await figures(browser, report, dirs.length > 1 ? ['learning-curves', 'comparison'] : ['learning-curves'], path.join(docs, `${name}.png`));
    await browser.close();
    console.log(`wrote docs/${name}.png`);
    return;
  }
  if (made) {
    const [page, ids, png] = made;
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
    await figures(browser, path.resolve(process.argv[3], page), ids, path.join(docs, png));
    await browser.close();
    console.log(`wrote docs/${png}`);
    return;
  }
  apical('run', 'experiments/lesion-feedback.json', '--out', path.join(runs, 'lesion-feedback'), '--force');
  apical('run', 'experiments/cuba.json', '--out', path.join(runs, 'cuba'), '--force');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
  await figures(
    browser,
    path.join(runs, 'lesion-feedback/report.html'),
    ['learning-curves', 'signal-size', 'targets-h4', 'traces-h3', 'update-size', 'digits-e8'],
    path.join(docs, 'report-lesion.png'),
  );
  await figures(browser, path.join(runs, 'cuba/report.html'), ['raster-spikes', 'state-trace-v', 'rate-rate'], path.join(docs, 'report-spiking.png'));

  // The live view of a short run, screenshot when it has finished.
  const child = spawn(process.execPath, [cli, 'run', 'experiments/lesion-feedback.json', '--epochs', '5', '--train-limit', '4000', '--out', path.join(runs, 'live'), '--force', '--live', '--port', '0'], { cwd: root });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /live view: (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(out)));
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(() => window.apicalLive && window.apicalLive.done, undefined, { timeout: 300000 });
  await page.screenshot({ path: path.join(runs, 'live.png'), fullPage: true });
  spawnSync('convert', [path.join(runs, 'live.png'), '-resize', '800x', path.join(docs, 'live-view.png')]);
  await browser.close();
  console.log('wrote docs/report-lesion.png, docs/report-spiking.png, docs/live-view.png');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
