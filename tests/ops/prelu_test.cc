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

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  CHECK(s.code() == code);
  for (const char* part : parts) {
    INFO("message: " << s.message() << "; expected to contain: " << part);
    CHECK(s.message().find(part) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("PRELU through the op with constant [1,1,C] slopes against NHWC") {
  OpHarness h(OpCode::PRELU);
  h.add_input({1, 2, 1, 2}, {-1.0f, -1.0f, 4.0f, -8.0f});
  h.add_input({1, 1, 2}, {0.5f, 0.25f}, /*constant=*/true);
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 2, 1, 2});
  CHECK(h.output(0) == std::vector<float>{-0.5f, -0.25f, 4.0f, -2.0f});
}

TEST_CASE("PRELU through the op with a non-constant alpha that grows the output") {
  // x [2,1] against alpha [1,3]: the output takes the broadcast shape [2,3].
  OpHarness h(OpCode::PRELU);
  h.add_input({2, 1}, {-2.0f, 1.0f});
  h.add_input({1, 3}, {0.5f, 1.0f, 2.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 3});
  CHECK(h.output(0) == std::vector<float>{-1.0f, -2.0f, -4.0f, 1.0f, 1.0f, 1.0f});
}

TEST_CASE("PRELU rejects slopes that do not broadcast, naming both shapes") {
  OpHarness h(OpCode::PRELU);
  h.add_input({1, 2, 2, 3}, std::vector<float>(12, 1.0f));
  h.add_input({2}, {0.1f, 0.2f}, true);
  h.add_output();
  check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (PRELU)", "[1,2,2,3]", "[2]", "axis 3"});
}

TEST_CASE("PRELU rejects a broadcast output larger than one tensor may be") {
  OpHarness h(OpCode::PRELU);
  h.add_input({65536, 1}, std::vector<float>(65536, 1.0f));
  h.add_input({1, 65536}, std::vector<float>(65536, 0.1f));
  h.add_output();
  check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (PRELU)", "[65536,65536]", "2^31-1"});
}

TEST_CASE("PRELU rejects a fused activation, bad counts and non-float tensors") {
  SUBCASE("fused RELU") {
    OpHarness h(OpCode::PRELU, {}, Activation::RELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {0.1f, 0.1f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (PRELU)", "fused activation RELU"});
  }
  SUBCASE("no alpha") {
    OpHarness h(OpCode::PRELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (PRELU)", "has 1 inputs, needs 2"});
  }
  SUBCASE("absent alpha") {
    OpHarness h(OpCode::PRELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (PRELU)", "input 1 is required"});
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::PRELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {0.1f, 0.1f});
    h.add_output();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (PRELU)", "has 2 outputs, needs 1"});
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::PRELU);
    h.add_raw_input(ERT_I8, {2}, {1, 2});
    h.add_input({2}, {0.1f, 0.1f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (PRELU)", "input 0", "i8"});
  }
  SUBCASE("int8 alpha") {
    OpHarness h(OpCode::PRELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_raw_input(ERT_I8, {2}, {1, 2}, true);
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (PRELU)", "alpha (input 1)", "i8"});
  }
  SUBCASE("f16 output") {
    OpHarness h(OpCode::PRELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {0.1f, 0.1f});
    h.add_output(ERT_F16);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (PRELU)", "output 0", "f16"});
  }
}
