// f32 GEMM micro-kernels for ARM NEON (armv7 with NEON, and aarch64), "lane" style: each row of A
// is loaded a few floats at a time, and each of those floats multiplies whole vectors of 4 packed
// weights through the by-lane multiply-add. Include this header only from a source file compiled
// with NEON enabled (src/cpu/*_neon.cc); run its kernels only after cpuinfo said the CPU has NEON.
//
// The body is a template over an arithmetic policy (Ops), shared with the aarch64 FMA kernel in
// f32_gemm_6x8__aarch64_neonfma.h. This file's kernel, f32_gemm_4x8__neon, uses vmla: a multiply
// then an add, which every NEON unit has (armv7 gets fused multiply-add only with VFPv4).
//
// Steps of a call (mr rows, nc columns), as in the AVX2 kernel:
//   1. Dispatch once on mr to a body compiled for exactly that many rows.
//   2. With few rows, walk several 8-column blocks at once for more independent accumulators.
//   3. The blocks left over (the last one maybe partial) form one last tile; with a single block
//      left, only its vectors that hold real columns are computed.
//   4. Each tile: accumulators start at the biases; k advances Ops::kLanes at a time (one load of
//      A per row, one multiply-add per lane), then one at a time for the rest of k; the results
//      are clamped and stored, a partial vector as 2 and 1 lanes.
// Each element still takes its products in increasing k, so the results do not depend on the
// row count or the tiling.
#ifndef ERT_KERNELS_ARM_F32_GEMM_4X8__NEON_H_
#define ERT_KERNELS_ARM_F32_GEMM_4X8__NEON_H_

