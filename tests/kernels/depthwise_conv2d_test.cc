#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/depthwise_conv2d.h"

using ert::kernels::ConvParams;
using ert::kernels::Shape;

namespace {

// Runs the kernel into an output pre-filled with NaN, so that a skipped element shows.
std::vector<float> run_dw(const ConvParams& p, const Shape& is, const std::vector<float>& in,
                          const Shape& fs, const std::vector<float>& filter,
                          const std::vector<float>* bias, const Shape& os) {
  std::vector<float> out(size_t(os.num_elements()), std::numeric_limits<float>::quiet_NaN());
  ert::kernels::depthwise_conv2d_f32(p, is, in.data(), fs, filter.data(),
                                     bias != nullptr ? bias->data() : nullptr, os, out.data());
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

struct Case {
  int n, h, w, c, m;   // Input and depth multiplier.
  int kh, kw;          // Filter.
  int sh, sw, dh, dw;  // Strides and dilations.
  int mode;            // 0 SAME, 1 VALID, 2 explicit.
  int pt, pb, pl, pr;  // Explicit padding (mode 2).
  bool with_bias;
  bool relu6;
};

void axis_padding(int mode, int in, int k, int s, int d, int et, int eb, int* before, int* after) {
  const int ek = (k - 1) * d + 1;
  if (mode == 0) {
    const int out = (in + s - 1) / s;
    const int total = std::max((out - 1) * s + ek - in, 0);
    *before = total / 2;
    *after = total - total / 2;
  } else if (mode == 1) {
    *before = *after = 0;
  } else {
    *before = et;
    *after = eb;
  }
}

// Depthwise convolution the slow way: for each input channel and multiplier index, a
// single-channel convolution over a zero-padded copy of that channel.
std::vector<float> naive_dw(const Case& t, const std::vector<float>& in,
                            const std::vector<float>& filter, const std::vector<float>& bias,
                            int* out_h, int* out_w, ConvParams* p) {
  int pt, pb, pl, pr;
  axis_padding(t.mode, t.h, t.kh, t.sh, t.dh, t.pt, t.pb, &pt, &pb);
  axis_padding(t.mode, t.w, t.kw, t.sw, t.dw, t.pl, t.pr, &pl, &pr);
  const int hp = t.h + pt + pb;
  const int wp = t.w + pl + pr;
  const int ho = (hp - ((t.kh - 1) * t.dh + 1)) / t.sh + 1;
  const int wo = (wp - ((t.kw - 1) * t.dw + 1)) / t.sw + 1;
  const int co = t.c * t.m;
  std::vector<float> out(size_t(t.n) * ho * wo * co);
  std::vector<float> plane(size_t(hp) * wp);
  for (int n = 0; n < t.n; ++n) {
    for (int c = 0; c < t.c; ++c) {
      std::fill(plane.begin(), plane.end(), 0.0f);
      for (int y = 0; y < t.h; ++y)
        for (int x = 0; x < t.w; ++x)
          plane[size_t(y + pt) * wp + x + pl] = in[((size_t(n) * t.h + y) * t.w + x) * t.c + c];
      for (int m = 0; m < t.m; ++m) {
        const int oc = c * t.m + m;
        for (int oy = 0; oy < ho; ++oy)
          for (int ox = 0; ox < wo; ++ox) {
            float sum = 0.0f;
            for (int ky = 0; ky < t.kh; ++ky)
              for (int kx = 0; kx < t.kw; ++kx)
                sum += plane[size_t(oy * t.sh + ky * t.dh) * wp + ox * t.sw + kx * t.dw] *
                       filter[(size_t(ky) * t.kw + kx) * co + oc];
            if (t.with_bias) sum += bias[size_t(oc)];
            if (t.relu6) sum = std::min(std::max(sum, 0.0f), 6.0f);
            out[((size_t(n) * ho + oy) * wo + ox) * co + oc] = sum;
          }
      }
    }
  }
  *out_h = ho;
  *out_w = wo;
  p->stride_h = t.sh;
  p->stride_w = t.sw;
  p->dilation_h = t.dh;
  p->dilation_w = t.dw;
  p->padding_h = {pt, pb};
  p->padding_w = {pl, pr};
  if (t.relu6) p->activation = {0.0f, 6.0f};
  return out;
}

}  // namespace

TEST_CASE("DEPTHWISE_CONV_2D kernel: depth multiplier 2, by hand") {
  // Three pixels of two channels: channel 0 is 1 2 3, channel 1 is 10 20 30.
  const std::vector<float> in = {1, 10, 2, 20, 3, 30};
  // Filter [1,1,2,4]: tap 0 then tap 1, each over output channels c0m0 c0m1 c1m0 c1m1.
  const std::vector<float> filter = {1, -1, 0.5f, 2, 1, 1, 0, 1};
  ConvParams p;
  CHECK(run_dw(p, {1, 1, 3, 2}, in, {1, 1, 2, 4}, filter, nullptr, {1, 1, 2, 4}) ==
        std::vector<float>{3, 1, 5, 40, 5, 1, 10, 70});
  const std::vector<float> bias = {0.5f, 0, 0, -40};
  CHECK(run_dw(p, {1, 1, 3, 2}, in, {1, 1, 2, 4}, filter, &bias, {1, 1, 2, 4}) ==
        std::vector<float>{3.5f, 1, 5, 0, 5.5f, 1, 10, 30});
}

TEST_CASE("DEPTHWISE_CONV_2D kernel: SAME stride 2 on an odd size pads after, by hand") {
  // Width 5, filter 2, stride 2: 3 outputs, the one padding pixel after.
  ConvParams p;
  p.stride_w = 2;
  p.padding_w = {0, 1};
  CHECK(run_dw(p, {1, 1, 5, 1}, {1, 2, 3, 4, 5}, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 3, 1}) ==
        std::vector<float>{21, 43, 5});
  p.padding_w = {0, 0};
  CHECK(run_dw(p, {1, 1, 5, 1}, {1, 2, 3, 4, 5}, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 2, 1}) ==
        std::vector<float>{21, 43});
}

