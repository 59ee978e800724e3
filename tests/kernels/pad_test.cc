#include "kernels/pad.h"

#include <doctest/doctest.h>

#include <vector>

using ert::kernels::pad_f32;
using ert::kernels::PadParams;
using ert::kernels::Shape;

TEST_CASE("pad_f32 on one axis") {
  const std::vector<float> in = {1, 2};
  PadParams p;
  p.before[0] = 1;
  p.after[0] = 2;
  p.value = 9.0f;
  std::vector<float> out(5, -99.0f);
  pad_f32(p, {2}, in.data(), out.data());
  CHECK(out == std::vector<float>{9, 1, 2, 9, 9});
}

TEST_CASE("pad_f32 on both axes of a matrix") {
  // [[1,2],[3,4]] with one row above and two columns right.
  const std::vector<float> in = {1, 2, 3, 4};
  PadParams p;
  p.before[0] = 1;
  p.after[1] = 2;
  p.value = -1.0f;
  std::vector<float> out(12, -99.0f);
  pad_f32(p, {2, 2}, in.data(), out.data());
  CHECK(out == std::vector<float>{-1, -1, -1, -1,  //
                                  1, 2, -1, -1,    //
                                  3, 4, -1, -1});
}

TEST_CASE("pad_f32 on every axis of a rank-3 tensor") {
  // [1,2,1] -> [3,3,2] with (1,1), (0,1), (1,0).
  const std::vector<float> in = {5, 6};
  PadParams p;
  p.before[0] = 1;
  p.after[0] = 1;
  p.after[1] = 1;
  p.before[2] = 1;
  std::vector<float> out(18, -99.0f);
  pad_f32(p, {1, 2, 1}, in.data(), out.data());
  std::vector<float> want(18, 0.0f);
  want[size_t((1 * 3 + 0) * 2 + 1)] = 5;
  want[size_t((1 * 3 + 1) * 2 + 1)] = 6;
  CHECK(out == want);
}

TEST_CASE("pad_f32 on every axis of a rank-6 tensor") {
  // One element, padded by one cell before on even axes and after on odd axes: the element
  // lands at [1,0,1,0,1,0], flat index 32 + 8 + 2.
  const std::vector<float> in = {5};
  PadParams p;
  for (int a = 0; a < 6; ++a) {
    if (a % 2 == 0) {
      p.before[a] = 1;
    } else {
      p.after[a] = 1;
    }
  }
  p.value = 0.5f;
  std::vector<float> out(64, -99.0f);
  pad_f32(p, {1, 1, 1, 1, 1, 1}, in.data(), out.data());
  std::vector<float> want(64, 0.5f);
  want[42] = 5;
  CHECK(out == want);
}

TEST_CASE("pad_f32 edge cases: a scalar, no padding, an empty axis") {
  const std::vector<float> in = {3, 4};
  std::vector<float> out(1, -99.0f);
  pad_f32(PadParams(), Shape{}, in.data(), out.data());
  CHECK(out[0] == 3.0f);

  out.assign(2, -99.0f);
  pad_f32(PadParams(), {2}, in.data(), out.data());
  CHECK(out == in);

  // An input of shape [0] padded by one each side is all padding.
  PadParams p;
  p.before[0] = 1;
  p.after[0] = 1;
  p.value = 7.0f;
  out.assign(2, -99.0f);
  pad_f32(p, {0}, in.data(), out.data());
  CHECK(out == std::vector<float>{7, 7});
}
