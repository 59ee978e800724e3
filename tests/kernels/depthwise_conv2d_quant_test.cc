#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/depthwise_conv2d.h"
#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;
using k::ConvParams;
using k::ConvQuantParams;
using k::Shape;

namespace {

struct Requant {
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;
  explicit Requant(const std::vector<double>& reals) {
    for (double r : reals) {
      k::QuantizedMultiplier m;
      REQUIRE(k::quantize_multiplier(r, &m));
      multipliers.push_back(m.multiplier);
      shifts.push_back(m.shift);
    }
  }
};

ConvQuantParams params_of(const Requant& rq, int32_t in_zp, int32_t f_zp, int32_t out_zp,
                          int32_t lo, int32_t hi) {
  ConvQuantParams q;
  q.input_zero_point = in_zp;
  q.filter_zero_point = f_zp;
  q.output_zero_point = out_zp;
  q.output_multiplier = rq.multipliers.data();
  q.output_shift = rq.shifts.data();
  q.output_min = lo;
  q.output_max = hi;
  return q;
}

// A random depthwise case run through the kernel and checked against a reference that walks
// output channels directly (o = c * M + m, input channel o / M) and tests bounds per tap.
template <typename T>
void run_random_cases(uint32_t seed, bool per_channel) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int lo = k::quantized_min<T>();
  const int hi = k::quantized_max<T>();
  int compared = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const int n = pick(1, 2), h = pick(1, 7), w = pick(1, 7), ci = pick(1, 5), mult = pick(1, 3);
    const int co = ci * mult, kh = pick(1, 3), kw = pick(1, 3);
    ConvParams p;
    p.stride_h = pick(1, 3);
    p.stride_w = pick(1, 3);
    p.dilation_h = pick(1, 2);
    p.dilation_w = pick(1, 2);
    p.padding_h = {pick(0, 2), pick(0, 2)};
    p.padding_w = {pick(0, 2), pick(0, 2)};
    const int span_h = h + p.padding_h.before + p.padding_h.after - ((kh - 1) * p.dilation_h + 1);
    const int span_w = w + p.padding_w.before + p.padding_w.after - ((kw - 1) * p.dilation_w + 1);
    if (span_h < 0 || span_w < 0) continue;
    const int oh = span_h / p.stride_h + 1, ow = span_w / p.stride_w + 1;
    std::vector<T> input(size_t(n * h * w * ci));
    for (auto& v : input) v = T(pick(lo, hi));
    std::vector<T> filter(size_t(kh * kw * co));
    for (auto& v : filter) v = T(pick(per_channel ? -127 : lo, hi));
    std::vector<int32_t> bias(static_cast<size_t>(co));
    for (auto& v : bias) v = pick(-3000, 3000);
    const int32_t in_zp = pick(lo, hi), f_zp = per_channel ? 0 : pick(lo, hi);
    const int32_t out_zp = pick(lo, hi);
    const int32_t out_min = pick(lo, (lo + hi) / 2), out_max = pick(out_min, hi);
    const float in_s = quant_ref::random_scale(rng, -8, -2);
    const float out_s = quant_ref::random_scale(rng, -6, 0);
    const float shared_f = quant_ref::random_scale(rng, -8, -3);
    std::vector<double> reals;
    for (int o = 0; o < co; ++o) {
      const float f_s = per_channel ? quant_ref::random_scale(rng, -8, -3) : shared_f;
      reals.push_back(double(in_s) * double(f_s) / double(out_s));
    }
    const Requant rq(reals);
    std::vector<T> out(size_t(n * oh * ow * co) + 1, T(0x5A));
    k::depthwise_conv2d_quantized(p, params_of(rq, in_zp, f_zp, out_zp, out_min, out_max),
                                  Shape{n, h, w, ci}, input.data(), Shape{1, kh, kw, co},
                                  filter.data(), bias.data(), Shape{n, oh, ow, co}, out.data());
    size_t i = 0;
    for (int b = 0; b < n; ++b)
      for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox)
          for (int o = 0; o < co; ++o, ++i) {
            int64_t acc = bias[size_t(o)];
            for (int ky = 0; ky < kh; ++ky)
              for (int kx = 0; kx < kw; ++kx) {
                const int y = oy * p.stride_h - p.padding_h.before + ky * p.dilation_h;
                const int x = ox * p.stride_w - p.padding_w.before + kx * p.dilation_w;
                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                const int64_t v = input[size_t(((b * h + y) * w + x) * ci + o / mult)];
                acc += (v - in_zp) * (int64_t(filter[size_t((ky * kw + kx) * co + o)]) - f_zp);
              }
            const int64_t exact = quant_ref::clamp64(
                quant_ref::apply(acc, quant_ref::multiplier_of(reals[size_t(o)])) + out_zp, out_min,
                out_max);
            double real = quant_ref::round_away(double(acc) * reals[size_t(o)]) + out_zp;
            real = std::fmin(std::fmax(real, out_min), out_max);
            CHECK(int64_t(out[i]) == exact);
            CHECK(std::fabs(double(out[i]) - real) <= 1.0);
            ++compared;
          }
    CHECK(out.back() == T(0x5A));
  }
  CHECK(compared > 1000);
}

}  // namespace

