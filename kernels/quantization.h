// The integer arithmetic of quantized kernels, with TensorFlow Lite's rounding so that a quantized
// TFLite model gives the same numbers here.
//
// A quantized tensor stores q and means real = scale * (q - zero_point). Kernels rescale int32
// accumulators by a real factor M (for a convolution M = input_scale * filter_scale /
// output_scale) without floating point at run time: prepare() turns M into a 31-bit fixed-point
// multiplier and a power-of-two shift (quantize_multiplier), and run() applies them with two
// rounding steps (multiply_by_quantized_multiplier):
//   1. Shift left by max(shift, 0) bits.
//   2. Multiply by the multiplier and keep the high half of the doubled 64-bit product, rounding
//      ties upward (saturating_rounding_doubling_high_mul).
//   3. Shift right by max(-shift, 0) bits, rounding ties away from zero
//      (rounding_divide_by_pot).
// This double rounding is what TFLite's default build does; the result can differ by one unit
// from round(x * M).
#ifndef ERT_KERNELS_QUANTIZATION_H_
#define ERT_KERNELS_QUANTIZATION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/common.h"

namespace ert::kernels {

/// A positive real factor M as multiplier * 2^(shift - 31). `multiplier` is in [2^30, 2^31) for
/// a normal M, or 0 (with shift 0) for M == 0 and for an M below about 2^-32, which TFLite
/// flushes to zero. A positive shift multiplies by a power of two, a negative one divides.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

/// Largest left shift a multiplier may carry: (1 << 31) would not fit an int32 factor.
constexpr int32_t kMaxMultiplierShift = 30;

/// TFLite's QuantizeMultiplier:
///   1. Split M = q * 2^shift with q in [0.5, 1) (frexp).
///   2. multiplier = q * 2^31 rounded half away from zero; when that rounds up to 2^31, halve
///      it and add one to the shift.
///   3. A shift below -31 would shift every bit out: flush to multiplier 0, shift 0.
/// Returns false (and leaves *out alone) for a negative, NaN or infinite M, and for M >= 2^30,
/// whose shift the run-time multiply cannot apply.
inline bool quantize_multiplier(double real, QuantizedMultiplier* out) {
  if (!(real >= 0.0) || !std::isfinite(real)) return false;
  if (real == 0.0) {
    *out = QuantizedMultiplier();
    return true;
  }
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);
  int64_t fixed = int64_t(std::round(fraction * double(int64_t(1) << 31)));
  if (fixed == (int64_t(1) << 31)) {
    fixed >>= 1;
    ++exponent;
  }
  if (exponent > kMaxMultiplierShift) return false;
  if (exponent < -31) {
    fixed = 0;
    exponent = 0;
  }
  out->multiplier = int32_t(fixed);
  out->shift = exponent;
  return true;
}

/// round(a * b / 2^31) with ties rounded toward +infinity, which is gemmlowp's rounding
/// doubling high multiply: the high 32 bits of 2 * a * b. The one product that does not fit,
/// INT32_MIN * INT32_MIN (2^31 in the result), saturates to INT32_MAX.
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  const int64_t product = int64_t(a) * int64_t(b);
  // Adding half of 2^31 and flooring (an arithmetic shift floors) rounds ties upward for either
  // sign; the sum cannot overflow because |product| <= 2^62.
  const int64_t rounded = (product + (int64_t(1) << 30)) >> 31;
  return int32_t(std::min<int64_t>(rounded, std::numeric_limits<int32_t>::max()));
}

/// round(x / 2^exponent) with ties rounded away from zero, for 0 <= exponent <= 31.
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int64_t half = (int64_t(1) << exponent) >> 1;
  // Rounding the magnitude and restoring the sign sends ties away from zero on both sides.
  if (x >= 0) return int32_t((int64_t(x) + half) >> exponent);
  return int32_t(-((-int64_t(x) + half) >> exponent));
}

/// x * M for M = multiplier * 2^(shift - 31), with TFLite's two rounding steps (see the top of
/// this file). `shift` is in [-31, 30] as quantize_multiplier gives it. TFLite shifts left in
/// int32 and overflows for a large x with a large positive shift; here the shifted value
/// saturates to the int32 range instead.
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  const int left = shift > 0 ? int(shift) : 0;
  const int right = shift > 0 ? 0 : int(-shift);
  const int64_t shifted = int64_t(x) * (int64_t(1) << left);
  const int64_t saturated = std::clamp<int64_t>(shifted, std::numeric_limits<int32_t>::min(),
                                                std::numeric_limits<int32_t>::max());
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(int32_t(saturated), multiplier), right);
}

inline int32_t multiply_by_quantized_multiplier(int32_t x, QuantizedMultiplier m) {
  return multiply_by_quantized_multiplier(x, m.multiplier, m.shift);
}

/// Smallest and largest value of an 8-bit quantized type, as int32.
template <typename T>
constexpr int32_t quantized_min() {
  static_assert(std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>, "8-bit types only");
  return std::numeric_limits<T>::min();
}
template <typename T>
constexpr int32_t quantized_max() {
  static_assert(std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>, "8-bit types only");
  return std::numeric_limits<T>::max();
}

/// TFLite's rounding of a float to an integer: half away from zero (std::round).
inline float round_half_away(float x) { return std::round(x); }

