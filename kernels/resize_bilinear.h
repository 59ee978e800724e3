// RESIZE_BILINEAR on NHWC tensors with TensorFlow Lite's float arithmetic, so that results agree
// bit for bit with its reference kernel.
#ifndef ERT_KERNELS_RESIZE_BILINEAR_H_
#define ERT_KERNELS_RESIZE_BILINEAR_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

struct ResizeBilinearParams {
  bool align_corners = false;       // Map the corner pixels of input and output onto each other.
  bool half_pixel_centers = false;  // Sample at pixel centres. Not together with align_corners.
};

/// Input pixels per output pixel along one axis: (in - 1) / (out - 1) with align_corners (when
/// out > 1), in / out otherwise, computed in float as TFLite does.
inline float resize_bilinear_scale(int32_t in_size, int32_t out_size, bool align_corners) {
  if (align_corners && out_size > 1) {
    return static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1);
  }
  return static_cast<float>(in_size) / static_cast<float>(out_size);
}

/// Where output position `out_index` samples the input along one axis.
struct BilinearTap {
  int32_t lower = 0;    // First input index.
  int32_t upper = 0;    // Second input index.
  float weight = 0.0f;  // Share of `upper`; `lower` gets 1 - weight.
};

/// TFLite's rule: the source coordinate is out_index * scale, or (out_index + 0.5) * scale - 0.5
/// with half-pixel centres; lower = max(floor(coord), 0), upper = min(ceil(coord), in - 1), and
/// the weight is coord - lower. Near the borders both indices can be the same pixel, and with
/// half-pixel centres a coordinate below 0 gives a negative weight on that one pixel; the two
/// weights still add up to 1, so the result is that pixel.
inline BilinearTap resize_bilinear_tap(int32_t out_index, float scale, bool half_pixel_centers,
                                       int32_t in_size) {
  const float position = static_cast<float>(out_index);
  const float coord = half_pixel_centers ? (position + 0.5f) * scale - 0.5f : position * scale;
  BilinearTap tap;
  // TFLite does not clamp `lower` from above. The extra min() only matters when float rounding
  // of an enormous output size pushes the coordinate to in_size, where TFLite would read past
  // the input; here it keeps the read in bounds.
  tap.lower = std::min(std::max(static_cast<int32_t>(std::floor(coord)), int32_t{0}), in_size - 1);
  tap.upper = std::min(static_cast<int32_t>(std::ceil(coord)), in_size - 1);
  tap.upper = std::max(tap.upper, int32_t{0});
  tap.weight = coord - static_cast<float>(tap.lower);
  return tap;
}

/// Resizes `in` ([N, H, W, C], H and W >= 1) to `out` ([N, out_h, out_w, C], both >= 1).
///
/// Steps:
///   1. Per axis, the scale from resize_bilinear_scale().
///   2. For each output row and column, the two input indices and the weight of the second
///      (resize_bilinear_tap()).
///   3. Each channel is top_left * (1-wy) * (1-wx) + bottom_left * wy * (1-wx)
///      + top_right * (1-wy) * wx + bottom_right * wy * wx, summed in that order, which is
///      TFLite's order of float operations.
inline void resize_bilinear_f32(const ResizeBilinearParams& params, const Shape& in_shape,
                                const float* in, const Shape& out_shape, float* out) {
  const int32_t batches = in_shape.dims[0];
  const int32_t in_h = in_shape.dims[1];
  const int32_t in_w = in_shape.dims[2];
  const int32_t channels = in_shape.dims[3];
  const int32_t out_h = out_shape.dims[1];
  const int32_t out_w = out_shape.dims[2];
  const float scale_y = resize_bilinear_scale(in_h, out_h, params.align_corners);
  const float scale_x = resize_bilinear_scale(in_w, out_w, params.align_corners);
  const int64_t row = int64_t(in_w) * channels;

  float* o = out;
  for (int32_t n = 0; n < batches; ++n) {
    const float* image = in + int64_t(n) * in_h * row;
    for (int32_t y = 0; y < out_h; ++y) {
      const BilinearTap ty = resize_bilinear_tap(y, scale_y, params.half_pixel_centers, in_h);
      const float* top = image + int64_t(ty.lower) * row;
      const float* bottom = image + int64_t(ty.upper) * row;
      for (int32_t x = 0; x < out_w; ++x) {
        const BilinearTap tx = resize_bilinear_tap(x, scale_x, params.half_pixel_centers, in_w);
        const int64_t left = int64_t(tx.lower) * channels;
        const int64_t right = int64_t(tx.upper) * channels;
        const float wy = ty.weight;
        const float wx = tx.weight;
        for (int32_t c = 0; c < channels; ++c) {
          *o++ = top[left + c] * (1 - wy) * (1 - wx) + bottom[left + c] * wy * (1 - wx) +
                 top[right + c] * (1 - wy) * wx + bottom[right + c] * wy * wx;
        }
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_RESIZE_BILINEAR_H_
