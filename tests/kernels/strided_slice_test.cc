#include "kernels/strided_slice.h"

#include <doctest/doctest.h>

#include <vector>

using ert::kernels::Shape;
using ert::kernels::strided_slice_f32;
using ert::kernels::StridedSliceParams;

namespace {

StridedSliceParams axis0(int32_t start, int32_t stride, int32_t count) {
  StridedSliceParams p;
  p.start[0] = start;
  p.stride[0] = stride;
  p.count[0] = count;
  return p;
}

}  // namespace

TEST_CASE("strided_slice_f32 forwards and backwards along one axis") {
  const std::vector<float> in = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<float> out(4, -99.0f);
  strided_slice_f32(axis0(1, 2, 3), {8}, in.data(), out.data());
  CHECK(out == std::vector<float>{1, 3, 5, -99.0f});
  out.assign(4, -99.0f);
  strided_slice_f32(axis0(6, -2, 3), {8}, in.data(), out.data());
  CHECK(out == std::vector<float>{6, 4, 2, -99.0f});
  out.assign(4, -99.0f);
  strided_slice_f32(axis0(7, -1, 4), {8}, in.data(), out.data());
  CHECK(out == std::vector<float>{7, 6, 5, 4});
}

TEST_CASE("strided_slice_f32 with negative strides on both axes of a matrix") {
  // [3,4] holding 0..11: rows 2,1 and columns 3,1.
  std::vector<float> in(12);
  for (int i = 0; i < 12; ++i) in[size_t(i)] = float(i);
  StridedSliceParams p;
  p.start[0] = 2;
  p.stride[0] = -1;
  p.count[0] = 2;
  p.start[1] = 3;
  p.stride[1] = -2;
  p.count[1] = 2;
  std::vector<float> out(4, -99.0f);
  strided_slice_f32(p, {3, 4}, in.data(), out.data());
  CHECK(out == std::vector<float>{11, 9, 7, 5});
}

TEST_CASE("strided_slice_f32 on a rank-3 block and an empty selection") {
  // [2,3,2] holding 0..11; take [1, 1..2, 0] as a [1,2,1] block.
  std::vector<float> in(12);
  for (int i = 0; i < 12; ++i) in[size_t(i)] = float(i);
  StridedSliceParams p;
  p.start[0] = 1;
  p.stride[0] = 1;
  p.count[0] = 1;
  p.start[1] = 1;
  p.stride[1] = 1;
  p.count[1] = 2;
  p.start[2] = 0;
  p.stride[2] = 1;
  p.count[2] = 1;
  std::vector<float> out(3, -99.0f);
  strided_slice_f32(p, {2, 3, 2}, in.data(), out.data());
  CHECK(out == std::vector<float>{8, 10, -99.0f});

  p.count[1] = 0;
  out.assign(1, -99.0f);
  strided_slice_f32(p, {2, 3, 2}, in.data(), out.data());
  CHECK(out[0] == -99.0f);
}
