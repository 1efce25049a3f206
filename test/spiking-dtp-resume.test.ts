/**
 * A spiking DTP run stopped mid-epoch and resumed from its checkpoint ends as one never stopped; a
 * run folder of spiking DTP's own loop (before it ran through the circuit) is refused in one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Subject } from 'rxjs';
import { ConfigError } from '../src/experiment/experiment';
import { asExperiment, loadSpikingDtpExperiment, SpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { openRun } from '../src/session/kinds';
import { rateKind } from '../src/session/rate';
import { openSession, runSession } from '../src/session/session';

const root = path.join(__dirname, '..');
const base = loadSpikingDtpExperiment(path.join(root, 'experiments', 'mnist-spiking-dtp.json'));
// Tiny: two 30-20 epochs on 600 digits, 12-step phases; learning rates decayed per epoch.
const spiking: SpikingDtpExperiment = {
  ...base,
  rule: { ...base.rule, lrDecay: 0.5 },
  settle: '2 ms',
  count: '10 ms',
  network: { ...base.network, layers: [30, 20], encoder: null },
  data: { ...base.data, validation: 100, trainLimit: 600, testLimit: 100 },
  training: { ...base.training, epochs: 2, batchSize: 10 },
};
const experiment = asExperiment(spiking);

const lines = (dir: string): unknown[] =>
  fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { train_error, valid_error, test_error } = JSON.parse(l);
    return { train_error, valid_error, test_error };
  });

test('stop mid-epoch, resume: metrics and the recorded trial equal an uninterrupted run', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-sdtp-resume-'));
  const whole = path.join(tmp, 'whole');
  const parts = path.join(tmp, 'parts');
  await runSession(rateKind, experiment, { out: whole, force: false });

  // The run yields to the event loop every 25 minibatches; a stop queued now lands at its second
  // yield (50 of the epoch's 60 minibatches), after which it saves a checkpoint and returns.
  const stop = new Subject<string>();
  const stopped = runSession(rateKind, experiment, { out: parts, force: false, stop });
  setImmediate(() => stop.next('SIGTERM'));
  const first = (await stopped).summary;
  expect(first.interrupted).toBe(true);
  expect(first.epochs_completed).toBe(0);
  expect(fs.existsSync(path.join(parts, 'checkpoint.ckpt'))).toBe(true);

  const resumed = (await openSession(rateKind, parts).resume({})).summary;
  expect(resumed.interrupted).toBe(false);
  expect(resumed.epochs_completed).toBe(2);
  expect(fs.existsSync(path.join(parts, 'checkpoint.ckpt'))).toBe(false);
  expect(lines(parts)).toEqual(lines(whole));
  const trial = (dir: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, 'trial', 'rates.json'), 'utf8'));
  expect(trial(parts)).toEqual(trial(whole));

  // The same folder as spiking DTP's own loop left it: config.json in the spiking DTP file's shape.
  const stoppedAgain = runSession(rateKind, experiment, { out: path.join(tmp, 'old'), force: false, stop });
  setImmediate(() => stop.next('SIGTERM'));
  await stoppedAgain;
  const old = path.join(tmp, 'old');
  fs.writeFileSync(path.join(old, 'config.json'), JSON.stringify({ ...spiking, backend: 'native-avx512', version: '0.1.0' }));
  expect(() => openRun(old)).toThrow(new ConfigError(`${old}: a spiking DTP run of an apical before spiking DTP ran through the circuit; its checkpoint cannot resume (start the run afresh)`));
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60000);
