#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "kernels/depth_to_space.h"
#include "kernels/space_to_depth.h"

using ert::kernels::Shape;

namespace {

std::vector<float> run_s2d(const Shape& in_shape, const std::vector<float>& in, int32_t block) {
  ert::kernels::SpaceToDepthParams p;
  p.block_size = block;
  std::vector<float> out(in.size() + 1, -1.0f);  // One poisoned element past the end.
  ert::kernels::space_to_depth_f32(p, in_shape, in.data(), out.data());
  CHECK(out.back() == -1.0f);
  out.pop_back();
  return out;
}

std::vector<float> run_d2s(const Shape& in_shape, const std::vector<float>& in, int32_t block) {
  ert::kernels::DepthToSpaceParams p;
  p.block_size = block;
  std::vector<float> out(in.size(), -1.0f);
  ert::kernels::depth_to_space_f32(p, in_shape, in.data(), out.data());
  return out;
}

}  // namespace

TEST_CASE("SPACE_TO_DEPTH kernel: 1x2x2x1 to 1x1x1x4 by hand") {
  CHECK(run_s2d(Shape{1, 2, 2, 1}, {1, 2, 3, 4}, 2) == std::vector<float>{1, 2, 3, 4});
}

TEST_CASE("SPACE_TO_DEPTH kernel: 1x2x4x1 to 1x1x2x4 by hand") {
  // Rows 0 1 4 5 / 2 3 6 7: the left tile is 0 1 / 2 3, the right one 4 5 / 6 7.
  CHECK(run_s2d(Shape{1, 2, 4, 1}, {0, 1, 4, 5, 2, 3, 6, 7}, 2) ==
        std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("SPACE_TO_DEPTH kernel: 1x2x2x2 keeps each pixel's channels together") {
  // Pixels (0,0)=(1,10) (0,1)=(2,20) (1,0)=(3,30) (1,1)=(4,40) become one depth-8 pixel.
  CHECK(run_s2d(Shape{1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40}, 2) ==
        std::vector<float>{1, 10, 2, 20, 3, 30, 4, 40});
}

TEST_CASE("SPACE_TO_DEPTH kernel: batch 2, block 2, 3 channels match the naive formula") {
  const int n = 2, h = 4, w = 6, c = 3, b = 2;
  std::vector<float> in(size_t(n * h * w * c));
  for (size_t i = 0; i < in.size(); ++i) in[i] = float(i) + 0.25f;
  const std::vector<float> out = run_s2d(Shape{n, h, w, c}, in, b);
  // out[n][y / b][x / b][((y % b) * b + x % b) * c + ch] = in[n][y][x][ch].
  const int oh = h / b, ow = w / b, oc = c * b * b;
  for (int bn = 0; bn < n; ++bn) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        for (int ch = 0; ch < c; ++ch) {
          const int d = ((y % b) * b + x % b) * c + ch;
          const size_t dst = size_t(((bn * oh + y / b) * ow + x / b) * oc + d);
          const size_t src = size_t(((bn * h + y) * w + x) * c + ch);
          CHECK(out[dst] == in[src]);
        }
      }
    }
  }
}

TEST_CASE("SPACE_TO_DEPTH and DEPTH_TO_SPACE kernels are inverses") {
  SUBCASE("space to depth, then back") {
    const Shape shape{2, 6, 9, 2};
    std::vector<float> in(size_t(shape.num_elements()));
    for (size_t i = 0; i < in.size(); ++i) in[i] = float((i * 37) % 101);
    const std::vector<float> packed = run_s2d(shape, in, 3);
    CHECK(packed != in);
    CHECK(run_d2s(Shape{2, 2, 3, 18}, packed, 3) == in);
  }
  SUBCASE("depth to space, then back") {
    const Shape shape{1, 3, 2, 8};
    std::vector<float> in(size_t(shape.num_elements()));
    for (size_t i = 0; i < in.size(); ++i) in[i] = float((i * 13) % 47) - 20.0f;
    const std::vector<float> spread = run_d2s(shape, in, 2);
    CHECK(spread != in);
    CHECK(run_s2d(Shape{1, 6, 4, 2}, spread, 2) == in);
  }
}
