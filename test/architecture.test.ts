/**
 * Imports point one way: dependency-cruiser checks src/ against the floors of
 * .dependency-cruiser.js (README, "How it is built"), and a forbidden import fails naming its rule.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const depcruise = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.js');

/** dependency-cruiser over `src` of `cwd`, with the house's rules; its status and report. */
function cruise(cwd: string): { status: number | null; report: string } {
  // Plain text whatever the environment (CI=true makes its reporter colour the output).
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const result = spawnSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'err-long'], { cwd, encoding: 'utf8', env });
  // eslint-disable-next-line no-control-regex
  return { status: result.status, report: (result.stdout + result.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
}

test('every import in src/ points down the floors', () => {
  const { status, report } = cruise(root);
  if (status !== 0) throw new Error(`imports against the order of .dependency-cruiser.js:\n${report}`);
  expect(report).toMatch(/no dependency violations found/);
});

test('README lists every folder of src/ in the order of the floors', () => {
  const rules = fs.readFileSync(config, 'utf8');
  const floors = rules.slice(rules.indexOf('const FLOORS'), rules.indexOf('];', rules.indexOf('const FLOORS')));
  const order = [...floors.matchAll(/'([a-z.]+)'/g)].map((m) => m[1].replace('.ts', ''));
  const folders = fs.readdirSync(path.join(root, 'src')).map((name) => name.replace('.ts', ''));
  expect([...order].sort()).toEqual([...folders].sort());
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const map = readme.slice(readme.indexOf('## How it is built'));
  const listed = [...map.matchAll(/^ {2}([a-z]+)(?:\/|\.ts)\s/gm)].map((m) => m[1]);
  expect(listed).toEqual(order);
});

test('an import against the order fails, naming the rule and the import', () => {
  const house = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-architecture-'));
  try {
    fs.mkdirSync(path.join(house, 'src/kernels'), { recursive: true });
    fs.mkdirSync(path.join(house, 'src/network'), { recursive: true });
    fs.writeFileSync(path.join(house, 'src/network/population.ts'), "export const population = 1;\n");
    fs.writeFileSync(path.join(house, 'src/kernels/index.ts'), "import { population } from '../network/population';\nexport const k = population;\n");
    fs.writeFileSync(path.join(house, 'tsconfig.json'), '{ "compilerOptions": { "module": "commonjs" } }\n');
    const { status, report } = cruise(house);
    expect(status).not.toBe(0);
    expect(report).toMatch(/floor-kernels/);
    expect(report).toMatch(/src\/kernels\/index\.ts → src\/network\/population\.ts/);
  } finally {
    fs.rmSync(house, { recursive: true, force: true });
  }
});
