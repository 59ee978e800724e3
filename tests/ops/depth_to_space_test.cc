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
  CHECK(s.message().find("op 0 (DEPTH_TO_SPACE)") != std::string::npos);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("DEPTH_TO_SPACE op: 1x1x1x4 to 1x2x2x1") {
  OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
  h.add_input({1, 1, 1, 4}, {1.5f, 2.5f, 3.5f, 4.5f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 2, 2, 1});
  CHECK(h.output(0) == std::vector<float>{1.5f, 2.5f, 3.5f, 4.5f});
}

TEST_CASE("DEPTH_TO_SPACE op: 2x1x2x8 with block 2 gives 2x2x4x2") {
  std::vector<float> in(32);
  for (size_t i = 0; i < in.size(); ++i) in[i] = float(i);
  OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
  h.add_input({2, 1, 2, 8}, in);
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 2, 4, 2});
  // Batch 0: pixel 0 has 0..7 (tile rows 0 1 2 3 / 4 5 6 7 as channel pairs), pixel 1 8..15.
  CHECK(h.output(0) == std::vector<float>{0,  1,  2,  3,  8,  9,  10, 11, 4,  5,  6,
                                          7,  12, 13, 14, 15, 16, 17, 18, 19, 24, 25,
                                          26, 27, 20, 21, 22, 23, 28, 29, 30, 31});
}

TEST_CASE("DEPTH_TO_SPACE op: prepare errors") {
  SUBCASE("block_size 0") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(0));
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "block_size is 0, needs at least 1");
  }
  SUBCASE("negative block_size") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(-2));
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "block_size is -2");
  }
  SUBCASE("depth not a multiple of block_size^2") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_input({1, 1, 1, 6}, {1, 2, 3, 4, 5, 6});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "depth 6 is not a multiple of block_size^2 = 4");
  }
  SUBCASE("output height beyond the dim cap") {
    // An empty input (depth 0) with a height of 2^30 passes every other check.
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_input({1, 1 << 30, 1, 0}, {});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "output dim 1 would be 2147483648 with block_size 2");
  }
  SUBCASE("rank 3") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_input({1, 1, 4}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 3 dims, needs 4");
  }
  SUBCASE("no options") {
    OpHarness h(OpCode::DEPTH_TO_SPACE);
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing SpaceDepthOptions");
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_input({1}, {2});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 inputs, needs 1");
  }
  SUBCASE("no output") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    check_fails(h, ERT_INVALID_MODEL, "has 0 outputs, needs 1");
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_absent_input();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 is required but absent");
  }
  SUBCASE("uint8 input") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2));
    h.add_raw_input(ERT_U8, {1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_output(ERT_U8);
    check_fails(h, ERT_UNSUPPORTED, "has dtype u8");
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::DEPTH_TO_SPACE, block_options(2), Activation::RELU);
    h.add_input({1, 1, 1, 4}, {1, 2, 3, 4});
    h.add_output();
    check_fails(h, ERT_UNSUPPORTED, "fused activation RELU is not supported");
  }
}
