/**
 * Seeded random streams. apical never calls Math.random: one experiment seed derives an independent
 * stream per population, pathway and purpose (`streamState(seed, "pathway/g3/noise")`), so adding a
 * population never shifts another's noise, and the same seed gives bit-identical runs.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), four 32-bit words of state. It is written with
 * 32-bit integer operations only (Math.imul), so TypeScript and the native kernels produce the same
 * bits. The state lives in a Uint32Array that either backend advances in place.
 *
 * Recipes both backends follow exactly:
 *  - uniform u ∈ (0, 1): u = ((r >>> 8) + 0.5) · 2^−24 for the next 32-bit output r;
 *  - standard normals, in pairs by Box–Muller from two uniforms (u1, u2):
 *      z0 = √(−2 ln u1)·cos(2π u2),  z1 = √(−2 ln u1)·sin(2π u2);
 *    an odd count uses z0 of a last pair and drops its z1;
 *  - Poisson counts of mean λ by Knuth's product of uniforms: the count of further uniforms needed
 *    before the running product u1·u2·… falls to e^−λ or below, in chunks of mean at most 64 (so
 *    e^−λ stays far from underflow); λ·dt-sized means cost about λ + 1 uniforms.
 */

/** A xoshiro128** state: four 32-bit words, not all zero. */
export type RngState = Uint32Array;

/** One step of splitmix32, used only to expand seeds into states. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, 32 bits. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * The initial state of the stream named `name` under experiment seed `seed` (an integer).
 * Different names give statistically independent streams.
 */
export function streamState(seed: number, name: string): RngState {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  let x = splitmix32(lo ^ hashString(name)) ^ splitmix32(hi + 0x6a09e667);
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x + i);
    state[i] = x;
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

/** The next 32-bit output of xoshiro128**, advancing `s` in place. */
export function nextUint32(s: RngState): number {
  const s0 = s[0];
  const s1 = s[1];
  const s2 = s[2] ^ s0;
  const s3 = s[3] ^ s1;
  const rotated = Math.imul(s1, 5);
  const result = Math.imul((rotated << 7) | (rotated >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s[0] = s0 ^ s3;
  s[1] = s1 ^ s2;
  s[2] = s2 ^ t;
  s[3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

/** A uniform double in the open interval (0, 1), 24 random bits. */
export function nextUniform(s: RngState): number {
  return ((nextUint32(s) >>> 8) + 0.5) * 5.9604644775390625e-8;
}

/** The largest mean drawn in one piece by nextPoisson. */
export const POISSON_CHUNK = 64;

/** A Poisson count of mean `lambda` (≥ 0; Knuth's method, recipe above). */
export function nextPoisson(s: RngState, lambda: number): number {
  let count = 0;
  for (let rest = lambda; rest > 0; rest -= POISSON_CHUNK) {
    const limit = Math.exp(-Math.min(rest, POISSON_CHUNK));
    for (let product = nextUniform(s); product > limit; product *= nextUniform(s)) count++;
  }
  return count;
}

/** An integer uniform in [0, n), for n ≤ 2^24, by multiply-shift on a uniform. */
export function nextInt(s: RngState, n: number): number {
  return Math.floor(nextUniform(s) * n);
}

/**
 * Fills `out[0..length)` with standard normals (Box–Muller, recipe above), advancing `s`.
 */
export function fillNormal(s: RngState, length: number, out: Float64Array | Float32Array): void {
  for (let i = 0; i < length; i += 2) {
    const u1 = nextUniform(s);
    const u2 = nextUniform(s);
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    out[i] = radius * Math.cos(angle);
    if (i + 1 < length) out[i + 1] = radius * Math.sin(angle);
  }
}

/** Fisher–Yates shuffle of `indices` in place, driven by stream `s`. */
export function shuffleInPlace(s: RngState, indices: Int32Array | Uint32Array): void {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = nextInt(s, i + 1);
    const tmp = indices[i];
    indices[i] = indices[j];
    indices[j] = tmp;
  }
}
