// DEPTH_TO_SPACE on NHWC tensors, in TensorFlow Lite's element order (DCR): each input pixel's
// depth holds a block_size x block_size tile of output pixels, row by row, each with C_out
// channels. Output [N, H*b, W*b, C/(b*b)].
#ifndef ERT_KERNELS_DEPTH_TO_SPACE_H_
#define ERT_KERNELS_DEPTH_TO_SPACE_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct DepthToSpaceParams {
  int32_t block_size = 1;  // b >= 1; the input depth is a multiple of b * b (the caller checks).
};

/// Rearranges `in` ([N, H, W, C]) into `out` ([N, H*b, W*b, C/(b*b)]). Buffers must not overlap.
///
/// Steps, for every output element (n, y, x, c) in order:
///   1. The input pixel is (n, y / b, x / b).
///   2. The position inside the tile, (y % b, x % b), picks the depth slice
///      ((y % b) * b + x % b) * C_out of that pixel; c indexes within the slice.
inline void depth_to_space_f32(const DepthToSpaceParams& params, const Shape& in_shape,
                               const float* in, float* out) {
  const int64_t b = params.block_size;
  const int64_t batches = in_shape.dims[0];
  const int64_t in_h = in_shape.dims[1];
  const int64_t in_w = in_shape.dims[2];
  const int64_t in_c = in_shape.dims[3];
  const int64_t out_h = in_h * b;
  const int64_t out_w = in_w * b;
  const int64_t out_c = in_c / (b * b);

  int64_t o = 0;
  for (int64_t n = 0; n < batches; ++n) {
    for (int64_t y = 0; y < out_h; ++y) {
      for (int64_t x = 0; x < out_w; ++x) {
        const int64_t pixel = ((n * in_h + y / b) * in_w + x / b) * in_c;
        const int64_t slice = ((y % b) * b + x % b) * out_c;
        for (int64_t c = 0; c < out_c; ++c) out[o++] = in[pixel + slice + c];
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_DEPTH_TO_SPACE_H_
