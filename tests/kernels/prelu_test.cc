#include <doctest/doctest.h>

#include <vector>

#include "kernels/prelu.h"

using ert::kernels::Shape;

namespace {

constexpr float kUnwritten = -777.0f;

std::vector<float> prelu_of(const Shape& x_shape, const std::vector<float>& x,
                            const Shape& alpha_shape, const std::vector<float>& alpha,
                            size_t out_count) {
  std::vector<float> out(out_count + 4, kUnwritten);
  ert::kernels::prelu_f32(x_shape, x.data(), alpha_shape, alpha.data(), out.data());
  // Nothing past the output may change.
  for (size_t i = out_count; i < out.size(); ++i) CHECK(out[i] == kUnwritten);
  out.resize(out_count);
  return out;
}

}  // namespace

TEST_CASE("prelu_f32 with one slope per channel") {
  // [1,2,2,3] against [3]: slopes 0.1, 0.2, 0.3 by channel.
  const std::vector<float> x = {-1.0f, -1.0f, -1.0f, 2.0f,  -2.0f, 0.0f,
                                -10.0f, 5.0f, -4.0f, 1.0f, 1.0f, -0.5f};
  const std::vector<float> expected = {-0.1f, -0.2f, -0.3f, 2.0f, -0.4f, 0.0f,
                                       -1.0f, 5.0f,  -1.2f, 1.0f, 1.0f,  -0.15f};
  for (const Shape& alpha_shape : {Shape{3}, Shape{1, 1, 3}, Shape{1, 1, 1, 3}}) {
    const auto out = prelu_of(Shape{1, 2, 2, 3}, x, alpha_shape, {0.1f, 0.2f, 0.3f}, 12);
    for (size_t i = 0; i < 12; ++i) CHECK(out[i] == doctest::Approx(expected[i]));
  }
}

TEST_CASE("prelu_f32 with a general broadcast grows the output") {
  // x [2,1] against alpha [1,3]: out[i][j] = x[i] >= 0 ? x[i] : x[i] * alpha[j].
  const auto out = prelu_of(Shape{2, 1}, {-1.0f, 2.0f}, Shape{1, 3}, {0.1f, 0.2f, 0.3f}, 6);
  const std::vector<float> expected = {-0.1f, -0.2f, -0.3f, 2.0f, 2.0f, 2.0f};
  for (size_t i = 0; i < 6; ++i) CHECK(out[i] == doctest::Approx(expected[i]));
  // alpha of higher rank than x: x [2] against alpha [2,1,2].
  const auto up = prelu_of(Shape{2}, {-2.0f, 3.0f}, Shape{2, 1, 2}, {0.5f, 0.5f, 2.0f, 2.0f}, 4);
  CHECK(up == std::vector<float>{-1.0f, 3.0f, -4.0f, 3.0f});
}

TEST_CASE("prelu_f32 with a scalar slope and an elementwise slope") {
  const auto scalar = prelu_of(Shape{4}, {-4.0f, 0.0f, 4.0f, -0.5f}, Shape{}, {0.25f}, 4);
  CHECK(scalar == std::vector<float>{-1.0f, 0.0f, 4.0f, -0.125f});
  const auto full = prelu_of(Shape{2, 2}, {-1.0f, -1.0f, -1.0f, 1.0f}, Shape{2, 2},
                             {1.0f, 2.0f, -3.0f, 4.0f}, 4);
  CHECK(full == std::vector<float>{-1.0f, -2.0f, 3.0f, 1.0f});
}
