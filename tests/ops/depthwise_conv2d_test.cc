#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::fb::Padding;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion dw_options(Padding padding, int multiplier = 1, int stride_h = 1,
                                   int stride_w = 1, int dilation_h = 1, int dilation_w = 1) {
  ert::fb::DepthwiseConv2DOptionsT o;
  o.padding = padding;
  o.depth_multiplier = multiplier;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.dilation_h = dilation_h;
  o.dilation_w = dilation_w;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::OpOptionsUnion dw_explicit(int top, int bottom, int left, int right) {
  ert::fb::DepthwiseConv2DOptionsT o;
  o.padding = Padding::EXPLICIT;
  o.explicit_padding = std::make_unique<ert::fb::ExplicitPadding>(top, bottom, left, right);
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

std::vector<float> ones(size_t n) { return std::vector<float>(n, 1.0f); }

void expect_failure(OpHarness& h, ert_status code, const char* fragment) {
  const ert::Status s = h.prepare();
  INFO(s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (DEPTHWISE_CONV_2D)") != std::string::npos);
  CHECK(s.message().find(fragment) != std::string::npos);
}

// A well-formed depthwise conv (multiplier 1): input [1,4,4,2], filter [1,2,2,2], bias [2].
void add_standard_tensors(OpHarness& h) {
  h.add_input({1, 4, 4, 2}, ones(32));
  h.add_input({1, 2, 2, 2}, ones(8), true);
  h.add_input({2}, {0, 0}, true);
  h.add_output();
}

}  // namespace

TEST_CASE("DEPTHWISE_CONV_2D op: depth multiplier 2 with bias, by hand") {
  OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::VALID, 2));
  h.add_input({1, 1, 3, 2}, {1, 10, 2, 20, 3, 30});
  h.add_input({1, 1, 2, 4}, {1, -1, 0.5f, 2, 1, 1, 0, 1}, true);
  h.add_input({4}, {0.5f, 0, 0, -40}, true);
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 2, 4});
  CHECK(h.output(0) == std::vector<float>{3.5f, 1, 5, 0, 5.5f, 1, 10, 30});
}

TEST_CASE("DEPTHWISE_CONV_2D op: SAME vs VALID stride 2 on odd sizes, dilation, explicit") {
  SUBCASE("SAME puts the padding pixel after") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 1, 1, 2));
    h.add_input({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    h.add_input({1, 1, 2, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 3, 1});
    CHECK(h.output(0) == std::vector<float>{21, 43, 5});
  }
  SUBCASE("VALID drops the last pixel") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::VALID, 1, 1, 2));
    h.add_input({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    h.add_input({1, 1, 2, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 2, 1});
    CHECK(h.output(0) == std::vector<float>{21, 43});
  }
  SUBCASE("2-D SAME and VALID shapes with a multiplier") {
    OpHarness same(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 3, 2, 2));
    same.add_input({2, 7, 5, 2}, ones(140));
    same.add_input({1, 3, 3, 6}, ones(54), true);
    same.add_output();
    REQUIRE(same.prepare_and_run().ok());
    CHECK(same.output_shape(0) == Shape{2, 4, 3, 6});
    CHECK(same.output(0)[0] == 4.0f);  // The corner window sees 2 x 2 pixels.

    OpHarness valid(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::VALID, 3, 2, 2));
    valid.add_input({2, 7, 5, 2}, ones(140));
    valid.add_input({1, 3, 3, 6}, ones(54), true);
    valid.add_output();
    REQUIRE(valid.prepare_and_run().ok());
    CHECK(valid.output_shape(0) == Shape{2, 3, 2, 6});
    CHECK(valid.output(0) == std::vector<float>(72, 9.0f));
  }
  SUBCASE("dilation 2, SAME") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 1, 1, 1, 2, 1));
    h.add_input({1, 5, 1, 1}, {1, 2, 3, 4, 5});
    h.add_input({1, 2, 1, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 5, 1, 1});
    CHECK(h.output(0) == std::vector<float>{20, 31, 42, 53, 4});
  }
  SUBCASE("explicit padding") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_explicit(0, 0, 2, 1));
    h.add_input({1, 1, 3, 1}, {1, 2, 3});
    h.add_input({1, 1, 2, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 5, 1});
    CHECK(h.output(0) == std::vector<float>{0, 10, 21, 32, 3});
  }
}

TEST_CASE("DEPTHWISE_CONV_2D op: bias absent and fused RELU6") {
  OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::VALID), Activation::RELU6);
  h.add_input({1, 1, 2, 2}, {4, -1, 1, 2});
  h.add_input({1, 1, 1, 2}, {2, 1});
  h.add_absent_input();
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output(0) == std::vector<float>{6, 0, 2, 2});
}

