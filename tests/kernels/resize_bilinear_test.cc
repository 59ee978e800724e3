#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/resize_bilinear.h"

using ert::kernels::ResizeBilinearParams;
using ert::kernels::Shape;

namespace {

enum Mode { kPlain, kAlignCorners, kHalfPixel };

std::vector<float> run_bilinear(const Shape& in_shape, const std::vector<float>& in, int out_h,
                                int out_w, Mode mode) {
  ResizeBilinearParams p;
  p.align_corners = mode == kAlignCorners;
  p.half_pixel_centers = mode == kHalfPixel;
  const Shape out_shape{in_shape[0], out_h, out_w, in_shape[3]};
  std::vector<float> out(size_t(out_shape.num_elements()) + 1, -1.0f);
  ert::kernels::resize_bilinear_f32(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out.back() == -1.0f);  // Nothing written past the end.
  out.pop_back();
  return out;
}

void check_close(const std::vector<float>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-6));
  }
}

// TFLite's formula written again in double precision, as two linear interpolations: the source
// coordinate per axis, the lower index clamped at 0, the upper at in - 1, and the fraction
// measured from the clamped lower index.
struct Sample {
  int lo, hi;
  double frac;
};
Sample naive_sample(int out_index, int in_size, int out_size, Mode mode) {
  double scale = double(in_size) / out_size;
  if (mode == kAlignCorners && out_size > 1) scale = double(in_size - 1) / (out_size - 1);
  const double coord = mode == kHalfPixel ? (out_index + 0.5) * scale - 0.5 : out_index * scale;
  Sample s;
  s.lo = std::max(int(std::floor(coord)), 0);
  s.hi = std::min(int(std::ceil(coord)), in_size - 1);
  s.frac = coord - s.lo;
  return s;
}
std::vector<double> naive_bilinear(const Shape& in_shape, const std::vector<float>& in, int out_h,
                                   int out_w, Mode mode) {
  const int n = in_shape[0], h = in_shape[1], w = in_shape[2], c = in_shape[3];
  auto at = [&](int b, int y, int x, int ch) {
    return double(in[size_t(((b * h + y) * w + x) * c + ch)]);
  };
  std::vector<double> out;
  for (int b = 0; b < n; ++b) {
    for (int y = 0; y < out_h; ++y) {
      const Sample sy = naive_sample(y, h, out_h, mode);
      for (int x = 0; x < out_w; ++x) {
        const Sample sx = naive_sample(x, w, out_w, mode);
        for (int ch = 0; ch < c; ++ch) {
          const double top = at(b, sy.lo, sx.lo, ch) +
                             (at(b, sy.lo, sx.hi, ch) - at(b, sy.lo, sx.lo, ch)) * sx.frac;
          const double bottom = at(b, sy.hi, sx.lo, ch) +
                                (at(b, sy.hi, sx.hi, ch) - at(b, sy.hi, sx.lo, ch)) * sx.frac;
          out.push_back(top + (bottom - top) * sy.frac);
        }
      }
    }
  }
  return out;
}

// in[y][x] = 1 + x + 2y.
const std::vector<float> k2x2 = {1, 2, 3, 4};
// in[y][x] = (3y + x)^2, not linear, so a misplaced weight shows.
const std::vector<float> k3x3 = {0, 1, 4, 9, 16, 25, 36, 49, 64};

}  // namespace

TEST_CASE("RESIZE_BILINEAR kernel: 2x2 to 4x4, plain") {
  // scale 0.5, coordinates 0, 0.5, 1, 1.5; the last clamps to pixel 1 on both sides.
  check_close(run_bilinear(Shape{1, 2, 2, 1}, k2x2, 4, 4, kPlain),
              {1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4});
}

TEST_CASE("RESIZE_BILINEAR kernel: 2x2 to 4x4, align_corners") {
  // scale 1/3, coordinates 0, 1/3, 2/3, 1; the input is linear so out = 1 + cx + 2cy.
  const double t = 1.0 / 3;
  check_close(run_bilinear(Shape{1, 2, 2, 1}, k2x2, 4, 4, kAlignCorners),
              {1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3, 3 + t,
               3, 3 + t, 3 + 2 * t, 4});
}

TEST_CASE("RESIZE_BILINEAR kernel: 2x2 to 4x4, half_pixel_centers") {
  // scale 0.5, coordinates -0.25, 0.25, 0.75, 1.25: the first clamps to pixel 0 (weight -0.25
  // on the same pixel), the last to pixel 1.
  const std::vector<float> out = run_bilinear(Shape{1, 2, 2, 1}, k2x2, 4, 4, kHalfPixel);
  // Every weight is a multiple of 1/16, so the float result is exact.
  CHECK(out == std::vector<float>{1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f,
                                  3.5f, 3, 3.25f, 3.75f, 4});
}