#include <arm_neon.h>

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
namespace neon_gemm {

/// vmla on 2-float pieces of A: works on every NEON unit (armv7 and aarch64).
struct MlaOps {
  static constexpr size_t kLanes = 2;
  static constexpr size_t kRegisters = 16;  // q registers on armv7.
  using AVec = float32x2_t;
  static ERT_GEMM_INLINE AVec load_a(const float* p) { return vld1_f32(p); }
  template <int L>
  static ERT_GEMM_INLINE float32x4_t madd_lane(float32x4_t acc, float32x4_t w, AVec x) {
    return vmlaq_lane_f32(acc, w, x, L);
  }
  static ERT_GEMM_INLINE float32x4_t madd(float32x4_t acc, float32x4_t w, float x) {
    return vmlaq_n_f32(acc, w, x);
  }
};

/// Stores the first `lanes` (1..4) floats of v at p.
ERT_GEMM_INLINE void store_partial(float* p, float32x4_t v, size_t lanes) {
  float32x2_t lo = vget_low_f32(v);
  if (lanes & 2) {
    vst1_f32(p, lo);
    lo = vget_high_f32(v);
    p += 2;
  }
  if (lanes & 1) vst1_lane_f32(p, lo, 0);
}

/// Blocks walked side by side for R rows: doubled while fewer than 8 accumulators exist and the
/// accumulators, weights and A pieces still fit in the registers.
constexpr size_t blocks_at_once(size_t rows, size_t nv, size_t registers) {
  size_t nb = 1;
  while (rows * nv * nb < 8) {
    const size_t regs = rows * nv * nb * 2 + nv * nb * 2 + rows;
    if (regs > registers) break;
    nb *= 2;
  }
  return nb;
}

/// One lane L of A for every row, block and vector: acc += w[L] * a[r][k + L].
template <class Ops, size_t L, size_t R, size_t NB, size_t NVC>
ERT_GEMM_INLINE void lane_steps(float32x4_t (&acc)[R][NB][NVC], const typename Ops::AVec (&x)[R],
                                const float* wk, size_t block, size_t nr) {
  if constexpr (L < Ops::kLanes) {
    float32x4_t wv[NB][NVC];
    ERT_GEMM_UNROLL
    for (size_t b = 0; b < NB; ++b) {
      ERT_GEMM_UNROLL
      for (size_t v = 0; v < NVC; ++v) wv[b][v] = vld1q_f32(wk + b * block + L * nr + v * 4);
    }
    ERT_GEMM_UNROLL
    for (size_t r = 0; r < R; ++r) {
      ERT_GEMM_UNROLL
      for (size_t b = 0; b < NB; ++b) {
        ERT_GEMM_UNROLL
        for (size_t v = 0; v < NVC; ++v) {
          acc[r][b][v] = Ops::template madd_lane<int(L)>(acc[r][b][v], wv[b][v], x[r]);
        }
      }
    }
    lane_steps<Ops, L + 1, R, NB, NVC>(acc, x, wk, block, nr);
  }
}

/// R rows times NB blocks of which the first NVC (<= NV) vectors are computed. `w` is the first
/// block, `block` the floats from one block to the next, `col` the first column of the first
/// block in the output rows. With kFull every computed column is stored; otherwise only the
/// first `cols` of the tile (vectors past them hold zero padding's results and are dropped).
template <class Ops, size_t R, size_t NB, size_t NVC, size_t NV, bool kFull>
ERT_GEMM_INLINE void tile(size_t kc, const float* const* a, const float* w, size_t block,
                          float* const* c, size_t col, size_t cols, float32x4_t vmin,
                          float32x4_t vmax) {
  constexpr size_t kNr = NV * 4;
  float32x4_t acc[R][NB][NVC];
  ERT_GEMM_UNROLL
  for (size_t b = 0; b < NB; ++b) {
    ERT_GEMM_UNROLL
    for (size_t v = 0; v < NVC; ++v) {
      const float32x4_t bias = vld1q_f32(w + b * block + v * 4);
      ERT_GEMM_UNROLL
      for (size_t r = 0; r < R; ++r) acc[r][b][v] = bias;
    }
  }
  const float* wk = w + kNr;
  size_t k = 0;
  for (; k + Ops::kLanes <= kc; k += Ops::kLanes, wk += Ops::kLanes * kNr) {
    typename Ops::AVec x[R];
    ERT_GEMM_UNROLL
    for (size_t r = 0; r < R; ++r) x[r] = Ops::load_a(a[r] + k);
    lane_steps<Ops, 0>(acc, x, wk, block, kNr);
  }
  for (; k < kc; ++k, wk += kNr) {
    float32x4_t wv[NB][NVC];
    ERT_GEMM_UNROLL
    for (size_t b = 0; b < NB; ++b) {
      ERT_GEMM_UNROLL
      for (size_t v = 0; v < NVC; ++v) wv[b][v] = vld1q_f32(wk + b * block + v * 4);
    }
    ERT_GEMM_UNROLL
    for (size_t r = 0; r < R; ++r) {
      const float x = a[r][k];
      ERT_GEMM_UNROLL
      for (size_t b = 0; b < NB; ++b) {
        ERT_GEMM_UNROLL
        for (size_t v = 0; v < NVC; ++v) acc[r][b][v] = Ops::madd(acc[r][b][v], wv[b][v], x);
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
        const float32x4_t y = vminq_f32(vmaxq_f32(acc[r][b][v], vmin), vmax);
        const size_t offset = b * kNr + v * 4;
        if (kFull || cols >= offset + 4) {
          vst1q_f32(out + offset, y);
        } else if (cols > offset) {
          store_partial(out + offset, y, cols - offset);
        }
      }
    }
  }
}

/// The partial last block: nc (1 .. NV*4-1) columns, computing only the vectors that hold them.
template <class Ops, size_t R, size_t NV, size_t V = 1>
ERT_GEMM_INLINE void tail(size_t nc, size_t kc, const float* const* a, const float* w,
                          float* const* c, size_t col, float32x4_t vmin, float32x4_t vmax) {
  if constexpr (V < NV) {
    if (nc > V * 4) {
      tail<Ops, R, NV, V + 1>(nc, kc, a, w, c, col, vmin, vmax);
      return;
    }
  }
  tile<Ops, R, 1, V, NV, false>(kc, a, w, 0, c, col, nc, vmin, vmax);
}

/// The last nc columns (1 .. NB*NV*4-1) when R rows walk NB blocks at once: one tile over as
/// many blocks as they touch (the zero-padded end of the last one is computed, not stored).
template <class Ops, size_t R, size_t NV, size_t NB>
ERT_GEMM_INLINE void rest(size_t nc, size_t kc, const float* const* a, const float* w,
                          size_t block, float* const* c, size_t col, float32x4_t vmin,
                          float32x4_t vmax) {
  if constexpr (NB > 1) {
    if (nc > (NB - 1) * NV * 4) {
      tile<Ops, R, NB, NV, NV, false>(kc, a, w, block, c, col, nc, vmin, vmax);
    } else {
      rest<Ops, R, NV, NB - 1>(nc, kc, a, w, block, c, col, vmin, vmax);
    }
  } else {
    tail<Ops, R, NV>(nc, kc, a, w, c, col, vmin, vmax);
  }
}

/// All of nc for exactly R rows.
template <class Ops, size_t R, size_t NV>
void rows(size_t nc, size_t kc, const float* a0, size_t a_stride, const float* w, float* c0,
          size_t c_stride, const GemmMinMax* params) {
  constexpr size_t kNr = NV * 4;
  constexpr size_t kNb = blocks_at_once(R, NV, Ops::kRegisters);
  const float* a[R];
  float* c[R];
  for (size_t r = 0; r < R; ++r) {
    a[r] = reinterpret_cast<const float*>(reinterpret_cast<const char*>(a0) + r * a_stride);
    c[r] = reinterpret_cast<float*>(reinterpret_cast<char*>(c0) + r * c_stride);
  }
  const float32x4_t vmin = vdupq_n_f32(params->min);
  const float32x4_t vmax = vdupq_n_f32(params->max);
  const size_t block = kNr * (kc + 1);
  size_t col = 0;
  for (; nc - col >= kNb * kNr; col += kNb * kNr, w += kNb * block) {
    tile<Ops, R, kNb, NV, NV, true>(kc, a, w, block, c, col, kNb * kNr, vmin, vmax);
  }
  if (col < nc) rest<Ops, R, NV, kNb>(nc - col, kc, a, w, block, c, col, vmin, vmax);
}

/// MR x (NV*4) kernel body: picks the row count once per call (R counts down from MR).
template <class Ops, size_t MR, size_t NV, size_t R = MR>
void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
          float* c, size_t c_stride, const GemmMinMax* params) {
  if constexpr (R > 1) {
    if (mr < R) return gemm<Ops, MR, NV, R - 1>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
  }
  rows<Ops, R, NV>(nc, kc, a, a_stride, w, c, c_stride, params);
}

}  // namespace neon_gemm

/// MR = 4, NR = 8 with vmla: the kernel for armv7 NEON (it also runs on aarch64).
inline void f32_gemm_4x8__neon(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                               const float* packed_w, float* c, size_t c_stride,
                               const GemmMinMax* params) {
  neon_gemm::gemm<neon_gemm::MlaOps, 4, 2>(mr, nc, kc, a, a_stride, packed_w, c, c_stride,
                                           params);
}

}  // namespace ert::kernels

#undef ERT_GEMM_INLINE
#undef ERT_GEMM_UNROLL

#endif  // ERT_KERNELS_ARM_F32_GEMM_4X8__NEON_H_
