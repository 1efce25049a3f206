// The validation search's runner: one short spiking DTP run with one setting changed.
//   node results/mnist-spiking-dtp/search/run.js NAME '<json patch>' TRAIN_LIMIT EPOCHS [BASE]
// BASE (default experiments/mnist-spiking-dtp.json) patched by the JSON (objects merged), input
// currents, the first TRAIN_LIMIT training digits, validation on the held-out 10,000, one test
// digit; writes NAME.json (the experiment run) beside this file and the run to runs/search/NAME.
// Spiking DTP runs through the rate kind's session (its file is translated by loadExperiment).
// (The search in RESULTS.md ran this against the experiment file of its time; each run's exact
// experiment is its NAME.json here, its log NAME.log.)
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '../../..');
const { loadExperiment } = require(path.join(root, 'dist/src/experiment/experiment'));
const { runSession } = require(path.join(root, 'dist/src/session/session'));
const { rateKind } = require(path.join(root, 'dist/src/session/rate'));
const [name, patch, limit, epochs, base] = process.argv.slice(2);
const baseFile = path.resolve(base ?? path.join(root, 'experiments/mnist-spiking-dtp.json'));
const raw = JSON.parse(fs.readFileSync(baseFile, 'utf8'));
// NAME.json lives beside this file: the neuron model's path relative to it, never absolute.
raw.network.neuron = path.relative(__dirname, path.resolve(path.dirname(baseFile), raw.network.neuron));
raw.network.encoder = 'current';
const merge = (a, b) => {
  for (const k in b) {
    if (b[k] && typeof b[k] === 'object' && !Array.isArray(b[k]) && a[k]) merge(a[k], b[k]);
    else a[k] = b[k];
  }
  return a;
};
merge(raw, JSON.parse(patch || '{}'));
raw.data = { ...raw.data, trainLimit: +limit || 10000, testLimit: 1 };
raw.training.epochs = +epochs || 3;
const file = path.join(__dirname, `${name}.json`);
fs.writeFileSync(file, JSON.stringify(raw));
const onEvent = (event) => event.kind === 'epoch' && console.log(name, JSON.stringify(event.record));
runSession(rateKind, loadExperiment(file), { out: path.join(root, 'runs/search', name), force: true, onEvent }).then(({ summary }) =>
  console.log(name, 'done', JSON.stringify(summary.best_valid)),
);
