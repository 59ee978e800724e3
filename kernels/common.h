// Pieces every kernel shares: the fused-activation clamp and convolution/pooling padding.
#ifndef ERT_KERNELS_COMMON_H_
#define ERT_KERNELS_COMMON_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/shape.h"

namespace ert::kernels {

/// Fused activation as a clamp (XNNPACK's minmax style): out = min(max(x, min), max).
struct ActivationRange {
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
};

inline float clamp(float x, ActivationRange r) { return std::min(std::max(x, r.min), r.max); }

/// Padding of one spatial axis: `before` pixels added at the start.
struct AxisPadding {
  int32_t before = 0;
  int32_t after = 0;
};

/// One spatial axis of a sliding window (convolution or pooling): output size and padding.
/// Everything is 64-bit because prepare feeds it sizes, strides and paddings straight from a
/// file; `out` may come out zero or negative when the window does not fit, and the caller
/// rejects what it must.
struct ConvAxis {
  int64_t out = 0;
  int64_t before = 0;
  int64_t after = 0;
};

/// Extent of a filter of `k` taps spread by `dilation`: (k - 1) * dilation + 1.
inline int64_t effective_kernel_size64(int64_t k, int64_t dilation) {
  return (k - 1) * dilation + 1;
}

/// TFLite's SAME rule: out = ceil(in / stride); the total padding that makes the last window
/// end at the last pixel is split with the smaller half before. `effective_k` is dilated.
inline ConvAxis conv_axis_same(int64_t in, int64_t stride, int64_t effective_k) {
  ConvAxis a;
  a.out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((a.out - 1) * stride + effective_k - in, 0);
  a.before = total / 2;
  a.after = total - a.before;
  return a;
}

/// Padding given explicitly (VALID is before = after = 0):
/// out = floor((in + before + after - effective_k) / stride) + 1, or 0 when the window does not
/// fit in the padded input at all.
inline ConvAxis conv_axis_explicit(int64_t in, int64_t stride, int64_t effective_k, int64_t before,
                                   int64_t after) {
  ConvAxis a;
  a.before = before;
  a.after = after;
  const int64_t span = in + before + after - effective_k;
  a.out = span < 0 ? 0 : span / stride + 1;
  return a;
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_COMMON_H_
