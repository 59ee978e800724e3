#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;
using ert::testing::per_tensor;

namespace {

ert::fb::OpOptionsUnion pad_options(std::vector<int32_t> paddings, float value = 0.0f) {
  ert::fb::PadOptionsT o;
  o.paddings = std::move(paddings);
  o.constant_value = value;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (PAD)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("PAD on every axis of a matrix with a constant") {
  // [[1,2],[3,4]]: one row above, two below, one column left, none right.
  OpHarness op(OpCode::PAD, pad_options({1, 2, 1, 0}, -5.0f));
  op.add_input({2, 2}, {1, 2, 3, 4});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{5, 3});
  CHECK(op.output(0) == std::vector<float>{-5, -5, -5,  //
                                           -5, 1, 2,    //
                                           -5, 3, 4,    //
                                           -5, -5, -5,  //
                                           -5, -5, -5});
}

TEST_CASE("PAD on every axis of an NHWC tensor") {
  // [1,1,2,1] -> [2,3,3,2] with (1,0), (1,1), (0,1), (0,1); the default value is 0.
  OpHarness op(OpCode::PAD, pad_options({1, 0, 1, 1, 0, 1, 0, 1}));
  op.add_input({1, 1, 2, 1}, {7, 8});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{2, 3, 3, 2});
  std::vector<float> want(36, 0.0f);
  want[size_t(((1 * 3 + 1) * 3 + 0) * 2 + 0)] = 7;
  want[size_t(((1 * 3 + 1) * 3 + 1) * 2 + 0)] = 8;
  CHECK(op.output(0) == want);
}

TEST_CASE("PAD of a scalar with no paddings copies it") {
  OpHarness op(OpCode::PAD, pad_options({}));
  op.add_input(Shape{}, {4.5f});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{});
  CHECK(op.output(0) == std::vector<float>{4.5f});
}

TEST_CASE("PAD prepare rejects bad counts, dtypes, activation and options") {
  SUBCASE("no output") {
    OpHarness op(OpCode::PAD, pad_options({0, 0}));
    op.add_input({1}, {1});
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"0 outputs"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::PAD, pad_options({0, 0}));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0 is required"});
  }
  SUBCASE("uint8 input without quantization") {
    OpHarness op(OpCode::PAD, pad_options({0, 0}));
    op.add_raw_input(ERT_U8, {1}, {1});
    op.add_output(ERT_U8);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"input 0", "u8"});
  }
  SUBCASE("fused activation") {
    OpHarness op(OpCode::PAD, pad_options({0, 0}), Activation::RELU);
    op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"fused activation", "RELU"});
  }
  SUBCASE("no options") {
    OpHarness op(OpCode::PAD);
    op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing PadOptions"});
  }
  SUBCASE("too few paddings") {
    OpHarness op(OpCode::PAD, pad_options({1, 1, 1}));
    op.add_input({1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"3 paddings", "4 for rank 2"});
  }
  SUBCASE("no paddings for a vector") {
    OpHarness op(OpCode::PAD, pad_options({}));
    op.add_input({1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"0 paddings", "2 for rank 1"});
  }
  SUBCASE("negative padding") {
    OpHarness op(OpCode::PAD, pad_options({0, 0, 2, -1}));
    op.add_input({1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axis 1", "after -1", "negative"});
  }
  // Shapes only: prepare never reads the data.
  SUBCASE("axis longer than 2^30") {
    OpHarness op(OpCode::PAD, pad_options({0, 1}));
    op.add_input({1 << 30}, {});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"axis 0", "1073741825", "2^30"});
  }
  SUBCASE("more than 2^31-1 elements") {
    OpHarness op(OpCode::PAD, pad_options({0, 1, 0, 0}));
    op.add_input({1, 1 << 30}, {});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"[2,1073741824]", "elements"});
  }
}

// Quantized: input and output share one quantization; the constant is quantized into it.
TEST_CASE("PAD of i8 fills with the zero point, and a constant quantized into the input's scale") {
  // [1, 2, 2, 1] padded by one row above and one column on the right.
  const std::vector<int32_t> pads = {0, 0, 1, 0, 0, 1, 0, 0};
  SUBCASE("constant 0: the zero point") {
    OpHarness h(OpCode::PAD, pad_options(pads));
    h.add_i8({1, 2, 2, 1}, {10, -20, 30, 127}, per_tensor(0.5f, -3));
    h.add_output(ERT_I8, per_tensor(0.5f, -3));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 3, 3, 1});
    CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-3, -3, -3, 10, -20, -3, 30, 127, -3});
  }
  SUBCASE("constant 2.0: round(2 / 0.5) - 3 = 1") {
    OpHarness h(OpCode::PAD, pad_options(pads, 2.0f));
    h.add_i8({1, 2, 2, 1}, {10, -20, 30, 127}, per_tensor(0.5f, -3));
    h.add_output(ERT_I8, per_tensor(0.5f, -3));
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output<int8_t>(0) == std::vector<int8_t>{1, 1, 1, 10, -20, 1, 30, 127, 1});
  }
}

TEST_CASE("PAD of u8 clamps a constant outside the type's range") {
  OpHarness h(OpCode::PAD, pad_options({1, 1}, 1000.0f));
  h.add_u8({2}, {0, 200}, per_tensor(0.5f, 128));
  h.add_output(ERT_U8, per_tensor(0.5f, 128));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{255, 0, 200, 255});
}

TEST_CASE("PAD of i8 refuses an output quantized differently") {
  OpHarness h(OpCode::PAD, pad_options({0, 0, 0, 0, 0, 0, 0, 0}));
  h.add_i8({1, 1, 1, 1}, {3}, per_tensor(0.5f, 0));
  h.add_output(ERT_I8, per_tensor(0.25f, 0));
  check_failure(h.prepare(), ERT_UNSUPPORTED,
                {"output 0", "quantized differently", "does not requantize"});
}
