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

ert::fb::OpOptionsUnion tconv_options(Padding padding, int stride_h = 1, int stride_w = 1) {
  ert::fb::TransposeConvOptionsT o;
  o.padding = padding;
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::OpOptionsUnion tconv_explicit(int top, int bottom, int left, int right, int stride_h = 1,
                                       int stride_w = 1) {
  ert::fb::TransposeConvOptionsT o;
  o.padding = Padding::EXPLICIT;
  o.explicit_padding = std::make_unique<ert::fb::ExplicitPadding>(top, bottom, left, right);
  o.stride_h = stride_h;
  o.stride_w = stride_w;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

std::vector<float> ones(size_t n) { return std::vector<float>(n, 1.0f); }

void expect_failure(OpHarness& h, ert_status code, const char* fragment) {
  const ert::Status s = h.prepare();
  INFO(s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (TRANSPOSE_CONV)") != std::string::npos);
  CHECK(s.message().find(fragment) != std::string::npos);
}

// A well-formed transpose conv: input [1,3,3,2], filter [4,3,3,2], bias [4].
void add_standard_tensors(OpHarness& h) {
  h.add_input({1, 3, 3, 2}, ones(18));
  h.add_input({4, 3, 3, 2}, ones(72), true);
  h.add_input({4}, {0, 0, 0, 0}, true);
  h.add_output();
}

// Runs a one-row, one-channel transpose conv and returns the output row.
std::vector<float> run_row(ert::fb::OpOptionsUnion options, const std::vector<float>& in,
                           const std::vector<float>& filter, int expected_width) {
  OpHarness h(OpCode::TRANSPOSE_CONV, std::move(options));
  h.add_input({1, 1, int32_t(in.size()), 1}, in);
  h.add_input({1, 1, int32_t(filter.size()), 1}, filter, true);
  h.add_output();
  const ert::Status s = h.prepare_and_run();
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(h.output_shape(0) == Shape{1, 1, expected_width, 1});
  return h.output(0);
}

}  // namespace

TEST_CASE("TRANSPOSE_CONV op: SAME vs VALID with stride 2, by hand") {
  // Full result of [1 2 3] with filter [1 10 100], stride 2: 1 10 102 20 203 30 300.
  CHECK(run_row(tconv_options(Padding::VALID, 1, 2), {1, 2, 3}, {1, 10, 100}, 7) ==
        std::vector<float>{1, 10, 102, 20, 203, 30, 300});
  // SAME: 3 * 2 = 6 pixels; the one extra pixel is cropped at the end.
  CHECK(run_row(tconv_options(Padding::SAME, 1, 2), {1, 2, 3}, {1, 10, 100}, 6) ==
        std::vector<float>{1, 10, 102, 20, 203, 30});
  // Filter 5: full result of 9 pixels, SAME crops 1 before (the smaller half) and 2 after.
  CHECK(run_row(tconv_options(Padding::SAME, 1, 2), {1, 10, 100}, {1, 2, 3, 4, 5}, 6) ==
        std::vector<float>{2, 13, 24, 135, 240, 350});
  // Filter 1, stride 3: SAME is longer than the full result; the tail gets zeros.
  CHECK(run_row(tconv_options(Padding::SAME, 1, 3), {2, 5}, {3}, 6) ==
        std::vector<float>{6, 0, 0, 15, 0, 0});
}

TEST_CASE("TRANSPOSE_CONV op: explicit crops and 2-D shapes") {
  CHECK(run_row(tconv_explicit(0, 0, 2, 1, 1, 2), {1, 2, 3}, {1, 10, 100}, 4) ==
        std::vector<float>{102, 20, 203, 30});

  OpHarness tile(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME, 2, 2));
  tile.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
  tile.add_input({1, 2, 2, 1}, {1, 10, 100, 1000}, true);
  tile.add_output();
  REQUIRE(tile.prepare_and_run().ok());
  CHECK(tile.output_shape(0) == Shape{1, 4, 4, 1});
  CHECK(tile.output(0) ==
        std::vector<float>{1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000});

  OpHarness same(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME, 2, 2));
  same.add_input({2, 3, 5, 4}, ones(120));
  same.add_input({3, 3, 3, 4}, ones(108), true);
  same.add_output();
  REQUIRE(same.prepare_and_run().ok());
  CHECK(same.output_shape(0) == Shape{2, 6, 10, 3});

  OpHarness valid(OpCode::TRANSPOSE_CONV, tconv_options(Padding::VALID, 2, 2));
  valid.add_input({2, 3, 5, 4}, ones(120));
  valid.add_input({3, 3, 3, 4}, ones(108), true);
  valid.add_output();
  REQUIRE(valid.prepare_and_run().ok());
  CHECK(valid.output_shape(0) == Shape{2, 7, 11, 3});
  // Pixel (0, 0) is reached by one window; (2, 2) by four (the corners of four windows).
  CHECK(valid.output(0)[0] == 4.0f);
  CHECK(valid.output(0)[(2 * 11 + 2) * 3] == 16.0f);
}

