// MEAN: the average over a set of axes, with TensorFlow Lite's reference arithmetic.
//
//   1. Zero the output (one element per combination of the kept axes).
//   2. Walk the input in memory order and add each element to its output element, in float,
//      as TFLite's reference kernel does (so the rounding matches).
//   3. Divide every output element by the number of elements reduced into it. When a reduced
//      axis has size 0 nothing was added and the result stays 0, as in TFLite.
// Whether the reduced axes are kept with size 1 (keep_dims) changes only the output shape, not
// the memory layout, so the kernel does not need to know.
#ifndef ERT_KERNELS_MEAN_H_
#define ERT_KERNELS_MEAN_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct MeanParams {
  bool reduced[kMaxRank] = {};  // True for each input axis that is averaged away.
};

/// Averages `in` (of `in_shape`) over the axes marked in `p`. `out` holds the product of the
/// kept dimensions and must not overlap `in`.
inline void mean_f32(const MeanParams& p, const Shape& in_shape, const float* in, float* out) {
  const int rank = in_shape.rank;
  // Stride of each input axis in the output: 0 for a reduced axis, so that all its positions
  // land on the same output element.
  int64_t out_stride[kMaxRank] = {};
  int64_t out_count = 1;
  int64_t reduced_count = 1;
  for (int a = rank - 1; a >= 0; --a) {
    if (p.reduced[a]) {
      out_stride[a] = 0;
      reduced_count *= in_shape[a];
    } else {
      out_stride[a] = out_count;
      out_count *= in_shape[a];
    }
  }
  for (int64_t o = 0; o < out_count; ++o) out[o] = 0.0f;

  const int64_t in_count = in_shape.num_elements();
  int32_t index[kMaxRank] = {};
  int64_t o = 0;
  for (int64_t i = 0; i < in_count; ++i) {
    out[o] += in[i];
    // Advance the multi-index like an odometer and keep the output offset in step.
    for (int a = rank - 1; a >= 0; --a) {
      o += out_stride[a];
      if (++index[a] < in_shape[a]) break;
      o -= out_stride[a] * in_shape[a];
      index[a] = 0;
    }
  }

  if (reduced_count > 0) {
    const float divisor = float(reduced_count);
    for (int64_t j = 0; j < out_count; ++j) out[j] /= divisor;
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_MEAN_H_
