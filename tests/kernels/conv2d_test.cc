#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/conv2d.h"

using ert::kernels::ConvParams;
using ert::kernels::Shape;

namespace {

// Runs the kernel into an output pre-filled with NaN, so that a skipped element shows.
std::vector<float> run_conv(const ConvParams& p, const Shape& is, const std::vector<float>& in,
                            const Shape& fs, const std::vector<float>& filter,
                            const std::vector<float>* bias, const Shape& os) {
  std::vector<float> out(size_t(os.num_elements()), std::numeric_limits<float>::quiet_NaN());
  ert::kernels::conv2d_f32(p, is, in.data(), fs, filter.data(),
                           bias != nullptr ? bias->data() : nullptr, os, out.data());
  return out;
}

// Random values on a 1/16 grid in [-2, 2]: their products and the sums of a few thousand of them
// are exact in float, so the kernel and the naive loop agree whatever order each adds in.
std::vector<float> grid_random(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> dist(-32, 32);
  std::vector<float> v(n);
  for (float& x : v) x = float(dist(rng)) / 16.0f;
  return v;
}

// Index of the first element outside FLT_EPSILON * max(|ref| * k, 1) of the reference, or -1.
long first_mismatch(const std::vector<float>& out, const std::vector<float>& ref, float k) {
  if (out.size() != ref.size()) return 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const float tol = FLT_EPSILON * std::max(std::fabs(ref[i]) * k, 1.0f);
    if (!(std::fabs(out[i] - ref[i]) <= tol)) return long(i);
  }
  return -1;
}

// One case of the naive comparison: shapes, geometry and how padding is chosen.
struct Case {
  int n, h, w, c;      // Input.
  int co, kh, kw, cf;  // Filter; c / cf groups.
  int sh, sw, dh, dw;  // Strides and dilations.
  int mode;            // 0 SAME, 1 VALID, 2 explicit.
  int pt, pb, pl, pr;  // Explicit padding (mode 2).
  bool with_bias;
  bool relu6;
};

// The padding of one axis under the case's mode, worked out here from TFLite's SAME rule.
void axis_padding(int mode, int in, int k, int s, int d, int et, int eb, int* before, int* after) {
  const int ek = (k - 1) * d + 1;
  if (mode == 0) {
    const int out = (in + s - 1) / s;
    const int total = std::max((out - 1) * s + ek - in, 0);
    *before = total / 2;
    *after = total - total / 2;
  } else if (mode == 1) {
    *before = 0;
    *after = 0;
  } else {
    *before = et;
    *after = eb;
  }
}

