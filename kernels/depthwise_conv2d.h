// DEPTHWISE_CONV_2D on NHWC floats with TFLite's meaning: each input channel c is convolved
// with M filters of its own (M = depth multiplier), giving output channels c * M + m.
//
// For each output element (n, oy, ox, c * M + m):
//   1. Sum input channel c * filter channel c * M + m over the KH x KW taps that fall inside
//      the input (padding reads 0), taps in order (ky, kx).
//   2. Add the bias of the output channel, then clamp to the fused activation.
#ifndef ERT_KERNELS_DEPTHWISE_CONV2D_H_
#define ERT_KERNELS_DEPTHWISE_CONV2D_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/conv_params.h"
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

}  // namespace ert::kernels

#endif  // ERT_KERNELS_DEPTHWISE_CONV2D_H_