/// Quantizes one float as TFLite's QUANTIZE does: round(x / scale) in float arithmetic, plus the
/// zero point, clamped to T's range. NaN, which TFLite leaves undefined, becomes the zero point
/// (real 0) clamped to the range.
template <typename T>
T quantize_value(float x, float scale, int32_t zero_point) {
  const float rounded = round_half_away(x / scale);
  double q = std::isnan(rounded) ? double(zero_point) : double(rounded) + double(zero_point);
  q = std::clamp(q, double(quantized_min<T>()), double(quantized_max<T>()));
  return T(int32_t(q));
}

/// The real value of a quantized one: (q - zero_point) * scale in float, which is exact up to the
/// final rounding to float, as in TFLite's DEQUANTIZE.
inline float dequantize_value(int32_t q, float scale, int32_t zero_point) {
  return float(q - zero_point) * scale;
}

/// The fused activation as a clamp in the quantized domain of an output with this scale and
/// zero point (TFLite's CalculateActivationRangeQuantized): each finite bound b becomes
/// zero_point + round(b / scale) (float division, ties away from zero), clamped to T's range;
/// an infinite bound leaves the type's limit. `scale` is finite and > 0.
template <typename T>
void quantized_activation_range(ActivationRange range, float scale, int32_t zero_point,
                                int32_t* out_min, int32_t* out_max) {
  const double lo = quantized_min<T>();
  const double hi = quantized_max<T>();
  // Clamping in double before converting keeps a huge b / scale from overflowing the int cast.
  auto quantize_bound = [&](float bound) {
    const double q = double(round_half_away(bound / scale)) + double(zero_point);
    return int32_t(std::clamp(q, lo, hi));
  };
  *out_min = std::isfinite(range.min) ? quantize_bound(range.min) : int32_t(lo);
  *out_max = std::isfinite(range.max) ? quantize_bound(range.max) : int32_t(hi);
}

/// The end of an integer convolution or fully connected output: the 64-bit accumulator
/// saturated to int32 (TFLite accumulates in int32 and would wrap; real models stay far inside),
/// rescaled, shifted by the output zero point and clamped to [out_min, out_max].
inline int32_t requantize_accumulator(int64_t acc, int32_t multiplier, int32_t shift,
                                      int32_t zero_point, int32_t out_min, int32_t out_max) {
  const int32_t acc32 = int32_t(std::clamp<int64_t>(acc, std::numeric_limits<int32_t>::min(),
                                                    std::numeric_limits<int32_t>::max()));
  const int64_t scaled =
      int64_t(multiply_by_quantized_multiplier(acc32, multiplier, shift)) + zero_point;
  return int32_t(std::clamp<int64_t>(scaled, out_min, out_max));
}

/// Zero points, per-output-channel requantization and output clamp of an integer convolution
/// (CONV_2D, DEPTHWISE_CONV_2D). Per-tensor quantization repeats one multiplier for every
/// channel. Each output is
///   clamp(zero_point_out + M_c * (bias_c + sum (input - input_zp) * (filter - filter_zp)))
/// with M_c applied by multiply_by_quantized_multiplier.
struct ConvQuantParams {
  int32_t input_zero_point = 0;
  int32_t filter_zero_point = 0;
  int32_t output_zero_point = 0;
  const int32_t* output_multiplier = nullptr;  // One per output channel.
  const int32_t* output_shift = nullptr;       // One per output channel; > 0 shifts left.
  int32_t output_min = 0;                      // Fused activation clamp, quantized.
  int32_t output_max = 0;
};

/// Quantizes `count` floats with one scale and zero point (QUANTIZE). `in` and `out` do not
/// overlap.
template <typename T>
void quantize_f32(const float* in, T* out, int64_t count, float scale, int32_t zero_point) {
  for (int64_t i = 0; i < count; ++i) out[i] = quantize_value<T>(in[i], scale, zero_point);
}

/// Dequantizes a tensor seen as [outer, channels, inner] where channel c has its own scale and
/// zero point (DEQUANTIZE). Per-tensor quantization is channels = 1.
template <typename T>
void dequantize_to_f32(const T* in, float* out, int64_t outer, int64_t channels, int64_t inner,
                       const float* scales, const int32_t* zero_points) {
  int64_t i = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const float scale = scales[c];
      const int32_t zero_point = zero_points[c];
      for (int64_t k = 0; k < inner; ++k, ++i) {
        out[i] = dequantize_value(int32_t(in[i]), scale, zero_point);
      }
    }
  }
}

/// Moves quantized values to another scale and zero point (QUANTIZE from u8/i8, TFLite's
/// Requantize): out = clamp(out_zp + M * (in - in_zp)) with M = in_scale / out_scale.
template <typename TIn, typename TOut>
void requantize(const TIn* in, TOut* out, int64_t count, int32_t input_zero_point,
                QuantizedMultiplier m, int32_t output_zero_point) {
  for (int64_t i = 0; i < count; ++i) {
    const int64_t v =
        int64_t(multiply_by_quantized_multiplier(int32_t(in[i]) - input_zero_point, m)) +
        output_zero_point;
    out[i] = TOut(std::clamp<int64_t>(v, quantized_min<TOut>(), quantized_max<TOut>()));
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_QUANTIZATION_H_
