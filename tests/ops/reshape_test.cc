#include <doctest/doctest.h>

#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "src/runtime/op.h"
#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

ert::fb::OpOptionsUnion reshape_options(std::vector<int32_t> new_shape) {
  ert::fb::ReshapeOptionsT o;
  o.new_shape = std::move(new_shape);
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (RESHAPE)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

// prepare() on an input of `in_shape` (no data) with `new_shape`; returns the status.
ert::Status prepare_shape(Shape in_shape, std::vector<int32_t> new_shape) {
  OpHarness op(OpCode::RESHAPE, reshape_options(std::move(new_shape)));
  op.add_input(in_shape, {});
  op.add_output();
  return op.prepare();
}

// The output shape prepare() gives, or rank -1 on failure.
Shape output_shape_for(Shape in_shape, std::vector<int32_t> new_shape) {
  OpHarness op(OpCode::RESHAPE, reshape_options(std::move(new_shape)));
  op.add_input(in_shape, {});
  op.add_output();
  if (!op.prepare().ok()) {
    Shape bad;
    bad.rank = -1;
    return bad;
  }
  return op.output_shape(0);
}

}  // namespace

TEST_CASE("RESHAPE infers the -1 dim and copies the data into a separate output") {
  OpHarness op(OpCode::RESHAPE, reshape_options({3, -1}));
  op.add_input({2, 3}, {1, 2, 3, 4, 5, 6});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{3, 2});
  CHECK(op.output(0) == std::vector<float>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("RESHAPE output shapes for explicit, inferred and empty dims") {
  CHECK(output_shape_for({2, 3}, {6}) == Shape{6});
  CHECK(output_shape_for({2, 3}, {1, 6, 1}) == Shape{1, 6, 1});
  CHECK(output_shape_for({2, 3}, {-1}) == Shape{6});
  CHECK(output_shape_for({2, 3, 4}, {2, -1, 3}) == Shape{2, 4, 3});
  CHECK(output_shape_for({3, 0}, {0, 5}) == Shape{0, 5});
  CHECK(output_shape_for({1, 2, 3, 4, 1, 1}, {1, 1, 1, 1, 1, 24}) == Shape{1, 1, 1, 1, 1, 24});
}

TEST_CASE("RESHAPE to a scalar: empty or absent new_shape, and TFLite's legacy [0]") {
  CHECK(output_shape_for({1, 1}, {}) == Shape{});
  CHECK(output_shape_for({1}, {0}) == Shape{});
  // With no elements, [0] is taken literally.
  CHECK(output_shape_for({0, 3}, {0}) == Shape{0});

  ert::fb::OpOptionsUnion absent;
  absent.Set(ert::fb::ReshapeOptionsT());
  OpHarness op(OpCode::RESHAPE, std::move(absent));
  op.add_input({1, 1, 1}, {3.5f});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{});
  CHECK(op.output(0) == std::vector<float>{3.5f});
}

TEST_CASE("RESHAPE runs in place when the planner aliases the output on the input") {
  ert::fb::OperatorT op_t;
  op_t.code = OpCode::RESHAPE;
  op_t.options = reshape_options({-1, 2});
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(ert::fb::Operator::Pack(fbb, &op_t));
  const auto* op_fb = flatbuffers::GetRoot<ert::fb::Operator>(fbb.GetBufferPointer());

  std::vector<float> arena = {1, 2, 3, 4, 5, 6};
  ert::rt::Tensor in;
  in.shape = {6};
  in.data = reinterpret_cast<uint8_t*>(arena.data());
  in.bytes = arena.size() * sizeof(float);
  ert::rt::Tensor out;
  out.data = in.data;
  out.bytes = in.bytes;
  ert::rt::Tensor* ins[] = {&in};
  ert::rt::Tensor* outs[] = {&out};
  const ert::rt::OpContext ctx(0, op_fb, ins, 1, outs, 1);

  std::unique_ptr<ert::rt::Op> op;
  REQUIRE(ert::rt::create_op(OpCode::RESHAPE, ert::rt::KernelChoice{}, &op).ok());
  REQUIRE(op->prepare(ctx).ok());
  CHECK(out.shape == Shape{3, 2});
  REQUIRE(op->run(ctx).ok());
  CHECK(arena == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(out.data == in.data);
}

TEST_CASE("RESHAPE prepare rejects bad counts, dtypes, activation and options") {
  SUBCASE("two inputs") {
    OpHarness op(OpCode::RESHAPE, reshape_options({2}));
    op.add_input({2}, {1, 2});
    op.add_input({1}, {2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"2 inputs", "needs 1"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::RESHAPE, reshape_options({2}));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0 is required"});
  }
  SUBCASE("bool output") {
    OpHarness op(OpCode::RESHAPE, reshape_options({2}));
    op.add_input({2}, {1, 2});
    op.add_output(ERT_BOOL);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"output 0", "bool"});
  }
  SUBCASE("fused activation") {
    OpHarness op(OpCode::RESHAPE, reshape_options({2}), Activation::RELU_N1_TO_1);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"fused activation", "RELU_N1_TO_1"});
  }
  SUBCASE("no options") {
    OpHarness op(OpCode::RESHAPE);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing ReshapeOptions"});
  }
}

TEST_CASE("RESHAPE prepare rejects new shapes that do not fit the input") {
  check_failure(prepare_shape({2, 3}, {1, 1, 1, 1, 1, 1, 6}), ERT_UNSUPPORTED,
                {"7 dims", "at most 6"});
  check_failure(prepare_shape({2, 3}, {-1, -1}), ERT_INVALID_MODEL,
                {"[-1,-1]", "more than one -1"});
  check_failure(prepare_shape({2, 3}, {-2, -3}), ERT_INVALID_MODEL, {"negative dim -2 at 0"});
  check_failure(prepare_shape({2, 3}, {6, (1 << 30) + 1}), ERT_INVALID_MODEL,
                {"1073741825 at 1", "2^30"});
  check_failure(prepare_shape({0, 3}, {0, -1}), ERT_INVALID_MODEL, {"[0,-1]", "beside a 0"});
  check_failure(prepare_shape({2, 3}, {4, -1}), ERT_INVALID_MODEL, {"[4,-1]", "6 elements"});
  check_failure(prepare_shape({2, 3}, {7}), ERT_INVALID_MODEL,
                {"[7] holds 7 elements", "[2,3] holds 6"});
  check_failure(prepare_shape({2}, {0}), ERT_INVALID_MODEL, {"[0] holds 0 elements"});
  // Huge known dims saturate instead of overflowing, and still mismatch.
  check_failure(prepare_shape({2, 3}, {1 << 30, 1 << 30, 1 << 30, 1 << 30}), ERT_INVALID_MODEL,
                {"holds 2147483648 elements"});
  // 3 * 2^29 elements make an inferred dim above 2^30.
  check_failure(prepare_shape({3, 1 << 29}, {-1}), ERT_INVALID_MODEL, {"-1 would be 1610612736"});
}
