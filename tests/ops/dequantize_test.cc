#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

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
  CHECK_MESSAGE(s.message().find("op 0 (DEQUANTIZE)") != std::string::npos, s.message());
}

}  // namespace

TEST_CASE("DEQUANTIZE u8 per-tensor") {
  OpHarness h(OpCode::DEQUANTIZE);
  h.add_u8({2, 2}, {0, 128, 129, 255}, per_tensor(0.5f, 128));
  h.add_output(ERT_F32);
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 2});
  CHECK(h.output<float>(0) == std::vector<float>{-64.0f, 0.0f, 0.5f, 63.5f});
}

TEST_CASE("DEQUANTIZE i8 per-channel along a middle axis") {
  // [2,3,1] with scales (1, 0.5, 0.25) and zero points (0, -2, 4) on axis 1.
  OpHarness h(OpCode::DEQUANTIZE);
  h.add_i8({2, 3, 1}, {-6, -4, -2, 0, 2, 4}, TestQuant{{1.0f, 0.5f, 0.25f}, {0, -2, 4}, 1});
  h.add_output(ERT_F32);
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<float>(0) == std::vector<float>{-6.0f, -1.0f, -1.5f, 0.0f, 2.0f, 0.0f});
}

TEST_CASE("DEQUANTIZE i8 per-channel along axis 0 of a filter") {
  OpHarness h(OpCode::DEQUANTIZE);
  h.add_i8({2, 2}, {4, -4, 4, -4}, TestQuant{{0.25f, 2.0f}, {0, 0}, 0}, true);
  h.add_output(ERT_F32);
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<float>(0) == std::vector<float>{1.0f, -1.0f, 8.0f, -8.0f});
}

TEST_CASE("DEQUANTIZE f16 converts exactly") {
  // 1, -2, 65504 (largest half), 2^-24 (smallest subnormal), -0, +inf.
  const std::vector<uint16_t> half = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00};
  OpHarness h(OpCode::DEQUANTIZE);
  h.add_input(ERT_F16, {6}, OpHarness::bytes_of(half), TestQuant(), true);
  h.add_output(ERT_F32);
  REQUIRE(h.prepare_and_run().ok());
  const std::vector<float> out = h.output<float>(0);
  CHECK(out[0] == 1.0f);
  CHECK(out[1] == -2.0f);
  CHECK(out[2] == 65504.0f);
  CHECK(out[3] == std::ldexp(1.0f, -24));
  CHECK(out[4] == 0.0f);
  CHECK(std::signbit(out[4]));
  CHECK(out[5] == std::numeric_limits<float>::infinity());
}

TEST_CASE("DEQUANTIZE rejects what it cannot convert with clear messages") {
  SUBCASE("f32 input") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_f32({1}, {1.0f});
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "dtype f32", "u8, i8 and f16"});
  }
  SUBCASE("i8 output") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_I8);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "dtype i8", "supports f32"});
  }
  SUBCASE("u8 without quantization") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_u8({1}, {1}, TestQuant());
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "no quantization"});
  }
  SUBCASE("per-channel scales that do not fit the axis") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_i8({2, 3}, {1, 2, 3, 4, 5, 6}, TestQuant{{1.0f, 2.0f}, {0, 0}, 1});
    h.add_output(ERT_F32);
    expect_failure(h, ERT_INVALID_MODEL,
                   {"input 0", "2 quantization scales on axis 1", "shape [2,3]"});
  }
  SUBCASE("per-channel axis beyond the rank") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_i8({2}, {1, 2}, TestQuant{{1.0f, 2.0f}, {0, 0}, 1});
    h.add_output(ERT_F32);
    expect_failure(h, ERT_INVALID_MODEL, {"on axis 1"});
  }
  SUBCASE("zero point outside i8") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_i8({1}, {1}, per_tensor(1.0f, -129));
    h.add_output(ERT_F32);
    expect_failure(h, ERT_INVALID_MODEL, {"zero point -129"});
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::DEQUANTIZE, ert::fb::OpOptionsUnion(), Activation::RELU);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, {"fused activation RELU"});
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::DEQUANTIZE);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_F32);
    expect_failure(h, ERT_INVALID_MODEL, {"has 2 inputs, needs 1"});
  }
}
