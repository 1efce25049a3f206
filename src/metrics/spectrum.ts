/**
 * The power spectrum of a population's rate, Welch's way (Welch 1967): the signal, its mean taken
 * out, cut into segments of L samples that overlap by half, each multiplied by a Hann window
 * w_n = sin²(π n / L), transformed (radix-2 FFT, L a power of two), and the periodograms averaged:
 *
 *   P(f_k) = c · mean over segments of |Σ_n w_n x_n e^{−2πi kn/L}|² · Δt / Σ_n w_n²,  f_k = k / (L Δt),
 *
 * one-sided (c = 2 except at f = 0 and at the Nyquist frequency, c = 1), in signal²/Hz, so that
 * Σ_k P(f_k) · Δf is the signal's variance (Parseval). Brunel (2000) characterises the states of
 * the sparse E-I network by this spectrum: flat in the asynchronous state, a peak near the global
 * oscillation's frequency in the synchronous ones.
 */

export interface Spectrum {
  /** Frequencies f_k in Hz, k = 0 … L/2. */
  readonly frequencies: Float64Array;
  /** Power per frequency in signal² / Hz (one-sided). */
  readonly power: Float64Array;
  /** Samples per segment (L) and segments averaged. */
  readonly segment: number;
  readonly segments: number;
}

/**
 * The discrete Fourier transform X_k = Σ_n x_n e^{−2πi kn/L} of `re` + i·`im` in place, L a power
 * of two (iterative radix-2 Cooley–Tukey; mathjs's fft, on arrays of Complex objects, is some
 * hundred times slower at the lengths used here).
 */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n & (n - 1)) throw new Error(`FFT length must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** The largest power of two at most `n`. */
const powerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n));

/**
 * Welch's spectrum of `signal` sampled every `sampleSeconds`; segments of `segment` samples (by
 * default the largest power of two at most a quarter of the signal, between 16 and 1,024).
 */
export function powerSpectrum(signal: ArrayLike<number>, sampleSeconds: number, segment = Math.min(1024, Math.max(16, powerOfTwoBelow(signal.length / 4)))): Spectrum {
  if (signal.length < segment) throw new Error(`a spectrum needs at least ${segment} samples, got ${signal.length}`);
  let mean = 0;
  for (let i = 0; i < signal.length; i++) mean += signal[i];
  mean /= signal.length;
  const window = Float64Array.from({ length: segment }, (_, n) => Math.sin((Math.PI * n) / segment) ** 2);
  const windowEnergy = window.reduce((sum, w) => sum + w * w, 0);
  const half = segment / 2;
  const power = new Float64Array(half + 1);
  const hop = segment / 2;
  let segments = 0;
  const re = new Float64Array(segment);
  const im = new Float64Array(segment);
  for (let start = 0; start + segment <= signal.length; start += hop) {
    for (let n = 0; n < segment; n++) re[n] = (signal[start + n] - mean) * window[n];
    im.fill(0);
    fftInPlace(re, im);
    for (let k = 0; k <= half; k++) power[k] += re[k] ** 2 + im[k] ** 2;
    segments++;
  }
  for (let k = 0; k <= half; k++) power[k] *= ((k === 0 || k === half ? 1 : 2) * sampleSeconds) / (windowEnergy * segments);
  const frequencies = Float64Array.from({ length: half + 1 }, (_, k) => k / (segment * sampleSeconds));
  return { frequencies, power, segment, segments };
}

/** The spectrum's highest peak above `minHz` (its frequency and power) and the power's mean there. */
export function spectralPeak(spectrum: Spectrum, minHz = 0): { readonly frequency_hz: number; readonly power: number; readonly mean_power: number } {
  let best = -1;
  let total = 0;
  let count = 0;
  for (let k = 0; k < spectrum.power.length; k++) {
    if (spectrum.frequencies[k] < minHz) continue;
    total += spectrum.power[k];
    count++;
    if (best < 0 || spectrum.power[k] > spectrum.power[best]) best = k;
  }
  if (best < 0) throw new Error(`no frequency above ${minHz} Hz in the spectrum`);
  return { frequency_hz: spectrum.frequencies[best], power: spectrum.power[best], mean_power: total / count };
}