TEST_CASE("DEPTHWISE_CONV_2D op: rejects bad tensors") {
  SUBCASE("one input") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 1 inputs, needs 2 to 3");
  }
  SUBCASE("absent filter") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_absent_input();
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 1 is required");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    add_standard_tensors(h);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("uint8 input") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_raw_input(ERT_U8, {1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype u8");
  }
  SUBCASE("f16 filter") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_raw_input(ERT_F16, {1, 1, 1, 1}, {0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "filter (tensor 1 'input') has dtype f16");
  }
  SUBCASE("int32 bias") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_raw_input(ERT_I32, {1}, {0, 0, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "bias (tensor 2 'input') has dtype i32");
  }
  SUBCASE("int8 output") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output(ERT_I8);
    expect_failure(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype i8");
  }
  SUBCASE("rank-5 input") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 1, 4, 4, 2}, ones(32));
    h.add_input({1, 2, 2, 2}, ones(8), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 5 dims, needs 4");
  }
  SUBCASE("rank-3 filter") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({2, 2, 2}, ones(8), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter (tensor 1 'input') has 3 dims, needs 4");
  }
  SUBCASE("rank-0 bias") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({1, 2, 2, 2}, ones(8), true);
    h.add_input({}, {0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "bias (tensor 2 'input') has 0 dims, needs 1");
  }
  SUBCASE("input with zero width") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 0, 2}, {});
    h.add_input({1, 2, 2, 2}, ones(8), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has shape [1,4,0,2]; height, width and channels");
  }
  SUBCASE("filter dim 0 not 1") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({2, 2, 2, 2}, ones(16), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has shape [2,2,2,2]; needs [1,KH,KW,C]");
  }
  SUBCASE("filter channels not input channels * depth multiplier") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 2));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({1, 2, 2, 6}, ones(24), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL,
                   "filter has 6 channels, needs input channels 2 * depth_multiplier 2");
  }
  SUBCASE("a depth multiplier so large that channels * multiplier wraps int32") {
    // 4 * (2^30 + 1) wraps to 4 in 32 bits, which would match the filter's 4 channels.
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, (1 << 30) + 1));
    h.add_input({1, 4, 4, 4}, ones(64));
    h.add_input({1, 1, 1, 4}, ones(4), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL,
                   "filter has 4 channels, needs input channels 4 * depth_multiplier 1073741825");
  }
  SUBCASE("bias of the wrong length") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 2));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({1, 2, 2, 4}, ones(16), true);
    h.add_input({2}, {0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 values, needs 4");
  }
}

TEST_CASE("DEPTHWISE_CONV_2D op: rejects bad options and sizes") {
  SUBCASE("missing options") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D);
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "missing DepthwiseConv2DOptions");
  }
  SUBCASE("conv options instead") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::Conv2DOptionsT());
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, std::move(u));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "missing DepthwiseConv2DOptions");
  }
  SUBCASE("depth multiplier 0") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "depth_multiplier must be at least 1, got 0");
  }
  SUBCASE("unknown padding") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(static_cast<Padding>(3)));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "unknown padding mode 3");
  }
  SUBCASE("zero stride") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 1, 0, 1));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "strides must be at least 1, got 0 x 1");
  }
  SUBCASE("zero dilation") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 1, 1, 1, 1, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "dilations must be at least 1, got 1 x 0");
  }
  SUBCASE("EXPLICIT without explicit_padding") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::EXPLICIT));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit_padding is missing");
  }
  SUBCASE("negative explicit padding") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_explicit(0, -2, 0, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit padding must be non-negative");
  }
  SUBCASE("VALID filter larger than the input") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::VALID));
    h.add_input({1, 4, 2, 1}, ones(8));
    h.add_input({1, 1, 3, 1}, ones(3), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter width 3 (dilated: 3) does not fit");
  }
  SUBCASE("a dilation beyond the caps") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_options(Padding::SAME, 1, 1, 1, 1, INT32_MAX));
    add_standard_tensors(h);
    expect_failure(h, ERT_UNSUPPORTED, "filter width 2 with dilation 2147483647 spans");
  }
  SUBCASE("an output dim beyond the caps") {
    OpHarness h(OpCode::DEPTHWISE_CONV_2D, dw_explicit(0, 0, INT32_MAX, INT32_MAX));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "output dim 2 would be 4294967295");
  }
}
