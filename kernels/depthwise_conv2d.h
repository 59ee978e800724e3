// DEPTHWISE_CONV_2D on NHWC floats with TFLite's meaning: each input channel c is convolved
// with M filters of its own (M = depth multiplier), giving output channels c * M + m.
//
// For each output element (n, oy, ox, c * M + m):
//   1. Sum input channel c * filter channel c * M + m over the KH x KW taps that fall inside
//      the input (padding reads 0), taps in order (ky, kx).
//   2. Add the bias of the output channel, then clamp to the fused activation.
//
// The quantized kernel (depthwise_conv2d_quantized, u8 or i8) walks the same taps, accumulating
// (input - input_zp) * (filter - filter_zp) as integers; it then adds the int32 bias and
// requantizes with the output channel's multiplier (kernels/quantization.h).
#ifndef ERT_KERNELS_DEPTHWISE_CONV2D_H_
#define ERT_KERNELS_DEPTHWISE_CONV2D_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/conv_params.h"
#include "kernels/quantization.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// Preconditions (the op's prepare checks them): input [N,H,W,Ci], filter [1,KH,KW,Ci*M] with
/// M >= 1, output [N,Ho,Wo,Ci*M] as `p` gives it, and `bias` null or holding Ci*M floats.
/// M is read from the shapes. Writes every output element, allocates nothing.
inline void depthwise_conv2d_f32(const ConvParams& p, const Shape& input_shape, const float* input,
                                 const Shape& filter_shape, const float* filter, const float* bias,
                                 const Shape& output_shape, float* output) {
  const int32_t batches = input_shape[0];
  const int32_t in_h = input_shape[1];
  const int32_t in_w = input_shape[2];
  const int32_t in_c = input_shape[3];
  const int32_t k_h = filter_shape[1];
  const int32_t k_w = filter_shape[2];
  const int32_t out_c = filter_shape[3];
  const int32_t multiplier = out_c / in_c;
  const int32_t out_h = output_shape[1];
  const int32_t out_w = output_shape[2];

  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int64_t y0 = int64_t(oy) * p.stride_h - p.padding_h.before;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int64_t x0 = int64_t(ox) * p.stride_w - p.padding_w.before;
        float* out_px = output + ((int64_t(n) * out_h + oy) * out_w + ox) * out_c;
        for (int32_t c = 0; c < in_c; ++c) {
          for (int32_t m = 0; m < multiplier; ++m) {
            const int32_t oc = c * multiplier + m;
            float acc = 0.0f;
            for (int32_t ky = 0; ky < k_h; ++ky) {
              const int64_t iy = y0 + int64_t(ky) * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int32_t kx = 0; kx < k_w; ++kx) {
                const int64_t ix = x0 + int64_t(kx) * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                const float v = input[((int64_t(n) * in_h + iy) * in_w + ix) * in_c + c];
                const float w = filter[(int64_t(ky) * k_w + kx) * out_c + oc];
                acc += v * w;
              }
            }
            const float b = bias != nullptr ? bias[oc] : 0.0f;
            out_px[oc] = clamp(acc + b, p.activation);
          }
        }
      }
    }
  }
}

/// The integer depthwise convolution with TFLite's arithmetic, for T = uint8_t (per-tensor
/// weights) or int8_t (per-channel weights): T is the input and output type, TFilter the
/// filter's. Geometry and preconditions as depthwise_conv2d_f32, except that `p.activation` is
/// unused (the clamp is q.output_min / q.output_max), `bias` is null or holds Ci*M int32 values
/// in the scale input_scale * filter_scale, and q's multiplier and shift arrays hold Ci*M
/// entries. Taps in the padding contribute nothing; the 64-bit accumulator saturates to int32
/// before requantization.
template <typename T, typename TFilter>
void depthwise_conv2d_quantized(const ConvParams& p, const ConvQuantParams& q,
                                const Shape& input_shape, const T* input, const Shape& filter_shape,
                                const TFilter* filter, const int32_t* bias,
                                const Shape& output_shape, T* output) {
  const int32_t batches = input_shape[0];
  const int32_t in_h = input_shape[1];
  const int32_t in_w = input_shape[2];
  const int32_t in_c = input_shape[3];
  const int32_t k_h = filter_shape[1];
  const int32_t k_w = filter_shape[2];
  const int32_t out_c = filter_shape[3];
  const int32_t multiplier = out_c / in_c;
  const int32_t out_h = output_shape[1];
  const int32_t out_w = output_shape[2];

  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int64_t y0 = int64_t(oy) * p.stride_h - p.padding_h.before;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int64_t x0 = int64_t(ox) * p.stride_w - p.padding_w.before;
        T* out_px = output + ((int64_t(n) * out_h + oy) * out_w + ox) * out_c;
        for (int32_t c = 0; c < in_c; ++c) {
          for (int32_t m = 0; m < multiplier; ++m) {
            const int32_t oc = c * multiplier + m;
            int64_t acc = 0;
            for (int32_t ky = 0; ky < k_h; ++ky) {
              const int64_t iy = y0 + int64_t(ky) * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int32_t kx = 0; kx < k_w; ++kx) {
                const int64_t ix = x0 + int64_t(kx) * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                const int32_t v = int32_t(input[((int64_t(n) * in_h + iy) * in_w + ix) * in_c + c]);
                const int32_t w = int32_t(filter[(int64_t(ky) * k_w + kx) * out_c + oc]);
                acc += (v - q.input_zero_point) * (w - q.filter_zero_point);
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
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_DEPTHWISE_CONV2D_H_
