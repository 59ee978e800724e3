// CONCATENATION: inputs joined along one axis, then the fused activation clamp.
//
//   1. Split every tensor into `outer` blocks: the product of the dimensions before the axis.
//   2. For each block index, copy that block of input 0, then of input 1, and so on; a block of
//      input i holds dims_i[axis] * (product of the dimensions after the axis) elements.
#ifndef ERT_KERNELS_CONCATENATION_H_
#define ERT_KERNELS_CONCATENATION_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/shape.h"

namespace ert::kernels {

struct ConcatenationParams {
  int axis = 0;  // Non-negative, below the rank.
  ActivationRange activation;
};

/// Joins `num_inputs` tensors. in_shapes[i] and out_shape agree on every axis but p.axis, where
/// the output has the sum of the inputs. `out` must not overlap any input.
inline void concatenation_f32(const ConcatenationParams& p, const Shape* in_shapes,
                              const float* const* in, int num_inputs, const Shape& out_shape,
                              float* out) {
  const int64_t outer = out_shape.count(0, p.axis);
  float* dst = out;
  for (int64_t block = 0; block < outer; ++block) {
    for (int i = 0; i < num_inputs; ++i) {
      const int64_t chunk = in_shapes[i].count(p.axis, in_shapes[i].rank);
      const float* src = in[i] + block * chunk;
      for (int64_t k = 0; k < chunk; ++k) dst[k] = clamp(src[k], p.activation);
      dst += chunk;
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_CONCATENATION_H_
