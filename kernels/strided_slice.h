// STRIDED_SLICE and SLICE: take `count[a]` elements on each axis a, starting at `start[a]` and
// stepping by `stride[a]` (negative steps walk backwards).
//
// The op resolves TFLite's begin/end/masks into (start, stride, count) per axis, so the kernel
// only walks: it visits the output in memory order with a multi-index and keeps the matching input
// offset in step. A shrunk axis is an axis with count 1; dropping it from the output shape does not
// change the memory layout, so the kernel does not see shrink masks. SLICE is the case stride 1.
#ifndef ERT_KERNELS_STRIDED_SLICE_H_
#define ERT_KERNELS_STRIDED_SLICE_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

/// One entry per input axis; every visited index start + k * stride (k < count) must lie in
/// [0, dim) of that axis.
struct StridedSliceParams {
  int32_t start[kMaxRank] = {};
  int32_t stride[kMaxRank] = {};
  int32_t count[kMaxRank] = {};
};

/// Copies the selected elements of `in` (of `in_shape`) into `out`, which holds the product of
/// the counts and must not overlap `in`.
inline void strided_slice_f32(const StridedSliceParams& p, const Shape& in_shape, const float* in,
                              float* out) {
  const int rank = in_shape.rank;
  int64_t in_stride[kMaxRank] = {};  // Elements between neighbours along each input axis.
  int64_t total = 1;
  int64_t offset = 0;
  int64_t s = 1;
  for (int a = rank - 1; a >= 0; --a) {
    in_stride[a] = s;
    s *= in_shape[a];
  }
  for (int a = 0; a < rank; ++a) {
    total *= p.count[a];
    offset += int64_t(p.start[a]) * in_stride[a];
  }
  int32_t index[kMaxRank] = {};
  for (int64_t o = 0; o < total; ++o) {
    out[o] = in[offset];
    for (int a = rank - 1; a >= 0; --a) {
      const int64_t step = int64_t(p.stride[a]) * in_stride[a];
      offset += step;
      if (++index[a] < p.count[a]) break;
      offset -= step * p.count[a];
      index[a] = 0;
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_STRIDED_SLICE_H_
