#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/binary_elementwise.h"
#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;
using k::QuantizedAddParams;
using k::Shape;

namespace {

QuantizedAddParams add_params(float sa, int32_t za, float sb, int32_t zb, float so, int32_t zo,
                              int32_t lo, int32_t hi) {
  QuantizedAddParams p;
  p.a_zero_point = za;
  p.b_zero_point = zb;
  p.output_zero_point = zo;
  p.output_min = lo;
  p.output_max = hi;
  REQUIRE(k::quantized_add_multipliers(sa, sb, so, &p));
  return p;
}

// Index of the element of an operand of shape `s` that output index `out` (of shape `o`) reads.
int64_t source_index(const Shape& s, const Shape& o, int64_t out) {
  int64_t idx = 0;
  int64_t stride = 1;
  for (int axis = o.rank - 1; axis >= 0; --axis) {
    const int64_t coord = out % o.dims[axis];
    out /= o.dims[axis];
    const int sa = axis - (o.rank - s.rank);
    if (sa < 0) continue;
    if (s.dims[sa] != 1) idx += coord * stride;
    stride *= s.dims[sa];
  }
  return idx;
}

template <typename T>
void run_random_adds(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int lo = k::quantized_min<T>();
  const int hi = k::quantized_max<T>();
  int compared = 0;
  for (int iter = 0; iter < 400; ++iter) {
    // A random output shape; each operand drops some leading axes and sets some to 1.
    Shape o;
    o.rank = pick(0, 4);
    for (int i = 0; i < o.rank; ++i) o.dims[i] = pick(1, 4);
    Shape sa, sb;
    for (Shape* s : {&sa, &sb}) {
      s->rank = pick(0, o.rank);
      for (int i = 0; i < s->rank; ++i) {
        const int32_t d = o.dims[o.rank - s->rank + i];
        s->dims[i] = pick(0, 2) == 0 ? 1 : d;
      }
    }
    // Make sure the broadcast really gives `o`: one operand keeps the full shape.
    if (pick(0, 1) == 0)
      sa = o;
    else
      sb = o;
    std::vector<T> a(size_t(sa.num_elements())), b(size_t(sb.num_elements()));
    for (auto& v : a) v = T(pick(lo, hi));
    for (auto& v : b) v = T(pick(lo, hi));
    const float s_a = quant_ref::random_scale(rng, -8, 0);
    const float s_b = quant_ref::random_scale(rng, -8, 0);
    const float s_o = quant_ref::random_scale(rng, -7, 1);
    const int32_t za = pick(lo, hi), zb = pick(lo, hi), zo = pick(lo, hi);
    const int32_t out_min = pick(lo, (lo + hi) / 2), out_max = pick(out_min, hi);
    const QuantizedAddParams p = add_params(s_a, za, s_b, zb, s_o, zo, out_min, out_max);
    const int64_t count = o.num_elements();
    std::vector<T> out(size_t(count) + 1, T(0x5A));
    k::add_quantized(p, sa, a.data(), sb, b.data(), out.data());
    CHECK(out.back() == T(0x5A));

    // TFLite's multipliers, found independently.
    const double twice_max = 2.0 * double(std::max(s_a, s_b));
    const quant_ref::Multiplier ma = quant_ref::multiplier_of(double(s_a) / twice_max);
    const quant_ref::Multiplier mb = quant_ref::multiplier_of(double(s_b) / twice_max);
    const quant_ref::Multiplier mo =
        quant_ref::multiplier_of(twice_max / (1048576.0 * double(s_o)));
    for (int64_t i = 0; i < count; ++i) {
      const int64_t qa = a[size_t(source_index(sa, o, i))];
      const int64_t qb = b[size_t(source_index(sb, o, i))];
      const int64_t sum =
          quant_ref::apply((qa - za) * 1048576, ma) + quant_ref::apply((qb - zb) * 1048576, mb);
      const int64_t exact = quant_ref::clamp64(quant_ref::apply(sum, mo) + zo, out_min, out_max);
      CHECK(int64_t(out[size_t(i)]) == exact);
      const double real_sum = double(s_a) * double(qa - za) + double(s_b) * double(qb - zb);
      double real = quant_ref::round_away(real_sum / double(s_o)) + zo;
      real = std::fmin(std::fmax(real, out_min), out_max);
      CHECK(std::fabs(double(out[size_t(i)]) - real) <= 1.0);
      ++compared;
    }
  }
  CHECK(compared > 2000);
}

}  // namespace

