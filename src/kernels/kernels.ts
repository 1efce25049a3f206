/**
 * The kernel interface: every piece of dense maths apical does on a minibatch.
 *
 * All matrices are row-major Float32Arrays. Nothing here allocates: callers own every buffer and
 * reuse it from batch to batch. Three backends implement this interface, and every path is tested
 * against the reference on random shapes (test/kernels.test.ts); index.ts picks one:
 *  - `reference` (reference.ts): plain TypeScript loops, the executable specification;
 *  - `native-<isa>` (native.ts): a C++ N-API addon (native/), SIMD and two threads, one copy per
 *    instruction set (avx512, avx2, generic; neon on arm64), the CPU's best picked when it built;
 *  - `wasm` (wasm.ts): the same C++ compiled to WebAssembly SIMD, committed, when the addon is missing.
 *
 * Weight layout: a projection from a population of `k` units to one of `n` units stores its weights
 * as a k×n matrix W (input-major), so a minibatch X (m×k) maps to X·W (m×n), as in Lee et al.'s code.
 */

/**
 * Elementwise activation functions known to the kernels. Their derivatives are always taken from the
 * *output* y = f(a), which is all a population keeps:
 *   identity: y = a,            f' = 1
 *   tanh:     y = tanh(a),      f' = 1 − y²
 *   sigmoid:  y = 1/(1+e^(−a)), f' = y(1 − y)
 *   relu:     y = max(a, 0),    f' = [y > 0]
 */
export enum Activation {
  Identity = 0,
  Tanh = 1,
  Sigmoid = 2,
  Relu = 3,
}

export interface Kernels {
  /** Which backend this is, for logs and benchmarks. */
  readonly name: string;

  /**
   * General matrix product C ← α·op(A)·op(B) + β·C, with op(A) m×k and op(B) k×n.
   * A is stored m×k, or k×m when `transA`; B is stored k×n, or n×k when `transB`.
   * With β = 0, C's previous contents are ignored (NaNs included).
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;

  /**
   * C ← S·B for S (m×k) zero but for ones at the `count` ascending flat indices `ones` (r·k + p):
   * a layer's spikes of one step times its weights B (k×n, finite). The same bits as
   * gemm(false, false, m, n, k, 1, S, B, 0, C) in each backend, at a cost of count·n additions
   * instead of m·k·n products (spike-product.ts).
   */
  spikeProduct(m: number, n: number, k: number, ones: Uint32Array, count: number, b: Float32Array, c: Float32Array): void;

  /**
   * Fused dense layer Y ← f(X·W + 1·bᵀ): X m×k, W k×n, bias n (or null for none), Y m×n.
   */
  dense(
    m: number,
    n: number,
    k: number,
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    act: Activation,
    y: Float32Array,
  ): void;

  /**
   * A recurrent step's input and product in one call: Z ← [A, B] row by row (A m×wa at row stride
   * lda; B m×wb contiguous, or zeros when null; Z m×(wa+wb)), then Y ← f(Z·W + 1·biasᵀ), W
   * (wa+wb)×n: exactly copyBlock twice and dense.
   */
  denseConcat(
    m: number,
    wa: number,
    wb: number,
    n: number,
    a: Float32Array,
    lda: number,
    b: Float32Array | null,
    z: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    act: Activation,
    y: Float32Array,
  ): void;

  /**
   * The error carried back through the steps of a recurrent population (back-propagation through
   * time's loop): for t = steps−1 down to 1, Δ_{t−1} ← (Δ_t·op(B)) ∘ f'(h_{t−1}), where Δ_t and h_t
   * are the rows×n blocks of step t in `deltas` and `states` (steps×rows×n each), op(B) = B or Bᵀ
   * (n×n). Exactly gemm(false, transB, rows, n, n, 1, Δ_t, B, 0, Δ_{t−1}) then deltaFromGrad(act,
   * rows·n, h_{t−1}, Δ_{t−1}, Δ_{t−1}) step by step, in one call; reads only the last step's block
   * of `deltas` and writes the others.
   */
  errorThroughSteps(steps: number, rows: number, n: number, transB: boolean, b: Float32Array, act: Activation, states: Float32Array, deltas: Float32Array): void;

  /** Elementwise Y ← f(A) over the first `length` entries (Y may alias A). */
  activate(act: Activation, length: number, a: Float32Array, y: Float32Array): void;

