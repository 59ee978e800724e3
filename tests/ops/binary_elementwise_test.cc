#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

// Checks that `s` failed with `code` and that its message contains every one of `parts`.
void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  CHECK(s.code() == code);
  for (const char* part : parts) {
    INFO("message: " << s.message() << "; expected to contain: " << part);
    CHECK(s.message().find(part) != std::string::npos);
  }
}

std::vector<float> run_binary(OpCode code, Shape a_shape, const std::vector<float>& a,
                              Shape b_shape, const std::vector<float>& b, Shape* out_shape,
                              Activation act = Activation::NONE) {
  OpHarness h(code, {}, act);
  h.add_input(a_shape, a);
  h.add_input(b_shape, b, /*constant=*/true);
  h.add_output();
  const ert::Status s = h.prepare_and_run();
  REQUIRE_MESSAGE(s.ok(), s.message());
  *out_shape = h.output_shape(0);
  return h.output(0);
}

}  // namespace

TEST_CASE("ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM through the op with a [2,3] by [3] broadcast") {
  const std::vector<float> a = {1.0f, -2.0f, 3.0f, 4.0f, 0.5f, -6.0f};
  const std::vector<float> b = {2.0f, -4.0f, 0.5f};
  struct Expect {
    OpCode code;
    std::vector<float> out;
  };
  const Expect cases[] = {
      {OpCode::ADD, {3.0f, -6.0f, 3.5f, 6.0f, -3.5f, -5.5f}},
      {OpCode::SUB, {-1.0f, 2.0f, 2.5f, 2.0f, 4.5f, -6.5f}},
      {OpCode::MUL, {2.0f, 8.0f, 1.5f, 8.0f, -2.0f, -3.0f}},
      {OpCode::DIV, {0.5f, 0.5f, 6.0f, 2.0f, -0.125f, -12.0f}},
      {OpCode::MAXIMUM, {2.0f, -2.0f, 3.0f, 4.0f, 0.5f, 0.5f}},
      {OpCode::MINIMUM, {1.0f, -4.0f, 0.5f, 2.0f, -4.0f, -6.0f}},
  };
  for (const Expect& e : cases) {
    INFO(ert::fb::EnumNameOpCode(e.code));
    Shape out_shape;
    const auto out = run_binary(e.code, Shape{2, 3}, a, Shape{3}, b, &out_shape);
    CHECK(out_shape == Shape{2, 3});
    CHECK(out == e.out);
  }
}

TEST_CASE("ADD output shapes follow the broadcast, including rank 0 and rank 6") {
  Shape out_shape;
  // Rank 0 with rank 0 stays a scalar.
  CHECK(run_binary(OpCode::ADD, Shape{}, {2.0f}, Shape{}, {3.0f}, &out_shape) ==
        std::vector<float>{5.0f});
  CHECK(out_shape.rank == 0);
  // A scalar on the left and a [1] on the right.
  CHECK(run_binary(OpCode::SUB, Shape{}, {10.0f}, Shape{2}, {1.0f, 2.0f}, &out_shape) ==
        std::vector<float>{9.0f, 8.0f});
  CHECK(out_shape == Shape{2});
  CHECK(run_binary(OpCode::SUB, Shape{2, 1}, {1.0f, 2.0f}, Shape{1}, {10.0f}, &out_shape) ==
        std::vector<float>{-9.0f, -8.0f});
  CHECK(out_shape == Shape{2, 1});
  // [N,1,W,1] by [1,H,1,C] with N = 1, W = 2, H = 2, C = 2: out[0][h][w][c] = a[w] * b[h][c].
  CHECK(run_binary(OpCode::MUL, Shape{1, 1, 2, 1}, {2.0f, 3.0f}, Shape{1, 2, 1, 2},
                   {1.0f, 10.0f, 100.0f, 1000.0f}, &out_shape) ==
        std::vector<float>{2.0f, 20.0f, 3.0f, 30.0f, 200.0f, 2000.0f, 300.0f, 3000.0f});
  CHECK(out_shape == Shape{1, 2, 2, 2});
  // Rank 6 against rank 1.
  std::vector<float> big(2 * 1 * 2 * 1 * 1 * 3);
  for (size_t i = 0; i < big.size(); ++i) big[i] = float(i);
  const auto out = run_binary(OpCode::ADD, Shape{2, 1, 2, 1, 1, 3}, big, Shape{3},
                              {100.0f, 200.0f, 300.0f}, &out_shape);
  CHECK(out_shape == Shape{2, 1, 2, 1, 1, 3});
  REQUIRE(out.size() == 12);
  for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == float(i) + 100.0f * float(i % 3 + 1));
}

