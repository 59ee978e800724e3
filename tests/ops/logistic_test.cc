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

TEST_CASE("LOGISTIC through the op keeps the shape and computes each element") {
  OpHarness h(OpCode::LOGISTIC);
  h.add_input({2, 1, 3}, {0.0f, 1.0f, -1.0f, 100.0f, -100.0f, 2.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{2, 1, 3});
  const auto out = h.output(0);
  REQUIRE(out.size() == 6);
  CHECK(out[0] == 0.5f);
  CHECK(out[1] == doctest::Approx(0.7310585786));
  CHECK(out[2] == doctest::Approx(0.2689414214));
  CHECK(out[3] == 1.0f);
  CHECK(out[4] > 0.0f);
  CHECK(out[4] < 1e-40f);
  CHECK(out[5] == doctest::Approx(0.8807970780));
}

TEST_CASE("LOGISTIC through the op on a scalar and an empty tensor") {
  OpHarness scalar(OpCode::LOGISTIC);
  scalar.add_input({}, {0.0f});
  scalar.add_output();
  REQUIRE(scalar.prepare_and_run().ok());
  CHECK(scalar.output_shape(0).rank == 0);
  CHECK(scalar.output(0) == std::vector<float>{0.5f});

  OpHarness empty(OpCode::LOGISTIC);
  empty.add_input({3, 0}, {});
  empty.add_output();
  REQUIRE(empty.prepare_and_run().ok());
  CHECK(empty.output_shape(0) == Shape{3, 0});
  CHECK(empty.output(0).empty());
}

TEST_CASE("LOGISTIC rejects a fused activation, bad counts and non-float tensors") {
  SUBCASE("fused RELU6") {
    OpHarness h(OpCode::LOGISTIC, {}, Activation::RELU6);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (LOGISTIC)", "fused activation RELU6"});
  }
  SUBCASE("two inputs") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LOGISTIC)", "has 2 inputs, needs 1"});
  }
  SUBCASE("two outputs") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LOGISTIC)", "has 2 outputs, needs 1"});
  }
  SUBCASE("absent input") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_absent_input();
    h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL, {"op 0 (LOGISTIC)", "input 0 is required"});
  }
  SUBCASE("uint8 input") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_raw_input(ERT_U8, {2}, {1, 2});
    h.add_output(ERT_U8);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (LOGISTIC)", "input 0", "u8"});
  }
  SUBCASE("int32 output") {
    OpHarness h(OpCode::LOGISTIC);
    h.add_input({2}, {1.0f, 2.0f});
    h.add_output(ERT_I32);
    check_failure(h.prepare(), ERT_UNSUPPORTED, {"op 0 (LOGISTIC)", "output 0", "i32"});
  }
}
