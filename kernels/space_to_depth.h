// SPACE_TO_DEPTH on NHWC tensors, in TensorFlow Lite's element order: each block_size x
// block_size tile of input pixels becomes one output pixel whose depth holds the tile row by row,
// each pixel's C channels together. Output [N, H/b, W/b, C*b*b]. The inverse of DEPTH_TO_SPACE.
#ifndef ERT_KERNELS_SPACE_TO_DEPTH_H_
#define ERT_KERNELS_SPACE_TO_DEPTH_H_

#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct SpaceToDepthParams {
  int32_t block_size = 1;  // b >= 1; the input height and width are multiples of b.
};

/// Rearranges `in` ([N, H, W, C]) into `out` ([N, H/b, W/b, C*b*b]). Buffers must not overlap.
///
/// Steps, for every output element (n, y, x, d) in order:
///   1. d / C is the position in the tile, row-major: ty = (d / C) / b, tx = (d / C) % b.
///   2. The input element is (n, y*b + ty, x*b + tx, d % C).
inline void space_to_depth_f32(const SpaceToDepthParams& params, const Shape& in_shape,
                               const float* in, float* out) {
  const int64_t b = params.block_size;
  const int64_t batches = in_shape.dims[0];
  const int64_t in_h = in_shape.dims[1];
  const int64_t in_w = in_shape.dims[2];
  const int64_t in_c = in_shape.dims[3];
  const int64_t out_h = in_h / b;
  const int64_t out_w = in_w / b;

  int64_t o = 0;
  for (int64_t n = 0; n < batches; ++n) {
    for (int64_t y = 0; y < out_h; ++y) {
      for (int64_t x = 0; x < out_w; ++x) {
        for (int64_t ty = 0; ty < b; ++ty) {
          for (int64_t tx = 0; tx < b; ++tx) {
            const int64_t pixel = ((n * in_h + y * b + ty) * in_w + x * b + tx) * in_c;
            for (int64_t c = 0; c < in_c; ++c) out[o++] = in[pixel + c];
          }
        }
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_SPACE_TO_DEPTH_H_
