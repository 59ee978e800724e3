#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/conv2d.h"
#include "tests/kernels/quant_reference.h"

namespace k = ert::kernels;
using k::ConvParams;
using k::ConvQuantParams;
using k::Shape;

namespace {

// Per-tensor requantization by the real factor `real`, repeated for `channels` channels.
struct Requant {
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;
  Requant(const std::vector<double>& reals) {
    for (double r : reals) {
      k::QuantizedMultiplier m;
      REQUIRE(k::quantize_multiplier(r, &m));
      multipliers.push_back(m.multiplier);
      shifts.push_back(m.shift);
    }
  }
};

// One random quantized convolution: geometry, data and quantization.
template <typename T>
struct Case {
  int n = 1, h = 1, w = 1, ci = 1, co = 1, kh = 1, kw = 1, groups = 1;
  ConvParams p;
  int oh = 1, ow = 1;
  std::vector<T> input;
  std::vector<T> filter;
  std::vector<int32_t> bias;
  int32_t in_zp = 0, f_zp = 0, out_zp = 0;
  std::vector<double> reals;  // input_scale * filter_scale[c] / output_scale
  int32_t out_min = 0, out_max = 0;
};

template <typename T>
Case<T> random_case(std::mt19937& rng, bool per_channel) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Case<T> c;
  c.n = pick(1, 2);
  c.h = pick(1, 7);
  c.w = pick(1, 7);
  c.groups = pick(1, 2);
  const int f_c = pick(1, 4);
  c.ci = f_c * c.groups;
  c.co = c.groups * pick(1, 3);
  c.kh = pick(1, 3);
  c.kw = pick(1, 3);
  c.p.stride_h = pick(1, 2);
  c.p.stride_w = pick(1, 2);
  c.p.dilation_h = pick(1, 2);
  c.p.dilation_w = pick(1, 2);
  c.p.padding_h = {pick(0, 2), pick(0, 2)};
  c.p.padding_w = {pick(0, 2), pick(0, 2)};
  const int ekh = (c.kh - 1) * c.p.dilation_h + 1;
  const int ekw = (c.kw - 1) * c.p.dilation_w + 1;
  const int span_h = c.h + c.p.padding_h.before + c.p.padding_h.after - ekh;
  const int span_w = c.w + c.p.padding_w.before + c.p.padding_w.after - ekw;
  if (span_h < 0 || span_w < 0) return random_case<T>(rng, per_channel);
  c.oh = span_h / c.p.stride_h + 1;
  c.ow = span_w / c.p.stride_w + 1;
  const int lo = k::quantized_min<T>();
  const int hi = k::quantized_max<T>();
  c.input.resize(size_t(c.n * c.h * c.w * c.ci));
  for (auto& v : c.input) v = T(pick(lo, hi));
  c.filter.resize(size_t(c.co * c.kh * c.kw * f_c));
  for (auto& v : c.filter) v = T(pick(per_channel ? -127 : lo, hi));
  c.bias.resize(size_t(c.co));
  for (auto& v : c.bias) v = pick(-5000, 5000);
  c.in_zp = pick(lo, hi);
  c.f_zp = per_channel ? 0 : pick(lo, hi);
  c.out_zp = pick(lo, hi);
  const float in_s = quant_ref::random_scale(rng, -8, -2);
  const float out_s = quant_ref::random_scale(rng, -6, 0);
  const float shared_f = quant_ref::random_scale(rng, -9, -4);
  for (int oc = 0; oc < c.co; ++oc) {
    const float f_s = per_channel ? quant_ref::random_scale(rng, -9, -4) : shared_f;
    c.reals.push_back(double(in_s) * double(f_s) / double(out_s));
  }
  c.out_min = pick(lo, (lo + hi) / 2);
  c.out_max = pick(c.out_min, hi);
  return c;
}

