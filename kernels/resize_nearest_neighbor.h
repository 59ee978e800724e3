// RESIZE_NEAREST_NEIGHBOR on NHWC tensors with TensorFlow Lite's index rule.
#ifndef ERT_KERNELS_RESIZE_NEAREST_NEIGHBOR_H_
#define ERT_KERNELS_RESIZE_NEAREST_NEIGHBOR_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct ResizeNearestNeighborParams {
  bool align_corners = false;       // Map corner pixels onto each other and round to nearest.
  bool half_pixel_centers = false;  // Sample at pixel centres (TFLite allows both flags here).
};

/// The input index that output position `out_index` copies along one axis, by TFLite's rule:
///   scale = (in - 1) / (out - 1) with align_corners and out > 1, else in / out (in float);
///   v = (out_index + (half_pixel_centers ? 0.5 : 0)) * scale;
///   index = align_corners ? round(v) (halves away from zero) : floor(v), at most in - 1.
/// v is never negative, so the lower clamp TFLite applies with half-pixel centres changes
/// nothing; it is kept for every mode as a guard.
inline int32_t resize_nearest_index(int32_t out_index, int32_t in_size, int32_t out_size,
                                    bool align_corners, bool half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                          : static_cast<float>(in_size) / static_cast<float>(out_size);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float v = (static_cast<float>(out_index) + offset) * scale;
  const int32_t index =
      align_corners ? static_cast<int32_t>(std::round(v)) : static_cast<int32_t>(std::floor(v));
  return std::max(std::min(index, in_size - 1), int32_t{0});
}

/// Resizes `in` ([N, H, W, C], H and W >= 1) to `out` ([N, out_h, out_w, C], both >= 1) by
/// copying, for each output pixel, the C channels of the input pixel resize_nearest_index()
/// picks per axis.
inline void resize_nearest_neighbor_f32(const ResizeNearestNeighborParams& params,
                                        const Shape& in_shape, const float* in,
                                        const Shape& out_shape, float* out) {
  const int32_t batches = in_shape.dims[0];
  const int32_t in_h = in_shape.dims[1];
  const int32_t in_w = in_shape.dims[2];
  const int32_t channels = in_shape.dims[3];
  const int32_t out_h = out_shape.dims[1];
  const int32_t out_w = out_shape.dims[2];
  const int64_t row = int64_t(in_w) * channels;

  float* o = out;
  for (int32_t n = 0; n < batches; ++n) {
    const float* image = in + int64_t(n) * in_h * row;
    for (int32_t y = 0; y < out_h; ++y) {
      const int32_t iy =
          resize_nearest_index(y, in_h, out_h, params.align_corners, params.half_pixel_centers);
      for (int32_t x = 0; x < out_w; ++x) {
        const int32_t ix =
            resize_nearest_index(x, in_w, out_w, params.align_corners, params.half_pixel_centers);
        const float* pixel = image + int64_t(iy) * row + int64_t(ix) * channels;
        for (int32_t c = 0; c < channels; ++c) *o++ = pixel[c];
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_RESIZE_NEAREST_NEIGHBOR_H_