TEST_CASE("RESIZE_BILINEAR kernel: 3x3 to 2x2 downscale, each mode") {
  SUBCASE("plain: coordinates 0 and 1.5") {
    // (0,0) = 0; (0,1) = (1+4)/2; (1,0) = (9+36)/2; (1,1) = (16+25+49+64)/4.
    CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 2, 2, kPlain) ==
          std::vector<float>{0, 2.5f, 22.5f, 38.5f});
  }
  SUBCASE("align_corners: coordinates 0 and 2, the corners") {
    CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 2, 2, kAlignCorners) ==
          std::vector<float>{0, 4, 36, 64});
  }
  SUBCASE("half_pixel_centers: coordinates 0.25 and 1.75") {
    // (0,0): 0*.75*.75 + 9*.25*.75 + 1*.75*.25 + 16*.25*.25 = 2.875, and likewise.
    CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 2, 2, kHalfPixel) ==
          std::vector<float>{2.875f, 8.125f, 32.125f, 50.875f});
  }
}

TEST_CASE("RESIZE_BILINEAR kernel: 2x2 to 3x3, a non-integer factor") {
  // scale 2/3: coordinates 0, 2/3, 4/3 (clamped to pixel 1). in = 3, 6 / 9, 12.
  check_close(run_bilinear(Shape{1, 2, 2, 1}, {3, 6, 9, 12}, 3, 3, kPlain),
              {3, 5, 6, 7, 9, 10, 9, 11, 12});
  // align_corners: scale 1/2, coordinates 0, 0.5, 1.
  check_close(run_bilinear(Shape{1, 2, 2, 1}, {3, 6, 9, 12}, 3, 3, kAlignCorners),
              {3, 4.5, 6, 6, 7.5, 9, 9, 10.5, 12});
  // half_pixel_centers: scale 2/3, coordinates -1/6 (pixel 0), 1/2, 7/6 (pixel 1).
  check_close(run_bilinear(Shape{1, 2, 2, 1}, {3, 6, 9, 12}, 3, 3, kHalfPixel),
              {3, 4.5, 6, 6, 7.5, 9, 9, 10.5, 12});
}

TEST_CASE("RESIZE_BILINEAR kernel: output size 1") {
  // Plain and align_corners (which falls back to in / out when out is 1) sample pixel 0;
  // half_pixel_centers samples the centre, coordinate 0.5 * 3 - 0.5 = 1.
  CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 1, 1, kPlain) == std::vector<float>{0});
  CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 1, 1, kAlignCorners) == std::vector<float>{0});
  CHECK(run_bilinear(Shape{1, 3, 3, 1}, k3x3, 1, 1, kHalfPixel) == std::vector<float>{16});
  // 4 wide to 1 with half-pixel centres: coordinate 0.5 * 4 - 0.5 = 1.5, between pixels 1 and 2.
  CHECK(run_bilinear(Shape{1, 1, 4, 1}, {0, 10, 20, 30}, 1, 1, kHalfPixel) ==
        std::vector<float>{15});
}

TEST_CASE("RESIZE_BILINEAR kernel: a 1x1 input fills the output") {
  // Both taps are pixel 0 with weights that add up to 1 (within a float rounding).
  for (Mode mode : {kPlain, kAlignCorners, kHalfPixel}) {
    CAPTURE(int(mode));
    check_close(run_bilinear(Shape{1, 1, 1, 2}, {5, -7}, 2, 3, mode),
                {5, -7, 5, -7, 5, -7, 5, -7, 5, -7, 5, -7});
  }
}

TEST_CASE("RESIZE_BILINEAR kernel: batches and channels match the naive formula") {
  std::mt19937 rng(1234);
  std::uniform_real_distribution<float> dist(-10.0f, 10.0f);
  struct Case {
    Shape in;
    int out_h, out_w;
  };
  // Non-integer up and down factors, different per axis, and size-1 axes.
  const Case cases[] = {{Shape{2, 5, 7, 3}, 8, 3},
                        {Shape{1, 3, 4, 2}, 7, 10},
                        {Shape{3, 6, 1, 1}, 4, 5},
                        {Shape{1, 1, 5, 4}, 3, 2}};
  for (const Case& c : cases) {
    std::vector<float> in(size_t(c.in.num_elements()));
    for (float& v : in) v = dist(rng);
    for (Mode mode : {kPlain, kAlignCorners, kHalfPixel}) {
      CAPTURE(int(mode));
      const std::vector<float> got = run_bilinear(c.in, in, c.out_h, c.out_w, mode);
      const std::vector<double> want = naive_bilinear(c.in, in, c.out_h, c.out_w, mode);
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        CHECK(std::fabs(got[i] - want[i]) <= 1e-5 * std::max(std::fabs(want[i]), 1.0));
      }
    }
  }
}
