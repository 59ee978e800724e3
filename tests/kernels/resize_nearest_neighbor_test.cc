#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/resize_nearest_neighbor.h"

using ert::kernels::ResizeNearestNeighborParams;
using ert::kernels::Shape;

namespace {

std::vector<float> run_nearest(const Shape& in_shape, const std::vector<float>& in, int out_h,
                               int out_w, bool align_corners, bool half_pixel_centers) {
  ResizeNearestNeighborParams p;
  p.align_corners = align_corners;
  p.half_pixel_centers = half_pixel_centers;
  const Shape out_shape{in_shape[0], out_h, out_w, in_shape[3]};
  std::vector<float> out(size_t(out_shape.num_elements()) + 1, -1.0f);
  ert::kernels::resize_nearest_neighbor_f32(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out.back() == -1.0f);  // Nothing written past the end.
  out.pop_back();
  return out;
}

// TFLite's index rule written again: the scale and the sample position in float (the rounding
// of a float product decides ties, so the naive version must round the same way), then floor,
// or round-half-away-from-zero with align_corners, and a clamp into the input.
int naive_index(int out_index, int in_size, int out_size, bool align, bool half) {
  float scale = float(in_size) / float(out_size);
  if (align && out_size > 1) scale = float(in_size - 1) / float(out_size - 1);
  float pos = float(out_index);
  if (half) pos += 0.5f;
  pos *= scale;
  const int index = int(align ? std::round(pos) : std::floor(pos));
  return std::min(std::max(index, 0), in_size - 1);
}

const std::vector<float> k2x2 = {1, 2, 3, 4};
const std::vector<float> k3x3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST_CASE("RESIZE_NEAREST_NEIGHBOR kernel: 2x2 to 4x4, each flag combination") {
  SUBCASE("plain: floor(x * 0.5) = 0 0 1 1") {
    CHECK(run_nearest(Shape{1, 2, 2, 1}, k2x2, 4, 4, false, false) ==
          std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  }
  SUBCASE("align_corners: round(x / 3) = 0 0 1 1") {
    CHECK(run_nearest(Shape{1, 2, 2, 1}, k2x2, 4, 4, true, false) ==
          std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  }
  SUBCASE("half_pixel_centers: floor((x + 0.5) * 0.5) = 0 0 1 1") {
    CHECK(run_nearest(Shape{1, 2, 2, 1}, k2x2, 4, 4, false, true) ==
          std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  }
  SUBCASE("both: round((x + 0.5) / 3) = 0 1 1 1, 0.5 rounding away from zero") {
    CHECK(run_nearest(Shape{1, 2, 2, 1}, k2x2, 4, 4, true, true) ==
          std::vector<float>{1, 2, 2, 2, 3, 4, 4, 4, 3, 4, 4, 4, 3, 4, 4, 4});
  }
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR kernel: 3x3 to 2x2 downscale, each flag combination") {
  // plain: floor(0, 1.5) = 0 1.
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 2, 2, false, false) == std::vector<float>{1, 2, 4, 5});
  // align_corners: scale 2, round(0, 2) = 0 2.
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 2, 2, true, false) == std::vector<float>{1, 3, 7, 9});
  // half_pixel_centers: floor(0.75, 2.25) = 0 2.
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 2, 2, false, true) == std::vector<float>{1, 3, 7, 9});
  // both: scale 2, round(1, 3) = 1, 3 clamped to 2.
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 2, 2, true, true) == std::vector<float>{5, 6, 8, 9});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR kernel: 3 to 5, a non-integer factor on each axis") {
  const std::vector<float> in = {10, 20, 30};
  // plain: scale 0.6, floor(0, .6, 1.2, 1.8, 2.4) = 0 0 1 1 2.
  const std::vector<float> plain = {10, 10, 20, 20, 30};
  // align_corners: scale 0.5, round(0, .5, 1, 1.5, 2) = 0 1 1 2 2.
  const std::vector<float> align = {10, 20, 20, 30, 30};
  // half_pixel_centers: floor(.3, .9, 1.5, 2.1, 2.7) = 0 0 1 2 2.
  const std::vector<float> half = {10, 10, 20, 30, 30};
  // both: scale 0.5, round(.25, .75, 1.25, 1.75, 2.25) = 0 1 1 2 2.
  const std::vector<float> both = {10, 20, 20, 30, 30};
  CHECK(run_nearest(Shape{1, 1, 3, 1}, in, 1, 5, false, false) == plain);
  CHECK(run_nearest(Shape{1, 3, 1, 1}, in, 5, 1, false, false) == plain);
  CHECK(run_nearest(Shape{1, 1, 3, 1}, in, 1, 5, true, false) == align);
  CHECK(run_nearest(Shape{1, 3, 1, 1}, in, 5, 1, true, false) == align);
  CHECK(run_nearest(Shape{1, 1, 3, 1}, in, 1, 5, false, true) == half);
  CHECK(run_nearest(Shape{1, 3, 1, 1}, in, 5, 1, false, true) == half);
  CHECK(run_nearest(Shape{1, 1, 3, 1}, in, 1, 5, true, true) == both);
  CHECK(run_nearest(Shape{1, 3, 1, 1}, in, 5, 1, true, true) == both);
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR kernel: output size 1") {
  // plain and align_corners (scale in / out when out is 1) take pixel 0; half_pixel_centers
  // takes floor(0.5 * 3) = 1, the centre; both take round(1.5) = 2, the far corner.
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 1, 1, false, false) == std::vector<float>{1});
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 1, 1, true, false) == std::vector<float>{1});
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 1, 1, false, true) == std::vector<float>{5});
  CHECK(run_nearest(Shape{1, 3, 3, 1}, k3x3, 1, 1, true, true) == std::vector<float>{9});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR kernel: batches and channels match the naive rule") {
  struct Case {
    Shape in;
    int out_h, out_w;
  };
  const Case cases[] = {{Shape{2, 5, 7, 3}, 8, 3},
                        {Shape{1, 3, 4, 2}, 7, 10},
                        {Shape{3, 6, 1, 1}, 4, 5},
                        {Shape{1, 1, 5, 4}, 3, 2}};
  for (const Case& c : cases) {
    const int n = c.in[0], h = c.in[1], w = c.in[2], ch = c.in[3];
    std::vector<float> in(size_t(c.in.num_elements()));
    for (size_t i = 0; i < in.size(); ++i) in[i] = float(i);
    for (int mode = 0; mode < 4; ++mode) {
      const bool align = (mode & 1) != 0, half = (mode & 2) != 0;
      CAPTURE(mode);
      const std::vector<float> got = run_nearest(c.in, in, c.out_h, c.out_w, align, half);
      size_t o = 0;
      for (int b = 0; b < n; ++b) {
        for (int y = 0; y < c.out_h; ++y) {
          const int iy = naive_index(y, h, c.out_h, align, half);
          for (int x = 0; x < c.out_w; ++x) {
            const int ix = naive_index(x, w, c.out_w, align, half);
            for (int k = 0; k < ch; ++k) {
              CHECK(got[o++] == in[size_t(((b * h + iy) * w + ix) * ch + k)]);
            }
          }
        }
      }
      CHECK(o == got.size());
    }
  }
}
