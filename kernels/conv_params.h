// Geometry shared by the sliding-window convolutions (CONV_2D and DEPTHWISE_CONV_2D): the kernel
// params struct, and the per-axis output size and padding computed in 64 bits for prepare.
#ifndef ERT_KERNELS_CONV_PARAMS_H_
#define ERT_KERNELS_CONV_PARAMS_H_

#include <algorithm>
#include <cstdint>

#include "kernels/common.h"

namespace ert::kernels {

/// Stride, dilation, zero padding and fused activation of a 2-D convolution over NHWC data.
/// Output row oy reads input rows oy * stride_h - padding_h.before + ky * dilation_h for each
/// filter row ky (columns likewise); taps that land outside the input read zeros.
struct ConvParams {
  int32_t stride_h = 1;
  int32_t stride_w = 1;
  int32_t dilation_h = 1;
  int32_t dilation_w = 1;
  AxisPadding padding_h;  // Rows added above (before) and below (after) the input.
  AxisPadding padding_w;  // Columns added left (before) and right (after) of the input.
  ActivationRange activation;
};

/// One spatial axis of a sliding window: output size and padding. Everything is 64-bit because
/// prepare feeds it sizes, strides and paddings straight from a file; `out` may come out
/// negative or zero when the window does not fit, and the caller rejects that.
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

#endif  // ERT_KERNELS_CONV_PARAMS_H_
