#include "kernels/quantization.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;
using k::QuantizedMultiplier;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

QuantizedMultiplier qm(double real) {
  QuantizedMultiplier m;
  REQUIRE(k::quantize_multiplier(real, &m));
  return m;
}

}  // namespace

TEST_CASE("quantize_multiplier on hand-worked values") {
  // 0.5 = 0.5 * 2^0: the fraction 0.5 is 2^30 in Q31.
  CHECK(qm(0.5).multiplier == (1 << 30));
  CHECK(qm(0.5).shift == 0);
  // 1 = 0.5 * 2^1 and 3 = 0.75 * 2^2; 0.75 * 2^31 = 1610612736.
  CHECK(qm(1.0).multiplier == (1 << 30));
  CHECK(qm(1.0).shift == 1);
  CHECK(qm(3.0).multiplier == 1610612736);
  CHECK(qm(3.0).shift == 2);
  CHECK(qm(0.75).multiplier == 1610612736);
  CHECK(qm(0.75).shift == 0);
  // 2^-10 = 0.5 * 2^-9.
  CHECK(qm(std::ldexp(1.0, -10)).multiplier == (1 << 30));
  CHECK(qm(std::ldexp(1.0, -10)).shift == -9);
  // 0.5 + 2^-32: the fraction times 2^31 is 2^30 + 0.5, a tie rounded away from zero.
  CHECK(qm(0.5 + std::ldexp(1.0, -32)).multiplier == (1 << 30) + 1);
  // 0.5 + 2^-33 gives 2^30 + 0.25, rounded down.
  CHECK(qm(0.5 + std::ldexp(1.0, -33)).multiplier == (1 << 30));
  // 1 - 2^-40 has the fraction 1 - 2^-40, which rounds up to 2^31: halved, shift + 1.
  CHECK(qm(1.0 - std::ldexp(1.0, -40)).multiplier == (1 << 30));
  CHECK(qm(1.0 - std::ldexp(1.0, -40)).shift == 1);
  // Zero, and values too small to keep (shift below -31), become multiplier 0, shift 0.
  CHECK(qm(0.0).multiplier == 0);
  CHECK(qm(0.0).shift == 0);
  CHECK(qm(std::ldexp(1.0, -40)).multiplier == 0);
  CHECK(qm(std::ldexp(1.0, -40)).shift == 0);
  // 2^-32 = 0.5 * 2^-31 is the smallest power of two kept.
  CHECK(qm(std::ldexp(1.0, -32)).multiplier == (1 << 30));
  CHECK(qm(std::ldexp(1.0, -32)).shift == -31);
  // The largest shift is 30 (M just below 2^30); 2^30 and beyond cannot be applied.
  CHECK(qm(std::ldexp(1.0, 29)).shift == 30);
  QuantizedMultiplier m;
  m.multiplier = 77;
  CHECK_FALSE(k::quantize_multiplier(std::ldexp(1.0, 30), &m));
  CHECK_FALSE(k::quantize_multiplier(-0.5, &m));
  CHECK_FALSE(k::quantize_multiplier(std::nan(""), &m));
  CHECK_FALSE(k::quantize_multiplier(std::numeric_limits<double>::infinity(), &m));
  CHECK(m.multiplier == 77);  // Untouched on failure.
}

TEST_CASE("quantize_multiplier agrees with repeated halving and is within half a unit") {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> mant(0.5, 4.0);
  std::uniform_int_distribution<int> ex(-34, 26);
  for (int i = 0; i < 20000; ++i) {
    const double real = std::ldexp(mant(rng), ex(rng));
    QuantizedMultiplier m;
    REQUIRE(k::quantize_multiplier(real, &m));
    const quant_ref::Multiplier r = quant_ref::multiplier_of(real);
    CHECK(m.multiplier == r.m);
    CHECK(m.shift == r.shift);
    if (m.multiplier != 0) {
      const double back = std::ldexp(double(m.multiplier), m.shift - 31);
      CHECK(std::fabs(back - real) <= std::ldexp(1.0, m.shift - 32));
    }
  }
}

