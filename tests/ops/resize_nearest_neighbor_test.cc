#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion resize_options(int32_t h, int32_t w, bool align_corners = false,
                                       bool half_pixel_centers = false) {
  ert::fb::ResizeOptionsT o;
  o.new_height = h;
  o.new_width = w;
  o.align_corners = align_corners;
  o.half_pixel_centers = half_pixel_centers;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_fails(OpHarness& h, ert_status code, const std::string& what) {
  const ert::Status s = h.prepare();
  CHECK(s.code() == code);
  CAPTURE(s.message());
  CHECK(s.message().find("op 0 (RESIZE_NEAREST_NEIGHBOR)") != std::string::npos);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("RESIZE_NEAREST_NEIGHBOR op: 3x3 to 2x2 per flag pair, two channels") {
  // Channel 0 is 1..9, channel 1 is 10 times that.
  std::vector<float> in;
  for (int i = 1; i <= 9; ++i) {
    in.push_back(float(i));
    in.push_back(float(10 * i));
  }
  struct Case {
    bool align, half;
    std::vector<float> want;  // Channel 0.
  };
  const Case cases[] = {{false, false, {1, 2, 4, 5}},
                        {true, false, {1, 3, 7, 9}},
                        {false, true, {1, 3, 7, 9}},
                        {true, true, {5, 6, 8, 9}}};  // TFLite accepts both flags here.
  for (const Case& c : cases) {
    CAPTURE(c.align);
    CAPTURE(c.half);
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2, c.align, c.half));
    h.add_input({1, 3, 3, 2}, in);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 2, 2, 2});
    std::vector<float> want;
    for (float v : c.want) {
      want.push_back(v);
      want.push_back(10 * v);
    }
    CHECK(h.output(0) == want);
  }
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR op: 2x2 to 4x4 upscale, batch 2") {
  OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(4, 4));
  h.add_input({2, 2, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 4, 4, 1});
  CHECK(h.output(0) == std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
                                          5, 5, 6, 6, 5, 5, 6, 6, 7, 7, 8, 8, 7, 7, 8, 8});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR op: prepare errors") {
  SUBCASE("zero new width") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(3, 0));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size 3x0 is invalid, each must be in [1, 1073741824]");
  }
  SUBCASE("negative new height") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(-1, 2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size -1x2 is invalid");
  }
  SUBCASE("new height beyond the dim cap") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(0x7fffffff, 1));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size 2147483647x1 is invalid");
  }
  SUBCASE("output beyond the element cap") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(1 << 20, 1 << 20));
    h.add_input({1, 1, 1, 1}, {1});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "more than 2^31-1 elements");
  }
  SUBCASE("empty input image") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2));
    h.add_input({1, 2, 0, 1}, {});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has height 2 and width 0, both must be >= 1");
  }
  SUBCASE("rank 2") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2));
    h.add_input({2, 2}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 dims, needs 4");
  }
  SUBCASE("options of another op") {
    ert::fb::TransposeOptionsT o;
    o.perm = {0, 1, 2, 3};
    ert::fb::OpOptionsUnion u;
    u.Set(std::move(o));
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, std::move(u));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing ResizeOptions");
  }
  SUBCASE("no inputs") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 0 inputs, needs 1");
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2));
    h.add_absent_input();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 is required but absent");
  }
  SUBCASE("float16 output") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output(ERT_F16);
    check_fails(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype f16");
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::RESIZE_NEAREST_NEIGHBOR, resize_options(2, 2), Activation::RELU6);
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_UNSUPPORTED, "fused activation RELU6 is not supported");
  }
}
