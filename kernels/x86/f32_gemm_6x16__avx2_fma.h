// f32 GEMM micro-kernels for x86-64 with AVX2 and FMA3, broadcast style: each step of k
// broadcasts one float of every A row and multiplies it into whole vectors of 8 packed weights.
// Include this header ONLY from a source file compiled with -mavx2 -mfma (src/cpu/*_avx2.cc);
// run its kernels only after cpuinfo said the CPU has both.
//
// The tile is MR rows by NV vectors of 8 columns; the main kernel is 6x16 (MR = 6, NV = 2):
// 12 accumulators, 2 weight vectors and 1 broadcast fill 15 of the 16 ymm registers, and each k
// step issues 12 FMAs against 8 loads, which keeps both FMA pipes of a Zen 3 or Skylake core busy.
//
// Steps of a call (mr rows, nc columns):
//   1. Dispatch once on mr, so that a row tail (mr < MR) runs a kernel compiled for exactly that
//      many rows instead of recomputing duplicated rows.
//   2. With few rows, walk several nr blocks at once so that at least 8 independent accumulator
//      chains hide the FMA latency (4 cycles, 2 pipes); the weights of those blocks stream side
//      by side from their own panels.
//   3. The blocks left over (fewer than walked at once, the last one maybe partial) form one
//      last tile; with a single block left, only its 8-column vectors that hold real columns are
//      computed.
//   4. Each tile: accumulators start at the biases, take one FMA per k in increasing order, are
//      clamped, and are stored; a partial vector is stored as 4, 2 and 1 lanes.
// Every path keeps the per-element order of f32_gemm.h, so results are bit-identical whatever the
// row count or the tiling.
#ifndef ERT_KERNELS_X86_F32_GEMM_6X16__AVX2_FMA_H_
#define ERT_KERNELS_X86_F32_GEMM_6X16__AVX2_FMA_H_

#include <immintrin.h>

#include <cstddef>

#include "kernels/f32_gemm.h"

#if defined(__GNUC__)
#define ERT_GEMM_INLINE inline __attribute__((always_inline))
#define ERT_GEMM_UNROLL _Pragma("GCC unroll 16")
#else
#define ERT_GEMM_INLINE inline
#define ERT_GEMM_UNROLL
#endif

namespace ert::kernels {
namespace avx2_gemm {

/// Stores the first `lanes` (1..8) floats of v at p.
ERT_GEMM_INLINE void store_partial(float* p, __m256 v, size_t lanes) {
  __m128 lo = _mm256_castps256_ps128(v);
  if (lanes & 4) {
    _mm_storeu_ps(p, lo);
    lo = _mm256_extractf128_ps(v, 1);
    p += 4;
  }
  if (lanes & 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(p), lo);
    lo = _mm_movehl_ps(lo, lo);
    p += 2;
  }
  if (lanes & 1) _mm_store_ss(p, lo);
}

/// R rows times NB blocks of which the first NVC (<= NV) vectors are computed. `w` is the first
/// block, `block` the floats from one block to the next, `col` the first column of the first
/// block in the output rows. With kFull every computed column is stored; otherwise only the
/// first `cols` of the tile (vectors past them hold zero padding's results and are dropped).
template <size_t R, size_t NB, size_t NVC, size_t NV, bool kFull>
ERT_GEMM_INLINE void tile(size_t kc, const float* const* a, const float* w, size_t block,
                          float* const* c, size_t col, size_t cols, __m256 vmin, __m256 vmax) {
  constexpr size_t kNr = NV * 8;
  __m256 acc[R][NB][NVC];
  ERT_GEMM_UNROLL
  for (size_t b = 0; b < NB; ++b) {
    ERT_GEMM_UNROLL
    for (size_t v = 0; v < NVC; ++v) {
      const __m256 bias = _mm256_loadu_ps(w + b * block + v * 8);
      ERT_GEMM_UNROLL
      for (size_t r = 0; r < R; ++r) acc[r][b][v] = bias;
    }
  }
  const float* wk = w + kNr;
  for (size_t k = 0; k < kc; ++k, wk += kNr) {
    __m256 wv[NB][NVC];
    ERT_GEMM_UNROLL
    for (size_t b = 0; b < NB; ++b) {
      ERT_GEMM_UNROLL
      for (size_t v = 0; v < NVC; ++v) wv[b][v] = _mm256_loadu_ps(wk + b * block + v * 8);
    }
    ERT_GEMM_UNROLL
    for (size_t r = 0; r < R; ++r) {
      const __m256 x = _mm256_broadcast_ss(a[r] + k);
      ERT_GEMM_UNROLL
      for (size_t b = 0; b < NB; ++b) {
        ERT_GEMM_UNROLL
        for (size_t v = 0; v < NVC; ++v) acc[r][b][v] = _mm256_fmadd_ps(x, wv[b][v], acc[r][b][v]);
      }
    }
  }
  ERT_GEMM_UNROLL
  for (size_t r = 0; r < R; ++r) {
    float* out = c[r] + col;
    ERT_GEMM_UNROLL
    for (size_t b = 0; b < NB; ++b) {
      ERT_GEMM_UNROLL
      for (size_t v = 0; v < NVC; ++v) {
        // The accumulator is the second operand: max_ps and min_ps return it when either is
        // NaN, so a NaN result stays NaN as in the scalar and NEON kernels.
        const __m256 y = _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc[r][b][v]));
        const size_t offset = b * kNr + v * 8;
        if (kFull || cols >= offset + 8) {
          _mm256_storeu_ps(out + offset, y);
        } else if (cols > offset) {
          store_partial(out + offset, y, cols - offset);
        }
      }
    }
  }
}

