#include "kernels/pool2d.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using ert::kernels::ActivationRange;
using ert::kernels::average_pool2d_f32;
using ert::kernels::max_pool2d_f32;
using ert::kernels::Pool2DParams;
using ert::kernels::Shape;

namespace {

Pool2DParams pool_params(int32_t fh, int32_t fw, int32_t sh, int32_t sw, int32_t top = 0,
                         int32_t left = 0) {
  Pool2DParams p;
  p.filter_h = fh;
  p.filter_w = fw;
  p.stride_h = sh;
  p.stride_w = sw;
  p.pad_top = top;
  p.pad_left = left;
  return p;
}

// Output buffer with a poisoned value, so an element the kernel skips shows up.
std::vector<float> poisoned(size_t n) { return std::vector<float>(n, -12345.0f); }

}  // namespace

TEST_CASE("average_pool2d_f32 and max_pool2d_f32: 2x2 VALID windows on a 3x3 image") {
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Shape in_shape{1, 3, 3, 1};
  const Shape out_shape{1, 2, 2, 1};
  auto out = poisoned(4);
  average_pool2d_f32(pool_params(2, 2, 1, 1), in_shape, in.data(), out_shape, out.data());
  // (1+2+4+5)/4, (2+3+5+6)/4, (4+5+7+8)/4, (5+6+8+9)/4.
  CHECK(out == std::vector<float>{3.0f, 4.0f, 6.0f, 7.0f});
  out = poisoned(4);
  max_pool2d_f32(pool_params(2, 2, 1, 1), in_shape, in.data(), out_shape, out.data());
  CHECK(out == std::vector<float>{5.0f, 6.0f, 8.0f, 9.0f});
}

TEST_CASE("average_pool2d_f32 divides by the real cells only (padding before and after)") {
  // SAME for W=4, filter 4, stride 1 pads 1 before and 2 after.
  const std::vector<float> in = {1, 2, 3, 4};
  auto out = poisoned(4);
  average_pool2d_f32(pool_params(1, 4, 1, 1, 0, 1), {1, 1, 4, 1}, in.data(), {1, 1, 4, 1},
                     out.data());
  // Windows cover columns {0,1,2}, {0..3}, {1,2,3}, {2,3}.
  CHECK(out[0] == doctest::Approx(6.0f / 3));
  CHECK(out[1] == doctest::Approx(10.0f / 4));
  CHECK(out[2] == doctest::Approx(9.0f / 3));
  CHECK(out[3] == doctest::Approx(7.0f / 2));
}

TEST_CASE("max_pool2d_f32 ignores padded cells even when every real value is negative") {
  const std::vector<float> in = {-1, -3, -2};
  auto out = poisoned(3);
  max_pool2d_f32(pool_params(1, 3, 1, 1, 0, 1), {1, 1, 3, 1}, in.data(), {1, 1, 3, 1}, out.data());
  // A padding value of 0 would win every window; the real maxima are -1, -1, -2.
  CHECK(out == std::vector<float>{-1.0f, -1.0f, -2.0f});
  out = poisoned(3);
  average_pool2d_f32(pool_params(1, 3, 1, 1, 0, 1), {1, 1, 3, 1}, in.data(), {1, 1, 3, 1},
                     out.data());
  CHECK(out[0] == doctest::Approx(-2.0f));  // (-1 - 3) / 2
  CHECK(out[1] == doctest::Approx(-2.0f));  // (-1 - 3 - 2) / 3
  CHECK(out[2] == doctest::Approx(-2.5f));  // (-3 - 2) / 2
}

TEST_CASE("average_pool2d_f32 and max_pool2d_f32 with a stride larger than the filter") {
  // Filter 2, stride 3 on 5 columns: windows {0,1} and {3,4}; column 2 is never read.
  const std::vector<float> in = {1, 2, 100, 4, 5};
  auto out = poisoned(2);
  average_pool2d_f32(pool_params(1, 2, 1, 3), {1, 1, 5, 1}, in.data(), {1, 1, 2, 1}, out.data());
  CHECK(out == std::vector<float>{1.5f, 4.5f});
  out = poisoned(2);
  max_pool2d_f32(pool_params(1, 2, 1, 3), {1, 1, 5, 1}, in.data(), {1, 1, 2, 1}, out.data());
  CHECK(out == std::vector<float>{2.0f, 5.0f});
}

