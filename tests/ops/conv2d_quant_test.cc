#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/kernels/quant_reference.h"
#include "tests/support/op_harness.h"

using ert::Status;
using ert::fb::Activation;
using ert::fb::OpCode;
using ert::fb::Padding;
using ert::kernels::Shape;
using ert::testing::fails_with;
using ert::testing::per_tensor;
using ert::testing::OpHarness;
using ert::testing::TestQuant;

namespace {

ert::fb::OpOptionsUnion conv_options(Padding padding, int stride = 1) {
  ert::fb::Conv2DOptionsT o;
  o.padding = padding;
  o.stride_h = stride;
  o.stride_w = stride;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

// The hand-worked u8 case of kernels/conv2d_quant_test.cc through the op: the real factor
// M = 0.5 * 1 / 1 = 0.5, zero points 128 (input, filter) and 100 (output), bias 5.
void add_u8_case(OpHarness& h, const TestQuant& bias_quant = per_tensor(0.5f, 0)) {
  h.add_u8({1, 2, 2, 1}, {130, 126, 128, 138}, per_tensor(0.5f, 128));
  h.add_u8({1, 1, 1, 1}, {131}, per_tensor(1.0f, 128), true);
  h.add_i32({1}, {5}, bias_quant);
}

void expect_failure(OpHarness& h, ert_status code, std::initializer_list<const char*> parts) {
  const Status s = h.prepare();
  CHECK_MESSAGE(fails_with(s, code, parts), s.message());
  CHECK_MESSAGE(s.message().find("op 0 (CONV_2D)") != std::string::npos, s.message());
}

}  // namespace

TEST_CASE("CONV_2D quantized u8 runs TFLite's arithmetic") {
  OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
  add_u8_case(h);
  h.add_output(ERT_U8, per_tensor(1.0f, 100));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 2, 2, 1});
  // 11, -1, 5, 35 times 0.5 (ties upward) plus 100.
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{106, 100, 103, 118});
}

TEST_CASE("CONV_2D quantized u8 applies a fused RELU6 in the quantized domain") {
  OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID), Activation::RELU6);
  add_u8_case(h);
  h.add_output(ERT_U8, per_tensor(1.0f, 100));
  REQUIRE(h.prepare_and_run().ok());
  // RELU6 with scale 1 and zero point 100 is the clamp [100, 106].
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{106, 100, 103, 106});
}

TEST_CASE("CONV_2D quantized i8 with per-channel filter scales") {
  // M = 0.5 * (0.5, 4) / 1 = (0.25, 2): the hand-worked case of the kernel test.
  OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
  h.add_i8({1, 1, 1, 2}, {3, -1}, per_tensor(0.5f, -1));
  h.add_i8({2, 1, 1, 2}, {2, 5, -3, 1}, TestQuant{{0.5f, 4.0f}, {0, 0}, 0}, true);
  h.add_i32({2}, {1, 0}, TestQuant{{0.25f, 2.0f}, {0, 0}, 0});
  h.add_output(ERT_I8, per_tensor(1.0f, -10));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-7, -34});
}

TEST_CASE("CONV_2D quantized u8 forms the scale product in float, as TFLite does") {
  // TFLite's u8 convolution computes input_scale * filter_scale in float before dividing in
  // double; with these scales that gives the multiplier 1367095661 (shift -9) instead of
  // 1367095738 from an all-double product. The bias 95305 (the input equals its zero point, so
  // the accumulator is the bias) lands near a rounding boundary: 118 versus 119. The SSD
  // MobileNet uint8 model only matches TFLite bit for bit with the float product.
  const float in_s = 0.06606115400791168f;
  const float f_s = 0.007676083128899336f;
  const float out_s = 0.4078370928764343f;
  OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
  h.add_u8({1, 1, 1, 1}, {7}, per_tensor(in_s, 7));
  h.add_u8({1, 1, 1, 1}, {1}, per_tensor(f_s, 0), true);
  h.add_i32({1}, {95305}, per_tensor(in_s * f_s, 0));
  h.add_output(ERT_U8, per_tensor(out_s, 0));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{118});
}

