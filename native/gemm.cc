// gemm.cc — packed, register-blocked matrix products: gemm (all four transpose combinations) and the
// fused dense layer (bias + activation applied in the epilogue while the output tile is in L1).
//
// Hand-written because this is apical's hot path: ~90% of a training step's arithmetic is these
// products, at awkward batch-sized shapes (100×784·784×240 and friends) where a generic loop nest
// runs at ~1 GFLOP/s. Scheme (Goto/BLIS style):
//   * op(A) is copied ("packed") into contiguous MR-row micro-panels, zero-padded at the edges,
//     unless the block is at most four panels of B wide (a recurrent step's 20×106·106×100): then
//     whole MR-row tiles read op(A) in place, as rows or (transposed) columns, and only a ragged
//     last tile is packed; op(B) = Bᵀ is packed into NR-column panels likewise, while op(B) = B
//     (row-major k×n, the weights of a dense layer) is read in place by blocks of fewer than
//     kPackBRows rows — a last panel narrower than the vector width is packed, or read in place
//     with masked loads when at most half of it — so a recurrent step's weights are not copied on
//     every call, and packed for taller blocks, which read every panel often enough to repay it;
//   * an MR×NR register tile accumulates with FMA over a k-block, NR a multiple of the vector width
//     W (AVX-512: 10×32 = 20 zmm accumulators; AVX2: 6×16 = 12 ymm; NEON: 8×12; generic: 4×12),
//     with narrower tiles for a partly empty last panel (columns 224–239 of 240 on AVX-512), a
//     half-width one for a last panel at most half a vector wide (columns 96–99 of 100: ymm on
//     AVX-512, xmm on AVX2), a shorter one for a ragged last row tile (the last 2 of 20 rows on
//     AVX2), and a taller one for narrow outputs like the 10-way classifier;
//   * the epilogue applies α, β·C, the bias and the activation on the registers (mathfun.h),
//     with partial stores at the edges;
//   * large products are cut into up to 16 chunks — bands of whole row tiles when B is read in
//     place, else of whole column panels — that the calling thread and the helper claim
//     dynamically (threadpool.h), so a helper that starts late still takes a fair share; every
//     element is computed by the same instruction sequence however C is cut and whichever thread
//     runs it, so results are bit-identical run to run and for any thread count;
//   * packing buffers are per-thread, 64-byte aligned, and only ever grow; packing writes whole
//     vectors (no masked stores, microcoded on AMD Zen), the buffers holding a vector of slack.
// Written once against simd.h and compiled per instruction set (see kernels.h).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kernels.h"
#include "mathfun.h"
#include "scratch.h"
#include "simd.h"
#include "threadpool.h"