TEST_CASE("saturating_rounding_doubling_high_mul on hand-worked values") {
  using k::saturating_rounding_doubling_high_mul;
  // The result is round(a * b / 2^31), ties toward +infinity.
  CHECK(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30) == (1 << 29));
  CHECK(saturating_rounding_doubling_high_mul(1, 1 << 30) == 1);    // 0.5 -> 1
  CHECK(saturating_rounding_doubling_high_mul(-1, 1 << 30) == 0);   // -0.5 -> 0
  CHECK(saturating_rounding_doubling_high_mul(3, 1 << 30) == 2);    // 1.5 -> 2
  CHECK(saturating_rounding_doubling_high_mul(-3, 1 << 30) == -1);  // -1.5 -> -1
  CHECK(saturating_rounding_doubling_high_mul(-5, 1 << 30) == -2);  // -2.5 -> -2
  CHECK(saturating_rounding_doubling_high_mul(5, 3 << 28) == 2);    // 1.875 -> 2
  CHECK(saturating_rounding_doubling_high_mul(-5, 3 << 28) == -2);  // -1.875 -> -2
  CHECK(saturating_rounding_doubling_high_mul(0, kMin) == 0);
  // The one overflow: (-1) * (-1) in Q31 is +1, which saturates.
  CHECK(saturating_rounding_doubling_high_mul(kMin, kMin) == kMax);
  // (-2^31) * (2^31 - 1) / 2^31 = -(2^31 - 1) exactly.
  CHECK(saturating_rounding_doubling_high_mul(kMin, kMax) == -kMax);
  // (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31.
  CHECK(saturating_rounding_doubling_high_mul(kMax, kMax) == kMax - 1);
}

TEST_CASE("rounding_divide_by_pot on hand-worked values") {
  using k::rounding_divide_by_pot;
  // Ties go away from zero.
  CHECK(rounding_divide_by_pot(5, 1) == 3);
  CHECK(rounding_divide_by_pot(-5, 1) == -3);
  CHECK(rounding_divide_by_pot(4, 1) == 2);
  CHECK(rounding_divide_by_pot(-4, 1) == -2);
  CHECK(rounding_divide_by_pot(7, 2) == 2);  // 1.75
  CHECK(rounding_divide_by_pot(-7, 2) == -2);
  CHECK(rounding_divide_by_pot(6, 2) == 2);  // 1.5
  CHECK(rounding_divide_by_pot(-6, 2) == -2);
  CHECK(rounding_divide_by_pot(5, 2) == 1);  // 1.25
  CHECK(rounding_divide_by_pot(-5, 2) == -1);
  CHECK(rounding_divide_by_pot(123, 0) == 123);
  CHECK(rounding_divide_by_pot(-123, 0) == -123);
  CHECK(rounding_divide_by_pot(kMin, 31) == -1);
  CHECK(rounding_divide_by_pot(kMax, 31) == 1);
  CHECK(rounding_divide_by_pot(1 << 30, 31) == 1);  // 0.5
  CHECK(rounding_divide_by_pot(-(1 << 30), 31) == -1);
  CHECK(rounding_divide_by_pot((1 << 30) - 1, 31) == 0);
}

TEST_CASE("high mul and divide by pot agree with the independent int64 forms") {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  std::uniform_int_distribution<int32_t> small(-70000, 70000);
  std::uniform_int_distribution<int> exponent(0, 31);
  for (int i = 0; i < 50000; ++i) {
    const int32_t a = i % 2 ? any(rng) : small(rng);
    const int32_t b = any(rng);
    CHECK(k::saturating_rounding_doubling_high_mul(a, b) == quant_ref::high_mul(a, b));
    const int e = exponent(rng);
    CHECK(k::rounding_divide_by_pot(a, e) == quant_ref::divide_pot(a, e));
  }
  // Exact ties, both signs, every exponent.
  for (int e = 1; e <= 30; ++e) {
    for (int64_t q : {-5, -3, -1, 1, 3, 5}) {
      const int64_t wide = q * (int64_t(1) << (e - 1));
      if (wide < kMin || wide > kMax) continue;
      const int32_t x = int32_t(wide);
      CHECK(k::rounding_divide_by_pot(x, e) == quant_ref::divide_pot(x, e));
    }
  }
}

TEST_CASE("multiply_by_quantized_multiplier on hand-worked values") {
  using k::multiply_by_quantized_multiplier;
  const QuantizedMultiplier half = qm(0.5);
  CHECK(multiply_by_quantized_multiplier(100, half) == 50);
  CHECK(multiply_by_quantized_multiplier(3, half) == 2);    // 1.5 -> 2
  CHECK(multiply_by_quantized_multiplier(-3, half) == -1);  // -1.5 -> -1: the high mul's tie
  // 0.25 is 2^30 with shift -1. 5 * 0.25 = 1.25, but the two roundings give 2: the high mul
  // rounds 2.5 up to 3, then 3 / 2 = 1.5 rounds away to 2. TFLite computes the same.
  CHECK(multiply_by_quantized_multiplier(5, qm(0.25)) == 2);
  CHECK(multiply_by_quantized_multiplier(-5, qm(0.25)) == -1);  // -2.5 -> -2, -1 -> -1
  // Multipliers above 1 shift left first: 3 * 3 = 9, 7 * 1.5 = 10.5 -> 11.
  CHECK(multiply_by_quantized_multiplier(3, qm(3.0)) == 9);
  CHECK(multiply_by_quantized_multiplier(7, qm(1.5)) == 11);
  CHECK(multiply_by_quantized_multiplier(-7, qm(1.5)) == -10);  // -10.5 -> -10 (tie up)
  // A left shift past int32 saturates: 2^30 * 4 -> 2^31 - 1, then * 0.75.
  CHECK(multiply_by_quantized_multiplier(1 << 30, qm(3.0)) == 1610612735);
  CHECK(multiply_by_quantized_multiplier(-(1 << 30), qm(3.0)) == -1610612736);
  // Multiplier 0 (flushed) gives 0.
  CHECK(multiply_by_quantized_multiplier(kMax, qm(0.0)) == 0);
  // (2^31 - 1) * 2^-32 is just below 0.5, yet double rounding gives 1: the high mul rounds
  // 2^30 - 0.5 up to 2^30, and 2^30 / 2^31 = 0.5 rounds away from zero.
  CHECK(multiply_by_quantized_multiplier(kMax, qm(std::ldexp(1.0, -32))) == 1);
  CHECK(multiply_by_quantized_multiplier(kMin, qm(std::ldexp(1.0, -32))) == -1);  // -0.5
}

