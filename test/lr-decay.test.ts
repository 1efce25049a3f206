/**
 * A learning-rate decay in a rate experiment file (`training.lrDecay` d): every learning rate is
 * lr·d^(e − 1) in epoch e (optim/schedule.ts). With plain SGD and one full-batch step per epoch,
 * epoch 2 starts from the same weights with or without the decay and computes the same gradient,
 * so its step must be exactly d times the undecayed one: W₂(d) − W₁ = d·(W₂ − W₁).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cliExperiment, runMetrics } from './helpers';

const { tmp, run } = cliExperiment('apical-lr-decay-', {
  name: 'decay',
  model: { name: 'tiny', input: 784, layers: [{ size: 16, units: 'tanh' }, { size: 10, units: 'softmax' }] },
  data: { validation: 100, trainLimit: 100 },
  rule: { name: 'bp' },
  training: { epochs: 2, batchSize: 100, evalBatchSize: 100 },
  optimizer: { forward: { name: 'sgd', lr: 0.5 } },
});
const weights = (out: string, name: string): Float32Array => {
  const bytes = fs.readFileSync(path.join(tmp, out, 'weights', `${name}.f32`));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

describe('training.lrDecay', () => {
  it('scales epoch e’s steps by d^(e − 1): epoch 1 unchanged, epoch 2’s step d times the undecayed one', () => {
    for (const [out, extra] of [['one', ['--epochs', '1']], ['plain', []], ['decayed', ['--set', 'training.lrDecay=0.25']]] as const) {
      const result = run(out, ...extra);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const errors = (out: string) => runMetrics(path.join(tmp, out)).map(({ train_error, valid_error, test_error }) => ({ train_error, valid_error, test_error }));
    expect(errors('decayed')[0]).toEqual(errors('plain')[0]);
    for (const name of ['W1', 'b1', 'W2', 'b2']) {
      const [w1, w2, wd] = [weights('one', name), weights('plain', name), weights('decayed', name)];
      let largest = 0;
      for (let i = 0; i < w1.length; i++) {
        largest = Math.max(largest, Math.abs(w2[i] - w1[i]));
        expect(wd[i] - w1[i]).toBeCloseTo(0.25 * (w2[i] - w1[i]), 6);
      }
      expect(largest).toBeGreaterThan(1e-4);
    }
  }, 60000);

  it('refuses a decay outside (0, 1] in one line', () => {
    for (const value of ['0', '1.5']) {
      const result = run(`bad-${value}`, '--set', `training.lrDecay=${value}`);
      expect(result.status).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('/training/lrDecay');
    }
  });
});