  /**
   * Gradient at the pre-activation from a gradient at the output: D ← G ∘ f'(Y).
   * (D may alias G.)
   */
  deltaFromGrad(act: Activation, length: number, y: Float32Array, g: Float32Array, d: Float32Array): void;

  /**
   * Gradient at the pre-activation of the squared distance to a target, scaled:
   * D ← α·(Y − T) ∘ f'(Y). With α = 2/m this is ∂/∂a of the batch mean of ‖y − t‖²,
   * the layer-local loss of target propagation (Lee et al. 2015, eq. 11).
   */
  deltaFromTarget(
    act: Activation,
    length: number,
    alpha: number,
    y: Float32Array,
    t: Float32Array,
    d: Float32Array,
  ): void;

  /** out ← α·x + β·y (out may alias x or y). */
  axpby(length: number, alpha: number, x: Float32Array, beta: number, y: Float32Array, out: Float32Array): void;

  /**
   * A block of columns copied between row-major matrices: dst[r·dstStride + i] ← src[r·srcStride + i]
   * for r < rows, i < width (the rest of dst untouched), e.g. a recurrent step's input
   * [x_t, h_{t−1}] assembled from x_t and h_{t−1}. src and dst must not overlap.
   */
  copyBlock(rows: number, width: number, src: Float32Array, srcStride: number, dst: Float32Array, dstStride: number): void;

  /**
   * Difference correction out ← x + plus − minus; in DTP, ĥ_{l−1} = h_{l−1} + g(ĥ_l) − g(h_l)
   * (Lee et al. 2015, eq. 13). out may alias any input.
   */
  addDifference(length: number, x: Float32Array, plus: Float32Array, minus: Float32Array, out: Float32Array): void;

  /** Bias gradients: out[j] ← α·Σ_i D[i, j] + β·out[j] for D m×n. */
  columnSums(m: number, n: number, alpha: number, d: Float32Array, beta: number, out: Float32Array): void;

  /**
   * Row-wise softmax with cross-entropy against integer labels, for an m×n score matrix.
   * Writes the probabilities to `probs` (may alias `scores`) and the gradient of the *batch mean*
   * loss w.r.t. the scores, scaled by `gradScale`, to `grad` (null to skip): grad = s·(p − onehot)/m.
   * Returns the summed (not averaged) negative log-likelihood −Σ_i log p[i, label_i].
   */
  softmaxCrossEntropy(
    m: number,
    n: number,
    scores: Float32Array,
    labels: Int32Array,
    probs: Float32Array,
    gradScale: number,
    grad: Float32Array | null,
  ): number;

  /** Number of rows whose arg-max (first on ties) differs from its label. */
  countErrors(m: number, n: number, scores: Float32Array, labels: Int32Array): number;

  /** Σ (x − y)² over the first `length` entries, accumulated in double precision. */
  sumSquaredDifference(length: number, x: Float32Array, y: Float32Array): number;

  /**
   * out ← x + σ·z with z ~ N(0, 1) drawn from the xoshiro128** stream whose 4-word state is `rng`
   * (advanced in place). See random.ts for the exact recipe, which both backends follow.
   */
  addGaussianNoise(length: number, x: Float32Array, sigma: number, rng: Uint32Array, out: Float32Array): void;

  /**
   * SGD with momentum and L2 weight decay: v ← μ·v − lr·(g + λ·p); p ← p + v.
   */
  sgdStep(
    length: number,
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array,
    lr: number,
    momentum: number,
    weightDecay: number,
  ): void;

  /**
   * Centered RMSprop with momentum, exactly as in Lee et al.'s released DTP code:
   *   a ← ρ·a + (1−ρ)·g;  a2 ← ρ·a2 + (1−ρ)·g²;
   *   inc ← μ·inc − lr·g/√(a2 − a² + ε);  p ← p + inc.
   * (The paper's values: ρ = 0.95, μ = 0.9, ε = 0.001.)
   */
  rmspropStep(
    length: number,
    param: Float32Array,
    grad: Float32Array,
    avg: Float32Array,
    avgSq: Float32Array,
    inc: Float32Array,
    lr: number,
    rho: number,
    momentum: number,
    epsilon: number,
  ): void;

  /**
   * Adam (Kingma & Ba 2015) at step t ≥ 1, with the bias corrections folded into the step size:
   *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
   *   p ← p − lr·√(1−β2^t)/(1−β1^t) · m/(√v + ε).
   */
  adamStep(
    length: number,
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    t: number,
  ): void;
}