namespace apical {
namespace APICAL_ISA {
namespace {

// ---- per-thread packing buffers ------------------------------------------------------------------

thread_local Scratch<float> packedA;
thread_local Scratch<float> packedB;
/** errorThroughSteps' op(B) when B is read transposed. */
thread_local Scratch<float> transposedB;

// ---- problem description -------------------------------------------------------------------------

/** What the epilogue does with an accumulated tile. */
struct Epilogue {
  float alpha;
  float beta;          // ignored (C treated as 0) when 0
  const float* bias;   // n entries or null, added on the first k-block
  Activation act;      // applied after the last k-block
};

struct Problem {
  bool transA, transB;
  int m, n, k;
  const float* a;  // m×k, or k×m when transA
  const float* b;  // k×n, or n×k when transB
  float* c;        // m×n
  Epilogue epi;
};

/** A rectangle of C computed by one thread. */
struct Block {
  const Problem* p;
  int i0, i1, j0, j1;
  void (*run)(const Block&);
};

// ---- blocking parameters -------------------------------------------------------------------------

using namespace simd;

// Tile shapes per instruction set: MR rows × NV vectors of kLanes columns, sized to the register
// file (accumulators + NV loads of B + a broadcast of A); the narrow tile is for outputs at most
// kLanes·kNarrowNV wide (the 10-way classifier). AVX-512 measured on Zen 5 (8×48, 6×64, 12×32 and
// 14×32 were no faster); AVX2 on a Xeon (Sapphire Rapids) with AVX-512 left unused (4×24 and 5×16
// within 3% of 6×16, 8×8 25% slower; the k loop unrolled 4× gained 5%).
#if defined(__AVX512F__)
constexpr int kMR = 10, kNV = 2, kNarrowMR = 16, kNarrowNV = 1;  // 32 zmm
#elif defined(__AVX2__)
constexpr int kMR = 6, kNV = 2, kNarrowMR = 6, kNarrowNV = 2;  // 16 ymm
#elif defined(__aarch64__)
constexpr int kMR = 8, kNV = 3, kNarrowMR = 8, kNarrowNV = 3;  // 32 q registers
#else
constexpr int kMR = 4, kNV = 3, kNarrowMR = 4, kNarrowNV = 3;  // 16 xmm (SSE2), WebAssembly
#endif
constexpr int kMaxKc = 512;   // k-block: A micro-panel (10×512 floats = 20 KB) stays in L1
constexpr int kMaxMc = 240;   // rows of A packed at once
constexpr int kMaxNc = 1024;  // columns of B packed at once (≤ 2 MB of packed B)

/** Applies the activation to `count` floats in place (the same functions as activate()). */
inline void activateInPlace(Activation act, float* y, int count) { activate(act, count, y, y); }

// ---- packing -------------------------------------------------------------------------------------

/**
 * Packs op(A)[i0 .. i0+mc) × [p0 .. p0+kc) into ⌈mc/MR⌉ micro-panels; panel q holds, for each p,
 * the MR values op(A)[i0+q·MR+r, p0+p] contiguously (zero for rows ≥ m).
 * Where MR < kLanes, each p's MR values go out as a whole vector whose last kLanes − MR lanes spill
 * into the slot written next (after the last panel, into the kLanes floats of slack `dst` must
 * have): the masked store it replaces (vmaskmovps) is microcoded on AMD Zen, where it took a fifth
 * of a long-k weight gradient's time.
 */
template <int MR>
void packA(const Problem& P, int i0, int mc, int p0, int kc, float* dst) {
  if (P.transA && MR <= kLanes && kMaskedMemory) {
    // Stored k×m: one partial load per p and panel (zeros beyond the valid rows), each stored row
    // of A read once, in order; the last p of a panel, whose spill would reach the next panel's
    // first slot (already written), is stored exactly.
    for (int p = 0; p < kc; ++p) {
      const float* row = P.a + static_cast<size_t>(p0 + p) * P.m + i0;
      for (int q = 0; q < mc; q += MR) {
        const F v = loadFirst(row + q, std::min(MR, mc - q));
        float* out = dst + static_cast<size_t>(q) * kc + static_cast<size_t>(p) * MR;
        if (p + 1 < kc)
          store(out, v);
        else
          storeFirst(out, v, MR);
      }
    }
    return;
  }
  for (int q = 0; q < mc; q += MR) {
    const int rows = std::min(MR, mc - q);
    float* panel = dst + static_cast<size_t>(q) * kc;
    if (P.transA) {  // stored k×m: the MR values of one p are contiguous
      const float* src = P.a + static_cast<size_t>(p0) * P.m + i0 + q;
      for (int p = 0; p < kc; ++p) {
        const float* row = src + static_cast<size_t>(p) * P.m;
        float* out = panel + static_cast<size_t>(p) * MR;
        int r = 0;
        for (; r < rows; ++r) out[r] = row[r];
        for (; r < MR; ++r) out[r] = 0.0f;
      }
    } else {  // stored m×k: walk each row contiguously, write with stride MR
      int p = 0;
      if (MR <= kLanes) {  // kLanes p-values of all MR rows at a time, transposed in registers
        for (; p + kLanes <= kc; p += kLanes) {
          F r[kLanes];
          for (int t = 0; t < kLanes; ++t)
            r[t] = t < rows ? load(P.a + static_cast<size_t>(i0 + q + t) * P.k + p0 + p) : zero();
          transpose(r);
          for (int t = 0; t < kLanes; ++t) store(panel + static_cast<size_t>(p + t) * MR, r[t]);
        }
      }
      const int pDone = p;
      for (int r = 0; r < rows; ++r) {
        const float* src = P.a + static_cast<size_t>(i0 + q + r) * P.k + p0;
        for (p = pDone; p < kc; ++p) panel[static_cast<size_t>(p) * MR + r] = src[p];
      }
      for (int r = rows; r < MR; ++r)
        for (p = pDone; p < kc; ++p) panel[static_cast<size_t>(p) * MR + r] = 0.0f;
    }
  }
}

/**
 * Packs op(B)[p0 .. p0+kc) × [j0 .. j0+nc) into ⌈nc/NR⌉ micro-panels; panel q holds, for each p,
 * the NR values op(B)[p0+p, j0+q·NR+c] contiguously (zero for columns ≥ n).
 */
template <int NR>
void packB(const Problem& P, int p0, int kc, int j0, int nc, float* dst) {
  for (int q = 0; q < nc; q += NR) {
    const int cols = std::min(NR, nc - q);
    float* panel = dst + static_cast<size_t>(q) * kc;
    if (!P.transB) {  // stored k×n: rows of op(B) are contiguous
      for (int p = 0; p < kc; ++p) {
        const float* src = P.b + static_cast<size_t>(p0 + p) * P.n + j0 + q;
        float* out = panel + static_cast<size_t>(p) * NR;
        if (cols == NR) {
          std::memcpy(out, src, sizeof(float) * NR);
        } else {
          int c = 0;
          for (; c < cols; ++c) out[c] = src[c];
          for (; c < NR; ++c) out[c] = 0.0f;
        }
      }
    } else {  // stored n×k: transpose blocks so reads stay sequential
      int c = 0;
      for (; c + kLanes <= cols; c += kLanes) {  // kLanes×kLanes blocks transposed in registers
        const float* base = P.b + static_cast<size_t>(j0 + q + c) * P.k + p0;
        int p = 0;
        for (; p + kLanes <= kc; p += kLanes) {
          F r[kLanes];
          for (int t = 0; t < kLanes; ++t) r[t] = load(base + static_cast<size_t>(t) * P.k + p);
          transpose(r);
          for (int t = 0; t < kLanes; ++t) store(panel + static_cast<size_t>(p + t) * NR + c, r[t]);
        }
        for (; p < kc; ++p)
          for (int t = 0; t < kLanes; ++t) panel[static_cast<size_t>(p) * NR + c + t] = base[static_cast<size_t>(t) * P.k + p];
      }
      for (; c < cols; ++c) {
        const float* src = P.b + static_cast<size_t>(j0 + q + c) * P.k + p0;
        for (int p = 0; p < kc; ++p) panel[static_cast<size_t>(p) * NR + c] = src[p];
      }
      for (; c < NR; ++c)
        for (int p = 0; p < kc; ++p) panel[static_cast<size_t>(p) * NR + c] = 0.0f;
    }
  }
}

// ---- micro-kernel --------------------------------------------------------------------------------

/**
 * Where a micro-kernel reads its MR rows of op(A), op(A)[r, p] for p < kc:
 *   Packed  — a packed micro-panel (packA): pa[p·MR + r];
 *   Columns — op(A) in place, stored k×m (transA): pa[p·lda + r];
 *   Rows    — op(A) in place, stored m×k: pa[r·lda + p].
 * The same values in the same order whichever it is: only the addresses differ.
 */
enum class APanel { Packed, Columns, Rows };

/** The MR rows of op(A) a micro-kernel multiplies: `data` and, read in place, its stride `ld`. */
struct ARows {
  const float* data;
  int ld;
  APanel layout;
};

template <APanel L, int MR>
inline float aAt(const float* __restrict pa, int lda, int p, int r) {
  if constexpr (L == APanel::Packed) return pa[p * MR + r];
  if constexpr (L == APanel::Columns) return pa[static_cast<size_t>(p) * lda + r];
  return pa[static_cast<size_t>(r) * lda + p];
}

/**
 * Writes the mr×nr valid part of an accumulated tile (mr rows of NV vectors) into C (row stride ldc)
 * through the epilogue:
 *   first k-block: C ← α·acc + β·C + bias   (β = 0: C not read)
 *   later blocks:  C ← C + α·acc
 *   last block:    C ← f(C)
 */
template <int NV>
inline void storeTile(const F (*acc)[NV], float* c, int ldc, int mr, int nr, const Epilogue& e, const float* bias,
                      bool first, bool last) {
  int width[NV];
  F biasv[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    const int left = nr - kLanes * v;
    width[v] = left >= kLanes ? kLanes : left <= 0 ? 0 : left;
    biasv[v] = (first && bias && width[v]) ? loadFirst(bias + kLanes * v, width[v]) : zero();
  }
  const F alpha = set1(e.alpha);
  const F beta = set1(e.beta);
  for (int r = 0; r < mr; ++r) {
    float* row = c + static_cast<size_t>(r) * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      if (!width[v]) continue;
      F out;
      if (first) {
        out = fmadd(alpha, acc[r][v], biasv[v]);
        if (e.beta != 0.0f) out = fmadd(beta, loadFirst(row + kLanes * v, width[v]), out);
      } else {
        out = fmadd(alpha, acc[r][v], loadFirst(row + kLanes * v, width[v]));
      }
      if (last && e.act != kIdentity) out = activateVector(e.act, out);  // on the register, before the store
      if (width[v] == kLanes)
        store(row + kLanes * v, out);
      else
        storeFirst(row + kLanes * v, out, width[v]);
    }
  }
}

/**
 * Multiplies the first R of MR rows of op(A) (layout L) by one kc×(NV·kLanes) panel of B (row
 * stride ldb) and stores the tile through the epilogue (storeTile).
 */
template <int MR, int NV, APanel L, int R = MR>
inline void microKernel(int kc, const float* __restrict pa, int lda, const float* __restrict pb, int ldb, float* c,
                        int ldc, int mr, int nr, const Epilogue& e, const float* bias, bool first, bool last) {
  F acc[R][NV];
#pragma GCC unroll 32
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = zero();

#pragma GCC unroll 4
  for (int p = 0; p < kc; ++p) {
    F bv[NV];
    const float* bp = pb + static_cast<size_t>(p) * ldb;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = load(bp + kLanes * v);
#pragma GCC unroll 32
    for (int r = 0; r < R; ++r) {
      const F av = set1(aAt<L, MR>(pa, lda, p, r));
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = fmadd(av, bv[v], acc[r][v]);
    }
  }
  storeTile<NV>(acc, c, ldc, mr, nr, e, bias, first, last);
}

#if defined(APICAL_HALF_VECTORS)
/**
 * The micro-kernel for a last panel at most kHalfLanes wide (the last 4 of 100 columns): the same
 * fused multiply-adds in half-width vectors (half the cost where a full vector runs as two halves),
 * widened for the epilogue. Reads only the nr valid columns of B; computes the first R of MR rows.
 */
template <int MR, APanel L, int R = MR>
inline void halfKernel(int kc, const float* __restrict pa, int lda, const float* __restrict pb, int ldb, float* c,
                       int ldc, int mr, int nr, const Epilogue& e, const float* bias, bool first, bool last) {
  H acc[R];
#pragma GCC unroll 32
  for (int r = 0; r < R; ++r) acc[r] = zeroHalf();
#pragma GCC unroll 4
  for (int p = 0; p < kc; ++p) {
    const H bv = loadFirstHalf(pb + static_cast<size_t>(p) * ldb, nr);
#pragma GCC unroll 32
    for (int r = 0; r < R; ++r) acc[r] = fmaddHalf(set1Half(aAt<L, MR>(pa, lda, p, r)), bv, acc[r]);
  }
  F wide[R][1];
#pragma GCC unroll 32
  for (int r = 0; r < R; ++r) wide[r][0] = widen(acc[r]);
  storeTile<1>(wide, c, ldc, mr, nr, e, bias, first, last);
}
#endif

// ---- block driver --------------------------------------------------------------------------------

/**
 * One tile: the narrowest kernel (NV, NV−1, … vectors, then half a vector) that covers the tile's
 * valid columns (the half-empty last tile of a 240-wide output then costs half, and no load of B in
 * place reaches past its valid columns), on the first R of the MR rows. Each computes every element
 * with the same FMA sequence, so the choice never changes a result.
 */
template <int MR, int NV, APanel L, int R = MR>
inline void tile(int kc, const float* pa, int lda, const float* pb, int ldb, float* c, int ldc, int mr, int nr,
                 const Epilogue& e, const float* bias, bool first, bool last) {
  if constexpr (NV > 1) {
    if (nr <= kLanes * (NV - 1)) {
      tile<MR, NV - 1, L, R>(kc, pa, lda, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
      return;
    }
  }
#if defined(APICAL_HALF_VECTORS)
  if (NV == 1 && nr <= kHalfLanes) {
    halfKernel<MR, L, R>(kc, pa, lda, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
    return;
  }
#endif
  microKernel<MR, NV, L, R>(kc, pa, lda, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
}

/**
 * A ragged last tile of mr < MR rows (a packed panel, zero below its rows): the kernel that
 * computes only the rows it has (R = mr), not MR rows of which some are zeros (at m = 20, a third
 * of the last tile's work with MR = 6).
 */
template <int MR, int NV, int R>
inline void raggedTile(int kc, const float* pa, const float* pb, int ldb, float* c, int ldc, int mr, int nr,
                       const Epilogue& e, const float* bias, bool first, bool last) {
  if constexpr (R > 1) {
    if (mr < R) return raggedTile<MR, NV, R - 1>(kc, pa, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
  }
  tile<MR, NV, APanel::Packed, R>(kc, pa, MR, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
}

template <int MR, int NV>
inline void tile(const ARows& a, int kc, const float* pb, int ldb, float* c, int ldc, int mr, int nr, const Epilogue& e,
                 const float* bias, bool first, bool last) {
  if constexpr (MR > 1) {
    if (mr < MR && a.layout == APanel::Packed)
      return raggedTile<MR, NV, MR - 1>(kc, a.data, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
  }
  switch (a.layout) {
    case APanel::Packed: return tile<MR, NV, APanel::Packed>(kc, a.data, a.ld, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
    case APanel::Columns: return tile<MR, NV, APanel::Columns>(kc, a.data, a.ld, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
    case APanel::Rows: return tile<MR, NV, APanel::Rows>(kc, a.data, a.ld, pb, ldb, c, ldc, mr, nr, e, bias, first, last);
  }
}

/**
 * Whether a block reads op(A) in place rather than packing it: when its columns span at most
 * kInPlaceAPanels panels of B, packing A (a pass over it for every k-block) costs about as much as
 * the few times each value is read again. From the shape alone, and the sums are the same either way.
 */
constexpr int kInPlaceAPanels = 4;

#if defined(APICAL_HALF_VECTORS)
constexpr int kInPlaceTail = kHalfLanes;
#else
constexpr int kInPlaceTail = 0;
#endif

/**
 * The fewest rows of a block that pack op(B) = B: a taller block reads each panel of B once per
 * MR-row tile, from a strided layout that a row stride of 1 KB (n = 256) maps onto a few L1 sets;
 * packed, the panels are contiguous. Measured with AVX2 on AMD Zen 3 (128×256·256×256 and
 * 100×784·784×240 1.14× faster, 100×100·100×100 unchanged; a recurrent step's 20 rows stay in
 * place); the other instruction sets, not measured so, keep B in place.
 */
#if defined(__AVX2__) && !defined(__AVX512F__)
constexpr int kPackBRows = 4 * kMR;
#else
constexpr int kPackBRows = 1 << 30;
#endif

/**
 * Computes the rectangle [i0,i1)×[j0,j1) of C, packing as it goes (runs on either thread).
 * op(B) = B (stored k×n, row-major) is not packed in a block of fewer than kPackBRows rows: the
 * micro-kernel reads its rows in place (ldb = n) in whole vectors; a last panel narrower than kLanes columns is read in place too when
 * at most kHalfLanes wide (halfKernel's masked loads), else packed with zero padding (a masked load
 * in the full-width kernels measured twice as slow as packing). op(B) = Bᵀ is packed into NR-wide
 * panels (ldb = NR). op(A) is packed into MR-row panels, or read in place (whole MR-row tiles; a ragged
 * last tile is packed) when the block is narrow (kInPlaceAPanels).
 */
template <int MR, int NV>
void runBlock(const Block& blk) {
  constexpr int NR = kLanes * NV;
  const Problem& P = *blk.p;
  const int k = P.k;
  const bool directB = !P.transB && blk.i1 - blk.i0 < kPackBRows;
  const bool directA = blk.j1 - blk.j0 <= kInPlaceAPanels * NR;
  // Split k into equal blocks (a ragged last block would waste a pass over C).
  const int kBlocks = (k + kMaxKc - 1) / kMaxKc;
  const int kcStep = (k + kBlocks - 1) / kBlocks;
  const int mcStep = std::max(MR, (kMaxMc / MR) * MR);
  const int ncStep = directB ? std::max(1, blk.j1 - blk.j0) : std::max(NR, (kMaxNc / NR) * NR);

  float* bufA = packedA.get(static_cast<size_t>(mcStep + MR) * kcStep + kLanes);  // + packA's slack
  float* bufB = packedB.get(static_cast<size_t>(directB ? NR : ncStep + NR) * kcStep);

  for (int jc = blk.j0; jc < blk.j1; jc += ncStep) {
    const int nc = std::min(ncStep, blk.j1 - jc);
    // Direct B: columns [jc, jc + vectorCols) are read in place in whole vectors, up to directCols
    // in place as a narrow tail (≤ kInPlaceTail), the rest (< kLanes wide) is packed.
    const int vectorCols = directB ? (nc / kLanes) * kLanes : 0;
    const int directCols = directB && nc - vectorCols <= kInPlaceTail ? nc : vectorCols;
    for (int pc = 0; pc < k; pc += kcStep) {
      const int kc = std::min(kcStep, k - pc);
      const bool first = pc == 0;
      const bool last = pc + kc >= k;
      if (!directB)
        packB<NR>(P, pc, kc, jc, nc, bufB);
      else if (directCols < nc)
        packB<NR>(P, pc, kc, jc + directCols, nc - directCols, bufB);
      for (int ic = blk.i0; ic < blk.i1; ic += mcStep) {
        const int mc = std::min(mcStep, blk.i1 - ic);
        // Rows [ic, ic + inPlaceRows) of op(A) are read in place, the rest (< MR rows) is packed.
        const int inPlaceRows = directA ? (mc / MR) * MR : 0;
        if (inPlaceRows < mc) packA<MR>(P, ic + inPlaceRows, mc - inPlaceRows, pc, kc, bufA);
        for (int ir = 0; ir < mc; ir += MR) {
          const int i = ic + ir;
          const ARows a = ir >= inPlaceRows ? ARows{bufA + static_cast<size_t>(ir - inPlaceRows) * kc, MR, APanel::Packed}
                          : P.transA        ? ARows{P.a + static_cast<size_t>(pc) * P.m + i, P.m, APanel::Columns}
                                            : ARows{P.a + static_cast<size_t>(i) * P.k + pc, P.k, APanel::Rows};
          const int mr = std::min(MR, mc - ir);
          for (int jr = 0; jr < nc;) {
            const float* pb;
            int ldb, nr;
            if (!directB) {
              pb = bufB + static_cast<size_t>(jr) * kc;
              ldb = NR;
              nr = std::min(NR, nc - jr);
            } else if (jr < directCols) {
              pb = P.b + static_cast<size_t>(pc) * P.n + jc + jr;
              ldb = P.n;
              nr = jr < vectorCols ? std::min(NR, vectorCols - jr) : directCols - jr;
            } else {
              pb = bufB;
              ldb = NR;
              nr = nc - jr;
            }
            const int col = jc + jr;
            float* cTile = P.c + static_cast<size_t>(i) * P.n + col;
            tile<MR, NV>(a, kc, pb, ldb, cTile, P.n, mr, nr, P.epi, P.epi.bias ? P.epi.bias + col : nullptr, first, last);
            jr += nr;
          }
        }
      }
    }
  }
}

/** runChunks callback: ctx is an array of Blocks, one per chunk. */
void runBlockChunk(void* ctx, int chunk) {
  const Block& blk = static_cast<const Block*>(ctx)[chunk];
  blk.run(blk);
}

/** Products below this many flops stay on the calling thread (hand-off would cost more than it saves). */
constexpr double kParallelFlops = 2.0e6;
/**
 * The most chunks a product is cut into: row bands cost nothing extra (each packs only its own rows
 * of A), so they are fine-grained (one 10-row tile each at m = 100) to balance the two threads even
 * when the helper starts late; column bands each repack all of A, so there are fewer of them.
 */
constexpr int kMaxRowChunks = 16;
constexpr int kMaxColumnChunks = 4;
constexpr int kMaxChunks = kMaxRowChunks;

/**
 * Cuts C into chunks (from the shape alone) that the two threads claim dynamically, or runs it
 * whole on one thread: row bands of whole MR-row tiles when B is read in place (each chunk then
 * packs only its own rows of A), else column bands of whole NR-column panels (each packs only its
 * own panels of B). Every element is computed by the same instruction sequence however C is cut
 * and whichever thread runs it, so results never depend on the thread count or on timing.
 */
template <int MR, int NV>
void runProblem(const Problem& P) {
  constexpr int NR = kLanes * NV;
  Block whole{&P, 0, P.m, 0, P.n, &runBlock<MR, NV>};
  const double flops = 2.0 * P.m * P.n * static_cast<double>(P.k);
  if (flops < kParallelFlops || !helperAllowed()) {
    runBlock<MR, NV>(whole);
    return;
  }
  const bool byRows = !P.transB;
  const int tiles = byRows ? (P.m + MR - 1) / MR : (P.n + NR - 1) / NR;
  const int wanted = byRows ? kMaxRowChunks : kMaxColumnChunks;
  const int perChunk = std::max(1, (tiles + wanted - 1) / wanted);
  const int chunks = (tiles + perChunk - 1) / perChunk;
  if (chunks < 2) {
    runBlock<MR, NV>(whole);
    return;
  }
  Block blocks[kMaxChunks + 1];
  for (int c = 0; c < chunks; ++c) {
    Block& b = blocks[c];
    b = whole;
    if (byRows) {
      b.i0 = c * perChunk * MR;
      b.i1 = std::min(P.m, (c + 1) * perChunk * MR);
    } else {
      b.j0 = c * perChunk * NR;
      b.j1 = std::min(P.n, (c + 1) * perChunk * NR);
    }
  }
  runChunks(&runBlockChunk, blocks, chunks);
}

/** Scales C by β (β = 0: clears it) when k = 0, then applies bias/activation: the empty-sum case. */
void emptyProduct(const Problem& P) {
  for (int i = 0; i < P.m; ++i) {
    float* row = P.c + static_cast<size_t>(i) * P.n;
    for (int j = 0; j < P.n; ++j) {
      float v = P.epi.bias ? P.epi.bias[j] : 0.0f;
      if (P.epi.beta != 0.0f) v += P.epi.beta * row[j];
      row[j] = v;
    }
    activateInPlace(P.epi.act, row, P.n);
  }
}

void solve(const Problem& P) {
  if (P.m <= 0 || P.n <= 0) return;
  if (P.k <= 0) return emptyProduct(P);
  if (P.n <= kLanes * kNarrowNV)
    runProblem<kNarrowMR, kNarrowNV>(P);
  else
    runProblem<kMR, kNV>(P);
}

}  // namespace

void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, const float* b,
          float beta, float* c) {
  solve(Problem{transA, transB, m, n, k, a, b, c, Epilogue{alpha, beta, nullptr, kIdentity}});
}

void dense(int m, int n, int k, const float* x, const float* w, const float* bias, Activation act, float* y) {
  solve(Problem{false, false, m, n, k, x, w, y, Epilogue{1.0f, 0.0f, bias, act}});
}

void denseConcat(int m, int wa, int wb, int n, const float* a, int lda, const float* b, float* z, const float* w,
                 const float* bias, Activation act, float* y) {
  const int k = wa + wb;
  copyBlock(m, wa, a, lda, z, k);
  if (b)
    copyBlock(m, wb, b, wb, z + wa, k);
  else
    for (int r = 0; r < m; ++r) std::memset(z + static_cast<size_t>(r) * k + wa, 0, sizeof(float) * wb);
  dense(m, n, k, z, w, bias, act, y);
}

void errorThroughSteps(int steps, int rows, int n, bool transB, const float* b, Activation act, const float* states,
                       float* deltas) {
  const size_t block = static_cast<size_t>(rows) * n;
  // op(B) = Bᵀ is written out once for the whole sequence, so that every step's product reads its B
  // in place instead of packing the transpose again: the same sums (a product's packed panels are
  // the same whether B or its transpose is read), less work per step.
  const float* op = b;
  if (transB && steps > 1) {
    float* t = transposedB.get(static_cast<size_t>(n) * n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) t[static_cast<size_t>(j) * n + i] = b[static_cast<size_t>(i) * n + j];
    op = t;
  }
  for (int t = steps - 1; t > 0; --t) {
    float* below = deltas + (t - 1) * block;
    gemm(false, false, rows, n, n, 1.0f, deltas + t * block, op, 0.0f, below);
    deltaFromGrad(act, static_cast<int64_t>(block), states + (t - 1) * block, below, below);
  }
}

}  // namespace APICAL_ISA
}  // namespace apical
