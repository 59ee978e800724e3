// TRANSPOSE: output axis i is input axis perm[i], for tensors of rank 0 to 6.
#ifndef ERT_KERNELS_TRANSPOSE_H_
#define ERT_KERNELS_TRANSPOSE_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct TransposeParams {
  /// perm[i] is the input axis that becomes output axis i; a permutation of 0..rank-1 where
  /// rank is the input's rank (the caller checks this).
  int32_t perm[kMaxRank] = {};
};

/// Writes the transpose of `in` (shape `in_shape`) to `out`, whose shape is `in_shape` with its
/// dims permuted by params.perm. The buffers must not overlap.
///
/// Steps:
///   1. Compute the row-major stride of every input axis.
///   2. Output axis i advances the input by the stride of input axis perm[i].
///   3. Walk the output in row-major order with an odometer over the output index, keeping the
///      matching input offset up to date by adding and removing those strides.
inline void transpose_f32(const TransposeParams& params, const Shape& in_shape, const float* in,
                          float* out) {
  const int rank = in_shape.rank;
  const int64_t count = in_shape.num_elements();
  if (count == 0) return;

  int64_t in_stride[kMaxRank] = {};
  int64_t stride = 1;
  for (int axis = rank - 1; axis >= 0; --axis) {
    in_stride[axis] = stride;
    stride *= in_shape.dims[axis];
  }
  int32_t out_dims[kMaxRank] = {};
  int64_t step[kMaxRank] = {};
  for (int i = 0; i < rank; ++i) {
    out_dims[i] = in_shape.dims[params.perm[i]];
    step[i] = in_stride[params.perm[i]];
  }

  int32_t index[kMaxRank] = {};
  int64_t in_offset = 0;
  for (int64_t o = 0; o < count; ++o) {
    out[o] = in[in_offset];
    // Advance the odometer: the innermost axis moves first; an axis that wraps back to 0
    // gives back the input distance it covered and carries into the next outer axis.
    for (int axis = rank - 1; axis >= 0; --axis) {
      if (++index[axis] < out_dims[axis]) {
        in_offset += step[axis];
        break;
      }
      in_offset -= step[axis] * (out_dims[axis] - 1);
      index[axis] = 0;
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_TRANSPOSE_H_
