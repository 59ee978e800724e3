#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "src/runtime/limits.h"
#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion concat_options(int axis) {
  ert::fb::ConcatenationOptionsT o;
  o.axis = axis;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (CONCATENATION)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("CONCATENATION of three inputs along axis 0") {
  OpHarness op(OpCode::CONCATENATION, concat_options(0));
  op.add_input({1, 2}, {1, 2});
  op.add_input({2, 2}, {3, 4, 5, 6});
  op.add_input({1, 2}, {7, 8});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{4, 2});
  CHECK(op.output(0) == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("CONCATENATION of three inputs along the last axis, given as 1 and as -1") {
  for (int axis : {1, -1}) {
    OpHarness op(OpCode::CONCATENATION, concat_options(axis));
    op.add_input({2, 1}, {1, 2});
    op.add_input({2, 2}, {3, 4, 5, 6});
    op.add_input({2, 1}, {7, 8});
    op.add_output();
    REQUIRE(op.prepare_and_run().ok());
    CHECK(op.output_shape(0) == Shape{2, 4});
    CHECK(op.output(0) == std::vector<float>{1, 3, 4, 7, 2, 5, 6, 8});
  }
}

TEST_CASE("CONCATENATION along a negative middle axis with a fused RELU") {
  // Axis -2 of rank 3 is axis 1: [2,1,2] + [2,2,2] + [2,1,2] -> [2,4,2].
  OpHarness op(OpCode::CONCATENATION, concat_options(-2), Activation::RELU);
  op.add_input({2, 1, 2}, {-1, 1, 2, -2});
  op.add_input({2, 2, 2}, {10, 11, 12, 13, 20, 21, 22, 23});
  op.add_input({2, 1, 2}, {3, -3, -4, 4});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{2, 4, 2});
  CHECK(op.output(0) == std::vector<float>{0, 1, 10, 11, 12, 13, 3, 0,  //
                                           2, 0, 20, 21, 22, 23, 0, 4});
}

TEST_CASE("CONCATENATION of a single input copies it, and empty inputs take no room") {
  OpHarness one(OpCode::CONCATENATION, concat_options(0));
  one.add_input({3}, {1, 2, 3});
  one.add_output();
  REQUIRE(one.prepare_and_run().ok());
  CHECK(one.output(0) == std::vector<float>{1, 2, 3});

  OpHarness empty(OpCode::CONCATENATION, concat_options(1));
  empty.add_input({2, 0}, {});
  empty.add_input({2, 1}, {5, 6});
  empty.add_output();
  REQUIRE(empty.prepare_and_run().ok());
  CHECK(empty.output_shape(0) == Shape{2, 1});
  CHECK(empty.output(0) == std::vector<float>{5, 6});
}

TEST_CASE("CONCATENATION prepare rejects bad counts and inputs") {
  SUBCASE("no input") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"0 inputs", "needs 1 to 1024"});
  }
  SUBCASE("1025 inputs") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    for (int i = 0; i < 1025; ++i) op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"1025 inputs"});
  }
  SUBCASE("two outputs") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1}, {1});
    op.add_output();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"2 outputs", "needs 1"});
  }
  SUBCASE("absent second input") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1}, {1});
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 1 is required"});
  }
  SUBCASE("int8 third input") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1}, {1});
    op.add_input({1}, {2});
    op.add_raw_input(ERT_I8, {1}, {3});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"input 2", "i8"});
  }
  SUBCASE("int8 output") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1}, {1});
    op.add_output(ERT_I8);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"output 0", "i8"});
  }
  SUBCASE("scalar inputs") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input(Shape{}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0", "0 dims", "needs 1 to 6"});
  }
  SUBCASE("ranks differ") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({2, 1}, {1, 2});
    op.add_input({2}, {3, 4});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 1 has 1 dims, input 0 has 2"});
  }
  SUBCASE("dims differ outside the axis") {
    OpHarness op(OpCode::CONCATENATION, concat_options(-1));
    op.add_input({2, 1}, {1, 2});
    op.add_input({2, 1}, {1, 2});
    op.add_input({3, 1}, {3, 4, 5});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL,
                  {"input 2 has shape [3,1]", "input 0's [2,1] on axis 0", "only axis 1"});
  }
}

TEST_CASE("CONCATENATION prepare rejects bad options and oversized outputs") {
  SUBCASE("no options") {
    OpHarness op(OpCode::CONCATENATION);
    op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing ConcatenationOptions"});
  }
  SUBCASE("axis equal to the rank") {
    OpHarness op(OpCode::CONCATENATION, concat_options(2));
    op.add_input({1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axis 2", "[-2, 2)"});
  }
  SUBCASE("axis below minus the rank") {
    OpHarness op(OpCode::CONCATENATION, concat_options(-3));
    op.add_input({1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axis -3"});
  }
  SUBCASE("unknown fused activation") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0), static_cast<Activation>(4));
    op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"unknown fused activation 4"});
  }
  // Shapes only: prepare never reads the data, so no storage is given.
  SUBCASE("axis longer than 2^30") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1 << 30}, {});
    op.add_input({1}, {});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"1073741825 on axis 0", "2^30"});
  }
  SUBCASE("more than 2^31-1 elements") {
    OpHarness op(OpCode::CONCATENATION, concat_options(0));
    op.add_input({1 << 20, 1 << 10}, {});
    op.add_input({1 << 20, 1 << 10}, {});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"[2097152,1024]", "elements"});
  }
}
