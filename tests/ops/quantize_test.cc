#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "tests/kernels/quant_reference.h"
#include "tests/support/op_harness.h"

using ert::Status;
using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::fails_with;
using ert::testing::per_tensor;
using ert::testing::OpHarness;
using ert::testing::TestQuant;

namespace {

void expect_failure(OpHarness& h, ert_status code, std::initializer_list<const char*> parts) {
  const Status s = h.prepare();
  CHECK_MESSAGE(fails_with(s, code, parts), s.message());
  CHECK_MESSAGE(s.message().find("op 0 (QUANTIZE)") != std::string::npos, s.message());
}

}  // namespace

TEST_CASE("QUANTIZE f32 to u8 rounds half away from zero and clamps") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  OpHarness h(OpCode::QUANTIZE);
  h.add_f32({2, 4}, {0.0f, 1.25f, -1.25f, 0.74f, 1000.0f, -1000.0f, nan, 63.75f});
  h.add_output(ERT_U8, per_tensor(0.5f, 128));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 4});
  // 2.5 -> 3, -2.5 -> -3, 1.48 -> 1, clamps, NaN -> the zero point, 127.5 -> 128 -> 255 clamp.
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{128, 131, 125, 129, 255, 0, 128, 255});
}

TEST_CASE("QUANTIZE f32 to i8") {
  OpHarness h(OpCode::QUANTIZE);
  h.add_f32({4}, {0.0f, 0.375f, -0.375f, 100.0f});
  h.add_output(ERT_I8, per_tensor(0.25f, -3));
  REQUIRE(h.prepare_and_run().ok());
  // 1.5 -> 2, -1.5 -> -2, then the zero point -3; 400 clamps.
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-3, -1, -5, 127});
}

TEST_CASE("QUANTIZE u8 to i8 with equal scales shifts by the zero points") {
  OpHarness h(OpCode::QUANTIZE);
  h.add_u8({5}, {0, 1, 128, 200, 255}, per_tensor(0.1f, 128));
  h.add_output(ERT_I8, per_tensor(0.1f, 0));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-128, -127, 0, 72, 127});
}

TEST_CASE("QUANTIZE requantizes between u8 and i8 scales like TFLite") {
  std::mt19937 rng(31);
  for (int iter = 0; iter < 40; ++iter) {
    const bool from_u8 = iter % 2 == 0, to_u8 = iter % 4 < 2;
    const int in_lo = from_u8 ? 0 : -128, out_lo = to_u8 ? 0 : -128;
    const float in_s = quant_ref::random_scale(rng, -7, 0);
    const float out_s = quant_ref::random_scale(rng, -7, 0);
    const int in_zp = std::uniform_int_distribution<int>(in_lo, in_lo + 255)(rng);
    const int out_zp = std::uniform_int_distribution<int>(out_lo, out_lo + 255)(rng);
    std::vector<uint8_t> bytes(256);
    for (int i = 0; i < 256; ++i) bytes[size_t(i)] = uint8_t(i);
    OpHarness h(OpCode::QUANTIZE);
    h.add_input(from_u8 ? ERT_U8 : ERT_I8, {256}, bytes, per_tensor(in_s, in_zp));
    h.add_output(to_u8 ? ERT_U8 : ERT_I8, per_tensor(out_s, out_zp));
    REQUIRE(h.prepare_and_run().ok());
    const std::vector<uint8_t> out = h.output<uint8_t>(0);
    const quant_ref::Multiplier m = quant_ref::multiplier_of(double(in_s) / double(out_s));
    for (int i = 0; i < 256; ++i) {
      const int q = from_u8 ? i : int(int8_t(uint8_t(i)));
      const int got = to_u8 ? int(out[size_t(i)]) : int(int8_t(out[size_t(i)]));
      const int64_t exact =
          quant_ref::clamp64(quant_ref::apply(q - in_zp, m) + out_zp, out_lo, out_lo + 255);
      CHECK(got == exact);
      double real = quant_ref::round_away(double(in_s) * (q - in_zp) / double(out_s)) + out_zp;
      real = std::fmin(std::fmax(real, out_lo), out_lo + 255);
      CHECK(std::fabs(got - real) <= 1.0);
    }
  }
}

TEST_CASE("QUANTIZE rejects what it cannot run with clear messages") {
  SUBCASE("f32 output") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_f32({1}, {1.0f});
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "dtype f32", "u8 and i8"});
  }
  SUBCASE("i32 input") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_i32({1}, {1});
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "dtype i32", "f32, u8 and i8"});
  }
  SUBCASE("output without quantization") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_f32({1}, {1.0f});
    h.add_output(ERT_U8);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "no quantization"});
  }
  SUBCASE("per-channel output") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_f32({2}, {1.0f, 2.0f});
    h.add_output(ERT_I8, TestQuant{{1.0f, 2.0f}, {0, 0}, 0});
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "per-channel"});
  }
  SUBCASE("u8 input without quantization") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_u8({1}, {1}, TestQuant());
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "no quantization"});
  }
  SUBCASE("rescaling factor too large") {
    OpHarness h(OpCode::QUANTIZE);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_I8, per_tensor(1e-12f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"rescaling factor", "too large"});
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::QUANTIZE, ert::fb::OpOptionsUnion(), Activation::RELU6);
    h.add_f32({1}, {1.0f});
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"fused activation RELU6"});
  }
}
