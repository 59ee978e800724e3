#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion mean_options(std::vector<int32_t> axes, bool keep_dims) {
  ert::fb::ReduceOptionsT o;
  o.axes = std::move(axes);
  o.keep_dims = keep_dims;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (MEAN)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

// [1,2,2,2]: channel 0 holds 1,3,5,7 and channel 1 holds 2,4,6,8.
const std::vector<float> kImage = {1, 2, 3, 4, 5, 6, 7, 8};

}  // namespace

TEST_CASE("MEAN over H and W with and without keep_dims") {
  for (bool keep : {false, true}) {
    OpHarness op(OpCode::MEAN, mean_options({1, 2}, keep));
    op.add_input({1, 2, 2, 2}, kImage);
    op.add_output();
    REQUIRE(op.prepare_and_run().ok());
    CHECK(op.output_shape(0) == (keep ? Shape{1, 1, 1, 2} : Shape{1, 2}));
    CHECK(op.output(0) == std::vector<float>{4.0f, 5.0f});
  }
}

TEST_CASE("MEAN over a negative axis, with a repeated axis reduced once") {
  for (const std::vector<int32_t>& axes :
       {std::vector<int32_t>{-1}, std::vector<int32_t>{1, -1, 1}}) {
    OpHarness op(OpCode::MEAN, mean_options(axes, false));
    op.add_input({2, 3}, {1, 2, 3, 4, 5, 6});
    op.add_output();
    REQUIRE(op.prepare_and_run().ok());
    CHECK(op.output_shape(0) == Shape{2});
    CHECK(op.output(0) == std::vector<float>{2.0f, 5.0f});
  }
}

TEST_CASE("MEAN over every axis gives a scalar, or all ones with keep_dims") {
  OpHarness op(OpCode::MEAN, mean_options({0, -3, 2, 3}, false));
  op.add_input({1, 2, 2, 2}, kImage);
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{});
  CHECK(op.output(0) == std::vector<float>{4.5f});

  OpHarness keep(OpCode::MEAN, mean_options({0, 1, 2, 3}, true));
  keep.add_input({1, 2, 2, 2}, kImage);
  keep.add_output();
  REQUIRE(keep.prepare_and_run().ok());
  CHECK(keep.output_shape(0) == Shape{1, 1, 1, 1});
  CHECK(keep.output(0) == std::vector<float>{4.5f});
}

TEST_CASE("MEAN with no axes copies the input, and a scalar ignores its axes (TFLite)") {
  OpHarness none(OpCode::MEAN, mean_options({}, false));
  none.add_input({3}, {1, -2, 3});
  none.add_output();
  REQUIRE(none.prepare_and_run().ok());
  CHECK(none.output_shape(0) == Shape{3});
  CHECK(none.output(0) == std::vector<float>{1, -2, 3});

  OpHarness scalar(OpCode::MEAN, mean_options({0}, true));
  scalar.add_input(Shape{}, {2.5f});
  scalar.add_output();
  REQUIRE(scalar.prepare_and_run().ok());
  CHECK(scalar.output_shape(0) == Shape{});
  CHECK(scalar.output(0) == std::vector<float>{2.5f});
}

TEST_CASE("MEAN prepare rejects bad counts, dtypes, activation and options") {
  SUBCASE("two inputs") {
    OpHarness op(OpCode::MEAN, mean_options({0}, false));
    op.add_input({2}, {1, 2});
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"2 inputs"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::MEAN, mean_options({0}, false));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0 is required"});
  }
  SUBCASE("int32 input") {
    OpHarness op(OpCode::MEAN, mean_options({0}, false));
    op.add_raw_input(ERT_I32, {1}, {1, 0, 0, 0});
    op.add_output(ERT_I32);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"input 0", "i32"});
  }
  SUBCASE("fused activation") {
    OpHarness op(OpCode::MEAN, mean_options({0}, false), Activation::RELU6);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"fused activation", "RELU6"});
  }
  SUBCASE("no options") {
    OpHarness op(OpCode::MEAN);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing ReduceOptions"});
  }
  SUBCASE("axis equal to the rank") {
    OpHarness op(OpCode::MEAN, mean_options({0, 2}, false));
    op.add_input({2, 2}, {1, 2, 3, 4});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axes[1] = 2", "[-2, 2)", "rank 2"});
  }
  SUBCASE("axis below minus the rank") {
    OpHarness op(OpCode::MEAN, mean_options({-3}, false));
    op.add_input({2, 2}, {1, 2, 3, 4});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axes[0] = -3"});
  }
}
