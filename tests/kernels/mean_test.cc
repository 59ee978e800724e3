#include "kernels/mean.h"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using ert::kernels::mean_f32;
using ert::kernels::MeanParams;
using ert::kernels::Shape;

namespace {

MeanParams reduce(std::initializer_list<int> axes) {
  MeanParams p;
  for (int a : axes) p.reduced[a] = true;
  return p;
}

}  // namespace

TEST_CASE("mean_f32 over rows, columns and both of a 2x3 matrix") {
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};
  std::vector<float> out(3, -99.0f);
  mean_f32(reduce({1}), {2, 3}, in.data(), out.data());
  CHECK(out[0] == doctest::Approx(2.0f));
  CHECK(out[1] == doctest::Approx(5.0f));
  CHECK(out[2] == -99.0f);  // Only two outputs for two rows.

  out.assign(3, -99.0f);
  mean_f32(reduce({0}), {2, 3}, in.data(), out.data());
  CHECK(out == std::vector<float>{2.5f, 3.5f, 4.5f});

  out.assign(1, -99.0f);
  mean_f32(reduce({0, 1}), {2, 3}, in.data(), out.data());
  CHECK(out[0] == doctest::Approx(3.5f));
}

TEST_CASE("mean_f32 over H and W of an NHWC tensor keeps the channels apart") {
  // [1,2,2,2]: channel 0 holds 1,3,5,7 and channel 1 holds 2,4,6,8.
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<float> out(2, -99.0f);
  mean_f32(reduce({1, 2}), {1, 2, 2, 2}, in.data(), out.data());
  CHECK(out == std::vector<float>{4.0f, 5.0f});
}

TEST_CASE("mean_f32 over a middle axis") {
  // [2,2,2] holding 0..7: out[i][k] = (x[i][0][k] + x[i][1][k]) / 2.
  const std::vector<float> in = {0, 1, 2, 3, 4, 5, 6, 7};
  std::vector<float> out(4, -99.0f);
  mean_f32(reduce({1}), {2, 2, 2}, in.data(), out.data());
  CHECK(out == std::vector<float>{1.0f, 2.0f, 5.0f, 6.0f});
}

TEST_CASE("mean_f32 edge cases: no axis, a scalar, an empty reduced axis") {
  const std::vector<float> in = {1.5f, -2.0f, 3.0f};
  std::vector<float> out(3, -99.0f);
  mean_f32(MeanParams(), {3}, in.data(), out.data());
  CHECK(out == in);

  out.assign(1, -99.0f);
  mean_f32(MeanParams(), Shape{}, in.data(), out.data());
  CHECK(out[0] == 1.5f);

  // Averaging over an axis of size 0 gives 0, as TFLite's reference does.
  out.assign(2, -99.0f);
  mean_f32(reduce({1}), {2, 0}, in.data(), out.data());
  CHECK(out == std::vector<float>{0.0f, 0.0f});
}

TEST_CASE("mean_f32 matches a naive per-output sum on random data") {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> value(-10.0f, 10.0f);
  const Shape shape{2, 3, 4, 5};
  std::vector<float> in(size_t(shape.num_elements()));
  for (float& v : in) v = value(rng);
  // Reduce axes 0 and 2; the output is [3, 5].
  std::vector<float> out(15, -99.0f);
  mean_f32(reduce({0, 2}), shape, in.data(), out.data());
  for (int j = 0; j < 3; ++j) {
    for (int l = 0; l < 5; ++l) {
      double sum = 0;
      for (int i = 0; i < 2; ++i) {
        for (int k = 0; k < 4; ++k) sum += in[size_t(((i * 3 + j) * 4 + k) * 5 + l)];
      }
      CHECK(out[size_t(j * 5 + l)] == doctest::Approx(sum / 8).epsilon(1e-5));
    }
  }
}