TEST_CASE("ADD, SUB, MUL and DIV apply the fused activation") {
  Shape out_shape;
  CHECK(run_binary(OpCode::ADD, Shape{4}, {-5.0f, 1.0f, 4.0f, 9.0f}, Shape{}, {1.0f}, &out_shape,
                   Activation::RELU6) == std::vector<float>{0.0f, 2.0f, 5.0f, 6.0f});
  CHECK(run_binary(OpCode::SUB, Shape{3}, {-5.0f, 1.0f, 9.0f}, Shape{}, {1.0f}, &out_shape,
                   Activation::RELU) == std::vector<float>{0.0f, 0.0f, 8.0f});
  CHECK(run_binary(OpCode::MUL, Shape{3}, {-5.0f, 0.25f, 9.0f}, Shape{}, {2.0f}, &out_shape,
                   Activation::RELU_N1_TO_1) == std::vector<float>{-1.0f, 0.5f, 1.0f});
  CHECK(run_binary(OpCode::DIV, Shape{3}, {-5.0f, 1.0f, 90.0f}, Shape{}, {2.0f}, &out_shape,
                   Activation::RELU6) == std::vector<float>{0.0f, 0.5f, 6.0f});
}

TEST_CASE("DIV by zero through the op gives infinities and NaN") {
  Shape out_shape;
  const auto out =
      run_binary(OpCode::DIV, Shape{3}, {1.0f, -1.0f, 0.0f}, Shape{1}, {0.0f}, &out_shape);
  CHECK(std::isinf(out[0]));
  CHECK(out[0] > 0.0f);
  CHECK(std::isinf(out[1]));
  CHECK(out[1] < 0.0f);
  CHECK(std::isnan(out[2]));
}

TEST_CASE("MAXIMUM and MINIMUM reject a fused activation") {
  for (OpCode code : {OpCode::MAXIMUM, OpCode::MINIMUM}) {
    OpHarness h(code, {}, Activation::RELU6);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {3.0f, 4.0f});
    h.add_output();
    const std::string name = std::string("op 0 (") + ert::fb::EnumNameOpCode(code) + ")";
    check_failure(h.prepare(), ERT_UNSUPPORTED, {name.c_str(), "fused activation RELU6"});
  }
}

TEST_CASE("ADD rejects shapes that do not broadcast, naming both shapes") {
  OpHarness h(OpCode::ADD);
  h.add_input({2, 3}, std::vector<float>(6, 1.0f));
  h.add_input({4}, std::vector<float>(4, 1.0f));
  h.add_output();
  check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (ADD)", "[2,3]", "[4]", "axis 1"});

  OpHarness h2(OpCode::MINIMUM);
  h2.add_input({3, 1, 5}, std::vector<float>(15, 1.0f));
  h2.add_input({2, 1, 1, 4}, std::vector<float>(8, 1.0f));
  h2.add_output();
  check_failure(h2.prepare(), ERT_INVALID_MODEL, {"op 0 (MINIMUM)", "[3,1,5]", "[2,1,1,4]"});
}

TEST_CASE("MUL rejects a broadcast output larger than one tensor may be") {
  // [65536,1] by [1,65536] is 2^32 elements, over the 2^31-1 cap.
  OpHarness h(OpCode::MUL);
  h.add_input({65536, 1}, std::vector<float>(65536, 1.0f));
  h.add_input({1, 65536}, std::vector<float>(65536, 1.0f));
  h.add_output();
  check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (MUL)", "[65536,65536]", "2^31-1"});
}

TEST_CASE("SUB rejects wrong input and output counts and absent inputs") {
  SUBCASE("one input") {
    OpHarness h(OpCode::SUB);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SUB)", "has 1 inputs, needs 2"});
  }
  SUBCASE("three inputs") {
    OpHarness h(OpCode::SUB);
    for (int i = 0; i < 3; ++i) h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SUB)", "has 3 inputs, needs 2"});
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::SUB);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SUB)", "has 2 outputs, needs 1"});
  }
  SUBCASE("absent second input") {
    OpHarness h(OpCode::SUB);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SUB)", "input 1 is required"});
  }
}

TEST_CASE("DIV rejects non-float inputs and outputs") {
  SUBCASE("int8 first input") {
    OpHarness h(OpCode::DIV);
    h.add_raw_input(ERT_I8, {2}, {1, 2});
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (DIV)", "input 0", "i8"});
  }
  SUBCASE("int32 second input") {
    OpHarness h(OpCode::DIV);
    h.add_input({1}, {1.0f});
    h.add_raw_input(ERT_I32, {1}, {1, 0, 0, 0});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (DIV)", "input 1", "i32"});
  }
  SUBCASE("uint8 output") {
    OpHarness h(OpCode::DIV);
    h.add_input({1}, {1.0f});
    h.add_input({1}, {1.0f});
    h.add_output(ERT_U8);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (DIV)", "output 0", "u8"});
  }
}
