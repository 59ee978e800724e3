#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/transpose_conv.h"

using ert::kernels::Shape;
using ert::kernels::TransposeConvParams;

namespace {

// Runs the kernel into an output pre-filled with NaN, so that a skipped element shows.
std::vector<float> run_tconv(const TransposeConvParams& p, const Shape& is,
                             const std::vector<float>& in, const Shape& fs,
                             const std::vector<float>& filter, const std::vector<float>* bias,
                             const Shape& os) {
  std::vector<float> out(size_t(os.num_elements()), std::numeric_limits<float>::quiet_NaN());
  ert::kernels::transpose_conv_f32(p, is, in.data(), fs, filter.data(),
                                   bias != nullptr ? bias->data() : nullptr, os, out.data());
  return out;
}

// Random values on a 1/16 grid in [-2, 2]: sums of their products are exact in float, so the
// kernel (which gathers) and the naive scatter agree whatever order each adds in.
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
  int n, h, w, ci;     // Input.
  int co, kh, kw;      // Filter [co, kh, kw, ci].
  int sh, sw;          // Strides.
  int mode;            // 0 SAME, 1 VALID, 2 explicit.
  int pt, pb, pl, pr;  // Explicit crop (mode 2).
  bool with_bias;
  bool relu6;
};

// Output size and crop of one axis, from the op's definition.
void axis_crop(int mode, int in, int k, int s, int et, int eb, int* out, int* before) {
  const int full = (in - 1) * s + k;
  if (mode == 0) {
    *out = in * s;
    *before = std::max(full - *out, 0) / 2;
  } else if (mode == 1) {
    *out = full;
    *before = 0;
  } else {
    *out = full - et - eb;
    *before = et;
  }
}

// Transpose convolution the way it is defined: every input pixel scatters input * filter onto
// its window of a zeroed full-size result; then crop, add the bias and clamp.
std::vector<float> naive_tconv(const Case& t, const std::vector<float>& in,
                               const std::vector<float>& filter, const std::vector<float>& bias,
                               int* out_h, int* out_w, TransposeConvParams* p) {
  const int hf = (t.h - 1) * t.sh + t.kh;
  const int wf = (t.w - 1) * t.sw + t.kw;
  std::vector<float> full(size_t(t.n) * hf * wf * t.co, 0.0f);
  for (int n = 0; n < t.n; ++n)
    for (int y = 0; y < t.h; ++y)
      for (int x = 0; x < t.w; ++x)
        for (int ic = 0; ic < t.ci; ++ic) {
          const float v = in[((size_t(n) * t.h + y) * t.w + x) * t.ci + ic];
          for (int ky = 0; ky < t.kh; ++ky)
            for (int kx = 0; kx < t.kw; ++kx)
              for (int oc = 0; oc < t.co; ++oc)
                full[((size_t(n) * hf + y * t.sh + ky) * wf + x * t.sw + kx) * t.co + oc] +=
                    v * filter[((size_t(oc) * t.kh + ky) * t.kw + kx) * t.ci + ic];
        }
  int ho, wo, top, left;
  axis_crop(t.mode, t.h, t.kh, t.sh, t.pt, t.pb, &ho, &top);
  axis_crop(t.mode, t.w, t.kw, t.sw, t.pl, t.pr, &wo, &left);
  std::vector<float> out(size_t(t.n) * ho * wo * t.co);
  for (int n = 0; n < t.n; ++n)
    for (int oy = 0; oy < ho; ++oy)
      for (int ox = 0; ox < wo; ++ox)
        for (int oc = 0; oc < t.co; ++oc) {
          const int fy = oy + top;
          const int fx = ox + left;
          float v =
              (fy < hf && fx < wf) ? full[((size_t(n) * hf + fy) * wf + fx) * t.co + oc] : 0.0f;
          if (t.with_bias) v += bias[size_t(oc)];
          if (t.relu6) v = std::min(std::max(v, 0.0f), 6.0f);
          out[((size_t(n) * ho + oy) * wo + ox) * t.co + oc] = v;
        }
  *out_h = ho;
  *out_w = wo;
  p->stride_h = t.sh;
  p->stride_w = t.sw;
  p->padding_h = {top, 0};
  p->padding_w = {left, 0};
  if (t.relu6) p->activation = {0.0f, 6.0f};
  return out;
}

}  // namespace

TEST_CASE("TRANSPOSE_CONV kernel: stride 2 with a 2x2 filter tiles without overlap, by hand") {
  TransposeConvParams p;
  p.stride_h = 2;
  p.stride_w = 2;
  // VALID and SAME agree here: the full result is (2 - 1) * 2 + 2 = 4 = 2 * 2.
  CHECK(run_tconv(p, {1, 2, 2, 1}, {1, 2, 3, 4}, {1, 2, 2, 1}, {1, 10, 100, 1000}, nullptr,
                  {1, 4, 4, 1}) ==
        std::vector<float>{1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000});
}

