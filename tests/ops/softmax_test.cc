#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
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

ert::fb::OpOptionsUnion softmax_options(float beta) {
  ert::fb::OpOptionsUnion u;
  ert::fb::SoftmaxOptionsT o;
  o.beta = beta;
  u.Set(std::move(o));
  return u;
}

}  // namespace

TEST_CASE("SOFTMAX through the op without options uses beta 1") {
  OpHarness h(OpCode::SOFTMAX);
  h.add_input({2, 3}, {1.0f, 2.0f, 3.0f, 1000.0f, 1000.0f, 1000.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 3});
  const auto out = h.output(0);
  CHECK(out[0] == doctest::Approx(0.0900305732));
  CHECK(out[1] == doctest::Approx(0.2447284711));
  CHECK(out[2] == doctest::Approx(0.6652409558));
  for (int i = 3; i < 6; ++i) CHECK(out[size_t(i)] == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("SOFTMAX through the op applies beta from its options") {
  // beta = ln(2) makes exp(beta * x) = 2^x: rows [0,1,2] give 1:2:4.
  OpHarness h(OpCode::SOFTMAX, softmax_options(0.69314718f));
  h.add_input({1, 1, 3}, {0.0f, 1.0f, 2.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 3});
  const auto out = h.output(0);
  CHECK(out[0] == doctest::Approx(1.0 / 7.0));
  CHECK(out[1] == doctest::Approx(2.0 / 7.0));
  CHECK(out[2] == doctest::Approx(4.0 / 7.0));
}

TEST_CASE("SOFTMAX rejects a scalar input") {
  OpHarness h(OpCode::SOFTMAX);
  h.add_input({}, {1.0f});
  h.add_output();
  check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "input 0", "has 0 dims"});
}

TEST_CASE("SOFTMAX rejects options of another op and a non-finite beta") {
  SUBCASE("LeakyReluOptions") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::LeakyReluOptionsT());
    OpHarness h(OpCode::SOFTMAX, std::move(u));
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (SOFTMAX)", "LeakyReluOptions", "expected SoftmaxOptions"});
  }
  SUBCASE("NaN beta") {
    OpHarness h(OpCode::SOFTMAX, softmax_options(std::numeric_limits<float>::quiet_NaN()));
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "beta", "finite"});
  }
  SUBCASE("infinite beta") {
    OpHarness h(OpCode::SOFTMAX, softmax_options(std::numeric_limits<float>::infinity()));
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "beta is inf"});
  }
}

TEST_CASE("SOFTMAX rejects a fused activation, bad counts and non-float tensors") {
  SUBCASE("fused RELU") {
    OpHarness h(OpCode::SOFTMAX, {}, Activation::RELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (SOFTMAX)", "fused activation RELU"});
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::SOFTMAX);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "has 2 inputs, needs 1"});
  }
  SUBCASE("no output") {
    OpHarness h(OpCode::SOFTMAX);
    h.add_input({2}, {1.0f, 2.0f});
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "has 0 outputs, needs 1"});
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::SOFTMAX);
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (SOFTMAX)", "input 0 is required"});
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::SOFTMAX);
    h.add_raw_input(ERT_I8, {2}, {1, 2});
    h.add_output(ERT_I8);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (SOFTMAX)", "input 0", "i8"});
  }
  SUBCASE("f16 output") {
    OpHarness h(OpCode::SOFTMAX);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output(ERT_F16);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (SOFTMAX)", "output 0", "f16"});
  }
}