TEST_CASE("add_quantized u8 on hand-worked values") {
  // a: scale 0.5, zero point 10; b: scale 0.25, zero point 0; out: scale 1, zero point 5.
  const QuantizedAddParams p = add_params(0.5f, 10, 0.25f, 0, 1.0f, 5, 0, 255);
  // TFLite's factors: a by 0.5/1, b by 0.25/1, the sum by 1/2^20.
  CHECK(p.a_multiplier.multiplier == (1 << 30));
  CHECK(p.a_multiplier.shift == 0);
  CHECK(p.b_multiplier.shift == -1);
  CHECK(p.output_multiplier.shift == -19);
  const std::vector<uint8_t> a = {14, 11, 9, 10, 10, 255, 0};
  const std::vector<uint8_t> b = {8, 0, 0, 1, 2, 255, 0};
  std::vector<uint8_t> out(7, 0);
  k::add_quantized(p, Shape{7}, a.data(), Shape{7}, b.data(), out.data());
  // Reals: 2 + 2 = 4; 0.5 + 0 (a tie, away from zero) = 1; -0.5 -> -1; 0.25 -> 0; 0.5 -> 1;
  // 122.5 + 63.75 = 186.25 -> 186; -5 + 0 -> 0 after the zero point.
  CHECK(out == std::vector<uint8_t>{9, 6, 4, 5, 6, 191, 0});
}

TEST_CASE("add_quantized clamps to the fused activation range") {
  const QuantizedAddParams p = add_params(0.5f, 10, 0.25f, 0, 1.0f, 5, 5, 10);
  const std::vector<uint8_t> a = {14, 0, 30};
  const std::vector<uint8_t> b = {8, 0, 0};
  std::vector<uint8_t> out(3, 0);
  k::add_quantized(p, Shape{3}, a.data(), Shape{3}, b.data(), out.data());
  CHECK(out == std::vector<uint8_t>{9, 5, 10});
}

TEST_CASE("add_quantized i8 broadcasts like the float path") {
  // a [2,1] reals (0, 2); b [1,3] reals (0, 1, 2); out = 5 + a + b on the [2,3] grid.
  const QuantizedAddParams p = add_params(0.5f, -10, 0.25f, -128, 1.0f, 5, -128, 127);
  const std::vector<int8_t> a = {-10, -6};
  const std::vector<int8_t> b = {-128, -124, -120};
  std::vector<int8_t> out(6, 0);
  k::add_quantized(p, Shape{2, 1}, a.data(), Shape{1, 3}, b.data(), out.data());
  CHECK(out == std::vector<int8_t>{5, 6, 7, 7, 8, 9});
  // A scalar operand.
  const std::vector<int8_t> s = {-6};
  k::add_quantized(p, Shape{}, s.data(), Shape{1, 3}, b.data(), out.data());
  CHECK(std::vector<int8_t>(out.begin(), out.begin() + 3) == std::vector<int8_t>{7, 8, 9});
}

TEST_CASE("quantized_add_multipliers rejects an output scale too small to reach") {
  QuantizedAddParams p;
  CHECK_FALSE(k::quantized_add_multipliers(1.0f, 1.0f, 1e-30f, &p));
  CHECK(k::quantized_add_multipliers(1.0f, 1e-30f, 1.0f, &p));  // b's factor flushes to 0
  CHECK(p.b_multiplier.multiplier == 0);
}

TEST_CASE("add_quantized u8 random broadcasts match int64 and real arithmetic") {
  run_random_adds<uint8_t>(2024);
}

TEST_CASE("add_quantized i8 random broadcasts match int64 and real arithmetic") {
  run_random_adds<int8_t>(2025);
}
