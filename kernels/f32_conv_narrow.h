// Direct f32 convolution for layers with few output channels (segmentation heads: 3x3 over
// C channels into 1 channel), where a GEMM tile of 16 columns would waste most of its lanes.
//
// For each output pixel and output channel, each filter row is one dot product of contiguous
// memory: input row iy, pixels ix0 .. ix1 (all C channels) against filter row ky, taps kx0 ..
// kx1. Padding only shortens the range. The dot product keeps kLanes independent partial sums
// (lane j adds elements j, j + kLanes, ...), which a compiler turns into one SIMD register of
// fused multiply-adds when the including file is built with the ISA's flags; the lanes are
// added at the end in a fixed order, so the result does not depend on the ISA.
//
// Steps of f32_conv_narrow_rows:
//   1. For each output row in [row_begin, row_end) and each output pixel, clip the filter
//      window to the input.
//   2. For each output channel: bias, plus per filter row the lane-wise dot product.
//   3. Clamp (fused activation) and store.
#ifndef ERT_KERNELS_F32_CONV_NARROW_H_
#define ERT_KERNELS_F32_CONV_NARROW_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/common.h"

namespace ert::kernels {

/// Geometry of a groups-1, dilation-1 NHWC convolution with an OHWI filter.
struct NarrowConvParams {
  int32_t batch = 1, in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t k_h = 0, k_w = 0;
  int32_t stride_h = 1, stride_w = 1;
  int32_t pad_top = 0, pad_left = 0;
  ActivationRange activation;
};

// Both functions are templates on an ISA tag that each including file defines for itself (in
// an anonymous namespace): a file built with -mavx2 and a portable one then get distinct
// symbols, so the linker cannot hand the AVX2 copy to a caller on a CPU without AVX2.

/// Sum of a[i] * b[i] for i < n, in kLanes interleaved partial sums added in a fixed order.
template <typename IsaTag>
inline float dot_lanes(const float* a, const float* b, size_t n) {
  constexpr size_t kLanes = 8;
  float lane[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t j = 0; j < kLanes; ++j) lane[j] += a[i + j] * b[i + j];
  }
  for (size_t j = 0; i + j < n; ++j) lane[j] += a[i + j] * b[i + j];
  float sum = 0.0f;
  for (size_t j = 0; j < kLanes; ++j) sum += lane[j];
  return sum;
}

/// Output rows [row_begin, row_end) of image `n` (see the steps above).
template <typename IsaTag>
inline void f32_conv_narrow_rows(const NarrowConvParams& p, int32_t n, int32_t row_begin,
                                 int32_t row_end, const float* input, const float* filter,
                                 const float* bias, float* output) {
  const size_t in_row = size_t(p.in_w) * size_t(p.in_c);
  const size_t filter_row = size_t(p.k_w) * size_t(p.in_c);
  const size_t filter_size = size_t(p.k_h) * filter_row;
  const float* image = input + size_t(n) * size_t(p.in_h) * in_row;
  for (int32_t oy = row_begin; oy < row_end; ++oy) {
    const int32_t iy0 = oy * p.stride_h - p.pad_top;
    const int32_t ky0 = std::max(0, -iy0);
    const int32_t ky1 = std::min(p.k_h, p.in_h - iy0);
    float* out_row = output + ((size_t(n) * size_t(p.out_h) + size_t(oy)) * size_t(p.out_w)) *
                                  size_t(p.out_c);
    for (int32_t ox = 0; ox < p.out_w; ++ox) {
      const int32_t ix0 = ox * p.stride_w - p.pad_left;
      const int32_t kx0 = std::max(0, -ix0);
      const int32_t kx1 = std::min(p.k_w, p.in_w - ix0);
      const size_t span = kx1 > kx0 ? size_t(kx1 - kx0) * size_t(p.in_c) : 0;
      for (int32_t co = 0; co < p.out_c; ++co) {
        float acc = bias != nullptr ? bias[co] : 0.0f;
        const float* w = filter + size_t(co) * filter_size;
        for (int32_t ky = ky0; ky < ky1; ++ky) {
          const float* x = image + size_t(iy0 + ky) * in_row + size_t(ix0 + kx0) * size_t(p.in_c);
          acc += dot_lanes<IsaTag>(x, w + size_t(ky) * filter_row + size_t(kx0) * size_t(p.in_c), span);
        }
        out_row[size_t(ox) * size_t(p.out_c) + size_t(co)] = clamp(acc, p.activation);
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_F32_CONV_NARROW_H_
