// PAD and MAX_POOL_2D on u8/i8 tensors: both move or select quantized values, so input and output
// share one quantization; PAD's constant is quantized into it and MAX_POOL_2D's fused activation
// clamps in it.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::Status;
using ert::fb::Activation;
using ert::fb::OpCode;
using ert::fb::Padding;
using ert::kernels::Shape;
using ert::testing::fails_with;
using ert::testing::OpHarness;
using ert::testing::per_tensor;

namespace {

ert::fb::OpOptionsUnion pad_options(std::vector<int32_t> paddings, float value = 0.0f) {
  ert::fb::PadOptionsT o;
  o.paddings = std::move(paddings);
  o.constant_value = value;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::OpOptionsUnion pool_options(Padding padding, int filter, int stride) {
  ert::fb::Pool2DOptionsT o;
  o.padding = padding;
  o.filter_h = o.filter_w = filter;
  o.stride_h = o.stride_w = stride;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

}  // namespace

TEST_CASE("PAD of i8 fills with the zero point, and a constant quantized into the input's scale") {
  // [1, 2, 2, 1] padded by one row above and one column on the right.
  const std::vector<int32_t> pads = {0, 0, 1, 0, 0, 1, 0, 0};
  SUBCASE("constant 0: the zero point") {
    OpHarness h(OpCode::PAD, pad_options(pads));
    h.add_i8({1, 2, 2, 1}, {10, -20, 30, 127}, per_tensor(0.5f, -3));
    h.add_output(ERT_I8, per_tensor(0.5f, -3));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 3, 3, 1});
    CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-3, -3, -3, 10, -20, -3, 30, 127, -3});
  }
  SUBCASE("constant 2.0: round(2 / 0.5) - 3 = 1") {
    OpHarness h(OpCode::PAD, pad_options(pads, 2.0f));
    h.add_i8({1, 2, 2, 1}, {10, -20, 30, 127}, per_tensor(0.5f, -3));
    h.add_output(ERT_I8, per_tensor(0.5f, -3));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<int8_t>(0) == std::vector<int8_t>{1, 1, 1, 10, -20, 1, 30, 127, 1});
  }
}

TEST_CASE("PAD of u8 clamps a constant outside the type's range") {
  OpHarness h(OpCode::PAD, pad_options({1, 1}, 1000.0f));
  h.add_u8({2}, {0, 200}, per_tensor(0.5f, 128));
  h.add_output(ERT_U8, per_tensor(0.5f, 128));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{255, 0, 200, 255});
}

TEST_CASE("MAX_POOL_2D of i8 takes the largest value and clamps RELU at the zero point") {
  // 2x2 windows, stride 2, on a 2x4 image: scale 0.5, zero point -10, so real 0 is -10.
  OpHarness h(OpCode::MAX_POOL_2D, pool_options(Padding::VALID, 2, 2), Activation::RELU);
  h.add_i8({1, 2, 4, 1}, {-50, -40, 5, -128, -30, -20, 127, 0}, per_tensor(0.5f, -10));
  h.add_output(ERT_I8, per_tensor(0.5f, -10));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 2, 1});
  // Window maxima -20 and 127; RELU lifts -20 (real -5) to -10 (real 0).
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-10, 127});
}

TEST_CASE("MAX_POOL_2D of u8 with SAME padding ignores the padded cells") {
  // Every value is below the zero point (negative reals): a padded cell counted as the zero
  // point, or as 0, would win; TFLite skips padded cells, so the real cells' maximum must.
  OpHarness h(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 3, 1));
  h.add_u8({1, 2, 2, 2}, {1, 9, 2, 8, 3, 7, 4, 6}, per_tensor(0.1f, 100));
  h.add_output(ERT_U8, per_tensor(0.1f, 100));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 2, 2, 2});
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{4, 9, 4, 9, 4, 9, 4, 9});
}

TEST_CASE("quantized PAD and MAX_POOL_2D refuse an output quantized differently") {
  for (const OpCode code : {OpCode::PAD, OpCode::MAX_POOL_2D}) {
    CAPTURE(static_cast<int>(code));
    OpHarness h(code, code == OpCode::PAD ? pad_options({0, 0, 0, 0, 0, 0, 0, 0})
                                          : pool_options(Padding::VALID, 1, 1));
    h.add_i8({1, 1, 1, 1}, {3}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8, per_tensor(0.25f, 0));
    const Status s = h.prepare();
    CHECK_MESSAGE(fails_with(s, ERT_UNSUPPORTED, {"output 0", "quantized differently",
                                                  "does not requantize"}),
                  s.message());
  }
  SUBCASE("and AVERAGE_POOL_2D, which computes new values, stays f32 only") {
    OpHarness h(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 1, 1));
    h.add_i8({1, 1, 1, 1}, {3}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8, per_tensor(0.5f, 0));
    const Status s = h.prepare();
    CHECK_MESSAGE(fails_with(s, ERT_UNSUPPORTED, {"input 0"}), s.message());
  }
}
