/**
 * The demo page's experiment as files for `apical run`: the bundled MNIST subset (subset.bin of a
 * built demo) written as the .npy files the demo experiments name (SUBSET_FILES), inputs scaled to
 * [0, 1] as the page scales them, and the experiment file beside them. Used by test/web-demo.test.ts
 * and bench/web-demo.ts to run in Node exactly what the page trains.
 */
import * as fs from 'fs';
import * as path from 'path';
import { demoExperiment, DemoRule, DemoUnits, SUBSET_FILES } from '../src/web/demo-experiments';
import { DemoAssets } from '../src/web/protocol';
import { decodeSubset, SUBSET_SIZE } from '../src/web/subset';
import { npy } from './numpy-files';

/** Writes the subset of the demo built in `demo` and demo-`rule`-`units`.json into `dir`; returns the experiment file. */
export function writeDemoFiles(demo: string, dir: string, rule: DemoRule = 'dtp', units: DemoUnits = 'tanh'): string {
  const subset = decodeSubset(fs.readFileSync(path.join(demo, DemoAssets.subset)), DemoAssets.subset);
  fs.mkdirSync(dir, { recursive: true });
  for (const split of ['train', 'test'] as const) {
    const examples = subset[split];
    const count = examples.labels.length;
    if (count !== SUBSET_SIZE[split]) throw new Error(`${DemoAssets.subset}: ${count} ${split} examples, expected ${SUBSET_SIZE[split]}`);
    const files = SUBSET_FILES[split];
    fs.writeFileSync(path.join(dir, files.x), npy(Float32Array.from(examples.values, (v) => v / examples.divisor), [count, examples.features]));
    fs.writeFileSync(path.join(dir, files.y), npy(examples.labels, [count], '|u1'));
  }
  const file = path.join(dir, `demo-${rule}-${units}.json`);
  fs.writeFileSync(file, JSON.stringify(demoExperiment(rule, units)));
  return file;
}
