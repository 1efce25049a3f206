/**
 * The stationary firing rate of a leaky integrate-and-fire neuron driven by white noise (the
 * diffusion approximation of many small Poisson inputs; Amit & Brunel 1997, Brunel 2000 eq. 21):
 *
 *   1/ν = τ_rp + τ √π ∫_{(V_r − μ)/σ}^{(θ − μ)/σ} e^{u²} (1 + erf u) du,
 *
 * for membrane time constant τ, refractory period τ_rp, threshold θ, reset V_r, and input of mean μ
 * and standard deviation σ (in volts: the free membrane potential's mean, and √2 times its standard
 * deviation); and the coefficient of variation of its inter-spike intervals (Brunel 2000, eq. A.22;
 * Tuckwell 1988), with y_r = (V_r − μ)/σ, y_θ = (θ − μ)/σ:
 *
 *   CV² = 2π (ν τ)² ∫_{y_r}^{y_θ} e^{x²} ∫_{−∞}^{x} e^{y²} (1 + erf y)² dy dx.
 *
 * And Brunel's (2000) self-consistent rate of the sparse E-I network (model A): every neuron gets
 * C_E excitatory inputs of weight J, C_I = γ C_E inhibitory inputs of weight −gJ, and C_E external
 * Poisson inputs at ν_ext, all through delta synapses, so (eqs. 4–5)
 *
 *   μ = C_E J τ (ν_ext + ν (1 − g γ)),   σ² = J² C_E τ (ν_ext + ν (1 + g² γ)),
 *
 * and ν solves ν = rate(μ(ν), σ(ν)): the asynchronous state's rate, which Brunel's Fig. 8C
 * simulation matches.
 */
import { erf } from 'mathjs';

export interface LifParameters {
  /** Membrane time constant τ, refractory period τ_rp (s); threshold θ and reset V_r (V). */
  readonly tau: number;
  readonly refractory: number;
  readonly threshold: number;
  readonly reset: number;
}

/** e^{u²}(1 + erf u), without overflow where erf u → −1 (the asymptotic series of erfcx(−u)). */
function integrand(u: number): number {
  if (u > -5) return Math.exp(u * u) * (1 + (erf(u) as number));
  const x = -u;
  const x2 = x * x;
  return (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 * x2 * x2)) / (x * Math.sqrt(Math.PI));
}

/** e^{y²}(1 + erf y)², the inner integrand of the CV (e^{−y²} times the rate's integrand squared). */
const cvIntegrand = (y: number): number => integrand(y) ** 2 * Math.exp(-y * y);

/** Simpson's rule over [a, b] with `n` (even) intervals. */
function simpson(f: (u: number) => number, a: number, b: number, n = 2000): number {
  const h = (b - a) / n;
  let sum = f(a) + f(b);
  for (let k = 1; k < n; k++) sum += (k % 2 ? 4 : 2) * f(a + k * h);
  return (sum * h) / 3;
}

/** The stationary rate ν in Hz for input mean `mu` and standard deviation `sigma` (V). */
export function lifRate(neuron: LifParameters, mu: number, sigma: number): number {
  const upper = (neuron.threshold - mu) / sigma;
  const lower = (neuron.reset - mu) / sigma;
  return 1 / (neuron.refractory + neuron.tau * Math.sqrt(Math.PI) * simpson(integrand, lower, upper));
}

/** The ISI coefficient of variation for input mean `mu` and standard deviation `sigma` (V). */
export function lifCv(neuron: LifParameters, mu: number, sigma: number, steps = 4000): number {
  const upper = (neuron.threshold - mu) / sigma;
  const lower = (neuron.reset - mu) / sigma;
  const nu = lifRate(neuron, mu, sigma);
  // The inner integral from far below (its integrand falls as e^{−y²}) up to each x of the outer one.
  const start = Math.min(lower, 0) - 10;
  const h = (upper - start) / steps;
  let inner = 0;
  let outer = 0;
  let previous = cvIntegrand(start);
  let previousOuter = 0;
  for (let k = 1; k <= steps; k++) {
    const x = start + k * h;
    const value = cvIntegrand(x);
    inner += ((previous + value) * h) / 2;
    previous = value;
    const outerValue = x >= lower ? Math.exp(x * x) * inner : 0;
    if (x - h >= lower) outer += ((previousOuter + outerValue) * h) / 2;
    else if (x >= lower) outer += outerValue * (x - lower);
    previousOuter = outerValue;
  }
  return Math.sqrt(2 * Math.PI * (nu * neuron.tau) ** 2 * outer);
}

export interface BrunelNetwork {
  readonly neuron: LifParameters;
  /** Excitatory inputs per neuron C_E (as many external ones), γ = C_I / C_E, weight J (V), relative inhibition g, external rate ν_ext (Hz). */
  readonly excitatoryInputs: number;
  readonly gamma: number;
  readonly J: number;
  readonly g: number;
  readonly externalRate: number;
}

/** Input mean and standard deviation (V) at network rate ν (Brunel 2000 eqs. 4–5). */
export function brunelInput(net: BrunelNetwork, nu: number): { mu: number; sigma: number } {
  const { excitatoryInputs: C, gamma, J, g, externalRate } = net;
  const tau = net.neuron.tau;
  return {
    mu: C * J * tau * (externalRate + nu * (1 - g * gamma)),
    sigma: Math.sqrt(J * J * C * tau * (externalRate + nu * (1 + g * g * gamma))),
  };
}

/** The self-consistent rate ν (Hz) of Brunel's model A, by bisection on ν − rate(μ(ν), σ(ν)) over (0, 1/τ_rp). */
export function brunelRate(net: BrunelNetwork): number {
  const gap = (nu: number): number => {
    const { mu, sigma } = brunelInput(net, nu);
    return nu - lifRate(net.neuron, mu, sigma);
  };
  let low = 1e-9;
  let high = 1 / net.neuron.refractory - 1e-9;
  if (gap(low) > 0 || gap(high) < 0) throw new Error('no self-consistent rate in (0, 1/τ_rp)');
  for (let k = 0; k < 100; k++) {
    const mid = (low + high) / 2;
    if (gap(mid) < 0) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
