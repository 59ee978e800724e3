#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "tests/support/op_harness.h"

using ert::Status;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::fails_with;
using ert::testing::per_tensor;
using ert::testing::OpHarness;
using ert::testing::TestQuant;

namespace {

ert::fb::OpOptionsUnion reshape_options(std::vector<int32_t> new_shape) {
  ert::fb::ReshapeOptionsT o;
  o.new_shape = std::move(new_shape);
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

}  // namespace

TEST_CASE("RESHAPE of quantized u8 copies the bytes when both sides share quantization") {
  OpHarness h(OpCode::RESHAPE, reshape_options({3, -1}));
  h.add_u8({1, 6}, {0, 1, 2, 128, 254, 255}, per_tensor(0.5f, 128));
  h.add_output(ERT_U8, per_tensor(0.5f, 128));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{3, 2});
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{0, 1, 2, 128, 254, 255});
}

TEST_CASE("RESHAPE runs on any dtype, quantized or not") {
  SUBCASE("i32") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2, 2}));
    h.add_input(ERT_I32, {4}, OpHarness::bytes_of(std::vector<int32_t>{1, -2, 3, -4}));
    h.add_output(ERT_I32);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<int32_t>(0) == std::vector<int32_t>{1, -2, 3, -4});
  }
  SUBCASE("i64") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2}));
    h.add_input(ERT_I64, {1, 2}, OpHarness::bytes_of(std::vector<int64_t>{1LL << 40, -7}));
    h.add_output(ERT_I64);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<int64_t>(0) == std::vector<int64_t>{1LL << 40, -7});
  }
  SUBCASE("bool") {
    OpHarness h(OpCode::RESHAPE, reshape_options({3}));
    h.add_input(ERT_BOOL, {3, 1}, {1, 0, 1});
    h.add_output(ERT_BOOL);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{1, 0, 1});
  }
  SUBCASE("i8 with equal per-channel quantization") {
    const TestQuant q{{0.5f, 0.25f}, {0, 0}, 1};
    OpHarness h(OpCode::RESHAPE, reshape_options({1, 2}));
    h.add_i8({2}, {-1, 1}, q);
    h.add_output(ERT_I8, q);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-1, 1});
  }
}

TEST_CASE("RESHAPE rejects an output quantized differently from its input") {
  auto expect_failure = [](OpHarness& h, ert_status code,
                           std::initializer_list<const char*> parts) {
    const Status s = h.prepare();
    CHECK_MESSAGE(fails_with(s, code, parts), s.message());
    CHECK_MESSAGE(s.message().find("op 0 (RESHAPE)") != std::string::npos, s.message());
  };
  SUBCASE("another zero point") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2}));
    h.add_u8({2}, {1, 2}, per_tensor(0.5f, 128));
    h.add_output(ERT_U8, per_tensor(0.5f, 127));
    expect_failure(h, ERT_UNSUPPORTED,
                   {"output 0", "quantized differently from input 0", "does not requantize"});
  }
  SUBCASE("another scale") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2}));
    h.add_u8({2}, {1, 2}, per_tensor(0.5f, 128));
    h.add_output(ERT_U8, per_tensor(0.25f, 128));
    expect_failure(h, ERT_UNSUPPORTED, {"quantized differently"});
  }
  SUBCASE("quantized input, plain output") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2}));
    h.add_i8({2}, {1, 2}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8);
    expect_failure(h, ERT_UNSUPPORTED, {"quantized differently"});
  }
  SUBCASE("another axis") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2, 2}));
    h.add_i8({2, 2}, {1, 2, 3, 4}, TestQuant{{0.5f, 0.25f}, {0, 0}, 0});
    h.add_output(ERT_I8, TestQuant{{0.5f, 0.25f}, {0, 0}, 1});
    expect_failure(h, ERT_UNSUPPORTED, {"quantized differently"});
  }
  SUBCASE("another dtype") {
    OpHarness h(OpCode::RESHAPE, reshape_options({2}));
    h.add_u8({2}, {1, 2}, per_tensor(0.5f, 128));
    h.add_output(ERT_I8, per_tensor(0.5f, 0));
    expect_failure(h, ERT_UNSUPPORTED, {"output 0", "dtype i8", "supports u8"});
  }
}
