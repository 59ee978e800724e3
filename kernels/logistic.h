// LOGISTIC (sigmoid): out = 1 / (1 + exp(-x)).
//
// On u8 and i8 there are only 256 possible inputs, so, as TFLite does, prepare fills a table of
// the 256 outputs (logistic_table) and run looks each input up (lookup_table).
#ifndef ERT_KERNELS_LOGISTIC_H_
#define ERT_KERNELS_LOGISTIC_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/quantization.h"

namespace ert::kernels {

/// The sigmoid of one value, computed so that exp never overflows: for x >= 0 as
/// 1 / (1 + exp(-x)), for x < 0 as e / (1 + e) with e = exp(x). Both exponents are <= 0, so
/// large |x| gives 1 or a tiny positive number, never NaN or a lost denominator; NaN stays NaN.
inline float logistic(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

/// Applies the sigmoid to `count` floats. `in` and `out` may be the same buffer.
inline void logistic_f32(const float* in, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = logistic(in[i]);
}

/// Fills table[i] with the quantized sigmoid of the input whose byte is i, exactly as TFLite's
/// lookup-table path (used for u8 and i8 by its default kernels) does, all in float:
///   1. x = input_scale * (q - input_zero_point).
///   2. y = 1 / (1 + exp(-x)), with TFLite's formula (not logistic() above: the tables must
///      agree to the last bit, and exp(-x) = inf simply gives 0).
///   3. out = round(y * (1 / output_scale)) + output_zero_point, ties away from zero, clamped
///      to T's range.
/// The table is indexed by the byte of the input (uint8_t(q)), so i8 input -1 is entry 255.
template <typename T>
void logistic_table(float input_scale, int32_t input_zero_point, float output_scale,
                    int32_t output_zero_point, T* table) {
  const float inverse_scale = 1.0f / output_scale;
  for (int32_t q = quantized_min<T>(); q <= quantized_max<T>(); ++q) {
    const float x = input_scale * float(q - input_zero_point);
    const float y = 1.0f / (1.0f + std::exp(-x));
    const float rounded = round_half_away(y * inverse_scale);
    // Clamping before the integer conversion keeps a tiny output scale from overflowing it.
    const double v = std::clamp(double(rounded + float(output_zero_point)),
                                double(quantized_min<T>()), double(quantized_max<T>()));
    table[uint8_t(T(q))] = T(int32_t(v));
  }
}

/// out[i] = table[byte of in[i]] for `count` 8-bit values. `in` and `out` may be the same buffer.
template <typename T>
void lookup_table(const T* table, const T* in, T* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = table[uint8_t(in[i])];
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_LOGISTIC_H_