/// The partial last block: nc (1 .. NV*8-1) columns, computing only the vectors that hold them.
template <size_t R, size_t NV, size_t V = 1>
ERT_GEMM_INLINE void tail(size_t nc, size_t kc, const float* const* a, const float* w,
                          float* const* c, size_t col, __m256 vmin, __m256 vmax) {
  if constexpr (V < NV) {
    if (nc > V * 8) {
      tail<R, NV, V + 1>(nc, kc, a, w, c, col, vmin, vmax);
      return;
    }
  }
  tile<R, 1, V, NV, false>(kc, a, w, 0, c, col, nc, vmin, vmax);
}

/// The last nc columns (1 .. NB*NV*8-1) when R rows walk NB blocks at once: one tile over as
/// many blocks as they touch (the zero-padded end of the last one is computed, not stored), so
/// that a fully connected layer keeps its independent accumulators to the end.
template <size_t R, size_t NV, size_t NB>
ERT_GEMM_INLINE void rest(size_t nc, size_t kc, const float* const* a, const float* w,
                          size_t block, float* const* c, size_t col, __m256 vmin, __m256 vmax) {
  if constexpr (NB > 1) {
    if (nc > (NB - 1) * NV * 8) {
      tile<R, NB, NV, NV, false>(kc, a, w, block, c, col, nc, vmin, vmax);
    } else {
      rest<R, NV, NB - 1>(nc, kc, a, w, block, c, col, vmin, vmax);
    }
  } else {
    tail<R, NV>(nc, kc, a, w, c, col, vmin, vmax);
  }
}

/// Blocks walked side by side for R rows: doubled while fewer than 8 accumulators exist and the
/// registers still hold them all. With one row each weight vector is used once, so it is read
/// straight from memory by the FMA and needs no register.
constexpr size_t blocks_at_once(size_t rows, size_t nv) {
  size_t nb = 1;
  while (rows * nv * nb < 8) {
    const size_t regs = rows * nv * nb * 2 + (rows > 1 ? nv * nb * 2 : 0) + 1;
    if (regs > 16) break;
    nb *= 2;
  }
  return nb;
}

/// All of nc for exactly R rows.
template <size_t R, size_t NV>
void rows(size_t nc, size_t kc, const float* a0, size_t a_stride, const float* w, float* c0,
          size_t c_stride, const GemmMinMax* params) {
  constexpr size_t kNr = NV * 8;
  constexpr size_t kNb = blocks_at_once(R, NV);
  const float* a[R];
  float* c[R];
  for (size_t r = 0; r < R; ++r) {
    a[r] = reinterpret_cast<const float*>(reinterpret_cast<const char*>(a0) + r * a_stride);
    c[r] = reinterpret_cast<float*>(reinterpret_cast<char*>(c0) + r * c_stride);
  }
  const __m256 vmin = _mm256_set1_ps(params->min);
  const __m256 vmax = _mm256_set1_ps(params->max);
  const size_t block = kNr * (kc + 1);
  size_t col = 0;
  for (; nc - col >= kNb * kNr; col += kNb * kNr, w += kNb * block) {
    tile<R, kNb, NV, NV, true>(kc, a, w, block, c, col, kNb * kNr, vmin, vmax);
  }
  if (col < nc) rest<R, NV, kNb>(nc - col, kc, a, w, block, c, col, vmin, vmax);
}

/// MR x (NV*8) kernel body: picks the row count once per call (R counts down from MR).
template <size_t MR, size_t NV, size_t R = MR>
void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
          float* c, size_t c_stride, const GemmMinMax* params) {
  if constexpr (R > 1) {
    if (mr < R) return gemm<MR, NV, R - 1>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
  }
  rows<R, NV>(nc, kc, a, a_stride, w, c, c_stride, params);
}

}  // namespace avx2_gemm

/// MR = 6, NR = 16: the AVX2/FMA kernel the dispatcher picks (see the top of this file).
inline void f32_gemm_6x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a,
                                    size_t a_stride, const float* packed_w, float* c,
                                    size_t c_stride, const GemmMinMax* params) {
  avx2_gemm::gemm<6, 2>(mr, nc, kc, a, a_stride, packed_w, c, c_stride, params);
}

}  // namespace ert::kernels

#undef ERT_GEMM_INLINE
#undef ERT_GEMM_UNROLL

#endif  // ERT_KERNELS_X86_F32_GEMM_6X16__AVX2_FMA_H_