TEST_CASE("DEPTHWISE_CONV_2D kernel: dilation 2 and explicit padding in height, by hand") {
  ConvParams p;
  p.dilation_h = 2;
  p.padding_h = {1, 1};
  CHECK(run_dw(p, {1, 5, 1, 1}, {1, 2, 3, 4, 5}, {1, 2, 1, 1}, {1, 10}, nullptr, {1, 5, 1, 1}) ==
        std::vector<float>{20, 31, 42, 53, 4});
  ConvParams q;
  q.padding_h = {2, 1};
  CHECK(run_dw(q, {1, 3, 1, 1}, {1, 2, 3}, {1, 2, 1, 1}, {1, 10}, nullptr, {1, 5, 1, 1}) ==
        std::vector<float>{0, 10, 21, 32, 3});
}

TEST_CASE("DEPTHWISE_CONV_2D kernel: fused RELU6") {
  ConvParams p;
  p.activation = {0.0f, 6.0f};
  const std::vector<float> bias = {1, -1};
  // One pixel, two channels, multiplier 1: 4 * 2 + 1 = 9 -> 6 and -1 * 1 - 1 = -2 -> 0.
  CHECK(run_dw(p, {1, 1, 1, 2}, {4, -1}, {1, 1, 1, 2}, {2, 1}, &bias, {1, 1, 1, 2}) ==
        std::vector<float>{6, 0});
}

TEST_CASE("DEPTHWISE_CONV_2D kernel: matches a naive per-channel convolution on random data") {
  const Case cases[] = {
      // n h  w  c  m kh kw sh sw dh dw mode pads       bias   relu6
      {2, 7, 6, 3, 1, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, true, false},   // SAME, stride 2.
      {2, 7, 6, 3, 2, 3, 3, 2, 2, 1, 1, 1, 0, 0, 0, 0, true, false},   // VALID, multiplier 2.
      {1, 9, 8, 4, 3, 3, 2, 1, 2, 2, 1, 0, 0, 0, 0, 0, false, false},  // Dilated, multiplier 3.
      {1, 6, 7, 2, 2, 2, 3, 3, 1, 1, 2, 2, 2, 0, 1, 3, true, false},   // Explicit.
      {3, 4, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, true},    // 1x1, RELU6.
      {1, 2, 3, 2, 2, 4, 5, 1, 1, 1, 1, 0, 0, 0, 0, 0, true, false},   // Filter > input.
  };
  std::mt19937 rng(99);
  for (const Case& t : cases) {
    CAPTURE(t.h);
    CAPTURE(t.m);
    CAPTURE(t.mode);
    const std::vector<float> in = grid_random(rng, size_t(t.n) * t.h * t.w * t.c);
    const std::vector<float> filter = grid_random(rng, size_t(t.kh) * t.kw * t.c * t.m);
    const std::vector<float> bias = grid_random(rng, size_t(t.c) * t.m);
    int ho = 0;
    int wo = 0;
    ConvParams p;
    const std::vector<float> ref = naive_dw(t, in, filter, bias, &ho, &wo, &p);
    REQUIRE(ho > 0);
    REQUIRE(wo > 0);
    const std::vector<float> out =
        run_dw(p, {t.n, t.h, t.w, t.c}, in, {1, t.kh, t.kw, t.c * t.m}, filter,
               t.with_bias ? &bias : nullptr, {t.n, ho, wo, t.c * t.m});
    const long bad = first_mismatch(out, ref, 25.0f);
    CAPTURE(bad);
    CHECK(bad == -1);
  }
}