TEST_CASE("CONV_2D quantized random u8 and i8 models match int64 and real arithmetic") {
  std::mt19937 rng(17);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 20; ++iter) {
    const bool i8 = iter % 2 == 1;
    const int lo = i8 ? -128 : 0, hi = i8 ? 127 : 255;
    const int ci = pick(1, 4), co = pick(1, 4), hw = pick(3, 6);
    std::vector<uint8_t> in(size_t(hw * hw * ci)), filt(size_t(co * 3 * 3 * ci));
    for (auto& v : in) v = uint8_t(pick(lo, hi));
    for (auto& v : filt) v = uint8_t(pick(i8 ? -127 : lo, hi));
    std::vector<int32_t> bias(static_cast<size_t>(co));
    for (auto& v : bias) v = pick(-2000, 2000);
    const float in_s = quant_ref::random_scale(rng, -8, -3);
    const float out_s = quant_ref::random_scale(rng, -5, -1);
    TestQuant fq;
    TestQuant bq;
    for (int c = 0; c < (i8 ? co : 1); ++c) {
      fq.scales.push_back(quant_ref::random_scale(rng, -8, -4));
      fq.zero_points.push_back(i8 ? 0 : pick(0, 255));
      bq.scales.push_back(in_s * fq.scales.back());
      bq.zero_points.push_back(0);
    }
    if (i8 && co > 1) fq.axis = bq.axis = 0;
    const int32_t in_zp = pick(lo, hi), out_zp = pick(lo, hi);
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 2), Activation::RELU);
    h.add_input(i8 ? ERT_I8 : ERT_U8, {1, hw, hw, ci}, in, per_tensor(in_s, in_zp));
    h.add_input(i8 ? ERT_I8 : ERT_U8, {co, 3, 3, ci}, filt, fq, true);
    h.add_i32({co}, bias, bq);
    h.add_output(i8 ? ERT_I8 : ERT_U8, per_tensor(out_s, out_zp));
    REQUIRE(h.prepare_and_run().ok());
    const int oh = (hw + 1) / 2;
    REQUIRE(h.output_shape(0) == Shape{1, oh, oh, co});
    const std::vector<uint8_t> out = h.output<uint8_t>(0);
    // SAME with a 3x3 window and stride 2: total padding max((oh - 1) * 2 + 3 - hw, 0).
    const int pad = std::max((oh - 1) * 2 + 3 - hw, 0) / 2;
    auto as_int = [&](uint8_t b) { return i8 ? int(int8_t(b)) : int(b); };
    // RELU clamps at the output zero point.
    const int relu_lo = out_zp;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < oh; ++ox)
        for (int c = 0; c < co; ++c) {
          int64_t acc = bias[size_t(c)];
          const int fzp = int(fq.zero_points[i8 ? size_t(c) : 0]);
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int y = oy * 2 - pad + ky, x = ox * 2 - pad + kx;
              if (y < 0 || y >= hw || x < 0 || x >= hw) continue;
              for (int ch = 0; ch < ci; ++ch) {
                acc += int64_t(as_int(in[size_t((y * hw + x) * ci + ch)]) - in_zp) *
                       (as_int(filt[size_t(((c * 3 + ky) * 3 + kx) * ci + ch)]) - fzp);
              }
            }
          const float fs = fq.scales[i8 ? size_t(c) : 0];
          // TFLite's factor: for u8 the scale product is rounded to float first.
          const double real_m =
              i8 ? double(in_s) * double(fs) / double(out_s) : double(in_s * fs) / double(out_s);
          const int64_t exact = quant_ref::clamp64(
              quant_ref::apply(acc, quant_ref::multiplier_of(real_m)) + out_zp, relu_lo, hi);
          const int got = as_int(out[size_t((oy * oh + ox) * co + c)]);
          CHECK(got == exact);
          double real = quant_ref::round_away(double(acc) * real_m) + out_zp;
          real = std::fmin(std::fmax(real, relu_lo), hi);
          CHECK(std::fabs(got - real) <= 1.0);
        }
  }
}