// Convolution the slow, obvious way: copy the input into a zero-padded buffer, then slide the
// filter over it group by group.
std::vector<float> naive_conv(const Case& t, const std::vector<float>& in,
                              const std::vector<float>& filter, const std::vector<float>& bias,
                              int* out_h, int* out_w, ConvParams* p) {
  int pt, pb, pl, pr;
  axis_padding(t.mode, t.h, t.kh, t.sh, t.dh, t.pt, t.pb, &pt, &pb);
  axis_padding(t.mode, t.w, t.kw, t.sw, t.dw, t.pl, t.pr, &pl, &pr);
  const int hp = t.h + pt + pb;
  const int wp = t.w + pl + pr;
  std::vector<float> padded(size_t(t.n) * hp * wp * t.c, 0.0f);
  for (int n = 0; n < t.n; ++n)
    for (int y = 0; y < t.h; ++y)
      for (int x = 0; x < t.w; ++x)
        for (int c = 0; c < t.c; ++c)
          padded[((size_t(n) * hp + y + pt) * wp + x + pl) * t.c + c] =
              in[((size_t(n) * t.h + y) * t.w + x) * t.c + c];
  const int ho = (hp - ((t.kh - 1) * t.dh + 1)) / t.sh + 1;
  const int wo = (wp - ((t.kw - 1) * t.dw + 1)) / t.sw + 1;
  const int groups = t.c / t.cf;
  const int per_group = t.co / groups;
  std::vector<float> out(size_t(t.n) * ho * wo * t.co);
  for (int n = 0; n < t.n; ++n)
    for (int oy = 0; oy < ho; ++oy)
      for (int ox = 0; ox < wo; ++ox)
        for (int g = 0; g < groups; ++g)
          for (int j = 0; j < per_group; ++j) {
            const int oc = g * per_group + j;
            float sum = 0.0f;
            for (int ky = 0; ky < t.kh; ++ky)
              for (int kx = 0; kx < t.kw; ++kx)
                for (int c = 0; c < t.cf; ++c) {
                  const int py = oy * t.sh + ky * t.dh;
                  const int px = ox * t.sw + kx * t.dw;
                  sum += padded[((size_t(n) * hp + py) * wp + px) * t.c + g * t.cf + c] *
                         filter[((size_t(oc) * t.kh + ky) * t.kw + kx) * t.cf + c];
                }
            if (t.with_bias) sum += bias[size_t(oc)];
            if (t.relu6) sum = std::min(std::max(sum, 0.0f), 6.0f);
            out[((size_t(n) * ho + oy) * wo + ox) * t.co + oc] = sum;
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

TEST_CASE("CONV_2D kernel: 2x2 VALID on a 3x3 image, by hand, with and without bias") {
  ConvParams p;
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter = {1, 2, 3, 4};
  CHECK(run_conv(p, {1, 3, 3, 1}, in, {1, 2, 2, 1}, filter, nullptr, {1, 2, 2, 1}) ==
        std::vector<float>{37, 47, 67, 77});
  const std::vector<float> bias = {0.5f};
  CHECK(run_conv(p, {1, 3, 3, 1}, in, {1, 2, 2, 1}, filter, &bias, {1, 2, 2, 1}) ==
        std::vector<float>{37.5f, 47.5f, 67.5f, 77.5f});
}

TEST_CASE("CONV_2D kernel: SAME and VALID with stride 2 on odd and even widths, by hand") {
  const std::vector<float> row5 = {1, 2, 3, 4, 5};
  const std::vector<float> row6 = {1, 2, 3, 4, 5, 6};
  ConvParams p;
  p.stride_w = 2;
  SUBCASE("width 5, filter 2: SAME pads 0 before and 1 after") {
    // SAME: out = ceil(5 / 2) = 3, total padding (3 - 1) * 2 + 2 - 5 = 1, all of it after.
    p.padding_w = {0, 1};
    CHECK(run_conv(p, {1, 1, 5, 1}, row5, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 3, 1}) ==
          std::vector<float>{21, 43, 5});
    p.padding_w = {0, 0};  // VALID: (5 - 2) / 2 + 1 = 2 outputs.
    CHECK(run_conv(p, {1, 1, 5, 1}, row5, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 2, 1}) ==
          std::vector<float>{21, 43});
  }
  SUBCASE("width 6, filter 3: SAME pads 0 before and 1 after") {
    p.padding_w = {0, 1};
    CHECK(run_conv(p, {1, 1, 6, 1}, row6, {1, 1, 3, 1}, {1, 10, 100}, nullptr, {1, 1, 3, 1}) ==
          std::vector<float>{321, 543, 65});
    p.padding_w = {0, 0};
    CHECK(run_conv(p, {1, 1, 6, 1}, row6, {1, 1, 3, 1}, {1, 10, 100}, nullptr, {1, 1, 2, 1}) ==
          std::vector<float>{321, 543});
  }
  SUBCASE("width 7, filter 4: SAME pads 1 before and 2 after") {
    // out = 4, total = 3 * 2 + 4 - 7 = 3: the smaller half (1) goes before.
    p.padding_w = {1, 2};
    const std::vector<float> row7 = {1, 2, 3, 4, 5, 6, 7};
    CHECK(run_conv(p, {1, 1, 7, 1}, row7, {1, 1, 4, 1}, {1, 10, 100, 1000}, nullptr,
                   {1, 1, 4, 1}) == std::vector<float>{3210, 5432, 7654, 76});
  }
}

TEST_CASE("CONV_2D kernel: dilation 2, VALID and SAME, by hand") {
  const std::vector<float> row = {1, 2, 3, 4, 5};
  ConvParams p;
  p.dilation_w = 2;
  // VALID: the dilated filter spans 3 pixels, so 3 outputs.
  CHECK(run_conv(p, {1, 1, 5, 1}, row, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 3, 1}) ==
        std::vector<float>{31, 42, 53});
  // SAME: total padding 2, one pixel each side.
  p.padding_w = {1, 1};
  CHECK(run_conv(p, {1, 1, 5, 1}, row, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 5, 1}) ==
        std::vector<float>{20, 31, 42, 53, 4});
}

TEST_CASE("CONV_2D kernel: explicit asymmetric padding, by hand") {
  ConvParams p;
  p.padding_w = {2, 1};  // Padded row: 0 0 1 2 3 0.
  CHECK(run_conv(p, {1, 1, 3, 1}, {1, 2, 3}, {1, 1, 2, 1}, {1, 10}, nullptr, {1, 1, 5, 1}) ==
        std::vector<float>{0, 10, 21, 32, 3});
  // The same in the height axis.
  ConvParams q;
  q.padding_h = {2, 1};
  CHECK(run_conv(q, {1, 3, 1, 1}, {1, 2, 3}, {1, 2, 1, 1}, {1, 10}, nullptr, {1, 5, 1, 1}) ==
        std::vector<float>{0, 10, 21, 32, 3});
}