TEST_CASE("TRANSPOSE_CONV kernel: overlapping windows, VALID, SAME and explicit crops, by hand") {
  TransposeConvParams p;
  p.stride_w = 2;
  SUBCASE("filter 3: SAME crops the one extra pixel at the end") {
    // Windows at 0, 2, 4 of a 7-pixel full result: 1 10 (100+2) 20 (200+3) 30 300.
    const std::vector<float> in = {1, 2, 3};
    const std::vector<float> f = {1, 10, 100};
    CHECK(run_tconv(p, {1, 1, 3, 1}, in, {1, 1, 3, 1}, f, nullptr, {1, 1, 7, 1}) ==
          std::vector<float>{1, 10, 102, 20, 203, 30, 300});
    CHECK(run_tconv(p, {1, 1, 3, 1}, in, {1, 1, 3, 1}, f, nullptr, {1, 1, 6, 1}) ==
          std::vector<float>{1, 10, 102, 20, 203, 30});
    p.padding_w = {2, 1};
    CHECK(run_tconv(p, {1, 1, 3, 1}, in, {1, 1, 3, 1}, f, nullptr, {1, 1, 4, 1}) ==
          std::vector<float>{102, 20, 203, 30});
  }
  SUBCASE("filter 5: SAME crops the smaller half (1) before and 2 after") {
    // Full result (9 pixels): 1 2 (3+10) (4+20) (5+30+100) (40+200) (50+300) 400 500.
    p.padding_w = {1, 2};
    CHECK(run_tconv(p, {1, 1, 3, 1}, {1, 10, 100}, {1, 1, 5, 1}, {1, 2, 3, 4, 5}, nullptr,
                    {1, 1, 6, 1}) == std::vector<float>{2, 13, 24, 135, 240, 350});
  }
  SUBCASE("filter 1, stride 3: SAME leaves pixels that only get the bias") {
    p.stride_w = 3;
    const std::vector<float> bias = {1};
    CHECK(run_tconv(p, {1, 1, 2, 1}, {2, 5}, {1, 1, 1, 1}, {3}, &bias, {1, 1, 6, 1}) ==
          std::vector<float>{7, 1, 1, 16, 1, 1});
  }
}

TEST_CASE("TRANSPOSE_CONV kernel: sums input channels per output channel, with RELU6") {
  TransposeConvParams p;
  p.activation = {0.0f, 6.0f};
  // One pixel, two input channels (1, 2), two output channels, 1x1 filter:
  // oc0 = 1 * 1 + 2 * 3 = 7 -> 6; oc1 = 1 * -1 + 2 * 0 = -1, plus bias 0.5 -> 0.
  const std::vector<float> bias = {0, 0.5f};
  CHECK(run_tconv(p, {1, 1, 1, 2}, {1, 2}, {2, 1, 1, 2}, {1, 3, -1, 0}, &bias, {1, 1, 1, 2}) ==
        std::vector<float>{6, 0});
}

TEST_CASE("TRANSPOSE_CONV kernel: matches a naive scatter-and-crop on random data") {
  const Case cases[] = {
      // n h  w ci co kh kw sh sw mode crop        bias   relu6
      {2, 3, 4, 3, 2, 3, 3, 2, 2, 0, 0, 0, 0, 0, true, false},   // SAME, stride 2, odd K.
      {2, 3, 4, 3, 2, 3, 3, 2, 2, 1, 0, 0, 0, 0, true, false},   // VALID, stride 2.
      {1, 5, 3, 2, 3, 4, 5, 2, 3, 0, 0, 0, 0, 0, false, false},  // SAME, crops 1 before.
      {1, 4, 4, 2, 2, 3, 2, 1, 2, 2, 1, 2, 0, 1, true, false},   // Explicit.
      {1, 3, 3, 4, 3, 1, 2, 3, 3, 0, 0, 0, 0, 0, true, false},   // K < stride.
      {3, 2, 2, 1, 4, 4, 4, 2, 2, 0, 0, 0, 0, 0, true, true},    // RELU6.
  };
  std::mt19937 rng(4321);
  for (const Case& t : cases) {
    CAPTURE(t.h);
    CAPTURE(t.w);
    CAPTURE(t.mode);
    const std::vector<float> in = grid_random(rng, size_t(t.n) * t.h * t.w * t.ci);
    const std::vector<float> filter = grid_random(rng, size_t(t.co) * t.kh * t.kw * t.ci);
    const std::vector<float> bias = grid_random(rng, size_t(t.co));
    int ho = 0;
    int wo = 0;
    TransposeConvParams p;
    const std::vector<float> ref = naive_tconv(t, in, filter, bias, &ho, &wo, &p);
    REQUIRE(ho > 0);
    REQUIRE(wo > 0);
    const std::vector<float> out =
        run_tconv(p, {t.n, t.h, t.w, t.ci}, in, {t.co, t.kh, t.kw, t.ci}, filter,
                  t.with_bias ? &bias : nullptr, {t.n, ho, wo, t.co});
    const long bad = first_mismatch(out, ref, 25.0f);
    CAPTURE(bad);
    CHECK(bad == -1);
  }
}
