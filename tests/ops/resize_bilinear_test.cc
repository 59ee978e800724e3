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
  CHECK(s.message().find("op 0 (RESIZE_BILINEAR)") != std::string::npos);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("RESIZE_BILINEAR op: 2x2 to 4x4 with two channels and half-pixel centres") {
  // Channel 0 is 1 2 / 3 4, channel 1 the same times -10.
  OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(4, 4, false, true));
  h.add_input({1, 2, 2, 2}, {1, -10, 2, -20, 3, -30, 4, -40});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 4, 4, 2});
  const std::vector<float> c0 = {1,    1.25f, 1.75f, 2,    1.5f, 1.75f, 2.25f, 2.5f,
                                 2.5f, 2.75f, 3.25f, 3.5f, 3,    3.25f, 3.75f, 4};
  const std::vector<float> out = h.output(0);
  REQUIRE(out.size() == 32);
  for (size_t i = 0; i < 16; ++i) {
    CHECK(out[2 * i] == c0[i]);
    CHECK(out[2 * i + 1] == -10 * c0[i]);
  }
}

TEST_CASE("RESIZE_BILINEAR op: 3x3 to 2x2 per flag, batch 2") {
  const std::vector<float> img = {0, 1, 4, 9, 16, 25, 36, 49, 64};
  std::vector<float> in = img;
  for (float v : img) in.push_back(v + 100);
  struct Case {
    bool align, half;
    std::vector<float> want;
  };
  const Case cases[] = {{false, false, {0, 2.5f, 22.5f, 38.5f}},
                        {true, false, {0, 4, 36, 64}},
                        {false, true, {2.875f, 8.125f, 32.125f, 50.875f}}};
  for (const Case& c : cases) {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2, c.align, c.half));
    h.add_input({2, 3, 3, 1}, in);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{2, 2, 2, 1});
    std::vector<float> want = c.want;
    for (float v : c.want) want.push_back(v + 100);
    CHECK(h.output(0) == want);
  }
}

TEST_CASE("RESIZE_BILINEAR op: output 1x1 and a non-square size") {
  OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(1, 3));
  h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 3, 1});
  // Row 0; columns at 0, 2/3, 4/3 (clamped to 1).
  const std::vector<float> out = h.output(0);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == 1);
  CHECK(out[1] == doctest::Approx(1 + 2.0 / 3));
  CHECK(out[2] == 2);
}

TEST_CASE("RESIZE_BILINEAR op: prepare errors") {
  SUBCASE("align_corners with half_pixel_centers") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(4, 4, true, true));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "align_corners and half_pixel_centers are both set");
  }
  SUBCASE("zero new height") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(0, 4));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size 0x4 is invalid, each must be in [1, 1073741824]");
  }
  SUBCASE("negative new width") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(4, -3));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size 4x-3 is invalid");
  }
  SUBCASE("new width beyond the dim cap") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(1, (1 << 30) + 1));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "new size 1x1073741825 is invalid");
  }
  SUBCASE("output beyond the element cap") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(1 << 16, 1 << 16));
    h.add_input({1, 1, 1, 2}, {1, 2});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL,
                "output 0 would have shape [1,65536,65536,2]: more than 2^31-1 elements");
  }
  SUBCASE("empty input image") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_input({1, 0, 2, 1}, {});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has height 0 and width 2, both must be >= 1");
  }
  SUBCASE("rank 3") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_input({2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 3 dims, needs 4");
  }
  SUBCASE("no options") {
    OpHarness h(OpCode::RESIZE_BILINEAR);
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing ResizeOptions");
  }
  SUBCASE("a size input as in TFLite") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_raw_input(ERT_I32, {2}, std::vector<uint8_t>(8, 0), true);
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 inputs, needs 1");
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_absent_input();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 is required but absent");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2));
    h.add_raw_input(ERT_I8, {1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output(ERT_I8);
    check_fails(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype i8");
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::RESIZE_BILINEAR, resize_options(2, 2), Activation::RELU);
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_UNSUPPORTED, "fused activation RELU is not supported");
  }
}
