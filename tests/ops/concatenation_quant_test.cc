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

namespace {

ert::fb::OpOptionsUnion concat_options(int axis) {
  ert::fb::ConcatenationOptionsT o;
  o.axis = axis;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void expect_failure(OpHarness& h, ert_status code, std::initializer_list<const char*> parts) {
  const Status s = h.prepare();
  CHECK_MESSAGE(fails_with(s, code, parts), s.message());
  CHECK_MESSAGE(s.message().find("op 0 (CONCATENATION)") != std::string::npos, s.message());
}

}  // namespace

TEST_CASE("CONCATENATION quantized u8 requantizes inputs to the output's scale") {
  // Output scale 0.25, zero point 3. Input 0 shares it (copied); input 1 has scale 0.5 and
  // zero point 10 (q 12 is real 1: 4 + 3 = 7); input 2 has scale 1, zero point 0.
  OpHarness h(OpCode::CONCATENATION, concat_options(-1));
  h.add_u8({1, 3}, {0, 7, 255}, per_tensor(0.25f, 3));
  h.add_u8({1, 3}, {12, 10, 0}, per_tensor(0.5f, 10));
  h.add_u8({1, 1}, {100}, per_tensor(1.0f, 0));
  h.add_output(ERT_U8, per_tensor(0.25f, 3));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 7});
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{0, 7, 255, 7, 3, 0, 255});
}

TEST_CASE("CONCATENATION quantized i8 along axis 1 with a fused RELU") {
  // Input 1 (scale 0.5) moves to scale 1 with ties away from zero; RELU clamps at 0.
  OpHarness h(OpCode::CONCATENATION, concat_options(1), Activation::RELU);
  h.add_i8({2, 1}, {1, -2}, per_tensor(1.0f, 0));
  h.add_i8({2, 2}, {1, 3, -1, -3}, per_tensor(0.5f, 0));
  h.add_output(ERT_I8, per_tensor(1.0f, 0));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{1, 1, 2, 0, 0, 0});
}

TEST_CASE("CONCATENATION quantized rejects mixed dtypes and missing quantization") {
  SUBCASE("u8 then i8") {
    OpHarness h(OpCode::CONCATENATION, concat_options(0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_i8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 1", "dtype i8", "supports u8"});
  }
  SUBCASE("f32 output") {
    OpHarness h(OpCode::CONCATENATION, concat_options(0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_F32);
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "dtype f32"});
  }
  SUBCASE("second input without quantization") {
    OpHarness h(OpCode::CONCATENATION, concat_options(0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_u8({1}, {1}, TestQuant());
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 1 (tensor 1 'input')", "no quantization"});
  }
  SUBCASE("output zero point outside u8") {
    OpHarness h(OpCode::CONCATENATION, concat_options(0));
    h.add_u8({1}, {1}, per_tensor(1.0f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f, -1));
    expect_failure(h, ERT_INVALID_MODEL, {"output 0", "zero point -1"});
  }
}
