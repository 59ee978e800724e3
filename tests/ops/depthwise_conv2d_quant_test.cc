#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

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

ert::fb::OpOptionsUnion dw_options(int multiplier) {
  ert::fb::DepthwiseConv2DOptionsT o;
  o.padding = Padding::VALID;
  o.depth_multiplier = multiplier;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void expect_failure(OpHarness& h, ert_status code, std::initializer_list<const char*> parts) {
  const Status s = h.prepare();
  CHECK_MESSAGE(fails_with(s, code, parts), s.message());
  CHECK_MESSAGE(s.message().find("op 0 (DEPTHWISE_CONV_2D)") != std::string::npos, s.message());
}

}  // namespace

TEST_CASE("DEPTHWISE_CONV_2D quantized u8 runs TFLite's arithmetic") {
  // The hand-worked case of kernels/depthwise_conv2d_quant_test.cc: M = 0.25 * 2 / 1 = 0.5,
  // zero points 10 (input), 1 (filter), 50 (output); depth multiplier 2.
  for (Activation act : {Activation::NONE, Activation::RELU}) {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(2), act);
    h.add_u8({1, 1, 2, 2}, {12, 9, 14, 13}, per_tensor(0.25f, 10));
    h.add_u8({1, 1, 2, 4}, {3, 2, 5, 1, 1, 4, 0, 2}, per_tensor(2.0f, 1), true);
    h.add_i32({4}, {0, 1, 2, 3}, per_tensor(0.5f, 0));
    h.add_output(ERT_U8, per_tensor(1.0f, 50));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 1, 4});
    // RELU clamps at the zero point 50.
    const uint8_t third = act == Activation::RELU ? 50 : 48;
    CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{52, 58, third, 53});
  }
}

TEST_CASE("DEPTHWISE_CONV_2D quantized i8 with per-channel scales on axis 3") {
  // Input 5 with zero point -3 (real 8 units), filters (1, -2, 4), factors 0.5, 0.25, 3.
  OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(3));
  h.add_i8({1, 1, 1, 1}, {5}, per_tensor(1.0f, -3));
  h.add_i8({1, 1, 1, 3}, {1, -2, 4}, TestQuant{{0.5f, 0.25f, 3.0f}, {0, 0, 0}, 3}, true);
  h.add_absent_input();
  h.add_output(ERT_I8, per_tensor(1.0f, 1));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{5, -3, 97});
}

TEST_CASE("DEPTHWISE_CONV_2D quantized rejects bad quantization with clear messages") {
  SUBCASE("per-channel scales on axis 0") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(2));
    h.add_i8({1, 1, 1, 1}, {5}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 2}, {1, 2}, TestQuant{{0.5f, 0.25f}, {0, 0}, 0}, true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL, {"filter", "on axis 0", "needs 2 scales on axis 3"});
  }
  SUBCASE("per-channel u8 filter") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(2));
    h.add_u8({1, 1, 1, 1}, {5}, per_tensor(1.0f, 0));
    h.add_u8({1, 1, 1, 2}, {1, 2}, TestQuant{{0.5f, 0.25f}, {0, 0}, 3}, true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"filter", "per-channel", "i8 filters only"});
  }
  SUBCASE("asymmetric i8 filter") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(1));
    h.add_i8({1, 1, 1, 1}, {5}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, -2), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"zero point -2", "symmetric"});
  }
  SUBCASE("input without quantization") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(1));
    h.add_i8({1, 1, 1, 1}, {5}, TestQuant());
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"input 0", "i8 but no quantization"});
  }
  SUBCASE("output of another dtype") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(1));
    h.add_i8({1, 1, 1, 1}, {5}, per_tensor(1.0f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(1.0f, 0), true);
    h.add_output(ERT_U8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"has dtype i8", "must be i8 too, not i8 and u8"});
  }
  SUBCASE("bias in another scale") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(1));
    h.add_i8({1, 1, 1, 1}, {5}, per_tensor(0.5f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(0.5f, 0), true);
    h.add_i32({1}, {0}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_INVALID_MODEL, {"bias", "input scale * filter scale = 0.25"});
  }
  SUBCASE("i8 bias") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(1));
    h.add_i8({1, 1, 1, 1}, {5}, per_tensor(0.5f, 0));
    h.add_i8({1, 1, 1, 1}, {1}, per_tensor(0.5f, 0), true);
    h.add_i8({1}, {0}, per_tensor(0.25f, 0), true);
    h.add_output(ERT_I8, per_tensor(1.0f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"bias (tensor 2 'input') has dtype i8", "supports i32"});
  }
}
