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

/// Output size of a convolution or pooling along one axis with TFLite's SAME rule:
/// out = ceil(in / stride); total padding = max((out - 1) * stride + effective_k - in, 0),
/// split with the smaller half before (the extra pixel goes after).
inline int32_t same_output_size(int32_t in, int32_t stride) { return (in + stride - 1) / stride; }

inline AxisPadding same_padding(int32_t in, int32_t stride, int32_t effective_k) {
  const int32_t out = same_output_size(in, stride);
  const int64_t total =
      std::max<int64_t>(int64_t(out - 1) * stride + effective_k - in, 0);
  AxisPadding p;
  p.before = int32_t(total / 2);
  p.after = int32_t(total - total / 2);
  return p;
}

/// Output size for explicit padding (VALID is the case before = after = 0):
/// floor((in + before + after - effective_k) / stride) + 1, or 0 when the window does not fit.
inline int32_t padded_output_size(int32_t in, AxisPadding pad, int32_t stride,
                                  int32_t effective_k) {
  const int64_t span = int64_t(in) + pad.before + pad.after - effective_k;
  if (span < 0) return 0;
  return int32_t(span / stride + 1);
}

/// Kernel extent once dilation spreads its taps: (k - 1) * dilation + 1.
inline int32_t effective_kernel_size(int32_t k, int32_t dilation) {
  return (k - 1) * dilation + 1;
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_COMMON_H_
