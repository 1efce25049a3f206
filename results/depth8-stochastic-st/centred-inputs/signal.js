// How much of each hidden layer's activity is input signal rather than sampling noise: the network of a run (its
// config.json, and its weights/ as `apical run` saved them, input centres included; "init": the same network
// untrained), fed the first 1,000 validation images twice, each pass drawing its own Bernoulli samples. Per layer:
//   signal    Σ_j cov_r(h_rj, h′_rj) / Σ_j var_r(h_rj), the share of the variance over the images that the two
//             passes share (1: h_l is a function of the image; 0: of the samples alone),
//   spread    each unit's standard deviation over the images, averaged; mean: the mean activity;
//   saturated the fraction of activities below 0.05 or above 0.95.
// Writes signal.csv here. Run from the project root after `npm run build` and run.sh (weights are in runs/):
//   node results/depth8-stochastic-st/centred-inputs/signal.js RUN[:init] …
const fs = require('fs');
const path = require('path');
const { resolveExperiment } = require('../../../dist/src/experiment/experiment');
const { buildCircuit } = require('../../../dist/src/experiment/build');
const { loadMnist } = require('../../../dist/src/data/mnist');
const here = path.relative(process.cwd(), __dirname) || '.';
const rows = 1000;
const data = loadMnist({ validation: 10000 });
const x = data.valid.images.subarray(0, rows * data.valid.features);
const read = (file) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
};
const out = fs.existsSync(path.join(here, 'signal.csv')) ? fs.readFileSync(path.join(here, 'signal.csv'), 'utf8').trim().split('\n') : ['run,trained,layer,signal,spread,mean,saturated'];
for (const arg of process.argv.slice(2)) {
  const [name, when] = arg.split(':');
  const trained = when !== 'init';
  // The resolved experiment config.json records, without its run-only fields and unset (null) ones.
  const resolved = JSON.parse(fs.readFileSync(path.join(here, name, 'config.json'), 'utf8'), (key, value) => (value === null ? undefined : value));
  const config = Object.fromEntries(['name', 'model', 'data', 'rule', 'training', 'optimizer'].map((key) => [key, resolved[key]]));
  const network = buildCircuit(resolveExperiment(config, `${name}/config.json`)).network;
  if (trained) {
    const weights = path.join('runs/centred-inputs', name, 'weights');
    for (const p of network.projections()) {
      p.weights.set(read(path.join(weights, `${p.name}.f32`)));
      p.bias.set(read(path.join(weights, `${p.biasName}.f32`)));
    }
    for (const p of network.populations) if (p.inputCentre) p.inputCentre.values.set(read(path.join(weights, `centre${p.index}.f32`)));
  }
  const pass = () => {
    let s = x;
    return network.hidden.map((p) => {
      s = p.fire(rows, s);
      return Float32Array.from(p.activity.subarray(0, rows * p.size));
    });
  };
  const [a, b] = [pass(), pass()];
  const kept = out.filter((line) => !line.startsWith(`${name},${trained},`));
  out.length = 0;
  out.push(...kept);
  network.hidden.forEach((p, l) => {
    const n = p.size;
    let cov = 0, variance = 0, spread = 0, mean = 0, saturated = 0;
    for (let j = 0; j < n; j++) {
      let ma = 0, mb = 0;
      for (let r = 0; r < rows; r++) {
        ma += a[l][r * n + j];
        mb += b[l][r * n + j];
      }
      ma /= rows;
      mb /= rows;
      let vj = 0;
      for (let r = 0; r < rows; r++) {
        const da = a[l][r * n + j] - ma, db = b[l][r * n + j] - mb;
        cov += da * db;
        vj += (da * da + db * db) / 2;
        const v = a[l][r * n + j];
        if (v < 0.05 || v > 0.95) saturated++;
      }
      variance += vj;
      spread += Math.sqrt(vj / rows);
      mean += ma;
    }
    out.push([name, trained, p.name, (cov / variance).toFixed(3), (spread / n).toFixed(3), (mean / n).toFixed(3), (saturated / n / rows).toFixed(3)].join(','));
  });
}
fs.writeFileSync(path.join(here, 'signal.csv'), out.join('\n') + '\n');
console.log(out.join('\n'));