TEST_CASE("multiply_by_quantized_multiplier against int64 and real arithmetic") {
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> mant(0.5, 1.0);
  std::uniform_int_distribution<int> ex(-20, 8);
  std::uniform_int_distribution<int32_t> x_dist(-(1 << 22), 1 << 22);
  int off_by_one = 0;
  for (int i = 0; i < 50000; ++i) {
    const double real = std::ldexp(mant(rng), ex(rng));
    const int32_t x = x_dist(rng);
    const QuantizedMultiplier m = qm(real);
    const int32_t got = k::multiply_by_quantized_multiplier(x, m);
    CHECK(got == quant_ref::apply(x, quant_ref::multiplier_of(real)));
    const double exact = quant_ref::round_away(double(x) * real);
    if (std::fabs(exact) < 2e9) {
      CHECK(std::fabs(double(got) - exact) <= 1.0);
      off_by_one += got != exact;
    }
  }
  // Double rounding differs from one rounding now and then, never more than by one.
  CHECK(off_by_one > 0);
}

TEST_CASE("quantize_value rounds half away from zero and clamps") {
  using k::quantize_value;
  CHECK(quantize_value<uint8_t>(1.0f, 0.5f, 10) == 12);
  CHECK(quantize_value<uint8_t>(1.25f, 0.5f, 10) == 13);  // 2.5 -> 3
  CHECK(quantize_value<uint8_t>(-1.25f, 0.5f, 10) == 7);  // -2.5 -> -3
  CHECK(quantize_value<uint8_t>(-1.0f, 0.5f, 0) == 0);    // clamped
  CHECK(quantize_value<uint8_t>(1000.0f, 0.5f, 0) == 255);
  CHECK(quantize_value<int8_t>(0.75f, 0.5f, -1) == 1);    // 1.5 -> 2, - 1
  CHECK(quantize_value<int8_t>(-0.75f, 0.5f, -1) == -3);  // -1.5 -> -2, - 1
  CHECK(quantize_value<int8_t>(-1e30f, 0.5f, 0) == -128);
  CHECK(quantize_value<int8_t>(1e30f, 1e-30f, 0) == 127);  // x / scale is inf
  CHECK(quantize_value<int8_t>(-std::numeric_limits<float>::infinity(), 1.0f, 3) == -128);
  CHECK(quantize_value<int8_t>(std::nanf(""), 0.5f, 7) == 7);
  CHECK(quantize_value<uint8_t>(std::nanf(""), 0.5f, 200) == 200);
}

TEST_CASE("dequantize_value subtracts the zero point and scales") {
  CHECK(k::dequantize_value(12, 0.5f, 10) == 1.0f);
  CHECK(k::dequantize_value(-128, 0.25f, 0) == -32.0f);
  CHECK(k::dequantize_value(255, 0.1f, 0) == 255.0f * 0.1f);
}

