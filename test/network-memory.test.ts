/**
 * A spiking network too large for this machine is refused before anything is allocated, with one
 * line giving the estimate (issue 16): the estimate against a hand count, and the command line's
 * answer to a population of 10¹² neurons.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../src/experiment/config-error';
import { checkNetworkFits } from '../src/experiment/network-memory';
import { parseModel } from '../src/equations/model';

const root = path.resolve(__dirname, '..');
const cuba = parseModel(JSON.parse(fs.readFileSync(path.join(root, 'models/neurons/cuba-lif.json'), 'utf8')));

describe('network memory check', () => {
  // 1,000 neurons of 3 variables: 1,000 × (3·8 + 12) = 36,000 bytes. Synapses with p = 0.1 where
  // i < 500 (half the pairs): 50,000 expected, each 4 + 4 + 1 (delay) + 12 (while connecting) = 21
  // bytes: 1,050,000. Together 1,086,000 bytes.
  const populations = [{ name: 'P', size: 1000, model: cuba }];
  const synapses = [{ name: 'S', source: 'P', target: 'P', on_pre: 'ge += 1*mV', connect: { condition: 'i < 500', p: 0.1 } }];

  test('a network within the limit is accepted, one byte over it is refused with the estimate', () => {
    expect(() => checkNetworkFits('net.json', populations, synapses, new Map(), 1e-4, 1_086_000)).not.toThrow();
    expect(() => checkNetworkFits('net.json', populations, synapses, new Map(), 1e-4, 1_085_999)).toThrow(
      new ConfigError("net.json: the network needs about 1.09 MB (1,000 neurons, about 50,000 synapses), more than this machine's 1.09 MB of memory"),
    );
  });

  test('per-synapse variables and delays count', () => {
    const weighted = [{ ...synapses[0], model: 'w : volt', delay: '1 ms' }];
    // 50,000 × (8 + 4 + 8 + 12) = 1,600,000, plus 36,000.
    expect(() => checkNetworkFits('net.json', populations, weighted, new Map(), 1e-4, 1_636_000)).not.toThrow();
    expect(() => checkNetworkFits('net.json', populations, weighted, new Map(), 1e-4, 1_635_999)).toThrow(/needs about 1.64 MB/);
  });

  test('the command line refuses 10^12 neurons in one line, exit 2, without allocating', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-huge-'));
    const file = path.join(dir, 'huge.json');
    fs.writeFileSync(file, JSON.stringify({ kind: 'spiking', name: 'huge', dt: '0.1 ms', duration: '1 ms', seed: 1, populations: [{ name: 'P', model: path.join(root, 'models/neurons/cuba-lif.json'), size: 1e12 }] }));
    const run = spawnSync(process.execPath, [path.join(root, 'dist/src/cli/main.js'), 'run', file, '--out', path.join(dir, 'out')], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^apical: .*huge\.json: the network needs about 36\.0 TB \(1,000,000,000,000 neurons, about 0 synapses\), more than this machine's .* of memory$/);
  });
});
