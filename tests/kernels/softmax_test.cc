#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels/softmax.h"

using ert::kernels::Shape;
using ert::kernels::SoftmaxParams;

namespace {

std::vector<float> softmax_of(const Shape& shape, const std::vector<float>& in, float beta) {
  SoftmaxParams p;
  p.beta = beta;
  std::vector<float> out(in.size(), -1.0f);
  ert::kernels::softmax_f32(p, shape, in.data(), out.data());
  return out;
}

// Textbook softmax in double, fine for inputs whose exponentials do not overflow.
std::vector<double> naive_softmax_row(const std::vector<float>& row, double beta) {
  double sum = 0.0;
  std::vector<double> e(row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    e[i] = std::exp(beta * double(row[i]));
    sum += e[i];
  }
  for (double& v : e) v /= sum;
  return e;
}

}  // namespace

TEST_CASE("softmax_f32 on hand-checked values") {
  // exp(-2), exp(-1), exp(0) over their sum 1.503214724.
  const auto out = softmax_of(Shape{3}, {1.0f, 2.0f, 3.0f}, 1.0f);
  CHECK(out[0] == doctest::Approx(0.0900305732));
  CHECK(out[1] == doctest::Approx(0.2447284711));
  CHECK(out[2] == doctest::Approx(0.6652409558));
  // A row of one is always 1, and equal inputs share equally.
  CHECK(softmax_of(Shape{1}, {-42.0f}, 1.0f)[0] == 1.0f);
  const auto flat = softmax_of(Shape{4}, {7.0f, 7.0f, 7.0f, 7.0f}, 1.0f);
  for (float v : flat) CHECK(v == 0.25f);
}

TEST_CASE("softmax_f32 normalizes each row of the last axis separately") {
  // Shape [2,2,3]: four rows of three.
  const std::vector<float> in = {1.0f, 2.0f, 3.0f, 0.0f,  0.0f, 0.0f,
                                 -1.0f, 5.0f, 2.5f, 10.0f, 9.0f, -3.0f};
  const auto out = softmax_of(Shape{2, 2, 3}, in, 1.0f);
  for (int r = 0; r < 4; ++r) {
    const std::vector<float> row(in.begin() + 3 * r, in.begin() + 3 * r + 3);
    const auto ref = naive_softmax_row(row, 1.0);
    double sum = 0.0;
    for (int c = 0; c < 3; ++c) {
      CHECK(out[size_t(3 * r + c)] == doctest::Approx(ref[size_t(c)]));
      sum += out[size_t(3 * r + c)];
    }
    CHECK(sum == doctest::Approx(1.0));
  }
  CHECK(out[3] == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("softmax_f32 scales by beta, including zero and negative beta") {
  const std::vector<float> row = {1.0f, 2.0f, 3.0f, -0.5f};
  for (float beta : {0.5f, 2.0f, -1.0f, -0.25f}) {
    INFO("beta = " << beta);
    const auto out = softmax_of(Shape{4}, row, beta);
    const auto ref = naive_softmax_row(row, double(beta));
    for (size_t c = 0; c < row.size(); ++c) CHECK(out[c] == doctest::Approx(ref[c]));
  }
  // beta = 0 ignores the inputs.
  for (float v : softmax_of(Shape{4}, row, 0.0f)) CHECK(v == 0.25f);
  // Negative beta favours the smallest input: the reverse of the beta = 1 result.
  const auto rev = softmax_of(Shape{3}, {1.0f, 2.0f, 3.0f}, -1.0f);
  CHECK(rev[0] == doctest::Approx(0.6652409558));
  CHECK(rev[2] == doctest::Approx(0.0900305732));
}

TEST_CASE("softmax_f32 does not overflow on large inputs") {
  const auto same = softmax_of(Shape{2}, {1000.0f, 1000.0f}, 1.0f);
  CHECK(same[0] == 0.5f);
  CHECK(same[1] == 0.5f);
  const auto spread = softmax_of(Shape{3}, {1000.0f, 0.0f, -1000.0f}, 1.0f);
  CHECK(spread[0] == 1.0f);
  CHECK(spread[1] == 0.0f);
  CHECK(spread[2] == 0.0f);
  const auto low = softmax_of(Shape{3}, {-1000.0f, -1000.0f, -1000.0f}, 1.0f);
  for (float v : low) CHECK(v == doctest::Approx(1.0 / 3.0));
  // A naive exp(beta * x) would be exp(+1000) here.
  const auto neg = softmax_of(Shape{2}, {1000.0f, -1000.0f}, -1.0f);
  CHECK(neg[0] == 0.0f);
  CHECK(neg[1] == 1.0f);
  const auto near = softmax_of(Shape{2}, {1000.0f, 999.0f}, 1.0f);
  CHECK(near[0] == doctest::Approx(0.7310585786));
  CHECK(near[1] == doctest::Approx(0.2689414214));
  for (float v : near) CHECK_FALSE(std::isnan(v));
}

TEST_CASE("softmax_f32 rows sum to 1 on a longer row and work in place") {
  std::vector<float> v(37);
  for (size_t i = 0; i < v.size(); ++i) v[i] = float(int(i * 7 % 23) - 11) * 1.5f;
  const Shape shape{1, 37};
  const auto copy = softmax_of(shape, v, 1.0f);
  ert::kernels::softmax_f32(SoftmaxParams(), shape, v.data(), v.data());
  double sum = 0.0;
  for (size_t i = 0; i < v.size(); ++i) {
    CHECK(v[i] == copy[i]);
    CHECK(v[i] >= 0.0f);
    sum += v[i];
  }
  CHECK(sum == doctest::Approx(1.0));
}
