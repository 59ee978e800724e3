// RELU and RELU6 (and any clamp): out[i] = min(max(in[i], range.min), range.max).
#ifndef ERT_KERNELS_RELU_H_
#define ERT_KERNELS_RELU_H_

#include <cstdint>

#include "kernels/common.h"

namespace ert::kernels {

/// Clamps `count` floats into `range`. `in` and `out` may be the same buffer.
inline void clamp_f32(const float* in, float* out, int64_t count, ActivationRange range) {
  for (int64_t i = 0; i < count; ++i) out[i] = clamp(in[i], range);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_RELU_H_
