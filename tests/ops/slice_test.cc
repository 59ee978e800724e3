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

ert::fb::OpOptionsUnion slice_options(std::vector<int32_t> begin, std::vector<int32_t> size) {
  ert::fb::SliceOptionsT o;
  o.begin = std::move(begin);
  o.size = std::move(size);
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (SLICE)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

// 3x4 matrix holding 0..11.
const std::vector<float> kMatrix = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

ert::Status prepare_slice(std::vector<int32_t> begin, std::vector<int32_t> size) {
  OpHarness op(OpCode::SLICE, slice_options(std::move(begin), std::move(size)));
  op.add_input({3, 4}, kMatrix);
  op.add_output();
  return op.prepare();
}

}  // namespace

TEST_CASE("SLICE a block, with size -1 running to the end") {
  OpHarness op(OpCode::SLICE, slice_options({1, 1}, {2, -1}));
  op.add_input({3, 4}, kMatrix);
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{2, 3});
  CHECK(op.output(0) == std::vector<float>{5, 6, 7, 9, 10, 11});
}

TEST_CASE("SLICE of a rank-3 tensor (TensorFlow's documented example)") {
  OpHarness op(OpCode::SLICE, slice_options({1, 0, 0}, {1, 2, 3}));
  op.add_input({3, 2, 3}, {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{1, 2, 3});
  CHECK(op.output(0) == std::vector<float>{3, 3, 3, 4, 4, 4});
}

TEST_CASE("SLICE edge cases: the whole tensor, empty slices at the end, a scalar") {
  OpHarness whole(OpCode::SLICE, slice_options({0, 0}, {-1, 4}));
  whole.add_input({3, 4}, kMatrix);
  whole.add_output();
  REQUIRE(whole.prepare_and_run().ok());
  CHECK(whole.output(0) == kMatrix);

  OpHarness empty(OpCode::SLICE, slice_options({3, 4}, {-1, 0}));
  empty.add_input({3, 4}, kMatrix);
  empty.add_output();
  REQUIRE(empty.prepare_and_run().ok());
  CHECK(empty.output_shape(0) == Shape{0, 0});

  OpHarness scalar(OpCode::SLICE, slice_options({}, {}));
  scalar.add_input(Shape{}, {2.0f});
  scalar.add_output();
  REQUIRE(scalar.prepare_and_run().ok());
  CHECK(scalar.output(0) == std::vector<float>{2.0f});
}

TEST_CASE("SLICE prepare rejects bad counts, dtypes, activation and options") {
  SUBCASE("two outputs") {
    OpHarness op(OpCode::SLICE, slice_options({0}, {1}));
    op.add_input({2}, {1, 2});
    op.add_output();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"2 outputs"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::SLICE, slice_options({0}, {1}));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0 is required"});
  }
  SUBCASE("int64 input") {
    OpHarness op(OpCode::SLICE, slice_options({0}, {1}));
    op.add_raw_input(ERT_I64, {1}, std::vector<uint8_t>(8, 0));
    op.add_output(ERT_I64);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"input 0", "i64"});
  }
  SUBCASE("fused activation") {
    OpHarness op(OpCode::SLICE, slice_options({0}, {1}), Activation::RELU);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"fused activation"});
  }
  SUBCASE("no options") {
    OpHarness op(OpCode::SLICE);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing SliceOptions"});
  }
}

TEST_CASE("SLICE prepare rejects begin and size outside the input") {
  check_failure(prepare_slice({0}, {1, 1}), ERT_INVALID_MODEL,
                {"1 begin and 2 size values", "rank 2"});
  check_failure(prepare_slice({0, 0}, {1}), ERT_INVALID_MODEL, {"2 begin and 1 size values"});
  check_failure(prepare_slice({-1, 0}, {1, 1}), ERT_INVALID_MODEL,
                {"begin -1 on axis 0", "[0, 3]"});
  check_failure(prepare_slice({0, 5}, {1, -1}), ERT_INVALID_MODEL, {"begin 5 on axis 1", "[0, 4]"});
  check_failure(prepare_slice({0, 0}, {-2, 1}), ERT_INVALID_MODEL,
                {"size -2 on axis 0", ">= 0 or -1"});
  check_failure(prepare_slice({1, 2}, {2, 3}), ERT_INVALID_MODEL,
                {"begin 2 + size 3 on axis 1", "dimension 4"});
  // begin + size is summed in 64 bits, so a huge size cannot wrap around.
  check_failure(prepare_slice({1, 2}, {2, 2147483647}), ERT_INVALID_MODEL,
                {"size 2147483647 on axis 1"});
}
