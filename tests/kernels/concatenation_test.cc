#include "kernels/concatenation.h"

#include <doctest/doctest.h>

#include <vector>

using ert::kernels::concatenation_f32;
using ert::kernels::ConcatenationParams;
using ert::kernels::Shape;

TEST_CASE("concatenation_f32 of three inputs along axis 0 stacks them") {
  const std::vector<float> a = {1, 2};
  const std::vector<float> b = {3, 4, 5, 6};
  const std::vector<float> c = {7, 8};
  const Shape shapes[3] = {{1, 2}, {2, 2}, {1, 2}};
  const float* data[3] = {a.data(), b.data(), c.data()};
  std::vector<float> out(9, -99.0f);
  ConcatenationParams p;
  p.axis = 0;
  concatenation_f32(p, shapes, data, 3, {4, 2}, out.data());
  CHECK(out == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, -99.0f});
}

TEST_CASE("concatenation_f32 along the last axis interleaves rows") {
  const std::vector<float> a = {1, 2};        // [2,1]
  const std::vector<float> b = {3, 4, 5, 6};  // [2,2]
  const std::vector<float> c = {7, 8};        // [2,1]
  const Shape shapes[3] = {{2, 1}, {2, 2}, {2, 1}};
  const float* data[3] = {a.data(), b.data(), c.data()};
  std::vector<float> out(8, -99.0f);
  ConcatenationParams p;
  p.axis = 1;
  concatenation_f32(p, shapes, data, 3, {2, 4}, out.data());
  CHECK(out == std::vector<float>{1, 3, 4, 7, 2, 5, 6, 8});
}

TEST_CASE("concatenation_f32 along a middle axis with a clamp") {
  // [2,1,2] and [2,2,2] along axis 1 give [2,3,2].
  const std::vector<float> a = {-1, 2, 3, -4};
  const std::vector<float> b = {5, 6, 7, 8, 9, 10, 11, 12};
  const Shape shapes[2] = {{2, 1, 2}, {2, 2, 2}};
  const float* data[2] = {a.data(), b.data()};
  std::vector<float> out(12, -99.0f);
  ConcatenationParams p;
  p.axis = 1;
  p.activation = {0.0f, 10.0f};
  concatenation_f32(p, shapes, data, 2, {2, 3, 2}, out.data());
  CHECK(out == std::vector<float>{0, 2, 5, 6, 7, 8, 3, 0, 9, 10, 10, 10});
}
