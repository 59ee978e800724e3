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

ert::fb::OpOptionsUnion conv_options(Padding padding, int stride_h = 1, int stride_w = 1,
                                     int dilation_h = 1, int dilation_w = 1) {
  ert::fb::Conv2DOptionsT o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  o.dilation_h = dilation_h;
  o.dilation_w = dilation_w;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::OpOptionsUnion conv_explicit(int top, int bottom, int left, int right) {
  ert::fb::Conv2DOptionsT o;
  o.padding = Padding::EXPLICIT;
  o.explicit_padding = std::make_unique<ert::fb::ExplicitPadding>(top, bottom, left, right);
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

std::vector<float> ones(size_t n) { return std::vector<float>(n, 1.0f); }

// Expects prepare() to fail with `code` and a message naming the op and containing `fragment`.
void expect_failure(OpHarness& h, ert_status code, const char* fragment) {
  const ert::Status s = h.prepare();
  INFO(s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (CONV_2D)") != std::string::npos);
  CHECK(s.message().find(fragment) != std::string::npos);
}

// A well-formed conv with `options` over input [1,4,4,2] and filter [3,2,2,2], and a bias.
void add_standard_tensors(OpHarness& h) {
  h.add_input({1, 4, 4, 2}, ones(32));
  h.add_input({3, 2, 2, 2}, ones(24), true);
  h.add_input({3}, {0, 0, 0}, true);
  h.add_output();
}

}  // namespace

TEST_CASE("CONV_2D op: SAME vs VALID with stride 2 on odd sizes: shapes and padding sides") {
  SUBCASE("width 5, filter 2: SAME puts the padding pixel after") {
    OpHarness same(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 2));
    same.add_input({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    same.add_input({1, 1, 2, 1}, {1, 10}, true);
    same.add_output();
    REQUIRE(same.prepare_and_run().ok());
    CHECK(same.output_shape(0) == Shape{1, 1, 3, 1});
    CHECK(same.output(0) == std::vector<float>{21, 43, 5});

    OpHarness valid(OpCode::CONV_2D, conv_options(Padding::VALID, 1, 2));
    valid.add_input({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    valid.add_input({1, 1, 2, 1}, {1, 10}, true);
    valid.add_output();
    REQUIRE(valid.prepare_and_run().ok());
    CHECK(valid.output_shape(0) == Shape{1, 1, 2, 1});
    CHECK(valid.output(0) == std::vector<float>{21, 43});
  }
  SUBCASE("height 7, filter 4: SAME puts the smaller half (1) before") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 2, 1));
    h.add_input({1, 7, 1, 1}, {1, 2, 3, 4, 5, 6, 7});
    h.add_input({1, 4, 1, 1}, {1, 10, 100, 1000}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 4, 1, 1});
    CHECK(h.output(0) == std::vector<float>{3210, 5432, 7654, 76});
  }
  SUBCASE("2-D shapes with batch 2") {
    OpHarness same(OpCode::CONV_2D, conv_options(Padding::SAME, 2, 2));
    same.add_input({2, 5, 7, 2}, ones(140));
    same.add_input({3, 3, 3, 2}, ones(54), true);
    same.add_output();
    REQUIRE(same.prepare_and_run().ok());
    CHECK(same.output_shape(0) == Shape{2, 3, 4, 3});
    // SAME pads one pixel on each side here; the corner sees 2 x 2 pixels of 2 channels.
    CHECK(same.output(0)[0] == 8.0f);

    OpHarness valid(OpCode::CONV_2D, conv_options(Padding::VALID, 2, 2));
    valid.add_input({2, 5, 7, 2}, ones(140));
    valid.add_input({3, 3, 3, 2}, ones(54), true);
    valid.add_output();
    REQUIRE(valid.prepare_and_run().ok());
    CHECK(valid.output_shape(0) == Shape{2, 2, 3, 3});
    CHECK(valid.output(0) == std::vector<float>(36, 18.0f));
  }
}

TEST_CASE("CONV_2D op: dilation 2 and explicit padding") {
  SUBCASE("dilation 2 with SAME pads one pixel on each side") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 1, 1, 2));
    h.add_input({1, 1, 5, 1}, {1, 2, 3, 4, 5});
    h.add_input({1, 1, 2, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 5, 1});
    CHECK(h.output(0) == std::vector<float>{20, 31, 42, 53, 4});
  }
  SUBCASE("dilation 2 with VALID") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID, 1, 1, 2, 1));
    h.add_input({1, 5, 1, 1}, {1, 2, 3, 4, 5});
    h.add_input({1, 2, 1, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 3, 1, 1});
    CHECK(h.output(0) == std::vector<float>{31, 42, 53});
  }
  SUBCASE("explicit: 2 left, 1 right, 1 top") {
    OpHarness h(OpCode::CONV_2D, conv_explicit(1, 0, 2, 1));
    h.add_input({1, 1, 3, 1}, {1, 2, 3});
    h.add_input({1, 1, 2, 1}, {1, 10}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 2, 5, 1});
    CHECK(h.output(0) == std::vector<float>{0, 0, 0, 0, 0, 0, 10, 21, 32, 3});
  }
}

