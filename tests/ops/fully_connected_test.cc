#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion fc_options(bool keep_num_dims) {
  ert::fb::FullyConnectedOptionsT o;
  o.keep_num_dims = keep_num_dims;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void expect_failure(OpHarness& h, ert_status code, const char* fragment) {
  const ert::Status s = h.prepare();
  INFO(s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (FULLY_CONNECTED)") != std::string::npos);
  CHECK(s.message().find(fragment) != std::string::npos);
}

// Twelve values 1..12 and weights [2,3]: unit 0 sums a row, unit 1 is 2a - b.
const std::vector<float> kTwelve = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
const std::vector<float> kWeights = {1, 1, 1, 2, -1, 0};
// Rows of three: (1 2 3) (4 5 6) (7 8 9) (10 11 12).
const std::vector<float> kExpected = {6, 0, 15, 3, 24, 6, 33, 9};

}  // namespace

TEST_CASE("FULLY_CONNECTED op: 2-D input with bias, by hand") {
  OpHarness h(OpCode::FULLY_CONNECTED, fc_options(false));
  h.add_input({2, 3}, {1, 2, 3, 4, 5, 6});
  h.add_input({2, 3}, kWeights, true);
  h.add_input({2}, {0.5f, -2}, true);
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 2});
  CHECK(h.output(0) == std::vector<float>{6.5f, -2, 15.5f, 1});
}

TEST_CASE("FULLY_CONNECTED op: rank-3 input with and without keep_num_dims") {
  SUBCASE("flattened to rows") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(false));
    h.add_input({2, 2, 3}, kTwelve);
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{4, 2});
    CHECK(h.output(0) == kExpected);
  }
  SUBCASE("keep_num_dims keeps the leading dims") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(true));
    h.add_input({2, 2, 3}, kTwelve);
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{2, 2, 2});
    CHECK(h.output(0) == kExpected);
  }
  SUBCASE("the last dim need not be K without keep_num_dims") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(false));
    h.add_input({2, 6}, kTwelve);
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{4, 2});
    CHECK(h.output(0) == kExpected);
  }
  SUBCASE("rank-1 input") {
    OpHarness plain(OpCode::FULLY_CONNECTED, fc_options(false));
    plain.add_input({3}, {1, 2, 3});
    plain.add_input({2, 3}, kWeights, true);
    plain.add_output();
    REQUIRE(plain.prepare_and_run().ok());
    CHECK(plain.output_shape(0) == Shape{1, 2});
    CHECK(plain.output(0) == std::vector<float>{6, 0});

    OpHarness kept(OpCode::FULLY_CONNECTED, fc_options(true));
    kept.add_input({3}, {1, 2, 3});
    kept.add_input({2, 3}, kWeights, true);
    kept.add_output();
    REQUIRE(kept.prepare_and_run().ok());
    CHECK(kept.output_shape(0) == Shape{2});
  }
}

TEST_CASE("FULLY_CONNECTED op: no options, bias absent, fused RELU6") {
  SUBCASE("no options table means TFLite's defaults") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 2, 3}, {1, 2, 3, 4, 5, 6});
    h.add_input({2, 3}, kWeights);  // Weights need not be constant.
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{2, 2});
    CHECK(h.output(0) == std::vector<float>{6, 0, 15, 3});
  }
  SUBCASE("bias as an absent input, RELU6") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(false), Activation::RELU6);
    h.add_input({2, 3}, {1, 2, 3, -4, 5, 6});
    h.add_input({2, 3}, kWeights, true);
    h.add_absent_input();
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    // Row 0: 6, 0; row 1: 7 -> 6, -13 -> 0.
    CHECK(h.output(0) == std::vector<float>{6, 0, 6, 0});
  }
  SUBCASE("RELU with a bias") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(false), Activation::RELU);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_input({2}, {1, -1}, true);
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output(0) == std::vector<float>{7, 0});
  }
}

TEST_CASE("FULLY_CONNECTED op: rejects bad tensors and options") {
  SUBCASE("one input") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({2, 3}, kTwelve);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 1 inputs, needs 2 to 3");
  }
  SUBCASE("absent weights") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({2, 3}, {1, 2, 3, 4, 5, 6});
    h.add_absent_input();
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 1 is required");
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({2, 3}, {1, 2, 3, 4, 5, 6});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 2 outputs, needs 1");
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_raw_input(ERT_I8, {1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "input 0 (tensor 0 'input') has dtype i8");
  }
  SUBCASE("int8 weights") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_raw_input(ERT_I8, {2, 3}, {1, 1, 1, 2, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "weights (tensor 1 'input') has dtype i8");
  }
  SUBCASE("int32 bias") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_raw_input(ERT_I32, {2}, std::vector<uint8_t>(8, 0), true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "bias (tensor 2 'input') has dtype i32");
  }
  SUBCASE("bool output") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_output(ERT_BOOL);
    expect_failure(h, ERT_UNSUPPORTED, "output 0 (tensor 1000 'output') has dtype bool");
  }
  SUBCASE("scalar input") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({}, {1});
    h.add_input({2, 1}, {1, 2}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "input 0 (tensor 0 'input') has 0 dims, needs 1 to 6");
  }
  SUBCASE("rank-3 weights") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({1, 2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "weights (tensor 1 'input') has 3 dims, needs 2");
  }
  SUBCASE("rank-2 bias") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_input({1, 2}, {0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "bias (tensor 2 'input') has 2 dims, needs 1");
  }
  SUBCASE("weights with depth 0") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 0}, {}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has shape [2,0]; needs [N, K] with K at least 1");
  }
  SUBCASE("bias of the wrong length") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_input({3}, {0, 0, 0}, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has 3 values, needs 2 (weights dim 0)");
  }
  SUBCASE("input elements not a multiple of K") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({2, 2}, {1, 2, 3, 4});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL,
                   "input 0 has 4 elements (shape [2,2]), not a multiple of the weights' depth 3");
  }
  SUBCASE("keep_num_dims with a last dim other than K") {
    OpHarness h(OpCode::FULLY_CONNECTED, fc_options(true));
    h.add_input({2, 6}, kTwelve);
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL,
                   "keep_num_dims needs the input's last dim to be the weights' depth 3");
  }
  SUBCASE("options of another op") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::SoftmaxOptionsT());
    OpHarness h(OpCode::FULLY_CONNECTED, std::move(u));
    h.add_input({1, 3}, {1, 2, 3});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "missing FullyConnectedOptions");
  }
  SUBCASE("negative input dim") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({-3, 3}, {});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_INVALID_MODEL, "has a negative dim: [-3,3]");
  }
  SUBCASE("an input beyond the element cap") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 3}, {});
    h.add_input({2, 3}, kWeights, true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "input 0 has more than 2147483647 elements");
  }
  SUBCASE("an output beyond the element cap") {
    OpHarness h(OpCode::FULLY_CONNECTED);
    h.add_input({1 << 29, 3}, {});
    h.add_input({5, 3}, std::vector<float>(15, 1.0f), true);
    h.add_output();
    expect_failure(h, ERT_UNSUPPORTED, "output would have more than 2147483647 elements");
  }
}
