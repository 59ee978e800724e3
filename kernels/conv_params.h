// Geometry shared by the sliding-window convolutions (CONV_2D and DEPTHWISE_CONV_2D): the kernel
// params struct (the per-axis window geometry is in kernels/common.h).
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

}  // namespace ert::kernels

#endif  // ERT_KERNELS_CONV_PARAMS_H_