TEST_CASE("CONV_2D op: 1x1, grouped, bias absent and fused RELU6") {
  SUBCASE("1x1 with bias") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_input({1, 1, 2, 3}, {1, 2, 3, 4, 5, 6});
    h.add_input({2, 1, 1, 3}, {1, 0, -1, 0.5f, 0.5f, 0.5f}, true);
    h.add_input({2}, {1, -1}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 2, 2});
    CHECK(h.output(0) == std::vector<float>{-1, 2, -1, 6.5f});
  }
  SUBCASE("two groups, weights not constant") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_input({2, 1, 1, 2}, {1, 10, 100, 1000});
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 1, 2});
    CHECK(h.output(0) == std::vector<float>{21, 4300});
  }
  SUBCASE("bias given as an absent input (index -1)") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_input({1, 1, 2, 1}, {3, -4});
    h.add_input({1, 1, 1, 1}, {2}, true);
    h.add_absent_input();
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{6, -8});
  }
  SUBCASE("fused RELU6") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID), Activation::RELU6);
    h.add_input({1, 1, 4, 1}, {-3, 0.5f, 3, 9});
    h.add_input({1, 1, 1, 1}, {2}, true);
    h.add_input({1}, {-1}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{0, 0, 5, 6});
  }
  SUBCASE("fused RELU_N1_TO_1") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID), Activation::RELU_N1_TO_1);
    h.add_input({1, 1, 3, 1}, {-3, 0.25f, 3});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{-1, 0.25f, 1});
  }
}

TEST_CASE("CONV_2D op: rejects bad tensor counts, dtypes and ranks") {
  SUBCASE("one input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 1 inputs, needs 2 to 3");
  }
  SUBCASE("four inputs") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    add_standard_tensors(h);
    h.add_input({3}, {0, 0, 0});
    expect_failure(h, ERT_INVALID_MODEL, "has 4 inputs");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    add_standard_tensors(h);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("absent filter") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_absent_input();
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 1 is required");
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_raw_input(ERT_I8, {1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype i8");
  }
  SUBCASE("int8 filter") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_raw_input(ERT_I8, {1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "filter (tensor 1 'input') has dtype i8");
  }
  SUBCASE("int32 bias") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_raw_input(ERT_I32, {1}, {0, 0, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "bias (tensor 2 'input') has dtype i32");
  }
  SUBCASE("int8 output") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output(ERT_I8);
    expect_failure(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype i8");
  }
  SUBCASE("rank-3 input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({4, 4, 2}, ones(32));
    h.add_input({3, 2, 2, 2}, ones(24), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 3 dims, needs 4");
  }
  SUBCASE("rank-2 filter") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({3, 2}, ones(6), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter (tensor 1 'input') has 2 dims");
  }
  SUBCASE("rank-2 bias") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({3, 2, 2, 2}, ones(24), true);
    h.add_input({1, 3}, {0, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "bias (tensor 2 'input') has 2 dims, needs 1");
  }
  SUBCASE("input with zero channels") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 0}, {});
    h.add_input({3, 2, 2, 2}, ones(24), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "height, width and channels must be at least 1");
  }
  SUBCASE("filter with a zero dim") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({3, 0, 2, 2}, {}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has shape [3,0,2,2]; every dim must be at least 1");
  }
}

