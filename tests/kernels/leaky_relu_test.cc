#include <doctest/doctest.h>

#include <vector>

#include "kernels/leaky_relu.h"

using ert::kernels::LeakyReluParams;

TEST_CASE("leaky_relu_f32 on hand-checked values") {
  const std::vector<float> in = {-2.0f, -0.5f, 0.0f, 3.0f, 1e6f};
  std::vector<float> out(in.size(), 99.0f);
  LeakyReluParams p;
  p.alpha = 0.1f;
  ert::kernels::leaky_relu_f32(p, in.data(), out.data(), int64_t(in.size()));
  CHECK(out[0] == doctest::Approx(-0.2));
  CHECK(out[1] == doctest::Approx(-0.05));
  CHECK(out[2] == 0.0f);
  CHECK(out[3] == 3.0f);
  CHECK(out[4] == 1e6f);
}

TEST_CASE("leaky_relu_f32 default slope, slopes above 1, and in place") {
  float v[3] = {-1.0f, 2.0f, -4.0f};
  ert::kernels::leaky_relu_f32(LeakyReluParams(), v, v, 3);
  CHECK(v[0] == doctest::Approx(-0.2));
  CHECK(v[1] == 2.0f);
  CHECK(v[2] == doctest::Approx(-0.8));
  // A slope above 1 is not max(x, alpha * x): negative inputs still get alpha * x.
  LeakyReluParams steep;
  steep.alpha = 2.0f;
  float w[2] = {-1.0f, 1.0f};
  ert::kernels::leaky_relu_f32(steep, w, w, 2);
  CHECK(w[0] == -2.0f);
  CHECK(w[1] == 1.0f);
}