TEST_CASE("TRANSPOSE_CONV op: bias, absent bias and fused RELU6") {
  SUBCASE("bias everywhere, also where no window reaches") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME, 1, 3));
    h.add_input({1, 1, 2, 1}, {2, 5});
    h.add_input({1, 1, 1, 1}, {3}, true);
    h.add_input({1}, {1}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{7, 1, 1, 16, 1, 1});
  }
  SUBCASE("absent bias, RELU6 over two channels") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::VALID), Activation::RELU6);
    h.add_input({1, 1, 1, 2}, {1, 2});
    h.add_input({2, 1, 1, 2}, {1, 3, -1, 0});
    h.add_absent_input();
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{6, 0});
  }
}

TEST_CASE("TRANSPOSE_CONV op: rejects bad tensors") {
  SUBCASE("one input") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 1 inputs, needs 2 to 3");
  }
  SUBCASE("absent filter") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_absent_input();
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 1 is required");
  }
  SUBCASE("no outputs") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({4, 3, 3, 2}, ones(72), true);
    expect_failure(h, ERT_INVALID_MODEL, "has 0 outputs, needs 1");
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_raw_input(ERT_I8, {1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype i8");
  }
  SUBCASE("int8 filter") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_raw_input(ERT_I8, {1, 1, 1, 1}, {1}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "filter (tensor 1 'input') has dtype i8");
  }
  SUBCASE("int32 bias") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_raw_input(ERT_I32, {1}, {0, 0, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "bias (tensor 2 'input') has dtype i32");
  }
  SUBCASE("int8 output") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_input({1, 1, 1, 1}, {1}, true);
    h.add_output(ERT_I8);
    expect_failure(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype i8");
  }
  SUBCASE("rank-3 input") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({3, 3, 2}, ones(18));
    h.add_input({4, 3, 3, 2}, ones(72), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 3 dims, needs 4");
  }
  SUBCASE("rank-5 filter") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({1, 4, 3, 3, 2}, ones(72), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter (tensor 1 'input') has 5 dims, needs 4");
  }
  SUBCASE("rank-2 bias") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({4, 3, 3, 2}, ones(72), true);
    h.add_input({2, 2}, ones(4), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "bias (tensor 2 'input') has 2 dims, needs 1");
  }
  SUBCASE("input with zero height") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 0, 3, 2}, {});
    h.add_input({4, 3, 3, 2}, ones(72), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "height, width and channels must be at least 1");
  }
  SUBCASE("filter with zero output channels") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({0, 3, 3, 2}, {}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has shape [0,3,3,2]; every dim must be at least 1");
  }
  SUBCASE("filter input channels differ from the input's") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({4, 3, 3, 1}, ones(36), true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "filter has 1 input channels (dim 3), the input has 2");
  }
  SUBCASE("bias of the wrong length") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME));
    h.add_input({1, 3, 3, 2}, ones(18));
    h.add_input({4, 3, 3, 2}, ones(72), true);
    h.add_input({2}, {0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 values, needs 4");
  }
}

TEST_CASE("TRANSPOSE_CONV op: rejects bad options and sizes") {
  SUBCASE("missing options") {
    OpHarness h(OpCode::TRANSPOSE_CONV);
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "missing TransposeConvOptions");
  }
  SUBCASE("unknown padding") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(static_cast<Padding>(5)));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "unknown padding mode 5");
  }
  SUBCASE("negative stride") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME, -2, 2));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "strides must be at least 1, got -2 x 2");
  }
  SUBCASE("EXPLICIT without explicit_padding") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::EXPLICIT));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit_padding is missing");
  }
  SUBCASE("negative explicit padding") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_explicit(-1, 0, 0, 0));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit padding must be non-negative");
  }
  SUBCASE("explicit padding that crops everything") {
    // Full width (3 - 1) * 2 + 3 = 7; cropping 4 + 3 leaves nothing.
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_explicit(0, 0, 4, 3, 1, 2));
    add_standard_tensors(h);
    expect_failure(h, ERT_INVALID_MODEL, "explicit padding 4 + 3 crops all of the 7-pixel width");
  }
  SUBCASE("a stride that makes an output dim beyond the caps") {
    OpHarness h(OpCode::TRANSPOSE_CONV, tconv_options(Padding::SAME, INT32_MAX, 1));
    add_standard_tensors(h);
    expect_failure(h, ERT_UNSUPPORTED, "output dim 1 would be 6442450941, above the limit");
  }
}
