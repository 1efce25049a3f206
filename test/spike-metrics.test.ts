/**
 * The metrics behind the standard networks (issue 16, item 3) against analytic cases: the FFT
 * against the sum it stands for; Welch's spectrum of a sinusoid peaks at its frequency and holds its power A²/2, white noise's spectrum
 * holds its variance (Parseval); Poisson counts have mean and variance λ, also in chunks beyond 64;
 * a Poisson spike source's ISI CV is √(1 − p) for a spike probability p per step (geometric
 * intervals), ≈ 1; the LIF rate formula (Brunel 2000 eq. 21) tends to the noiseless firing rate
 * and its CV formula to 1 far below threshold, where firing is Poisson.
 */
import * as path from 'path';
import { parseModel } from '../src/equations/model';
import { nextPoisson, nextUniform, streamState } from '../src/kernels/random';
import { lifCv, lifRate } from '../src/metrics/lif-rate';
import { SpikeStatistics } from '../src/metrics/spike-statistics';
import { fftInPlace, powerSpectrum, spectralPeak } from '../src/metrics/spectrum';
import { NeuronGroup } from '../src/network/neuron-group';
import { Simulation } from '../src/network/simulation';
import { compileModel } from '../src/equations/compile';
import * as fs from 'fs';

const root = path.resolve(__dirname, '..');

describe('power spectrum (Welch)', () => {
  const dt = 1e-4;
  test('the FFT is the discrete Fourier transform (against the sum, L = 64)', () => {
    const stream = streamState(2, 'fft');
    const x = Float64Array.from({ length: 64 }, () => nextUniform(stream));
    const re = Float64Array.from(x);
    const im = new Float64Array(64);
    fftInPlace(re, im);
    for (const k of [0, 1, 5, 31, 32, 63]) {
      let sr = 0;
      let si = 0;
      x.forEach((v, n) => ((sr += v * Math.cos((-2 * Math.PI * k * n) / 64)), (si += v * Math.sin((-2 * Math.PI * k * n) / 64))));
      expect(re[k]).toBeCloseTo(sr, 10);
      expect(im[k]).toBeCloseTo(si, 10);
    }
  });

  test('a sinusoid peaks at its frequency and holds A²/2', () => {
    const f0 = 117.1875; // a bin centre of 1,024-sample segments at 10 kHz
    const signal = Float64Array.from({ length: 10000 }, (_, n) => 30 + 5 * Math.sin(2 * Math.PI * f0 * n * dt));
    const spectrum = powerSpectrum(signal, dt);
    expect(spectrum.segment).toBe(1024);
    expect(spectrum.segments).toBe(Math.floor((10000 - 1024) / 512) + 1);
    expect(spectralPeak(spectrum).frequency_hz).toBeCloseTo(f0, 6);
    const df = spectrum.frequencies[1];
    const total = spectrum.power.reduce((sum, p) => sum + p * df, 0);
    expect(total).toBeCloseTo(25 / 2, 1);
  });

  test('white noise: flat, and its power integrates to its variance', () => {
    const stream = streamState(3, 'white');
    const signal = Float64Array.from({ length: 16384 }, () => nextUniform(stream) - 0.5);
    const spectrum = powerSpectrum(signal, dt);
    const df = spectrum.frequencies[1];
    const total = spectrum.power.reduce((sum, p) => sum + p * df, 0);
    expect(total).toBeCloseTo(1 / 12, 2);
    const peak = spectralPeak(spectrum, df);
    expect(peak.power / peak.mean_power).toBeLessThan(2);
  });
});

describe('Poisson counts', () => {
  test.each([0.4, 2, 150])('mean and variance λ = %p', (lambda) => {
    const stream = streamState(5, `poisson/${lambda}`);
    const n = lambda > 64 ? 2000 : 20000;
    const draws = Array.from({ length: n }, () => nextPoisson(stream, lambda));
    expect(draws.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const sum = draws.reduce((a, x) => a + x, 0);
    const squares = draws.reduce((a, x) => a + x * x, 0);
    const mean = sum / n;
    const variance = squares / n - mean * mean;
    // Five standard errors: of the mean √(λ/n), of the variance about λ√(2/n).
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(variance - lambda)).toBeLessThan(5 * lambda * Math.sqrt(2 / n) + 0.01);
  });
});

describe('spike statistics', () => {
  test('a Poisson source fires at its rate with ISI CV √(1 − p)', () => {
    const model = parseModel(JSON.parse(fs.readFileSync(path.join(root, 'models/neurons/poisson.json'), 'utf8')));
    const dt = 1e-4;
    const group = new NeuronGroup('P', 500, compileModel(model, dt), 11);
    group.initialise({ rates: '50 Hz' }, 11);
    const simulation = new Simulation(dt, [group], []);
    const statistics = new SpikeStatistics([group]);
    const steps = 40000;
    simulation.run(steps);
    const { mean_rate_hz, isi_cv } = statistics.total(steps);
    const p = 50 * dt;
    expect(mean_rate_hz).toBeGreaterThan(50 * 0.97);
    expect(mean_rate_hz).toBeLessThan(50 * 1.03);
    // Per-neuron CVs of ~200 intervals, averaged: within 0.02 of the geometric distribution's.
    expect(Math.abs(isi_cv! - Math.sqrt(1 - p))).toBeLessThan(0.02);
    statistics.close();
    simulation.dispose();
  });
});

describe('LIF rate and CV under white noise (Brunel 2000)', () => {
  const neuron = { tau: 0.02, refractory: 0.002, threshold: 0.02, reset: 0.01 };
  test('the noiseless limit: 1/(τ_rp + τ ln((μ − V_r)/(μ − θ)))', () => {
    for (const mu of [0.022, 0.03, 0.05]) {
      expect(lifRate(neuron, mu, 1e-5)).toBeCloseTo(1 / (0.002 + 0.02 * Math.log((mu - 0.01) / (mu - 0.02))), 3);
    }
  });

  test('far below threshold firing is rare and Poisson: CV → 1', () => {
    expect(lifRate(neuron, 0, 0.004)).toBeLessThan(1e-6);
    expect(lifCv(neuron, 0, 0.004)).toBeCloseTo(1, 2);
    // Closer to threshold the refractory period and the reset make firing more regular.
    expect(lifCv(neuron, 0.021, 0.002)).toBeLessThan(0.5);
  });
});
