#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tests/support/op_harness.h"

using ert::Status;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::fails_with;
using ert::testing::per_tensor;
using ert::testing::OpHarness;
using ert::testing::TestQuant;

TEST_CASE("LOGISTIC quantized u8 looks every input up in TFLite's table") {
  // Input scale 0.1, zero point 128: q = 128 + 10 * x.
  OpHarness h(OpCode::LOGISTIC);
  h.add_u8({2, 3}, {128, 138, 118, 255, 0, 148}, per_tensor(0.1f, 128));
  h.add_output(ERT_U8, per_tensor(1.0f / 256.0f, 0));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 3});
  // 256 * sigmoid of 0, 1, -1, 12.7, -12.8, 2: 128, 187.15, 68.85, 256 (clamped), 0, 225.4.
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{128, 187, 69, 255, 0, 225});
}

TEST_CASE("LOGISTIC quantized i8 with TFLite's output zero point -128") {
  OpHarness h(OpCode::LOGISTIC);
  h.add_i8({4}, {0, -1, 127, -128}, per_tensor(0.05f, 0));
  h.add_output(ERT_I8, per_tensor(1.0f / 256.0f, -128));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{0, -3, 127, -128});
}

TEST_CASE("LOGISTIC quantized takes any output zero point into the table") {
  // TFLite's table path applies the zero point; 0.5 * 256 = 128 plus 10 clamps to 127.
  OpHarness h(OpCode::LOGISTIC);
  h.add_i8({2}, {0, -100}, per_tensor(0.05f, 0));
  h.add_output(ERT_I8, per_tensor(1.0f / 256.0f, 10));
  REQUIRE(h.prepare_and_run().ok());
  // sigmoid(-5) * 256 = 1.71 -> 2, plus 10.
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{127, 12});
}

TEST_CASE("LOGISTIC quantized rejects other output scales and missing quantization") {
  auto expect_failure = [](OpHarness& h, ert_status code,
                           std::initializer_list<const char*> parts) {
    const Status s = h.prepare();
    CHECK_MESSAGE(fails_with(s, code, parts), s.message());
    CHECK_MESSAGE(s.message().find("op 0 (LOGISTIC)") != std::string::npos, s.message());
  };
  SUBCASE("output scale 1/255") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_u8({1}, {1}, per_tensor(0.1f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f / 255.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "needs exactly 1/256"});
  }
  SUBCASE("output without quantization") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_u8({1}, {1}, per_tensor(0.1f, 0));
    h.add_output(ERT_U8);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "no quantization"});
  }
  SUBCASE("u8 input with an i8 output") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_u8({1}, {1}, per_tensor(0.1f, 0));
    h.add_output(ERT_I8, per_tensor(1.0f / 256.0f, -128));
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "dtype i8", "supports u8"});
  }
  SUBCASE("i32 input") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_i32({1}, {1});
    h.add_output(ERT_I32);
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "dtype i32", "f32, u8 and i8"});
  }
  SUBCASE("per-channel input") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_u8({2}, {1, 2}, TestQuant{{0.1f, 0.2f}, {0, 0}, 0});
    h.add_output(ERT_U8, per_tensor(1.0f / 256.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "per-channel"});
  }
}
