#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/tanh.h"

TEST_CASE("tanh_f32 on hand-checked values and saturation") {
  const std::vector<float> in = {0.0f, 0.5f, -2.0f, 1.0f, 100.0f, -100.0f,
                                 std::numeric_limits<float>::quiet_NaN()};
  std::vector<float> out(in.size(), 7.0f);
  ert::kernels::tanh_f32(in.data(), out.data(), int64_t(in.size()));
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == doctest::Approx(0.4621171573));
  CHECK(out[2] == doctest::Approx(-0.9640275801));
  CHECK(out[3] == doctest::Approx(0.7615941560));
  CHECK(out[4] == 1.0f);
  CHECK(out[5] == -1.0f);
  CHECK(std::isnan(out[6]));
}

TEST_CASE("tanh_f32 is odd and works in place") {
  float v[4] = {0.25f, -0.25f, 3.0f, -3.0f};
  ert::kernels::tanh_f32(v, v, 4);
  CHECK(v[0] == -v[1]);
  CHECK(v[2] == -v[3]);
  CHECK(v[2] == doctest::Approx(0.9950547537));
}
