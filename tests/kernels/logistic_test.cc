#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/logistic.h"

TEST_CASE("logistic_f32 on hand-checked values") {
  const std::vector<float> in = {0.0f, 1.0f, -1.0f, 2.0f, -5.0f};
  std::vector<float> out(in.size());
  ert::kernels::logistic_f32(in.data(), out.data(), int64_t(in.size()));
  CHECK(out[0] == 0.5f);
  CHECK(out[1] == doctest::Approx(0.7310585786));
  CHECK(out[2] == doctest::Approx(0.2689414214));
  CHECK(out[3] == doctest::Approx(0.8807970780));
  CHECK(out[4] == doctest::Approx(0.0066928509));
}

TEST_CASE("logistic_f32 is stable for large inputs and keeps NaN") {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> in = {100.0f, -100.0f, 1000.0f, -1000.0f, inf, -inf,
                                 std::numeric_limits<float>::quiet_NaN()};
  std::vector<float> out(in.size());
  ert::kernels::logistic_f32(in.data(), out.data(), int64_t(in.size()));
  CHECK(out[0] == 1.0f);
  // exp(-100) is about 3.72e-44, a float denormal: tiny but positive.
  CHECK(out[1] > 0.0f);
  CHECK(out[1] < 1e-40f);
  CHECK(out[2] == 1.0f);
  CHECK(out[3] == 0.0f);
  CHECK(out[4] == 1.0f);
  CHECK(out[5] == 0.0f);
  CHECK(std::isnan(out[6]));
  for (size_t i = 0; i < 6; ++i) CHECK_FALSE(std::isnan(out[i]));
}

TEST_CASE("logistic_f32 stays within a few ulps of the exact sigmoid") {
  // A relative bound also on the small side: a cut-off approximation (exp(x) for very negative
  // x) would be off by a factor 1 + exp(x), far more than this.
  for (int i = -400; i <= 400; ++i) {
    const float x = float(i) * 0.05f;
    const double ref = 1.0 / (1.0 + std::exp(-double(x)));
    const float got = ert::kernels::logistic(x);
    INFO("x = " << x);
    CHECK(std::fabs(double(got) - ref) <= 4.0 * FLT_EPSILON * ref);
  }
}

TEST_CASE("logistic_f32 works in place") {
  float v[3] = {0.0f, 3.0f, -3.0f};
  ert::kernels::logistic_f32(v, v, 3);
  CHECK(v[0] == 0.5f);
  CHECK(v[1] == doctest::Approx(0.9525741268));
  CHECK(v[2] == doctest::Approx(0.0474258732));
}
