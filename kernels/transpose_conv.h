// TRANSPOSE_CONV on NHWC floats with TFLite's meaning: every input pixel (y, x) adds
// input * filter onto the KH x KW window at (y * stride, x * stride) of a full result of
// (H - 1) * stride + KH rows (and likewise across); the output is a crop of that full result
// starting `padding.before` rows/columns in. Bias is added afterwards, then the fused activation.
//
// The kernel computes the same sums by gathering, so that each output is written once:
//   1. Output (oy, ox) is full-result position (fy, fx) = (oy + before_h, ox + before_w).
//   2. Filter row ky contributes there from input row iy when fy = iy * stride + ky, that is for
//      ky = fy mod stride, fy mod stride + stride, ... with iy = (fy - ky) / stride < H.
//   3. Sum input * filter over those taps and the input channels, add the bias, clamp.
// Output positions that no window reaches (possible with SAME when K < stride) get the bias.
#ifndef ERT_KERNELS_TRANSPOSE_CONV_H_
#define ERT_KERNELS_TRANSPOSE_CONV_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// Upsampling factor, crop and fused activation of a transpose convolution.
struct TransposeConvParams {
  int32_t stride_h = 1;
  int32_t stride_w = 1;
  AxisPadding padding_h;  // Rows of the full result cropped away above (before) and below.
  AxisPadding padding_w;  // Columns cropped away left (before) and right (after).
  ActivationRange activation;
};

/// Preconditions (the op's prepare checks them): input [N,H,W,Ci], filter [Co,KH,KW,Ci],
/// output [N,Ho,Wo,Co], strides >= 1, paddings >= 0, and `bias` null or holding Co floats. Any
/// Ho and Wo work: the op derives them from the padding mode. Writes every output element
/// once, allocates nothing.
inline void transpose_conv_f32(const TransposeConvParams& p, const Shape& input_shape,
                               const float* input, const Shape& filter_shape, const float* filter,
                               const float* bias, const Shape& output_shape, float* output) {
  const int32_t batches = input_shape[0];
  const int32_t in_h = input_shape[1];
  const int32_t in_w = input_shape[2];
  const int32_t in_c = input_shape[3];
  const int32_t out_c = filter_shape[0];
  const int32_t k_h = filter_shape[1];
  const int32_t k_w = filter_shape[2];
  const int32_t out_h = output_shape[1];
  const int32_t out_w = output_shape[2];

  for (int32_t n = 0; n < batches; ++n) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int64_t fy = int64_t(oy) + p.padding_h.before;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int64_t fx = int64_t(ox) + p.padding_w.before;
        float* out_px = output + ((int64_t(n) * out_h + oy) * out_w + ox) * out_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          float acc = 0.0f;
          for (int64_t ky = fy % p.stride_h; ky < k_h && ky <= fy; ky += p.stride_h) {
            const int64_t iy = (fy - ky) / p.stride_h;
            if (iy >= in_h) continue;
            for (int64_t kx = fx % p.stride_w; kx < k_w && kx <= fx; kx += p.stride_w) {
              const int64_t ix = (fx - kx) / p.stride_w;
              if (ix >= in_w) continue;
              const float* in_px = input + ((int64_t(n) * in_h + iy) * in_w + ix) * in_c;
              const float* taps = filter + ((int64_t(oc) * k_h + ky) * k_w + kx) * in_c;
              for (int32_t c = 0; c < in_c; ++c) acc += in_px[c] * taps[c];
            }
          }
          const float b = bias != nullptr ? bias[oc] : 0.0f;
          out_px[oc] = clamp(acc + b, p.activation);
        }
      }
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_TRANSPOSE_CONV_H_
