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

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  CHECK(s.code() == code);
  for (const char* part : parts) {
    INFO("message: " << s.message() << "; expected to contain: " << part);
    CHECK(s.message().find(part) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("TANH through the op keeps the shape and computes each element") {
  OpHarness h(OpCode::TANH);
  h.add_input({2, 1, 3}, {0.0f, 0.5f, -2.0f, 100.0f, -100.0f, 1.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 1, 3});
  const auto out = h.output(0);
  REQUIRE(out.size() == 6);
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == doctest::Approx(0.4621171573));
  CHECK(out[2] == doctest::Approx(-0.9640275801));
  CHECK(out[3] == 1.0f);
  CHECK(out[4] == -1.0f);
  CHECK(out[5] == doctest::Approx(0.7615941560));
}

TEST_CASE("TANH through the op on a scalar and an empty tensor") {
  OpHarness scalar(OpCode::TANH);
  scalar.add_input({}, {0.0f});
  scalar.add_output();
  REQUIRE(scalar.prepare_and_run().ok());
  CHECK(scalar.output_shape(0).rank == 0);
  CHECK(scalar.output(0) == std::vector<float>{0.0f});

  OpHarness empty(OpCode::TANH);
  empty.add_input({3, 0}, {});
  empty.add_output();
  REQUIRE(empty.prepare_and_run().ok());
  CHECK(empty.output_shape(0) == Shape{3, 0});
  CHECK(empty.output(0).empty());
}

TEST_CASE("TANH rejects a fused activation, bad counts and non-float tensors") {
  SUBCASE("fused RELU6") {
    OpHarness h(OpCode::TANH, {}, Activation::RELU6);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (TANH)", "fused activation RELU6"});
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::TANH);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (TANH)", "has 2 inputs, needs 1"});
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::TANH);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (TANH)", "has 2 outputs, needs 1"});
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::TANH);
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (TANH)", "input 0 is required"});
  }
  SUBCASE("uint8 input") {
    OpHarness h(OpCode::TANH);
    h.add_raw_input(ERT_U8, {2}, {1, 2});
    h.add_output(ERT_U8);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (TANH)", "input 0", "u8"});
  }
  SUBCASE("int32 output") {
    OpHarness h(OpCode::TANH);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output(ERT_I32);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (TANH)", "output 0", "i32"});
  }
}
