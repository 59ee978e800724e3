// Independent re-implementations of TFLite's fixed-point rules for the quantized tests, written
// differently from kernels/quantization.h on purpose (repeated halving instead of frexp,
// truncating division with a sign-dependent nudge instead of a flooring shift, mask and
// threshold instead of rounding the magnitude), so that a mistake in one is not repeated in the
// other. Also the plain real-number formulas the tests compare with to within one unit.
#ifndef ERT_TESTS_KERNELS_QUANT_REFERENCE_H_
#define ERT_TESTS_KERNELS_QUANT_REFERENCE_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace quant_ref {

constexpr int64_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();

struct Multiplier {
  int64_t m = 0;
  int shift = 0;
};

/// real = m * 2^(shift - 31) with m in [2^30, 2^31), found by halving or doubling the real
/// (exact in binary floating point) until it lies in [0.5, 1).
inline Multiplier multiplier_of(double real) {
  Multiplier out;
  if (real == 0.0) return out;
  int shift = 0;
  double r = real;
  while (r >= 1.0) {
    r *= 0.5;
    ++shift;
  }
  while (r < 0.5) {
    r *= 2.0;
    --shift;
  }
  // r * 2^31 < 2^31 is exact and adding 0.5 stays exact, so floor(x + 0.5) rounds half up,
  // which for a positive x is half away from zero.
  int64_t m = int64_t(std::floor(r * 2147483648.0 + 0.5));
  if (m == (int64_t(1) << 31)) {
    m = int64_t(1) << 30;
    ++shift;
  }
  if (shift < -31) return Multiplier();
  out.m = m;
  out.shift = shift;
  return out;
}

/// gemmlowp's SaturatingRoundingDoublingHighMul: nudge by +-2^30 by sign, divide with C++'s
/// truncation toward zero.
inline int64_t high_mul(int64_t a, int64_t b) {
  if (a == kMin32 && b == kMin32) return kMax32;
  const int64_t ab = a * b;
  const int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  return (ab + nudge) / (int64_t(1) << 31);
}

/// gemmlowp's RoundingDivideByPOT: floor shift, then add one when the remainder is above a
/// sign-dependent threshold.
inline int64_t divide_pot(int64_t x, int e) {
  const int64_t mask = (int64_t(1) << e) - 1;
  const int64_t remainder = x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

/// TFLite's MultiplyByQuantizedMultiplier (double rounding), with the left shift saturated to
/// the int32 range as edgert defines it.
inline int64_t apply(int64_t x, Multiplier mm) {
  int64_t shifted = x;
  for (int i = 0; i < mm.shift; ++i) shifted *= 2;
  if (shifted > kMax32) shifted = kMax32;
  if (shifted < kMin32) shifted = kMin32;
  return divide_pot(high_mul(shifted, mm.m), mm.shift < 0 ? -mm.shift : 0);
}

/// round(v) with ties away from zero, on doubles.
inline double round_away(double v) { return v < 0 ? -std::floor(-v + 0.5) : std::floor(v + 0.5); }

inline int64_t clamp64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/// A scale of random magnitude: mantissa in [1, 2) times 2^e with e in [lo_exp, hi_exp].
inline float random_scale(std::mt19937& rng, int lo_exp, int hi_exp) {
  std::uniform_real_distribution<float> mant(1.0f, 2.0f);
  std::uniform_int_distribution<int> ex(lo_exp, hi_exp);
  return std::ldexp(mant(rng), ex(rng));
}

}  // namespace quant_ref

#endif  // ERT_TESTS_KERNELS_QUANT_REFERENCE_H_
