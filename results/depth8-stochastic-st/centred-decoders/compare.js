// Each centred-decoder run against the committed cell it repeats with the centre on: test/validation/training
// error after the last epoch, and per epoch and hidden layer the mean ∠ST, target rms and probe loss
// (report/layer-diagnostics.ts, as sweep-layers-epochs.csv). Writes comparison.csv and errors.csv here.
// Run from the project root after `npm run build`: node results/depth8-stochastic-st/centred-decoders/compare.js
const fs = require('fs');
const path = require('path');
const { layerDiagnosticsByEpoch } = require('../../../dist/src/report/layer-diagnostics');
const here = path.relative(process.cwd(), __dirname) || '.';
const pairs = [
  ['gamma1', 'results/depth-sweep-fair-st/cells/depth-sweep-fair-st-stochastic-dtp-st-d8', 8],
  ['tuned', 'results/depth8-stochastic-st/common-mode/tuned', 8],
  ['tuned-noise0.5', 'results/depth8-stochastic-st/screen/noise0.5', 8],
  ['recipe-growth2', 'results/depth-sweep-fair-st/cells/depth-sweep-fair-st-stochastic-dtp-st-growth2-lr2x-d8', 8],
  ['tuned-20epochs', 'results/depth8-stochastic-st/screen/tuned-20epochs', 8],
  ['d16-growth1.02', 'results/depth-sweep-fair-d16-more/cells/depth-sweep-fair-d16-more-stochastic-dtp-st-tuned-growth1.02-d16', 16],
  ['d16-growth1.02-20epochs', 'results/depth-sweep-fair-d16-more/stochastic-tuned-growth1.02-20epochs', 16],
];
const f = (v) => (v === null || v === undefined ? '' : Number.isNaN(v) ? 'NaN' : v.toFixed(Math.abs(v) < 1 ? 5 : 2));
const layers = ['run,epoch,layer,angle_st_committed,angle_st_centred,rms_committed,rms_centred,recon_committed,recon_centred'];
const errors = ['run,committed,epochs,test_committed,valid_committed,train_committed,test_centred,valid_centred,train_centred'];
for (const [name, base, depth] of pairs) {
  const mine = path.join(here, name);
  if (!fs.existsSync(path.join(mine, 'summary.json'))) continue;
  const [a, b] = [base, mine].map((dir) => layerDiagnosticsByEpoch(dir, depth));
  b.forEach(({ epoch, layers: centred }, e) => {
    const committed = a[e]?.layers ?? [];
    centred.forEach((l, i) => {
      const c = committed[i] ?? {};
      layers.push([name, epoch, l.layer, f(c.angle_st), f(l.angle_st), f(c.rms), f(l.rms), f(c.recon), f(l.recon)].join(','));
    });
  });
  const [s, t] = [base, mine].map((dir) => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')));
  const pct = (v) => (100 * v).toFixed(2);
  errors.push([name, base, t.epochs, pct(s.final.test_error), pct(s.final.valid_error), pct(s.final.train_error), pct(t.final.test_error), pct(t.final.valid_error), pct(t.final.train_error)].join(','));
}
fs.writeFileSync(path.join(here, 'comparison.csv'), layers.join('\n') + '\n');
fs.writeFileSync(path.join(here, 'errors.csv'), errors.join('\n') + '\n');
console.log(errors.join('\n'));