// The reference: the input is first padded with its zero point (so padded taps add 0), then
// every window is summed without bounds checks. Returns for each output the exact int64
// requantization (quant_ref) in `exact` and the double-precision real result in `real`.
template <typename T>
void reference(const Case<T>& c, std::vector<int64_t>* exact, std::vector<double>* real) {
  const int ph = c.h + c.p.padding_h.before + c.p.padding_h.after;
  const int pw = c.w + c.p.padding_w.before + c.p.padding_w.after;
  std::vector<int64_t> padded(size_t(c.n * ph * pw * c.ci), c.in_zp);
  for (int b = 0; b < c.n; ++b)
    for (int y = 0; y < c.h; ++y)
      for (int x = 0; x < c.w; ++x)
        for (int ch = 0; ch < c.ci; ++ch)
          padded[size_t(
              ((b * ph + y + c.p.padding_h.before) * pw + x + c.p.padding_w.before) * c.ci + ch)] =
              c.input[size_t(((b * c.h + y) * c.w + x) * c.ci + ch)];
  const int f_c = c.ci / c.groups;
  const int per_group = c.co / c.groups;
  exact->clear();
  real->clear();
  for (int b = 0; b < c.n; ++b)
    for (int oy = 0; oy < c.oh; ++oy)
      for (int ox = 0; ox < c.ow; ++ox)
        for (int oc = 0; oc < c.co; ++oc) {
          int64_t acc = c.bias[size_t(oc)];
          for (int ky = 0; ky < c.kh; ++ky)
            for (int kx = 0; kx < c.kw; ++kx)
              for (int ch = 0; ch < f_c; ++ch) {
                const int y = oy * c.p.stride_h + ky * c.p.dilation_h;
                const int x = ox * c.p.stride_w + kx * c.p.dilation_w;
                const int64_t v =
                    padded[size_t(((b * ph + y) * pw + x) * c.ci + (oc / per_group) * f_c + ch)];
                const int64_t w = c.filter[size_t(((oc * c.kh + ky) * c.kw + kx) * f_c + ch)];
                acc += (v - c.in_zp) * (w - c.f_zp);
              }
          const int64_t q = quant_ref::apply(acc, quant_ref::multiplier_of(c.reals[size_t(oc)]));
          exact->push_back(quant_ref::clamp64(q + c.out_zp, c.out_min, c.out_max));
          const double r = quant_ref::round_away(double(acc) * c.reals[size_t(oc)]) + c.out_zp;
          real->push_back(std::fmin(std::fmax(r, c.out_min), c.out_max));
        }
}

template <typename T>
void run_random_cases(uint32_t seed, bool per_channel) {
  std::mt19937 rng(seed);
  int compared = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const Case<T> c = random_case<T>(rng, per_channel);
    const Requant rq(c.reals);
    ConvQuantParams q;
    q.input_zero_point = c.in_zp;
    q.filter_zero_point = c.f_zp;
    q.output_zero_point = c.out_zp;
    q.output_multiplier = rq.multipliers.data();
    q.output_shift = rq.shifts.data();
    q.output_min = c.out_min;
    q.output_max = c.out_max;
    std::vector<T> out(size_t(c.n * c.oh * c.ow * c.co) + 1, T(0x5A));
    k::conv2d_quantized(c.p, q, Shape{c.n, c.h, c.w, c.ci}, c.input.data(),
                        Shape{c.co, c.kh, c.kw, c.ci / c.groups}, c.filter.data(), c.bias.data(),
                        Shape{c.n, c.oh, c.ow, c.co}, out.data());
    std::vector<int64_t> exact;
    std::vector<double> real;
    reference(c, &exact, &real);
    REQUIRE(exact.size() + 1 == out.size());
    for (size_t i = 0; i < exact.size(); ++i) {
      CHECK(int64_t(out[i]) == exact[i]);
      CHECK(std::fabs(double(out[i]) - real[i]) <= 1.0);
      ++compared;
    }
    CHECK(out.back() == T(0x5A));  // Nothing written past the end.
  }
  CHECK(compared > 1000);
}

}  // namespace