TEST_CASE("CONV_2D kernel: 1x1 filter mixes channels per pixel, by hand") {
  ConvParams p;
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};  // Two pixels of three channels.
  const std::vector<float> filter = {1, 0, -1, 0.5f, 0.5f, 0.5f};
  const std::vector<float> bias = {1, -1};
  CHECK(run_conv(p, {1, 1, 2, 3}, in, {2, 1, 1, 3}, filter, &bias, {1, 1, 2, 2}) ==
        std::vector<float>{-1, 2, -1, 6.5f});
}

TEST_CASE("CONV_2D kernel: grouped conv reads each group's channels, by hand") {
  ConvParams p;
  // Four input channels, filter of two: two groups; one output channel per group.
  CHECK(run_conv(p, {1, 1, 1, 4}, {1, 2, 3, 4}, {2, 1, 1, 2}, {1, 10, 100, 1000}, nullptr,
                 {1, 1, 1, 2}) == std::vector<float>{21, 4300});
  // Two output channels per group: outputs 0-1 see channels 0-1, outputs 2-3 channels 2-3.
  CHECK(run_conv(p, {1, 1, 1, 4}, {1, 2, 3, 4}, {4, 1, 1, 2}, {1, 0, 0, 1, 1, 0, 0, 1}, nullptr,
                 {1, 1, 1, 4}) == std::vector<float>{1, 2, 3, 4});
}

TEST_CASE("CONV_2D kernel: fused RELU6 clamps after the bias") {
  ConvParams p;
  p.activation = {0.0f, 6.0f};
  const std::vector<float> bias = {-1.0f};
  CHECK(run_conv(p, {1, 1, 4, 1}, {-3, 0.5f, 3, 9}, {1, 1, 1, 1}, {2}, &bias, {1, 1, 4, 1}) ==
        std::vector<float>{0, 0, 5, 6});
}

TEST_CASE("CONV_2D kernel: matches a naive padded-buffer convolution on random data") {
  const Case cases[] = {
      // n h  w  c co kh kw cf sh sw dh dw mode pads        bias   relu6
      {2, 7, 6, 3, 4, 3, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, true, false},   // SAME, stride 2.
      {2, 7, 6, 3, 4, 3, 3, 3, 2, 2, 1, 1, 1, 0, 0, 0, 0, true, false},   // VALID, stride 2.
      {1, 9, 8, 4, 6, 3, 2, 2, 1, 2, 2, 1, 0, 0, 0, 0, 0, true, false},   // 2 groups, dilated.
      {1, 6, 7, 2, 3, 2, 3, 2, 3, 1, 1, 2, 2, 2, 0, 1, 3, false, false},  // Explicit.
      {3, 5, 5, 5, 3, 1, 1, 5, 2, 2, 1, 1, 1, 0, 0, 0, 0, true, false},   // 1x1, stride 2.
      {1, 5, 4, 4, 8, 3, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, true, true},    // 4 groups, RELU6.
      {1, 2, 3, 2, 2, 4, 5, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, false, false},  // Filter > input.
      {1, 8, 8, 3, 2, 3, 3, 3, 3, 2, 2, 3, 0, 0, 0, 0, 0, true, false},   // Dilated, strided.
  };
  std::mt19937 rng(1234);
  for (const Case& t : cases) {
    CAPTURE(t.h);
    CAPTURE(t.w);
    CAPTURE(t.mode);
    const std::vector<float> in = grid_random(rng, size_t(t.n) * t.h * t.w * t.c);
    const std::vector<float> filter = grid_random(rng, size_t(t.co) * t.kh * t.kw * t.cf);
    const std::vector<float> bias = grid_random(rng, size_t(t.co));
    int ho = 0;
    int wo = 0;
    ConvParams p;
    const std::vector<float> ref = naive_conv(t, in, filter, bias, &ho, &wo, &p);
    REQUIRE(ho > 0);
    REQUIRE(wo > 0);
    const std::vector<float> out =
        run_conv(p, {t.n, t.h, t.w, t.c}, in, {t.co, t.kh, t.kw, t.cf}, filter,
                 t.with_bias ? &bias : nullptr, {t.n, ho, wo, t.co});
    const long bad = first_mismatch(out, ref, 25.0f);
    CAPTURE(bad);
    CHECK(bad == -1);
  }
}
