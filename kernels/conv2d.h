// CONV_2D on NHWC floats: OHWI filter, optional bias, stride, dilation, zero padding and groups
// (the input has `groups` times as many channels as the filter), with TFLite's meaning.
//
// For each output element (n, oy, ox, oc):
//   1. Its group is g = oc / (Co / groups); it reads input channels [g * Cf, (g + 1) * Cf).
//   2. Sum input * filter over the KH x KW taps that fall inside the input (padding reads 0),
//      taps in order (ky, kx, channel) as TFLite's reference kernel does.
//   3. Add the bias of oc, then clamp to the fused activation.
//
// The quantized kernel (conv2d_quantized, u8 or i8) walks the same taps, accumulating
// (input - input_zp) * (filter - filter_zp) as integers; it then adds the int32 bias and
// requantizes with the output channel's multiplier (kernels/quantization.h).
#ifndef ERT_KERNELS_CONV2D_H_
#define ERT_KERNELS_CONV2D_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/conv_params.h"
#include "kernels/quantization.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// Preconditions (the op's prepare checks them): input [N,H,W,Ci], filter [Co,KH,KW,Cf] with
/// Ci = groups * Cf and Co a multiple of groups, output [N,Ho,Wo,Co] as `p` gives it, and
/// `bias` null or holding Co floats. Reads inputs, writes every output element, allocates nothing.
inline void conv2d_f32(const ConvParams& p, const Shape& input_shape, const float* input,
                       const Shape& filter_shape, const float* filter, const float* bias,
                       const Shape& output_shape, float* output) {
  const int32_t batches = input_shape[0];
  const int32_t in_h = input_shape[1];
  const int32_t in_w = input_shape[2];
  const int32_t in_c = input_shape[3];
  const int32_t out_c = filter_shape[0];
  const int32_t k_h = filter_shape[1];
  const int32_t k_w = filter_shape[2];
  const int32_t f_c = filter_shape[3];
  const int32_t out_h = output_shape[1];
  const int32_t out_w = output_shape[2];
  const int32_t groups = in_c / f_c;
  const int32_t out_per_group = out_c / groups;

  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      // 64-bit because stride * oy can exceed int32 for a large stride with one output row.
      const int64_t y0 = int64_t(oy) * p.stride_h - p.padding_h.before;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int64_t x0 = int64_t(ox) * p.stride_w - p.padding_w.before;
        float* out_px = output + ((int64_t(n) * out_h + oy) * out_w + ox) * out_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int64_t first_channel = int64_t(oc / out_per_group) * f_c;
          float acc = 0.0f;
          for (int32_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = y0 + int64_t(ky) * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = x0 + int64_t(kx) * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const float* in_px =
                  input + ((int64_t(n) * in_h + iy) * in_w + ix) * in_c + first_channel;
              const float* taps = filter + ((int64_t(oc) * k_h + ky) * k_w + kx) * f_c;
              for (int32_t c = 0; c < f_c; ++c) acc += in_px[c] * taps[c];
            }
          }
          const float b = bias != nullptr ? bias[oc] : 0.0f;
          out_px[oc] = clamp(acc + b, p.activation);
        }
      }
    }
  }
}

/// The integer convolution with TFLite's arithmetic, for T = uint8_t (per-tensor weights) or
/// int8_t (per-channel weights): T is the input and output type, TFilter the filter's. Geometry
/// and preconditions as conv2d_f32, except that `p.activation` is unused (the clamp is
/// q.output_min / q.output_max), `bias` is null or holds Co int32 values in the scale
/// input_scale * filter_scale, and q's multiplier and shift arrays hold Co entries. A tap in the
/// padding contributes nothing, which is the same as an input equal to the zero point.
/// The accumulator is 64-bit and saturates to int32 before requantization (see
/// requantize_accumulator).
template <typename T, typename TFilter>
void conv2d_quantized(const ConvParams& p, const ConvQuantParams& q, const Shape& input_shape,
                      const T* input, const Shape& filter_shape, const TFilter* filter,
                      const int32_t* bias, const Shape& output_shape, T* output) {
  const int32_t batches = input_shape[0];
  const int32_t in_h = input_shape[1];
  const int32_t in_w = input_shape[2];
  const int32_t in_c = input_shape[3];
  const int32_t out_c = filter_shape[0];
  const int32_t k_h = filter_shape[1];
  const int32_t k_w = filter_shape[2];
  const int32_t f_c = filter_shape[3];
  const int32_t out_h = output_shape[1];
  const int32_t out_w = output_shape[2];
  const int32_t groups = in_c / f_c;
  const int32_t out_per_group = out_c / groups;

  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int64_t y0 = int64_t(oy) * p.stride_h - p.padding_h.before;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int64_t x0 = int64_t(ox) * p.stride_w - p.padding_w.before;
        T* out_px = output + ((int64_t(n) * out_h + oy) * out_w + ox) * out_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int64_t first_channel = int64_t(oc / out_per_group) * f_c;
          int64_t acc = 0;
          for (int32_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = y0 + int64_t(ky) * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = x0 + int64_t(kx) * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const T* in_px =
                  input + ((int64_t(n) * in_h + iy) * in_w + ix) * in_c + first_channel;
              const TFilter* taps = filter + ((int64_t(oc) * k_h + ky) * k_w + kx) * f_c;
              // Each product is at most 255 * 255 in magnitude, so int32 products are exact.
              for (int32_t c = 0; c < f_c; ++c) {
                acc += (int32_t(in_px[c]) - q.input_zero_point) *
                       (int32_t(taps[c]) - q.filter_zero_point);
              }
            }
          }
          if (bias != nullptr) acc += bias[oc];
          out_px[oc] = T(requantize_accumulator(acc, q.output_multiplier[oc], q.output_shift[oc],
                                                q.output_zero_point, q.output_min, q.output_max));
        }
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_CONV2D_H_
