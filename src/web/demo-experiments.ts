/**
 * The experiments the demo page offers: one small network, 784-240×3-10, trained on the bundled
 * MNIST subset (subset.ts) by a rule and with a unit type picked from the page's menu. Each is an
 * ordinary experiment file's JSON (README "Experiment files"), whose data are the subset written as
 * .npy files (SUBSET_FILES), so that `apical run` trains exactly what the page trains.
 *
 *   tanh       h = tanh(W x + b) (Lee et al. 2015's rate network)
 *   sign       tanh units that send sign(h) up (Lee et al.'s discrete network), with a
 *              straight-through derivative for the rules that chain derivatives
 *   bernoulli  sigmoid units that send a sample [u < h] up (Lee et al.'s stochastic network),
 *              straight-through likewise, and the settings of Lee et al.'s stochastic network;
 *              tested on output probabilities averaged over 10 sweeps
 */

const rmsprop = (lr: number) => ({ name: 'rmsprop', lr, rho: 0.95, momentum: 0.9, epsilon: 0.001 }) as const;
const adam = (lr: number) => ({ forward: { name: 'adam', lr } }) as const;

/**
 * The rules on the menu and their settings, for rate units and (`stochastic`) for units that send
 * samples: DTP's are mnist-dtp.json's and mnist-stochastic-dtp.json's (Lee et al. 2015); the others
 * take Adam at a rate that learns the subset in a few epochs.
 */
const RULES = {
  dtp: {
    rate: { rule: { name: 'dtp', topStep: 0.327736332653, noise: 0.359829566008 }, optimizer: { forward: rmsprop(0.0148893490317), feedback: rmsprop(0.00501149118237) } },
    stochastic: {
      rule: { name: 'dtp', topStep: 58.4385169576, noise: 0.5, noiseDecay: 100 },
      optimizer: { forward: rmsprop(0.00308740019447), feedback: rmsprop(0.00000271629261947) },
    },
  },
  bp: { rate: { rule: { name: 'bp' }, optimizer: adam(0.001) }, stochastic: { rule: { name: 'bp' }, optimizer: adam(0.003) } },
  fa: { rate: { rule: { name: 'fa' }, optimizer: adam(0.001) }, stochastic: { rule: { name: 'fa' }, optimizer: adam(0.003) } },
  dfa: { rate: { rule: { name: 'dfa' }, optimizer: adam(0.001) }, stochastic: { rule: { name: 'dfa' }, optimizer: adam(0.003) } },
} as const;

/** The unit types on the menu: each hidden layer's units and what it sends up (see the file comment). */
const UNITS = {
  tanh: { layer: { units: 'tanh' }, init: 'orthogonal', kind: 'rate', samples: 1 },
  sign: { layer: { units: 'tanh', send: { name: 'sign', derivative: 'identity' } }, init: 'orthogonal', kind: 'rate', samples: 1 },
  bernoulli: { layer: { units: 'sigmoid', send: { name: 'sample', derivative: 'identity' } }, init: 'glorot', kind: 'stochastic', samples: 10 },
} as const;

export type DemoRule = keyof typeof RULES;
export type DemoUnits = keyof typeof UNITS;

export const demoRules = Object.keys(RULES) as DemoRule[];
export const demoUnits = Object.keys(UNITS) as DemoUnits[];

/** The subset as the demo experiments name it: .npy files beside the experiment file. */
export const SUBSET_FILES = {
  train: { x: 'train-x.npy', y: 'train-y.npy' },
  test: { x: 'test-x.npy', y: 'test-y.npy' },
} as const;

/** Examples held out from the end of the subset's training images for validation. */
export const DEMO_VALIDATION = 500;

/** Epochs the page trains (and `apical run` with the file as it is). */
export const DEMO_EPOCHS = 10;

/** The experiment file's JSON for `rule` with `units`, seeded with `seed`. */
export function demoExperiment(rule: DemoRule, units: DemoUnits, seed = 1): Record<string, unknown> {
  const { layer, init, kind, samples } = UNITS[units];
  const settings = RULES[rule][kind];
  return {
    name: `demo-${rule}-${units}`,
    description: `The demo page's network, 784-240x3-10 with ${units} units, trained by ${rule} on the bundled MNIST subset.`,
    model: {
      name: `demo-${units}-240x3`,
      input: 784,
      layers: [{ size: 240, ...layer, repeat: 3 }, { size: 10, units: 'softmax' }],
      init: { name: init },
      feedback: { units: 'tanh' },
    },
    data: { source: 'npy', ...SUBSET_FILES, validation: DEMO_VALIDATION, classes: 10 },
    rule: settings.rule,
    training: { epochs: DEMO_EPOCHS, batchSize: 100, schedule: 'alternating', shuffle: false, seed, evalBatchSize: 1000, evaluation: { samples, every: 1 } },
    optimizer: settings.optimizer,
  };
}
