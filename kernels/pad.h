// PAD with a constant: out dims = before + in dims + after on every axis.
//
// The output is written row by row (a row is the innermost axis):
//   1. A row whose outer coordinates fall outside the input on some axis is all padding.
//   2. Otherwise it is `before` padding values, one input row, then `after` padding values.
#ifndef ERT_KERNELS_PAD_H_
#define ERT_KERNELS_PAD_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct PadParams {
  int32_t before[kMaxRank] = {};  // Non-negative cells added before each axis.
  int32_t after[kMaxRank] = {};   // Non-negative cells added after each axis.
  float value = 0.0f;             // What the added cells hold (f32; quantized callers pass theirs).
};

/// Pads `in` (of `in_shape`) into `out`, whose shape follows from the params; the added cells
/// hold `value`. T is float, or int8_t/uint8_t for quantized tensors (one quantization for input
/// and output, so padding copies values and `value` is already quantized).
template <typename T>
inline void pad(const PadParams& p, const Shape& in_shape, const T* in, T value, T* out) {
  const int rank = in_shape.rank;
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  const int last = rank - 1;
  Shape out_shape = in_shape;
  for (int a = 0; a < rank; ++a) out_shape[a] = in_shape[a] + p.before[a] + p.after[a];
  const int64_t in_row = in_shape[last];
  const int64_t out_row = out_shape[last];
  const int64_t rows = out_shape.count(0, last);

  int32_t index[kMaxRank] = {};  // Output coordinates of the current row (axes before `last`).
  T* dst = out;
  for (int64_t r = 0; r < rows; ++r) {
    bool inside = true;
    int64_t src_row = 0;  // Index of the matching input row, in rows.
    for (int a = 0; a < last; ++a) {
      const int64_t i = int64_t(index[a]) - p.before[a];
      if (i < 0 || i >= in_shape[a]) inside = false;
      src_row = src_row * in_shape[a] + i;
    }
    if (inside) {
      const T* src = in + src_row * in_row;
      int64_t k = 0;
      for (; k < p.before[last]; ++k) dst[k] = value;
      for (int64_t j = 0; j < in_row; ++j) dst[k++] = src[j];
      for (; k < out_row; ++k) dst[k] = value;
    } else {
      for (int64_t k = 0; k < out_row; ++k) dst[k] = value;
    }
    dst += out_row;
    for (int a = last - 1; a >= 0; --a) {
      if (++index[a] < out_shape[a]) break;
      index[a] = 0;
    }
  }
}

inline void pad_f32(const PadParams& p, const Shape& in_shape, const float* in, float* out) {
  pad<float>(p, in_shape, in, p.value, out);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_PAD_H_
