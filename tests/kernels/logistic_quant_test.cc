#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/logistic.h"
#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;

namespace {

// Checks a whole table against the sigmoid in double precision: within one unit everywhere,
// and exact wherever the scaled result is not within 1e-3 of a rounding tie (where float and
// double may legitimately round apart).
template <typename T>
void check_table_against_doubles(float in_scale, int32_t in_zp, int32_t out_zp) {
  T table[256];
  k::logistic_table<T>(in_scale, in_zp, 1.0f / 256.0f, out_zp, table);
  for (int q = k::quantized_min<T>(); q <= k::quantized_max<T>(); ++q) {
    const double x = double(in_scale) * double(q - in_zp);
    const double scaled = 256.0 / (1.0 + std::exp(-x));
    double want = quant_ref::round_away(scaled) + out_zp;
    want = std::fmin(std::fmax(want, k::quantized_min<T>()), k::quantized_max<T>());
    const int32_t got = table[uint8_t(T(q))];
    CHECK(std::fabs(got - want) <= 1.0);
    const double frac = scaled - std::floor(scaled);
    if (std::fabs(frac - 0.5) > 1e-3) CHECK(got == int32_t(want));
  }
}

}  // namespace

TEST_CASE("logistic_table u8 on hand-worked entries") {
  // Input scale 0.1, zero point 128; output scale 1/256, zero point 0.
  uint8_t table[256];
  k::logistic_table<uint8_t>(0.1f, 128, 1.0f / 256.0f, 0, table);
  CHECK(table[128] == 128);  // sigmoid(0) * 256 = 128
  CHECK(table[138] == 187);  // sigmoid(1) * 256 = 187.15
  CHECK(table[118] == 69);   // sigmoid(-1) * 256 = 68.85
  CHECK(table[255] == 255);  // sigmoid(12.7) * 256 = 255.9992 rounds to 256, clamped
  CHECK(table[0] == 0);      // sigmoid(-12.8) * 256 = 0.0007
}

TEST_CASE("logistic_table i8 is indexed by the input's byte") {
  // Input scale 0.05, zero point 0; output zero point -128.
  int8_t table[256];
  k::logistic_table<int8_t>(0.05f, 0, 1.0f / 256.0f, -128, table);
  CHECK(table[0] == 0);       // q = 0: 128 - 128
  CHECK(table[255] == -3);    // q = -1: sigmoid(-0.05) * 256 = 124.8 -> 125
  CHECK(table[127] == 127);   // q = 127: 255.55 -> 256 -> 128, clamped
  CHECK(table[128] == -128);  // q = -128: sigmoid(-6.4) * 256 = 0.42 -> 0
}

TEST_CASE("logistic_table matches the sigmoid in doubles over whole tables") {
  std::mt19937 rng(3);
  for (int i = 0; i < 40; ++i) {
    const float s = quant_ref::random_scale(rng, -7, 0);
    const int zp = std::uniform_int_distribution<int>(0, 255)(rng);
    check_table_against_doubles<uint8_t>(s, zp, 0);
    check_table_against_doubles<int8_t>(s, zp - 128, -128);
  }
  // Very large inputs: exp(-x) overflows to inf for x < -89 and gives 0, not NaN.
  check_table_against_doubles<uint8_t>(1.0f, 128, 0);
  check_table_against_doubles<int8_t>(100.0f, 0, -128);
}

TEST_CASE("lookup_table maps every element, in place too") {
  int8_t table[256];
  for (int i = 0; i < 256; ++i) table[i] = int8_t(255 - i);
  std::vector<int8_t> v = {0, 1, -1, 127, -128};
  k::lookup_table(table, v.data(), v.data(), 5);
  CHECK(v == std::vector<int8_t>{-1, -2, 0, -128, 127});
}