TEST_CASE("conv2d_quantized u8 on a hand-worked 1x1 case") {
  // Input zero point 128: the real inputs are 2, -2, 0, 10 (in input-scale units). Filter 131
  // with zero point 128 is 3. Accumulators 6, -6, 0, 30 plus bias 5: 11, -1, 5, 35. Times
  // M = 0.5 with ties upward: 6, 0, 3, 18; plus the output zero point 100.
  const std::vector<uint8_t> input = {130, 126, 128, 138};
  const std::vector<uint8_t> filter = {131};
  const std::vector<int32_t> bias = {5};
  const Requant rq({0.5});
  ConvQuantParams q;
  q.input_zero_point = 128;
  q.filter_zero_point = 128;
  q.output_zero_point = 100;
  q.output_multiplier = rq.multipliers.data();
  q.output_shift = rq.shifts.data();
  q.output_min = 0;
  q.output_max = 255;
  std::vector<uint8_t> out(4, 0);
  k::conv2d_quantized(ConvParams(), q, Shape{1, 2, 2, 1}, input.data(), Shape{1, 1, 1, 1},
                      filter.data(), bias.data(), Shape{1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<uint8_t>{106, 100, 103, 118});
  // The clamp is the quantized fused activation.
  q.output_min = 101;
  q.output_max = 110;
  k::conv2d_quantized(ConvParams(), q, Shape{1, 2, 2, 1}, input.data(), Shape{1, 1, 1, 1},
                      filter.data(), bias.data(), Shape{1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<uint8_t>{106, 101, 103, 110});
  // No bias.
  q.output_min = 0;
  q.output_max = 255;
  k::conv2d_quantized(ConvParams(), q, Shape{1, 2, 2, 1}, input.data(), Shape{1, 1, 1, 1},
                      filter.data(), nullptr, Shape{1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<uint8_t>{103, 97, 100, 115});  // 3, -3, 0, 15
}

TEST_CASE("conv2d_quantized pads with the zero point, not with zero") {
  // A 3x3 SAME window on a 2x2 input covers all four pixels from every output position; the
  // padding must add nothing. Inputs 1..4 with zero point 1 are 0..3, summing to 6.
  const std::vector<uint8_t> input = {1, 2, 3, 4};
  const std::vector<uint8_t> filter(9, 7);  // 7 - zero point 6 = 1 everywhere
  const Requant rq({1.0});
  ConvQuantParams q;
  q.input_zero_point = 1;
  q.filter_zero_point = 6;
  q.output_zero_point = 0;
  q.output_multiplier = rq.multipliers.data();
  q.output_shift = rq.shifts.data();
  q.output_min = 0;
  q.output_max = 255;
  ConvParams p;
  p.padding_h = {1, 1};
  p.padding_w = {1, 1};
  std::vector<uint8_t> out(4, 0);
  k::conv2d_quantized(p, q, Shape{1, 2, 2, 1}, input.data(), Shape{1, 3, 3, 1}, filter.data(),
                      nullptr, Shape{1, 2, 2, 1}, out.data());
  CHECK(out == std::vector<uint8_t>{6, 6, 6, 6});
}

TEST_CASE("conv2d_quantized i8 with per-channel multipliers on a hand-worked case") {
  // One pixel with two channels (3, -1) against zero point -1: real 4 and 0. Two output
  // channels: filter (2, 5) gives 8 and (-3, 1) gives -12. Bias (1, 0). Channel 0 scales by
  // 0.25: 9 * 0.25 = 2.25, but TFLite's two roundings give 3 (the high mul makes 4.5 -> 5,
  // the shift 2.5 -> 3). Channel 1 scales by 2: -24. Output zero point -10.
  const std::vector<int8_t> input = {3, -1};
  const std::vector<int8_t> filter = {2, 5, -3, 1};
  const std::vector<int32_t> bias = {1, 0};
  const Requant rq({0.25, 2.0});
  ConvQuantParams q;
  q.input_zero_point = -1;
  q.output_zero_point = -10;
  q.output_multiplier = rq.multipliers.data();
  q.output_shift = rq.shifts.data();
  q.output_min = -128;
  q.output_max = 127;
  std::vector<int8_t> out(2, 0);
  k::conv2d_quantized(ConvParams(), q, Shape{1, 1, 1, 2}, input.data(), Shape{2, 1, 1, 2},
                      filter.data(), bias.data(), Shape{1, 1, 1, 2}, out.data());
  CHECK(out == std::vector<int8_t>{-7, -34});
}

TEST_CASE("conv2d_quantized u8 random cases match int64 and real arithmetic") {
  run_random_cases<uint8_t>(1234, false);
}

TEST_CASE("conv2d_quantized i8 per-channel random cases match int64 and real arithmetic") {
  run_random_cases<int8_t>(4321, true);
}
