// Writes RUN/layers-epochs.csv: sweep-layers-epochs.csv's columns for one run of DEPTH hidden layers
// (report/layer-diagnostics.ts, each epoch's mean over its alignment samples), for the run.sh files of
// centred-decoders/ and centred-inputs/. Run from the project root after `npm run build`:
//   node results/depth8-stochastic-st/layers-epochs.js RUN DEPTH
const fs = require('fs');
const path = require('path');
const { layerDiagnosticsByEpoch } = require('../../dist/src/report/layer-diagnostics');
const [run, depth] = process.argv.slice(2);
const f = (v) => (v === null ? '' : Number.isNaN(v) ? 'NaN' : v.toFixed(v < 1 ? 5 : 2));
const rows = layerDiagnosticsByEpoch(run, +depth).flatMap(({ epoch, layers }) => layers.map((l) => [epoch, l.layer, f(l.recon), f(l.angle_st), f(l.rms)].join(',')));
fs.writeFileSync(path.join(run, 'layers-epochs.csv'), ['epoch,layer,reconstruction_error,target_angle_st_deg,target_rms', ...rows].join('\n') + '\n');