TEST_CASE("average_pool2d_f32 keeps channels and batches apart") {
  // Two batches of a 2x2 image with 2 channels; one 2x2 window each.
  const std::vector<float> in = {1,  10, 2,  20, 3,  30, 4,  40,  // batch 0
                                 -1, 5,  -2, 6,  -3, 7,  -4, 8};  // batch 1
  auto out = poisoned(4);
  average_pool2d_f32(pool_params(2, 2, 2, 2), {2, 2, 2, 2}, in.data(), {2, 1, 1, 2}, out.data());
  CHECK(out == std::vector<float>{2.5f, 25.0f, -2.5f, 6.5f});
  out = poisoned(4);
  max_pool2d_f32(pool_params(2, 2, 2, 2), {2, 2, 2, 2}, in.data(), {2, 1, 1, 2}, out.data());
  CHECK(out == std::vector<float>{4.0f, 40.0f, -1.0f, 8.0f});
}

TEST_CASE("average_pool2d_f32 and max_pool2d_f32 with 1x1 windows apply only the clamp") {
  const std::vector<float> in = {-2, 0.5f, 7, -0.25f};
  Pool2DParams p = pool_params(1, 1, 1, 1);
  p.activation = ActivationRange{0.0f, 6.0f};
  auto out = poisoned(4);
  average_pool2d_f32(p, {1, 2, 2, 1}, in.data(), {1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<float>{0.0f, 0.5f, 6.0f, 0.0f});
  out = poisoned(4);
  max_pool2d_f32(p, {1, 2, 2, 1}, in.data(), {1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<float>{0.0f, 0.5f, 6.0f, 0.0f});
}

TEST_CASE("average_pool2d_f32 and max_pool2d_f32 match a naive definition on random data") {
  // The naive form visits every filter tap and skips those outside the input.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  const Shape in_shape{2, 5, 6, 3};
  const int32_t fh = 3, fw = 2, sh = 2, sw = 1, top = 1, left = 1;
  // One padding cell before each axis; every window still holds a real cell.
  const int32_t out_h = 3, out_w = 6;
  std::vector<float> in(size_t(in_shape.num_elements()));
  for (float& v : in) v = value(rng);
  const Shape out_shape{2, out_h, out_w, 3};
  auto avg = poisoned(size_t(out_shape.num_elements()));
  auto mx = poisoned(size_t(out_shape.num_elements()));
  const Pool2DParams p = pool_params(fh, fw, sh, sw, top, left);
  average_pool2d_f32(p, in_shape, in.data(), out_shape, avg.data());
  max_pool2d_f32(p, in_shape, in.data(), out_shape, mx.data());
  for (int b = 0; b < 2; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int c = 0; c < 3; ++c) {
          double sum = 0;
          int n = 0;
          float best = -std::numeric_limits<float>::infinity();
          for (int ky = 0; ky < fh; ++ky) {
            for (int kx = 0; kx < fw; ++kx) {
              const int y = oy * sh - top + ky;
              const int x = ox * sw - left + kx;
              if (y < 0 || y >= 5 || x < 0 || x >= 6) continue;
              const float v = in[size_t(((b * 5 + y) * 6 + x) * 3 + c)];
              sum += v;
              ++n;
              best = std::max(best, v);
            }
          }
          const size_t o = size_t(((b * out_h + oy) * out_w + ox) * 3 + c);
          REQUIRE(n > 0);
          CHECK(avg[o] == doctest::Approx(sum / n).epsilon(1e-5));
          CHECK(mx[o] == best);
        }
      }
    }
  }
}