TEST_CASE("CONV_2D quantized accepts a bias without quantization or with a rounded scale") {
  SUBCASE("no bias quantization") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    add_u8_case(h, TestQuant());
    h.add_output(ERT_U8, per_tensor(1.0f, 100));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{106, 100, 103, 118});
  }
  SUBCASE("bias scale off by a relative 1e-6") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    add_u8_case(h, per_tensor(0.5f * (1.0f + 1e-6f), 0));
    h.add_output(ERT_U8, per_tensor(1.0f, 100));
    CHECK(h.prepare().ok());
  }
  SUBCASE("one bias scale beside per-channel filter scales") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 2}, {3, -1}, per_tensor(0.5f, -1));
    h.add_i8({2, 1, 1, 2}, {2, 5, -3, 1}, TestQuant{{0.5f, 4.0f}, {0, 0}, 0}, true);
    h.add_i32({2}, {1, 0}, per_tensor(0.25f, 0));
    h.add_output(ERT_I8, per_tensor(1.0f, -10));
    CHECK(h.prepare().ok());
  }
}

TEST_CASE("CONV_2D quantized rejects bad or missing quantization with clear messages") {
  SUBCASE("input without quantization") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, TestQuant());
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED,
                   {"input 0 (tensor 0 'input') has dtype u8 but no "
                    "quantization"});
  }
  SUBCASE("output without quantization") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_U8);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "no quantization"});
  }
  SUBCASE("filter without quantization") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1, 1, 1, 1}, {1}, TestQuant(), true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED,
                   {"filter (tensor 1 'input') has dtype u8 but no "
                    "quantization"});
  }
  SUBCASE("per-channel u8 filter") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({2, 1, 1, 1}, {1, 2}, TestQuant{{1.0f, 2.0f}, {0, 0}, 0}, true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"filter", "per-channel", "i8 filters only"});
  }
  SUBCASE("per-channel scales on the wrong axis") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 2}, {1, 1}, per_tensor(1.0f, 0));
    h.add_i8({2, 1, 1, 2}, {1, 2, 3, 4}, TestQuant{{1.0f, 2.0f}, {0, 0}, 3}, true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL,
                   {"filter", "2 quantization scales on axis 3", "needs 2 scales on axis 0"});
  }
  SUBCASE("asymmetric i8 filter") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 3), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"filter", "zero point 3", "symmetric"});
  }
  SUBCASE("filter zero points that differ by channel") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({2, 1, 1, 1}, {1, 2}, TestQuant{{1.0f, 2.0f}, {0, 1}, 0}, true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"filter", "different zero points per channel"});
  }
  SUBCASE("float bias on a u8 convolution") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_f32({1}, {0.0f});
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"bias (tensor 2 'input') has dtype f32", "i32"});
  }
  SUBCASE("bias in another scale") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    add_u8_case(h, per_tensor(0.25f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f, 100));
    expect_failure(h, ERT_INVALID_MODEL,
                   {"bias", "scale 0.25", "input scale * filter scale = 0.5"});
  }
  SUBCASE("bias with a wrong number of scales") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_i32({1}, {0}, TestQuant{{1.0f, 1.0f, 1.0f}, {0, 0, 0}, 0});
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL, {"bias", "3 quantization scales, needs 1 or 1"});
  }
  SUBCASE("zero point outside the type") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 300));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL, {"input 0", "zero point 300", "u8 range [0, 255]"});
  }
  SUBCASE("zero or NaN scale") {
    for (float bad : {0.0f, -1.0f, std::nanf("")}) {
      OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
      h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
      h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
      h.add_output(ERT_I8, per_tensor(bad, 0));
      expect_failure(h, ERT_INVALID_MODEL, {"output 0", "scales must be finite and > 0"});
    }
  }
  SUBCASE("scales and zero points of different counts") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 1}, {1}, TestQuant{{1.0f}, {0, 0}, -1});
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL, {"input 0", "1 quantization scales but 2 zero points"});
  }
  SUBCASE("per-channel input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 2}, {1, 1}, TestQuant{{1.0f, 1.0f}, {0, 0}, 3});
    h.add_i8({1, 1, 1, 2}, {1, 1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "per-channel quantization (2 scales)"});
  }
  SUBCASE("filter of another dtype than the input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_u8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED,
                   {"input 0 (tensor 0 'input') has dtype u8", "must be u8 too, not i8 and u8"});
  }
  SUBCASE("int32 input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i32({1, 1, 1, 1}, {1});
    h.add_i32({1, 1, 1, 1}, {1});
    h.add_output(ERT_I32);
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "dtype i32", "f32, u8 and i8"});
  }
  SUBCASE("requantization factor too large") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_I8, per_tensor(1e-12f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"output channel 0", "requantization factor", "too large"});
  }
}
