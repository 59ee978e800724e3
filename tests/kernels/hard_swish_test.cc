#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/hard_swish.h"

TEST_CASE("hard_swish_f32 on hand-checked values across its three pieces") {
  // x <= -3: 0. -3 < x < 3: x * (x + 3) / 6. x >= 3: x.
  const std::vector<float> in = {-10.0f, -4.0f, -3.0f, -1.0f, 0.0f, 1.0f, 2.5f, 3.0f, 5.0f};
  std::vector<float> out(in.size(), 99.0f);
  ert::kernels::hard_swish_f32(in.data(), out.data(), int64_t(in.size()));
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == 0.0f);
  CHECK(out[2] == 0.0f);
  CHECK(out[3] == doctest::Approx(-1.0 / 3.0));
  CHECK(out[4] == 0.0f);
  CHECK(out[5] == doctest::Approx(2.0 / 3.0));
  CHECK(out[6] == doctest::Approx(2.5 * 5.5 / 6.0));
  CHECK(out[7] == 3.0f);
  CHECK(out[8] == 5.0f);
}

TEST_CASE("hard_swish_f32 keeps NaN and works in place") {
  float v[3] = {std::numeric_limits<float>::quiet_NaN(), -1.5f, 1000.0f};
  ert::kernels::hard_swish_f32(v, v, 3);
  CHECK(std::isnan(v[0]));
  CHECK(v[1] == doctest::Approx(-1.5 * 1.5 / 6.0));
  CHECK(v[2] == 1000.0f);
}
