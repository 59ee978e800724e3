#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "kernels/depth_to_space.h"

using ert::kernels::DepthToSpaceParams;
using ert::kernels::Shape;

namespace {

std::vector<float> run_d2s(const Shape& in_shape, const std::vector<float>& in, int32_t block) {
  DepthToSpaceParams p;
  p.block_size = block;
  std::vector<float> out(in.size() + 1, -1.0f);  // One poisoned element past the end.
  ert::kernels::depth_to_space_f32(p, in_shape, in.data(), out.data());
  CHECK(out.back() == -1.0f);
  out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("DEPTH_TO_SPACE kernel: 1x1x1x4 to 1x2x2x1 by hand") {
  // Depth 0..3 fills the 2x2 tile row by row.
  CHECK(run_d2s(Shape{1, 1, 1, 4}, {1.5f, 2.5f, 3.5f, 4.5f}, 2) ==
        std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f});
}

TEST_CASE("DEPTH_TO_SPACE kernel: 1x1x2x4 to 1x2x4x1 by hand") {
  // Pixel (0,0) has depth 0..3, pixel (0,1) has 4..7. Output row 0 is the top rows of both
  // tiles (0 1 | 4 5), row 1 the bottom rows (2 3 | 6 7).
  CHECK(run_d2s(Shape{1, 1, 2, 4}, {0, 1, 2, 3, 4, 5, 6, 7}, 2) ==
        std::vector<float>{0, 1, 4, 5, 2, 3, 6, 7});
}

TEST_CASE("DEPTH_TO_SPACE kernel: 1x1x1x8 to 1x2x2x2 keeps channels together (DCR)") {
  // Depth index = (ty * 2 + tx) * C_out + c with C_out = 2, so the output in NHWC order is the
  // input unchanged; a CRD order would give 0 4 1 5 2 6 3 7.
  CHECK(run_d2s(Shape{1, 1, 1, 8}, {0, 1, 2, 3, 4, 5, 6, 7}, 2) ==
        std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("DEPTH_TO_SPACE kernel: batch 2, block 3, 2 channels match the naive formula") {
  const int n = 2, h = 2, w = 3, b = 3, c_out = 2, c_in = c_out * b * b;
  const Shape in_shape{n, h, w, c_in};
  std::vector<float> in(size_t(n * h * w * c_in));
  for (size_t i = 0; i < in.size(); ++i) in[i] = float(i) * 0.5f - 3.0f;
  const std::vector<float> out = run_d2s(in_shape, in, b);
  // out[n][y][x][c] = in[n][y / b][x / b][((y % b) * b + x % b) * c_out + c].
  size_t checked = 0;
  for (int bn = 0; bn < n; ++bn) {
    for (int y = 0; y < h * b; ++y) {
      for (int x = 0; x < w * b; ++x) {
        for (int c = 0; c < c_out; ++c) {
          const int d = ((y % b) * b + x % b) * c_out + c;
          const size_t src = size_t(((bn * h + y / b) * w + x / b) * c_in + d);
          const size_t dst = size_t(((bn * h * b + y) * w * b + x) * c_out + c);
          CHECK(out[dst] == in[src]);
          ++checked;
        }
      }
    }
  }
  CHECK(checked == in.size());
}

TEST_CASE("DEPTH_TO_SPACE kernel: block 1 is a copy") {
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};
  CHECK(run_d2s(Shape{1, 1, 2, 3}, in, 1) == in);
}
