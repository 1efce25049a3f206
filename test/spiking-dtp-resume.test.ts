/** A spiking DTP run stopped mid-epoch and resumed from its checkpoint ends as one never stopped. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Subject } from 'rxjs';
import { loadSpikingDtpExperiment, SpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { openSession, runSession } from '../src/session/session';
import { spikingDtpKind } from '../src/session/spiking-dtp';

const root = path.join(__dirname, '..');
const base = loadSpikingDtpExperiment(path.join(root, 'experiments', 'mnist-spiking-dtp.json'));
// Tiny: two 30-20 epochs on 600 digits, 12-step phases; learning rates decayed per epoch.
const experiment: SpikingDtpExperiment = {
  ...base,
  rule: { ...base.rule, lrDecay: 0.5 },
  settle: '2 ms',
  count: '10 ms',
  network: { ...base.network, layers: [30, 20], encoder: null },
  data: { ...base.data, validation: 100, trainLimit: 600, testLimit: 100 },
  training: { ...base.training, epochs: 2, batchSize: 10 },
};

const lines = (dir: string): unknown[] =>
  fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { train_error, valid_error, test_error } = JSON.parse(l);
    return { train_error, valid_error, test_error };
  });

test('stop mid-epoch, resume: metrics and the recorded trial equal an uninterrupted run', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-sdtp-resume-'));
  const whole = path.join(tmp, 'whole');
  const parts = path.join(tmp, 'parts');
  await runSession(spikingDtpKind, experiment, { out: whole, force: false });

  // The run yields to the event loop every 25 minibatches; a stop queued now lands at its second
  // yield (50 of the epoch's 60 minibatches), after which it saves a checkpoint and returns.
  const stop = new Subject<string>();
  const stopped = runSession(spikingDtpKind, experiment, { out: parts, force: false, stop });
  setImmediate(() => stop.next('SIGTERM'));
  const first = (await stopped).summary;
  expect(first.interrupted).toBe(true);
  expect(first.epochs_completed).toBe(0);
  expect(fs.existsSync(path.join(parts, 'checkpoint.ckpt'))).toBe(true);

  const resumed = (await openSession(spikingDtpKind, parts).resume({})).summary;
  expect(resumed.interrupted).toBe(false);
  expect(resumed.epochs_completed).toBe(2);
  expect(fs.existsSync(path.join(parts, 'checkpoint.ckpt'))).toBe(false);
  expect(lines(parts)).toEqual(lines(whole));
  const trial = (dir: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, 'trial', 'rates.json'), 'utf8'));
  expect(trial(parts)).toEqual(trial(whole));
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60000);
