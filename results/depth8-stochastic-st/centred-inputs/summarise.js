// Every run here: test/validation/training error after the last epoch, the first epoch whose training error is below
// 85%, and at the last epoch the range of ∠ST over the hidden layers below the top (report/layer-diagnostics.ts) and,
// at the last sample of common-mode.jsonl, the ranges of the layers' mean activity and of their units' spread over the
// batch. Writes errors.csv here. Run from the project root after `npm run build`:
//   node results/depth8-stochastic-st/centred-inputs/summarise.js
const fs = require('fs');
const path = require('path');
const { layerDiagnosticsByEpoch } = require('../../../dist/src/report/layer-diagnostics');
const here = path.relative(process.cwd(), __dirname) || '.';
const pct = (v) => (100 * v).toFixed(2);
const range = (values) => (values.length ? `${Math.min(...values)}–${Math.max(...values)}` : '');
const rows = ['run,rule,depth,epochs,test,valid,train,first_epoch_train_below_85,angle_st_last_epoch,activity_last_sample,spread_last_sample'];
for (const name of fs.readdirSync(here).sort()) {
  const dir = path.join(here, name);
  if (!fs.existsSync(path.join(dir, 'summary.json'))) continue;
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  const depth = config.model.layers.reduce((n, l) => n + (l.repeat ?? 1), 0) - 1;
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  const epochs = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const falling = epochs.find((e) => e.train_error < 0.85)?.epoch ?? '';
  let angles = '';
  let activity = '';
  let spread = '';
  if (config.rule.name === 'dtp') {
    const last = layerDiagnosticsByEpoch(dir, depth).at(-1).layers.filter((l) => l.angle_st !== null && l.layer !== `h${depth}`);
    angles = range(last.map((l) => Math.round(l.angle_st)));
    const samples = fs.readFileSync(path.join(dir, 'common-mode.jsonl'), 'utf8').trim().split('\n');
    const sample = JSON.parse(samples.at(-1));
    const layers = Object.keys(sample).filter((k) => k.startsWith('h'));
    if (sample[layers[0]].activity !== undefined) {
      activity = range(layers.map((l) => sample[l].activity));
      spread = range(layers.map((l) => sample[l].spread));
    }
  }
  const { test_error, valid_error, train_error } = summary.final;
  rows.push([name, config.rule.name, depth, summary.epochs, pct(test_error), pct(valid_error), pct(train_error), falling, angles, activity, spread].join(','));
}
fs.writeFileSync(path.join(here, 'errors.csv'), rows.join('\n') + '\n');
console.log(rows.join('\n'));
