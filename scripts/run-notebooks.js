#!/usr/bin/env node
/**
 * `npm run notebooks`: executes every notebook in notebooks/ headless with Jupyter's nbconvert and
 * the tslab TypeScript kernel, top to bottom, and fails if any cell fails. The executed copies go
 * to a temporary folder (the committed notebooks keep no outputs); the time of each is printed.
 *
 * Needs Jupyter (Debian: apt-get install -y jupyter jupyter-client) and the kernel registered:
 *   npx tslab install --python=/usr/bin/python3 --binary=$PWD/node_modules/.bin/tslab
 * A type error in a cell shows in nbconvert as an empty CellExecutionError, and an exception thrown
 * after an await only on the cell's stderr; so cells run with --allow-errors and this script fails
 * a notebook whose cells have an error output or write to stderr, printing what they wrote.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const folder = path.join(root, 'notebooks');
const only = process.argv.slice(2);
const notebooks = fs
  .readdirSync(folder)
  .filter((f) => f.endsWith('.ipynb') && (only.length === 0 || only.some((o) => f.startsWith(o))))
  .sort();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-notebooks-'));
const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' };

const text = (value) => (Array.isArray(value) ? value.join('') : String(value ?? ''));
let failed = 0;
const started = Date.now();
for (const name of notebooks) {
  const t0 = Date.now();
  const result = spawnSync(
    'jupyter',
    ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', '--ExecutePreprocessor.timeout=900', name, '--output-dir', out],
    { cwd: folder, env, encoding: 'utf8' },
  );
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.error || result.status !== 0) {
    failed++;
    console.log(`FAIL ${name} (${seconds} s): nbconvert ${result.error ? result.error.message : `exited ${result.status}`}`);
    console.log((result.stderr || '').split('\n').slice(-15).join('\n'));
    continue;
  }
  const executed = JSON.parse(fs.readFileSync(path.join(out, name), 'utf8'));
  const errors = [];
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    // tslab reports a type error or an exception thrown after an await on stderr, not as an error output.
    const error = cell.outputs.find((o) => o.output_type === 'error');
    const stderr = cell.outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => text(o.text)).join('');
    if (!error && !stderr) return;
    errors.push(`  cell ${i + 1}: ${error ? `${error.ename}: ${error.evalue}` : 'wrote to stderr'}${stderr ? `\n${stderr.trim().split('\n').slice(0, 12).join('\n')}` : ''}`);
  });
  if (errors.length > 0) {
    failed++;
    console.log(`FAIL ${name} (${seconds} s)\n${errors.join('\n')}`);
  } else {
    console.log(`ok   ${name} (${seconds} s)`);
  }
}
const total = ((Date.now() - started) / 1000).toFixed(1);
console.log(`notebooks: ${total} s in all; executed copies in ${out}`);
console.log(`${notebooks.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 || notebooks.length === 0 ? 1 : 0);
