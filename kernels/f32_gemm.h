// f32 GEMM with packed weights: the core of 1x1 convolutions and fully connected layers.
// c[i][j] = clamp(bias[j] + sum_k a[i][k] * w[j][k], min, max), with the weights packed once
// (at prepare) into panels of `nr` output channels, and micro-kernels that compute up to `mr`
// rows of c at a time, named the way XNNPACK names its micro-kernels (f32_gemm_MRxNR__ISA).
//
// Packed layout (f32_gemm_pack), for each block of nr output channels j0 .. j0+nr-1:
//   1. nr floats: bias[j0 .. j0+nr) (zero without bias),
//   2. then k groups of nr floats: group kk holds w[j0 .. j0+nr)[kk],
// and the tail block is zero-padded to nr channels. A block is therefore nr * (k + 1) floats and
// block b starts at packed + b * nr * (k + 1). Zero padding keeps the kernels branch-free: they
// compute full blocks and store only the columns that exist.
//
// Every kernel computes each output element in the same order, whatever the tile it lands in:
// the accumulator starts at the bias and adds a[i][0] * w[j][0], a[i][1] * w[j][1], ... in
// increasing k (fused multiply-add where the kernel's ISA has it). A row's results therefore do
// not depend on m, on the tiling or on the thread count.
#ifndef ERT_KERNELS_F32_GEMM_H_
#define ERT_KERNELS_F32_GEMM_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace ert::kernels {

/// Output clamp of a GEMM (the fused activation, XNNPACK's minmax params).
struct GemmMinMax {
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
};

/// A micro-kernel: computes rows [0, mr) and columns [0, nc) of c, where 1 <= mr <= the kernel's
/// MR and nc >= 1 is any count (several nr blocks and a partial last one).
///   a        row i of A is a + i * a_stride bytes; kc floats are read from each row (kc >= 1).
///   packed_w the packed weights of the block holding column 0 (see the layout above), packed
///            with this kernel's nr and with k == kc.
///   c        row i of C is c + i * c_stride bytes; exactly nc floats are written in each row.
/// Reads nothing outside a[i][0 .. kc) and the packed blocks that cover nc; writes nothing outside
/// c[i][0 .. nc). Strides are in bytes so that callers can point into padded or sliced tensors.
using GemmUkernelFn = void (*)(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                               const float* packed_w, float* c, size_t c_stride,
                               const GemmMinMax* params);

/// Floats in the packed weights of an n x k matrix for panels of nr channels (nr >= 1).
inline size_t f32_gemm_packed_size(size_t n, size_t k, size_t nr) {
  const size_t blocks = (n + nr - 1) / nr;
  return blocks * nr * (k + 1);
}

/// Packs weights [n][k] (row-major: TFLite's [out][in], also a 1x1 filter [out][1][1][in]) and
/// an optional bias [n] into `packed`, which holds f32_gemm_packed_size(n, k, nr) floats.
/// Writes every float of `packed` (padding included), allocates nothing.
inline void f32_gemm_pack(size_t n, size_t k, size_t nr, const float* weights, const float* bias,
                          float* packed) {
  for (size_t j0 = 0; j0 < n; j0 += nr) {
    const size_t cols = std::min(nr, n - j0);
    for (size_t j = 0; j < nr; ++j) {
      packed[j] = (j < cols && bias != nullptr) ? bias[j0 + j] : 0.0f;
    }
    packed += nr;
    for (size_t kk = 0; kk < k; ++kk) {
      for (size_t j = 0; j < nr; ++j) {
        packed[j] = j < cols ? weights[(j0 + j) * k + kk] : 0.0f;
      }
      packed += nr;
    }
  }
}

/// Portable micro-kernel, MR = 4, NR = 4: the fallback on CPUs without a SIMD kernel.
/// Multiply then add in the order described at the top (a compiler that contracts floating-point
/// expressions may fuse them; GCC in ISO C++ mode does not).
inline void f32_gemm_4x4__scalar(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                 const float* packed_w, float* c, size_t c_stride,
                                 const GemmMinMax* params) {
  constexpr size_t kMr = 4;
  constexpr size_t kNr = 4;
  const float lo = params->min;
  const float hi = params->max;
  const float* rows[kMr];
  float* outs[kMr];
  for (size_t i = 0; i < mr; ++i) {
    rows[i] = reinterpret_cast<const float*>(reinterpret_cast<const char*>(a) + i * a_stride);
    outs[i] = reinterpret_cast<float*>(reinterpret_cast<char*>(c) + i * c_stride);
  }
  // Steps per block of kNr columns:
  //   1. Start every row's accumulators at the block's biases.
  //   2. For each k, add a[i][k] times the block's k-th group of weights.
  //   3. Clamp and store the columns that exist.
  const float* w = packed_w;
  for (size_t j0 = 0; j0 < nc; j0 += kNr) {
    float acc[kMr][kNr];
    for (size_t i = 0; i < mr; ++i) {
      for (size_t j = 0; j < kNr; ++j) acc[i][j] = w[j];
    }
    const float* wk = w + kNr;
    for (size_t kk = 0; kk < kc; ++kk, wk += kNr) {
      for (size_t i = 0; i < mr; ++i) {
        const float x = rows[i][kk];
        for (size_t j = 0; j < kNr; ++j) acc[i][j] += x * wk[j];
      }
    }
    const size_t cols = std::min(kNr, nc - j0);
    for (size_t i = 0; i < mr; ++i) {
      for (size_t j = 0; j < cols; ++j) {
        outs[i][j0 + j] = std::min(std::max(acc[i][j], lo), hi);
      }
    }
    w += kNr * (kc + 1);
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_F32_GEMM_H_