TEST_CASE("CONV_2D op: rejects bad options") {
  SUBCASE("missing options") {
    OpHarness h(OpCode::CONV_2D);
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "missing Conv2DOptions");
  }
  SUBCASE("options of another op") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::FullyConnectedOptionsT());
    OpHarness h(OpCode::CONV_2D, std::move(u));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "missing Conv2DOptions");
  }
  SUBCASE("unknown padding mode") {
    OpHarness h(OpCode::CONV_2D, conv_options(static_cast<Padding>(7)));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "unknown padding mode 7");
  }
  SUBCASE("zero stride") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "strides must be at least 1, got 1 x 0");
  }
  SUBCASE("negative dilation") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 1, -1, 1));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "dilations must be at least 1, got -1 x 1");
  }
  SUBCASE("EXPLICIT without explicit_padding") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::EXPLICIT));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit_padding is missing");
  }
  SUBCASE("negative explicit padding") {
    OpHarness h(OpCode::CONV_2D, conv_explicit(0, 0, -1, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit padding must be non-negative");
  }
}

TEST_CASE("CONV_2D op: rejects inconsistent shapes and outputs beyond the caps") {
  SUBCASE("input channels not a multiple of the filter's") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 2, 2, 3}, ones(12));
    h.add_input({2, 1, 1, 2}, ones(4), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "3 channels, not a multiple of the filter's 2");
  }
  SUBCASE("filter with more channels than the input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 2, 2, 2}, ones(8));
    h.add_input({2, 1, 1, 4}, ones(8), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "2 channels, not a multiple of the filter's 4");
  }
  SUBCASE("output channels not a multiple of the groups") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 2, 2, 4}, ones(16));
    h.add_input({3, 1, 1, 2}, ones(6), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "3 output channels, not a multiple of the 2 groups");
  }
  SUBCASE("bias of the wrong length") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME));
    h.add_input({1, 4, 4, 2}, ones(32));
    h.add_input({3, 2, 2, 2}, ones(24), true);
    h.add_input({2}, {0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 values, needs 3");
  }
  SUBCASE("VALID filter larger than the input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID));
    h.add_input({1, 2, 4, 1}, ones(8));
    h.add_input({1, 3, 3, 1}, ones(9), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter height 3 (dilated: 3) does not fit");
  }
  SUBCASE("VALID dilated filter larger than the input") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID, 1, 1, 1, 4));
    h.add_input({1, 4, 4, 1}, ones(16));
    h.add_input({1, 2, 2, 1}, ones(4), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL,
                   "filter width 2 (dilated: 5) does not fit the input width 4 padded by 0 + 0");
  }
  SUBCASE("a dilation that spreads the filter beyond the caps") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 1, 1 << 30, 1));
    add_standard_tensors(h);
    expect_failure(h, ERT_UNSUPPORTED, "with dilation 1073741824 spans");
  }
  SUBCASE("an explicit padding that makes a dim beyond the caps") {
    OpHarness h(OpCode::CONV_2D, conv_explicit(INT32_MAX, 0, 0, 0));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "output dim 1 would be 2147483648, above the limit");
  }
  SUBCASE("an explicit padding that makes too many elements") {
    OpHarness h(OpCode::CONV_2D, conv_explicit((1 << 30) - 1, 0, (1 << 30) - 1, 0));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "output would have more than 2147483647 elements");
  }
  SUBCASE("a huge stride still gives one output row") {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, INT32_MAX, INT32_MAX));
    h.add_input({1, 2, 2, 1}, ones(4));
    h.add_input({1, 3, 3, 1}, ones(9), true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 1, 1, 1});
    CHECK(h.output(0) == std::vector<float>{4});  // SAME pads 1 after: the window sees 2 x 2.
  }
}
