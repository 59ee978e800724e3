// HARD_SWISH: out = x * relu6(x + 3) / 6, the piecewise approximation of x * sigmoid(x) used by
// MobileNetV3.
#ifndef ERT_KERNELS_HARD_SWISH_H_
#define ERT_KERNELS_HARD_SWISH_H_

#include <algorithm>
#include <cstdint>

namespace ert::kernels {

/// Hard swish of one value. The product comes before the division by 6, in TFLite's order, so
/// that results round the same way.
inline float hard_swish(float x) {
  const float gate = std::min(6.0f, std::max(0.0f, x + 3.0f));
  return x * gate / 6.0f;
}

/// Applies hard swish to `count` floats. `in` and `out` may be the same buffer.
inline void hard_swish_f32(const float* in, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = hard_swish(in[i]);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_HARD_SWISH_H_
