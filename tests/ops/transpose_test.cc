#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion perm_options(const std::vector<int32_t>& perm) {
  ert::fb::TransposeOptionsT o;
  o.perm = perm;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

// Expects prepare() to fail with `code` and a message naming the op and containing `what`.
void check_fails(OpHarness& h, ert_status code, const std::string& what) {
  const ert::Status s = h.prepare();
  CHECK(s.code() == code);
  CAPTURE(s.message());
  CHECK(s.message().find("op 0 (TRANSPOSE)") != std::string::npos);
  CHECK(s.message().find(what) != std::string::npos);
}

std::vector<float> iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[size_t(i)] = float(i);
  return v;
}

}  // namespace

TEST_CASE("TRANSPOSE op: 2x3x4 with perm {2, 0, 1}") {
  OpHarness h(OpCode::TRANSPOSE, perm_options({2, 0, 1}));
  h.add_input({2, 3, 4}, iota(24));
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{4, 2, 3});
  CHECK(h.output(0) == std::vector<float>{0, 4, 8,  12, 16, 20, 1, 5, 9,  13, 17, 21,
                                          2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23});
}

TEST_CASE("TRANSPOSE op: rank 6 reversed, rank 1 and rank 0") {
  SUBCASE("rank 6") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({5, 4, 3, 2, 1, 0}));
    h.add_input({2, 1, 1, 1, 1, 3}, iota(6));
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{3, 1, 1, 1, 1, 2});
    CHECK(h.output(0) == std::vector<float>{0, 3, 1, 4, 2, 5});
  }
  SUBCASE("rank 1") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({0}));
    h.add_input({3}, {7, 8, 9});
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{3});
    CHECK(h.output(0) == std::vector<float>{7, 8, 9});
  }
  SUBCASE("rank 0 with an empty perm") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({}));
    h.add_input(Shape{}, {42});
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0).rank == 0);
    CHECK(h.output(0) == std::vector<float>{42});
  }
}

TEST_CASE("TRANSPOSE op: an empty tensor keeps its shape permuted") {
  OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
  h.add_input({0, 5}, {});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{5, 0});
}

TEST_CASE("TRANSPOSE op: bad perms") {
  SUBCASE("wrong length") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_input({2, 3, 4}, iota(24));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "perm has 2 entries, input 0 (tensor 0 'input') has 3 dims");
  }
  SUBCASE("missing perm on a rank-2 input") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({}));
    h.add_input({2, 3}, iota(6));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "perm has 0 entries");
  }
  SUBCASE("duplicate axis") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({0, 2, 0}));
    h.add_input({2, 3, 4}, iota(24));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "perm[2] = 0 repeats an axis");
  }
  SUBCASE("axis too large") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({0, 3, 1}));
    h.add_input({2, 3, 4}, iota(24));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "perm[1] = 3 is not an axis of a rank-3 input");
  }
  SUBCASE("negative axis") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({0, -1, 1}));
    h.add_input({2, 3, 4}, iota(24));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "perm[1] = -1 is not an axis");
  }
}

TEST_CASE("TRANSPOSE op: bad options, tensors and activation") {
  SUBCASE("no options") {
    OpHarness h(OpCode::TRANSPOSE);
    h.add_input({2, 3}, iota(6));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing TransposeOptions");
  }
  SUBCASE("options of another op") {
    ert::fb::SpaceDepthOptionsT o;
    o.block_size = 2;
    ert::fb::OpOptionsUnion u;
    u.Set(std::move(o));
    OpHarness h(OpCode::TRANSPOSE, std::move(u));
    h.add_input({2, 3}, iota(6));
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "missing TransposeOptions");
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_input({2, 3}, iota(6));
    h.add_input({2}, {1, 0});
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 inputs, needs 1");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_input({2, 3}, iota(6));
    h.add_output();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_absent_input();
    h.add_output();
    check_fails(h, ERT_INVALID_MODEL, "input 0 is required but absent");
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_raw_input(ERT_I8, {2, 1}, {1, 2});
    h.add_output(ERT_I8);
    check_fails(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype i8");
  }
  SUBCASE("int32 output") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}));
    h.add_input({2, 3}, iota(6));
    h.add_output(ERT_I32);
    check_fails(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype i32");
  }
  SUBCASE("fused activation") {
    OpHarness h(OpCode::TRANSPOSE, perm_options({1, 0}), Activation::RELU6);
    h.add_input({2, 3}, iota(6));
    h.add_output();
    check_fails(h, ERT_UNSUPPORTED, "fused activation RELU6 is not supported");
  }
}
