#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion block_options(int32_t block_size) {
  ert::fb::SpaceDepthOptionsT o;
  o.block_size = block_size;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_fails(OpHarness& h, ert_status code, const std::string& what) {
  const ert::Status s = h.prepare();
  CHECK(s.code() == code);
  CAPTURE(s.message());
  CHECK(s.message().find("op 0 (SPACE_TO_DEPTH)") != std::string::npos);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("SPACE_TO_DEPTH op: 1x2x4x1 to 1x1x2x4") {
  OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
  h.add_input({1, 2, 4, 1}, {0, 1, 4, 5, 2, 3, 6, 7});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 2, 4});
  CHECK(h.output(0) == std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("SPACE_TO_DEPTH op: round trip through DEPTH_TO_SPACE") {
  const Shape shape{2, 4, 6, 3};
  std::vector<float> in(size_t(shape.num_elements()));
  for (size_t i = 0; i < in.size(); ++i) in[i] = float((i * 7) % 31) - 15.0f;
  OpHarness s2d(OpCode::SPACE_TO_DEPTH, block_options(2));
  s2d.add_input(shape, in);
  s2d.add_output();
  REQUIRE(s2d.prepare_and_run().ok());
  CHECK(s2d.output_shape(0) == Shape{2, 2, 3, 12});
  CHECK(s2d.output(0) != in);
  OpHarness d2s(OpCode::DEPTH_TO_SPACE, block_options(2));
  d2s.add_input(s2d.output_shape(0), s2d.output(0));
  d2s.add_output();
  REQUIRE(d2s.prepare_and_run().ok());
  CHECK(d2s.output_shape(0) == shape);
  CHECK(d2s.output(0) == in);
}

TEST_CASE("SPACE_TO_DEPTH op: prepare errors") {
  SUBCASE("block_size 0") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(0));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "block_size is 0, needs at least 1");
  }
  SUBCASE("height not a multiple") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_input({1, 3, 2, 1}, {1, 2, 3, 4, 5, 6});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "height 3 and width 2 must be multiples of block_size 2");
  }
  SUBCASE("width not a multiple") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_input({1, 2, 3, 1}, {1, 2, 3, 4, 5, 6});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "height 2 and width 3 must be multiples of block_size 2");
  }
  SUBCASE("output depth beyond the dim cap") {
    // An empty image lets any block size divide it; the depth would be 4 * 2^40.
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(1 << 20));
    h.add_input({1, 0, 0, 4}, {});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "output depth would be 4 * 1048576^2");
  }
  SUBCASE("rank 5") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_input({1, 1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 5 dims, needs 4");
  }
  SUBCASE("no options") {
    OpHarness h(OpCode::SPACE_TO_DEPTH);
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing SpaceDepthOptions");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_absent_input();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 is required but absent");
  }
  SUBCASE("int8 output") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2));
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output(ERT_I8);
    check_fails(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype i8");
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::SPACE_TO_DEPTH, block_options(2), Activation::RELU_N1_TO_1);
    h.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_UNSUPPORTED, "fused activation RELU_N1_TO_1 is not supported");
  }
}
