#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/fully_connected.h"

using ert::kernels::FullyConnectedParams;
using ert::kernels::Shape;

namespace {

// Runs the kernel into an output pre-filled with NaN, so that a skipped element shows.
std::vector<float> run_fc(const FullyConnectedParams& p, const Shape& is,
                          const std::vector<float>& in, const Shape& ws,
                          const std::vector<float>& weights, const std::vector<float>* bias,
                          size_t out_count) {
  std::vector<float> out(out_count, std::numeric_limits<float>::quiet_NaN());
  ert::kernels::fully_connected_f32(p, is, in.data(), ws, weights.data(),
                                    bias != nullptr ? bias->data() : nullptr, out.data());
  return out;
}

// Random values on a 1/16 grid in [-2, 2]: sums of their products are exact in float, so the
// kernel and the naive loop agree whatever order each adds in.
std::vector<float> grid_random(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> dist(-32, 32);
  std::vector<float> v(n);
  for (float& x : v) x = float(dist(rng)) / 16.0f;
  return v;
}

long first_mismatch(const std::vector<float>& out, const std::vector<float>& ref, float k) {
  if (out.size() != ref.size()) return 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const float tol = FLT_EPSILON * std::max(std::fabs(ref[i]) * k, 1.0f);
    if (!(std::fabs(out[i] - ref[i]) <= tol)) return long(i);
  }
  return -1;
}

}  // namespace

TEST_CASE("FULLY_CONNECTED kernel: two rows, with and without bias, by hand") {
  FullyConnectedParams p;
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};
  const std::vector<float> w = {1, 1, 1, 2, -1, 0};
  CHECK(run_fc(p, {2, 3}, in, {2, 3}, w, nullptr, 4) == std::vector<float>{6, 0, 15, 3});
  const std::vector<float> bias = {0.5f, -2};
  CHECK(run_fc(p, {2, 3}, in, {2, 3}, w, &bias, 4) == std::vector<float>{6.5f, -2, 15.5f, 1});
}

TEST_CASE("FULLY_CONNECTED kernel: any input shape is read as rows of K") {
  FullyConnectedParams p;
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};
  const std::vector<float> w = {1, -1};  // One unit, K = 2: three rows from a [1,6] input.
  CHECK(run_fc(p, {1, 6}, in, {1, 2}, w, nullptr, 3) == std::vector<float>{-1, -1, -1});
  // A rank-3 input [3,1,2] gives the same rows.
  CHECK(run_fc(p, {3, 1, 2}, in, {1, 2}, w, nullptr, 3) == std::vector<float>{-1, -1, -1});
}

TEST_CASE("FULLY_CONNECTED kernel: fused RELU6 clamps after the bias") {
  FullyConnectedParams p;
  p.activation = {0.0f, 6.0f};
  const std::vector<float> bias = {1, -1, 0};
  // One row [2, 3]; units: 2 + 3 + 1 = 6, -2 - 3 - 1 -> 0, 10 + 15 + 0 = 25 -> 6.
  const std::vector<float> w = {1, 1, -1, -1, 5, 5};
  CHECK(run_fc(p, {1, 2}, {2, 3}, {3, 2}, w, &bias, 3) == std::vector<float>{6, 0, 6});
}

TEST_CASE("FULLY_CONNECTED kernel: matches a naive dot product on random rank-3 input") {
  std::mt19937 rng(777);
  struct Case {
    Shape input;
    int units, depth;
    bool with_bias;
  };
  const Case cases[] = {
      {{2, 3, 5}, 4, 5, true},  // Rank 3, last dim = K.
      {{4, 6}, 7, 3, true},     // Rows come from flattening: 8 rows of 3.
      {{3, 2, 2, 16}, 9, 64, false},
      {{1, 1}, 3, 1, true},
  };
  for (const Case& t : cases) {
    CAPTURE(t.units);
    CAPTURE(t.depth);
    const size_t count = size_t(t.input.num_elements());
    const size_t rows = count / size_t(t.depth);
    const std::vector<float> in = grid_random(rng, count);
    const std::vector<float> w = grid_random(rng, size_t(t.units) * t.depth);
    const std::vector<float> bias = grid_random(rng, size_t(t.units));
    std::vector<float> ref(rows * t.units);
    for (size_t r = 0; r < rows; ++r)
      for (int u = 0; u < t.units; ++u) {
        float dot = 0.0f;
        for (int k = 0; k < t.depth; ++k) dot += in[r * t.depth + k] * w[size_t(u) * t.depth + k];
        ref[r * t.units + u] = t.with_bias ? dot + bias[size_t(u)] : dot;
      }
    const std::vector<float> out = run_fc(FullyConnectedParams(), t.input, in, {t.units, t.depth},
                                          w, t.with_bias ? &bias : nullptr, rows * t.units);
    const long bad = first_mismatch(out, ref, 10.0f);
    CAPTURE(bad);
    CHECK(bad == -1);
  }
}
