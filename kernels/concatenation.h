// CONCATENATION: inputs joined along one axis, then the fused activation clamp.
//
//   1. Split every tensor into `outer` blocks: the product of the dimensions before the axis.
//   2. For each block index, copy that block of input 0, then of input 1, and so on; a block of
//      input i holds dims_i[axis] * (product of the dimensions after the axis) elements.
//
// On u8/i8 (concatenation_quantized) an input whose scale and zero point equal the output's is
// copied; any other is requantized to the output's, as TFLite does for u8.
#ifndef ERT_KERNELS_CONCATENATION_H_
#define ERT_KERNELS_CONCATENATION_H_

#include <algorithm>
#include <cstdint>

#include "kernels/common.h"
#include "kernels/quantization.h"
#include "kernels/shape.h"

namespace ert::kernels {

struct ConcatenationParams {
  int axis = 0;  // Non-negative, below the rank.
  ActivationRange activation;
};

/// Joins `num_inputs` tensors. in_shapes[i] and out_shape agree on every axis but p.axis, where
/// the output has the sum of the inputs. `out` must not overlap any input.
inline void concatenation_f32(const ConcatenationParams& p, const Shape* in_shapes,
                              const float* const* in, int num_inputs, const Shape& out_shape,
                              float* out) {
  const int64_t outer = out_shape.count(0, p.axis);
  float* dst = out;
  for (int64_t block = 0; block < outer; ++block) {
    for (int i = 0; i < num_inputs; ++i) {
      const int64_t chunk = in_shapes[i].count(p.axis, in_shapes[i].rank);
      const float* src = in[i] + block * chunk;
      for (int64_t k = 0; k < chunk; ++k) dst[k] = clamp(src[k], p.activation);
      dst += chunk;
    }
  }
}

/// Quantization of a u8/i8 concatenation: each input's scale and zero point, the output's, and
/// the fused activation as a clamp in the output's quantized domain.
struct ConcatQuantParams {
  const float* input_scales = nullptr;         // One per input.
  const int32_t* input_zero_points = nullptr;  // One per input.
  float output_scale = 1.0f;
  int32_t output_zero_point = 0;
  int32_t output_min = 0;
  int32_t output_max = 0;
};

/// Joins `num_inputs` u8 or i8 tensors (same shape rules as concatenation_f32). An input with
/// the output's scale and zero point is copied (then clamped, which changes nothing without a
/// fused activation); any other is requantized with TFLite's float formula:
///   ratio = in_scale * (1 / out_scale), bias = -in_zp * ratio, all in float;
///   out = clamp(round(q * ratio + bias) + out_zp), ties away from zero.
template <typename T>
void concatenation_quantized(const ConcatenationParams& p, const ConcatQuantParams& q,
                             const Shape* in_shapes, const T* const* in, int num_inputs,
                             const Shape& out_shape, T* out) {
  const int64_t outer = out_shape.count(0, p.axis);
  const float inverse_out_scale = 1.0f / q.output_scale;
  const double lo = q.output_min;
  const double hi = q.output_max;
  T* dst = out;
  for (int64_t block = 0; block < outer; ++block) {
    for (int i = 0; i < num_inputs; ++i) {
      const int64_t chunk = in_shapes[i].count(p.axis, in_shapes[i].rank);
      const T* src = in[i] + block * chunk;
      const int32_t zp = q.input_zero_points[i];
      if (q.input_scales[i] == q.output_scale && zp == q.output_zero_point) {
        for (int64_t k = 0; k < chunk; ++k) {
          dst[k] = T(std::clamp(int32_t(src[k]), q.output_min, q.output_max));
        }
      } else {
        const float ratio = q.input_scales[i] * inverse_out_scale;
        const float bias = float(-zp) * ratio;
        for (int64_t k = 0; k < chunk; ++k) {
          const float rounded = round_half_away(float(src[k]) * ratio + bias);
          // Clamping in double first keeps an extreme ratio from overflowing the int cast.
          const double v = std::clamp(double(rounded) + double(q.output_zero_point), lo, hi);
          dst[k] = T(int32_t(v));
        }
      }
      dst += chunk;
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_CONCATENATION_H_
