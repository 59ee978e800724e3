#include <doctest/doctest.h>

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

ert::fb::OpOptionsUnion leaky_options(float alpha) {
  ert::fb::OpOptionsUnion u;
  ert::fb::LeakyReluOptionsT o;
  o.alpha = alpha;
  u.Set(std::move(o));
  return u;
}

}  // namespace

TEST_CASE("LEAKY_RELU through the op uses alpha from its options") {
  OpHarness h(OpCode::LEAKY_RELU, leaky_options(0.5f));
  h.add_input({2, 2}, {-4.0f, -1.0f, 0.0f, 3.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 2});
  CHECK(h.output(0) == std::vector<float>{-2.0f, -0.5f, 0.0f, 3.0f});
}

TEST_CASE("LEAKY_RELU through the op without options uses the schema default 0.2") {
  OpHarness h(OpCode::LEAKY_RELU);
  h.add_input({3}, {-5.0f, -1.0f, 2.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  const auto out = h.output(0);
  CHECK(out[0] == doctest::Approx(-1.0));
  CHECK(out[1] == doctest::Approx(-0.2));
  CHECK(out[2] == 2.0f);
}

TEST_CASE("LEAKY_RELU accepts alpha 0 and a negative alpha") {
  OpHarness zero(OpCode::LEAKY_RELU, leaky_options(0.0f));
  zero.add_input({2}, {-5.0f, 5.0f});
  zero.add_output();
  REQUIRE(zero.prepare_and_run().ok());
  CHECK(zero.output(0) == std::vector<float>{0.0f, 5.0f});

  OpHarness neg(OpCode::LEAKY_RELU, leaky_options(-1.0f));
  neg.add_input({2}, {-5.0f, 5.0f});
  neg.add_output();
  REQUIRE(neg.prepare_and_run().ok());
  CHECK(neg.output(0) == std::vector<float>{5.0f, 5.0f});
}

TEST_CASE("LEAKY_RELU rejects bad options, a fused activation, bad counts and dtypes") {
  SUBCASE("SoftmaxOptions") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::SoftmaxOptionsT());
    OpHarness h(OpCode::LEAKY_RELU, std::move(u));
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (LEAKY_RELU)", "SoftmaxOptions", "expected LeakyReluOptions"});
  }
  SUBCASE("NaN alpha") {
    OpHarness h(OpCode::LEAKY_RELU, leaky_options(std::numeric_limits<float>::quiet_NaN()));
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LEAKY_RELU)", "alpha", "finite"});
  }
  SUBCASE("fused RELU_N1_TO_1") {
    OpHarness h(OpCode::LEAKY_RELU, leaky_options(0.1f), Activation::RELU_N1_TO_1);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED,
                  {"op 0 (LEAKY_RELU)", "fused activation RELU_N1_TO_1"});
  }
  SUBCASE("no inputs") {
    OpHarness h(OpCode::LEAKY_RELU);
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LEAKY_RELU)", "has 0 inputs, needs 1"});
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::LEAKY_RELU);
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LEAKY_RELU)", "input 0 is required"});
  }
  SUBCASE("int8 input") {
    OpHarness h(OpCode::LEAKY_RELU);
    h.add_raw_input(ERT_I8, {2}, {1, 2});
    h.add_output(ERT_I8);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (LEAKY_RELU)", "input 0", "i8"});
  }
  SUBCASE("int64 output") {
    OpHarness h(OpCode::LEAKY_RELU);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output(ERT_I64);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (LEAKY_RELU)", "output 0", "i64"});
  }
}