TEST_CASE("depthwise_conv2d_quantized u8 on a hand-worked case with multiplier 2") {
  // Input [1,1,2,2] (two pixels, two channels) with zero point 10; depth multiplier 2 gives
  // output channels c * 2 + m. Filter [1,1,2,4] with zero point 1, bias (0, 1, 2, 3), M = 0.5,
  // output zero point 50. Window 1x2 (VALID), so the one output pixel sums both pixels.
  //   channel 0: inputs 12, 14 -> 2, 4; filters (3, 1) and (2, 4) -> 2*2 + 4*0 = 4, +0 -> 2
  //   channel 1: 2*1 + 4*3 = 14, +1 = 15 -> 7.5 -> 8
  //   channel 2: inputs 9, 13 -> -1, 3; filters (5, 0) and (1, 2) -> -1*4 + 3*-1 = -7, +2 = -5
  //              -> -2.5 -> -2 (the high mul rounds ties up)
  //   channel 3: -1*0 + 3*1 = 3, +3 = 6 -> 3
  const std::vector<uint8_t> input = {12, 9, 14, 13};
  const std::vector<uint8_t> filter = {3, 2, 5, 1, 1, 4, 0, 2};
  const std::vector<int32_t> bias = {0, 1, 2, 3};
  const Requant rq({0.5, 0.5, 0.5, 0.5});
  std::vector<uint8_t> out(4, 0);
  k::depthwise_conv2d_quantized(ConvParams(), params_of(rq, 10, 1, 50, 0, 255), Shape{1, 1, 2, 2},
                                input.data(), Shape{1, 1, 2, 4}, filter.data(), bias.data(),
                                Shape{1, 1, 1, 4}, out.data());
  CHECK(out == std::vector<uint8_t>{52, 58, 48, 53});
  // A RELU-like clamp at the output zero point.
  k::depthwise_conv2d_quantized(ConvParams(), params_of(rq, 10, 1, 50, 50, 255), Shape{1, 1, 2, 2},
                                input.data(), Shape{1, 1, 2, 4}, filter.data(), bias.data(),
                                Shape{1, 1, 1, 4}, out.data());
  CHECK(out == std::vector<uint8_t>{52, 58, 50, 53});
}

TEST_CASE("depthwise_conv2d_quantized i8 per-channel multipliers apply per output channel") {
  // One pixel, one input channel (5 against zero point -3: real 8), multiplier 3: filters
  // (1, -2, 4), no bias: 8, -16, 32, scaled by 0.5, 0.25 and 3 -> 4, -4, 96; zero point 1.
  const std::vector<int8_t> input = {5};
  const std::vector<int8_t> filter = {1, -2, 4};
  const Requant rq({0.5, 0.25, 3.0});
  std::vector<int8_t> out(3, 0);
  k::depthwise_conv2d_quantized(ConvParams(), params_of(rq, -3, 0, 1, -128, 127), Shape{1, 1, 1, 1},
                                input.data(), Shape{1, 1, 1, 3}, filter.data(), nullptr,
                                Shape{1, 1, 1, 3}, out.data());
  CHECK(out == std::vector<int8_t>{5, -3, 97});
}

TEST_CASE("depthwise_conv2d_quantized u8 random cases match int64 and real arithmetic") {
  run_random_cases<uint8_t>(77, false);
}

TEST_CASE("depthwise_conv2d_quantized i8 per-channel random cases match int64 and reals") {
  run_random_cases<int8_t>(78, true);
}