TEST_CASE("quantized_activation_range quantizes the fused activation bounds") {
  using k::ActivationRange;
  int32_t lo = 0;
  int32_t hi = 0;
  const float inf = std::numeric_limits<float>::infinity();
  // No activation: the type's range.
  k::quantized_activation_range<uint8_t>(ActivationRange{-inf, inf}, 0.1f, 10, &lo, &hi);
  CHECK(lo == 0);
  CHECK(hi == 255);
  k::quantized_activation_range<int8_t>(ActivationRange{-inf, inf}, 0.1f, 10, &lo, &hi);
  CHECK(lo == -128);
  CHECK(hi == 127);
  // RELU6 with scale 0.1, zero point 10: [10 + 0, 10 + round(6 / 0.1)] = [10, 70].
  k::quantized_activation_range<uint8_t>(ActivationRange{0.0f, 6.0f}, 0.1f, 10, &lo, &hi);
  CHECK(lo == 10);
  CHECK(hi == 70);
  // RELU: only the lower bound.
  k::quantized_activation_range<uint8_t>(ActivationRange{0.0f, inf}, 0.1f, 10, &lo, &hi);
  CHECK(lo == 10);
  CHECK(hi == 255);
  // i8 RELU6 with scale 1/16, zero point -128: [-128, -128 + 96].
  k::quantized_activation_range<int8_t>(ActivationRange{0.0f, 6.0f}, 0.0625f, -128, &lo, &hi);
  CHECK(lo == -128);
  CHECK(hi == -32);
  // RELU_N1_TO_1 with scale 2: round(+-0.5) = +-1, ties away from zero.
  k::quantized_activation_range<int8_t>(ActivationRange{-1.0f, 1.0f}, 2.0f, 5, &lo, &hi);
  CHECK(lo == 4);
  CHECK(hi == 6);
  // Bounds beyond the type clamp to it, even for a tiny scale.
  k::quantized_activation_range<uint8_t>(ActivationRange{0.0f, 6.0f}, 1e-30f, 200, &lo, &hi);
  CHECK(lo == 200);
  CHECK(hi == 255);
  k::quantized_activation_range<int8_t>(ActivationRange{-1.0f, 1.0f}, 1e-30f, 0, &lo, &hi);
  CHECK(lo == -128);
  CHECK(hi == 127);
}

TEST_CASE("requantize_accumulator saturates, rescales, offsets and clamps") {
  const QuantizedMultiplier half = qm(0.5);
  CHECK(k::requantize_accumulator(11, half.multiplier, half.shift, 100, 0, 255) == 106);
  CHECK(k::requantize_accumulator(-1, half.multiplier, half.shift, 100, 0, 255) == 100);
  CHECK(k::requantize_accumulator(-3, half.multiplier, half.shift, 100, 0, 255) == 99);
  CHECK(k::requantize_accumulator(1000, half.multiplier, half.shift, 100, 0, 255) == 255);
  CHECK(k::requantize_accumulator(1000, half.multiplier, half.shift, 100, 0, 120) == 120);
  CHECK(k::requantize_accumulator(-1000, half.multiplier, half.shift, 0, -128, 127) == -128);
  // Beyond int32 the accumulator saturates first: (2^31 - 1) * 0.5 -> 2^30 after rounding.
  const int64_t big = int64_t(1) << 40;
  CHECK(k::requantize_accumulator(big, half.multiplier, half.shift, 0, kMin, kMax) == (1 << 30));
  CHECK(k::requantize_accumulator(-big, half.multiplier, half.shift, 0, kMin, kMax) == -(1 << 30));
}

TEST_CASE("quantize_f32, dequantize_to_f32 and requantize on arrays") {
  const std::vector<float> x = {-1.0f, 0.0f, 0.26f, 100.0f};
  std::vector<uint8_t> q(4, 0);
  k::quantize_f32(x.data(), q.data(), 4, 0.5f, 3);
  CHECK(q == std::vector<uint8_t>{1, 3, 4, 203});  // 0.52 -> 1; 200 + 3

  // Per-channel dequantize of a [2, 3, 2] i8 tensor along axis 1.
  std::vector<int8_t> in(12);
  for (int i = 0; i < 12; ++i) in[size_t(i)] = int8_t(i - 6);
  const float scales[3] = {1.0f, 0.5f, 0.25f};
  const int32_t zps[3] = {0, -2, 4};
  std::vector<float> out(12, 0.0f);
  k::dequantize_to_f32(in.data(), out.data(), 2, 3, 2, scales, zps);
  const std::vector<float> want = {
      -6.0f, -5.0f, (-4 + 2) * 0.5f, (-3 + 2) * 0.5f, (-2 - 4) * 0.25f, (-1 - 4) * 0.25f,
      0.0f,  1.0f,  (2 + 2) * 0.5f,  (3 + 2) * 0.5f,  (4 - 4) * 0.25f,  (5 - 4) * 0.25f};
  CHECK(out == want);

  // u8 -> i8 with the same scale and zero points 128 apart is a shift by 128.
  std::vector<uint8_t> u = {0, 1, 127, 128, 200, 255};
  std::vector<int8_t> s(6, 0);
  k::requantize(u.data(), s.data(), 6, 128, qm(1.0), 0);
  CHECK(s == std::vector<int8_t>{-128, -127, -1, 0, 72, 127});
  // Halving the scale doubles the values, clamped.
  std::vector<int8_t> back = {-100, -3, 0, 3, 100};
  std::vector<uint8_t> r(5, 0);
  k::requantize(back.data(), r.data(), 5, 0, qm(2.0), 128);
  CHECK(r == std::vector<uint8_t>{0, 122, 128, 134, 255});
}
