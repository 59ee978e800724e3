#include <doctest/doctest.h>

#include <cstdint>
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

TEST_CASE("ADD quantized u8 runs TFLite's arithmetic") {
  // a: scale 0.5, zero point 10; b: scale 0.25, zero point 0; out: scale 1, zero point 5.
  OpHarness h(OpCode::ADD);
  h.add_u8({7}, {14, 11, 9, 10, 10, 255, 0}, per_tensor(0.5f, 10));
  h.add_u8({7}, {8, 0, 0, 1, 2, 255, 0}, per_tensor(0.25f, 0));
  h.add_output(ERT_U8, per_tensor(1.0f, 5));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{7});
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{9, 6, 4, 5, 6, 191, 0});
}

TEST_CASE("ADD quantized i8 broadcasts and applies a fused RELU") {
  // a [2,1]: scale 0.5, zero point -8, so q -10 is -1 and -6 is 1. b [1,3]: reals 0, 1, 2.
  // Out scale 1, zero point 5: 5 + a + b on the [2,3] grid, then RELU clamps at 5.
  OpHarness h(OpCode::ADD, ert::fb::OpOptionsUnion(), Activation::RELU);
  h.add_i8({2, 1}, {-10, -6}, per_tensor(0.5f, -8));
  h.add_i8({1, 3}, {-128, -124, -120}, per_tensor(0.25f, -128));
  h.add_output(ERT_I8, per_tensor(1.0f, 5));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 3});
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{5, 5, 6, 6, 7, 8});
}

TEST_CASE("ADD quantized rejects what it cannot run with clear messages") {
  auto expect_failure = [](OpHarness& h, ert_status code, const char* op,
                           std::initializer_list<const char*> parts) {
    const Status s = h.prepare();
    CHECK_MESSAGE(fails_with(s, code, parts), s.message());
    CHECK_MESSAGE(s.message().find(op) != std::string::npos, s.message());
  };
  SUBCASE("quantized SUB and MUL stay unsupported") {
    for (OpCode code : {OpCode::SUB, OpCode::MUL}) {
      OpHarness h(code);
      h.add_u8({1}, {1}, per_tensor(1.0f, 0));
      h.add_u8({1}, {1}, per_tensor(1.0f, 0));
      h.add_output(ERT_U8, per_tensor(1.0f, 0));
      expect_failure(h, ERT_UNSUPPORTED, code == OpCode::SUB ? "op 0 (SUB)" : "op 0 (MUL)",
                     {"input 0", "dtype u8", "only ADD is"});
    }
  }
  SUBCASE("inputs of different dtypes") {
    OpHarness h(OpCode::ADD);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, "op 0 (ADD)", {"input 1", "dtype i8", "supports u8"});
  }
  SUBCASE("float output") {
    OpHarness h(OpCode::ADD);
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, "op 0 (ADD)", {"output 0", "dtype f32", "supports i8"});
  }
  SUBCASE("input without quantization") {
    OpHarness h(OpCode::ADD);
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1}, {1}, TestQuant());
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, "op 0 (ADD)", {"input 1", "no quantization"});
  }
  SUBCASE("per-channel input") {
    OpHarness h(OpCode::ADD);
    h.add_i8({2}, {1, 1}, TestQuant{{1.0f, 2.0f}, {0, 0}, 0});
    h.add_i8({2}, {1, 1}, per_tensor(1.0f, 0));
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, "op 0 (ADD)", {"input 0", "per-channel"});
  }
  SUBCASE("zero point outside i8") {
    OpHarness h(OpCode::ADD);
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_I8, per_tensor(1.0f, 128));
    expect_failure(h, ERT_INVALID_MODEL, "op 0 (ADD)",
                   {"output 0", "zero point 128", "i8 range [-128, 127]"});
  }
  SUBCASE("output scale too small for the inputs") {
    OpHarness h(OpCode::ADD);
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_U8, per_tensor(1e-30f, 0));
    expect_failure(h, ERT_UNSUPPORTED, "op 0 (ADD)", {"output scale 1e-30 is too small"});
  }
}
