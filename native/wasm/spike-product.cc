// spike-product.cc — C ← S·B for a 0/1 matrix S given by the flat indices of its ones, with the
// same bits as the native and WebAssembly gemm (native/gemm.cc) computes for that S: there, every
// element of C accumulates fma(S[r,p], B[p,j], acc) over p in order, in single precision, from
// zero, one k-block after another (blocks of at most kMaxKc = 512, equal in size; a later block's
// sum is added to C). A zero of S adds ±0, which leaves the sum as it is, and a one adds B[p,j]
// exactly; so summing only the rows of B where S has a one, in the same order and the same
// blocks, gives the same float for finite B, at a cost of (ones × n) instead of (m × k × n).
//
// Built by scripts/build-spike-product.js into src/kernels/spike-product-wasm.ts (the module's
// bytes, base64; WebAssembly SIMD128), run by src/kernels/spike-product.ts: spiking layers whose
// spikes reach the next layer as a product (src/network/dense-spike-projection.ts), where a few
// percent of the sources spike in a step.
#include <stdint.h>
#include <wasm_simd128.h>

namespace {
constexpr int kMaxKc = 512;  // native/gemm.cc's k-block

/** c[j] ← Σ over the listed rows of b[row·n + j] (first block), or c[j] += that sum (later blocks). */
void addRows(int n, const uint32_t* rows, int count, const float* b, float* c, bool first) {
  int j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (int t = 0; t < count; ++t) {
      const float* w = b + static_cast<uint32_t>(rows[t]) * n + j;
      a0 = wasm_f32x4_add(a0, wasm_v128_load(w));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(w + 4));
      a2 = wasm_f32x4_add(a2, wasm_v128_load(w + 8));
      a3 = wasm_f32x4_add(a3, wasm_v128_load(w + 12));
    }
    if (!first) {
      a0 = wasm_f32x4_add(wasm_v128_load(c + j), a0);
      a1 = wasm_f32x4_add(wasm_v128_load(c + j + 4), a1);
      a2 = wasm_f32x4_add(wasm_v128_load(c + j + 8), a2);
      a3 = wasm_f32x4_add(wasm_v128_load(c + j + 12), a3);
    }
    wasm_v128_store(c + j, a0);
    wasm_v128_store(c + j + 4, a1);
    wasm_v128_store(c + j + 8, a2);
    wasm_v128_store(c + j + 12, a3);
  }
  for (; j < n; ++j) {
    float sum = 0.0f;
    for (int t = 0; t < count; ++t) sum += b[static_cast<uint32_t>(rows[t]) * n + j];
    c[j] = first ? sum : c[j] + sum;
  }
}
}  // namespace

/**
 * C (m×n) ← S·B, S (m×k) zero but at the `count` ascending flat indices `ones` (r·k + p), B k×n.
 * `rows` is scratch for up to k indices.
 */
extern "C" __attribute__((export_name("spike_product"))) void spike_product(int m, int n, int k, const uint32_t* ones, int count, const float* b, float* c, uint32_t* rows) {
  const int blocks = (k + kMaxKc - 1) / kMaxKc;
  const int step = (k + blocks - 1) / blocks;
  int s = 0;
  for (int r = 0; r < m; ++r) {
    const uint32_t start = static_cast<uint32_t>(r) * k;
    for (int p0 = 0; p0 < k; p0 += step) {
      const uint32_t end = start + (p0 + step < k ? p0 + step : k);
      int listed = 0;
      for (; s < count && ones[s] < end; ++s) rows[listed++] = ones[s] - start;
      addRows(n, rows, listed, b, c + static_cast<uint32_t>(r) * n, p0 == 0);
    }
  }
}
