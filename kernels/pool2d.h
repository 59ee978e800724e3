// AVERAGE_POOL_2D and MAX_POOL_2D on NHWC tensors, with TensorFlow Lite's semantics.
//
// For each output pixel (b, oy, ox) and channel c:
//   1. Place the window: it spans filter_h x filter_w cells from input row oy * stride_h - pad_top
//      and column ox * stride_w - pad_left.
//   2. Clip the window to the input, so padded cells take no part: the average divides by the
//      number of real cells only, and the max never sees a padding value.
//   3. Reduce the cells (sum / count, or max) in float, then apply the fused activation clamp.
//      The output row is the accumulator, so the kernel needs no scratch memory; input and
//      output must not overlap.
#ifndef ERT_KERNELS_POOL2D_H_
#define ERT_KERNELS_POOL2D_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/common.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// Window geometry of a pooling op. Padding is only the cells before the input; cells after it
/// need no parameter because clipping to the input already ignores them.
struct Pool2DParams {
  int32_t stride_h = 1;
  int32_t stride_w = 1;
  int32_t filter_h = 1;
  int32_t filter_w = 1;
  int32_t pad_top = 0;
  int32_t pad_left = 0;
  ActivationRange activation;
};

namespace pool2d_internal {

/// Input cells [begin, end) along one axis that the window of output position `o` covers.
/// The range is empty (begin >= end) when the window lies wholly in padding.
struct Span {
  int64_t begin;
  int64_t end;
};

inline Span window_span(int64_t o, int32_t stride, int32_t pad_before, int32_t filter,
                        int32_t in_size) {
  // 64-bit arithmetic: with explicit padding, o * stride can exceed the int32 range.
  const int64_t origin = o * stride - pad_before;
  return Span{std::max<int64_t>(origin, 0), std::min<int64_t>(origin + filter, in_size)};
}

}  // namespace pool2d_internal

/// Average pooling. `in_shape` and `out_shape` are [N,H,W,C] with the same N and C; the caller
/// sizes the output so that every window holds at least one input cell.
inline void average_pool2d_f32(const Pool2DParams& p, const Shape& in_shape, const float* in,
                               const Shape& out_shape, float* out) {
  const int64_t batches = in_shape[0];
  const int64_t in_h = in_shape[1];
  const int64_t in_w = in_shape[2];
  const int64_t channels = in_shape[3];
  const int64_t out_h = out_shape[1];
  const int64_t out_w = out_shape[2];
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t oy = 0; oy < out_h; ++oy) {
      const auto ys =
          pool2d_internal::window_span(oy, p.stride_h, p.pad_top, p.filter_h, int32_t(in_h));
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const auto xs =
            pool2d_internal::window_span(ox, p.stride_w, p.pad_left, p.filter_w, int32_t(in_w));
        const int64_t rows = std::max<int64_t>(ys.end - ys.begin, 0);
        const int64_t cols = std::max<int64_t>(xs.end - xs.begin, 0);
        const int64_t cells = rows * cols;
        float* dst = out + ((b * out_h + oy) * out_w + ox) * channels;
        // Channels innermost, summing into the output row: each channel still adds its cells
        // in row-major window order (the order that fixes the rounding), while the loads stay
        // contiguous and the compiler can vectorize across channels.
        std::fill(dst, dst + channels, 0.0f);
        for (int64_t y = ys.begin; y < ys.end; ++y) {
          for (int64_t x = xs.begin; x < xs.end; ++x) {
            const float* src = in + ((b * in_h + y) * in_w + x) * channels;
            for (int64_t c = 0; c < channels; ++c) dst[c] += src[c];
          }
        }
        // An empty window cannot happen for a prepared op; 0 keeps the kernel total anyway.
        const float count = float(cells);
        for (int64_t c = 0; c < channels; ++c) {
          dst[c] = clamp(cells > 0 ? dst[c] / count : 0.0f, p.activation);
        }
      }
    }
  }
}

/// Max pooling of T (float, or int8_t/uint8_t with one quantization for input and output, where
/// the largest quantized value is the largest real one); shapes as for average_pool2d_f32.
/// `finish` applies the fused activation to each output cell.
template <typename T, typename Finish>
inline void max_pool2d(const Pool2DParams& p, const Shape& in_shape, const T* in,
                       const Shape& out_shape, T* out, Finish finish) {
  const int64_t batches = in_shape[0];
  const int64_t in_h = in_shape[1];
  const int64_t in_w = in_shape[2];
  const int64_t channels = in_shape[3];
  const int64_t out_h = out_shape[1];
  const int64_t out_w = out_shape[2];
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t oy = 0; oy < out_h; ++oy) {
      const auto ys =
          pool2d_internal::window_span(oy, p.stride_h, p.pad_top, p.filter_h, int32_t(in_h));
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const auto xs =
            pool2d_internal::window_span(ox, p.stride_w, p.pad_left, p.filter_w, int32_t(in_w));
        T* dst = out + ((b * out_h + oy) * out_w + ox) * channels;
        // Starting from the lowest value (as TFLite does) means a float NaN cell never wins.
        // Channels innermost, as for the average.
        std::fill(dst, dst + channels, std::numeric_limits<T>::lowest());
        for (int64_t y = ys.begin; y < ys.end; ++y) {
          for (int64_t x = xs.begin; x < xs.end; ++x) {
            const T* src = in + ((b * in_h + y) * in_w + x) * channels;
            for (int64_t c = 0; c < channels; ++c) dst[c] = std::max(dst[c], src[c]);
          }
        }
        for (int64_t c = 0; c < channels; ++c) dst[c] = finish(dst[c]);
      }
    }
  }
}

inline void max_pool2d_f32(const Pool2DParams& p, const Shape& in_shape, const float* in,
                           const Shape& out_shape, float* out) {
  max_pool2d(p, in_shape, in, out_shape, out, [&p](float v) { return clamp(v, p.activation); });
}

/// Quantized max pooling: the activation is the clamp [out_min, out_max] in the quantized domain.
template <typename T>
inline void max_pool2d_quantized(const Pool2DParams& p, const Shape& in_shape, const T* in,
                                 const Shape& out_shape, T* out, int32_t out_min, int32_t out_max) {
  const T lo = T(out_min);
  const T hi = T(out_max);
  max_pool2d(p, in_shape, in, out_shape, out,
             [lo, hi](T v) { return std::min(std::max(v, lo), hi); });
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_POOL2D_H_
