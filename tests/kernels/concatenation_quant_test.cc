#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/concatenation.h"
#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;
using k::ConcatenationParams;
using k::ConcatQuantParams;
using k::Shape;

TEST_CASE("concatenation_quantized u8 copies equal quantization and requantizes the rest") {
  // Output: scale 0.25, zero point 3. Input 0 has the same; input 1 has scale 0.5, zero
  // point 10 (q = 12 is real 1, which is 4 + 3 in the output); input 2 has scale 1, zero
  // point 0 (q = 100 is 100, far beyond the output's range).
  const std::vector<uint8_t> a = {0, 7, 255};
  const std::vector<uint8_t> b = {12, 10, 0};
  const std::vector<uint8_t> c = {100};
  const Shape shapes[3] = {{3}, {3}, {1}};
  const uint8_t* data[3] = {a.data(), b.data(), c.data()};
  const float scales[3] = {0.25f, 0.5f, 1.0f};
  const int32_t zps[3] = {3, 10, 0};
  ConcatQuantParams q;
  q.input_scales = scales;
  q.input_zero_points = zps;
  q.output_scale = 0.25f;
  q.output_zero_point = 3;
  q.output_min = 0;
  q.output_max = 255;
  ConcatenationParams p;
  p.axis = 0;
  std::vector<uint8_t> out(8, 0x5A);
  k::concatenation_quantized(p, q, shapes, data, 3, Shape{7}, out.data());
  // b: (12 - 10) * 2 + 3 = 7, 0 + 3 = 3, -10 * 2 + 3 = -17 -> 0.
  CHECK(out == std::vector<uint8_t>{0, 7, 255, 7, 3, 0, 255, 0x5A});
}

TEST_CASE("concatenation_quantized i8 rounds requantized ties away from zero") {
  // Input 1: scale 0.5, zero point 0, into scale 1, zero point 0: q / 2 with ties away.
  const std::vector<int8_t> a = {1, 2};          // [2,1], same quantization as the output
  const std::vector<int8_t> b = {1, 3, -1, -3};  // [2,2]
  const Shape shapes[2] = {{2, 1}, {2, 2}};
  const int8_t* data[2] = {a.data(), b.data()};
  const float scales[2] = {1.0f, 0.5f};
  const int32_t zps[2] = {0, 0};
  ConcatQuantParams q;
  q.input_scales = scales;
  q.input_zero_points = zps;
  q.output_scale = 1.0f;
  q.output_zero_point = 0;
  q.output_min = -128;
  q.output_max = 127;
  ConcatenationParams p;
  p.axis = 1;
  std::vector<int8_t> out(6, 0);
  k::concatenation_quantized(p, q, shapes, data, 2, Shape{2, 3}, out.data());
  CHECK(out == std::vector<int8_t>{1, 1, 2, 2, -1, -2});
  // A fused activation clamps copied inputs as well.
  q.output_min = 0;
  q.output_max = 1;
  k::concatenation_quantized(p, q, shapes, data, 2, Shape{2, 3}, out.data());
  CHECK(out == std::vector<int8_t>{1, 1, 1, 1, 0, 0});
}

TEST_CASE("concatenation_quantized u8 random requantization is within one unit of reals") {
  std::mt19937 rng(8);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int inexact = 0;
  for (int iter = 0; iter < 200; ++iter) {
    const int n = pick(1, 4);
    const int outer = pick(1, 3), inner = pick(1, 3);
    std::vector<std::vector<uint8_t>> in(static_cast<size_t>(n));
    std::vector<Shape> shapes(static_cast<size_t>(n));
    std::vector<const uint8_t*> data(static_cast<size_t>(n));
    std::vector<float> scales(static_cast<size_t>(n));
    std::vector<int32_t> zps(static_cast<size_t>(n));
    int axis_total = 0;
    for (int i = 0; i < n; ++i) {
      const int d = pick(1, 3);
      axis_total += d;
      shapes[size_t(i)] = Shape{outer, d, inner};
      in[size_t(i)].resize(size_t(outer * d * inner));
      for (auto& v : in[size_t(i)]) v = uint8_t(pick(0, 255));
      data[size_t(i)] = in[size_t(i)].data();
      scales[size_t(i)] = quant_ref::random_scale(rng, -6, 0);
      zps[size_t(i)] = pick(0, 255);
    }
    ConcatQuantParams q;
    q.input_scales = scales.data();
    q.input_zero_points = zps.data();
    q.output_scale = quant_ref::random_scale(rng, -6, 0);
    q.output_zero_point = pick(0, 255);
    q.output_min = 0;
    q.output_max = 255;
    ConcatenationParams p;
    p.axis = 1;
    std::vector<uint8_t> out(size_t(outer * axis_total * inner), 0);
    k::concatenation_quantized(p, q, shapes.data(), data.data(), n, Shape{outer, axis_total, inner},
                               out.data());
    size_t o = 0;
    for (int b = 0; b < outer; ++b) {
      for (int i = 0; i < n; ++i) {
        const int64_t chunk = shapes[size_t(i)].dims[1] * inner;
        for (int64_t e = 0; e < chunk; ++e, ++o) {
          const int qv = in[size_t(i)][size_t(b * chunk + e)];
          const double real = double(scales[size_t(i)]) * (qv - zps[size_t(i)]);
          double want = quant_ref::round_away(real / double(q.output_scale)) + q.output_zero_point;
          want = std::fmin(std::fmax(want, 0.0), 255.0);
          CHECK(std::fabs(out[o] - want) <= 1.0);
          inexact += out[o] != want;
        }
      }
    }
  }
  // Float arithmetic only rarely lands on the other side of a rounding boundary.
  CHECK(inexact < 50);
}
