#include <doctest/doctest.h>

#include "kernels/relu.h"
#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::testing::OpHarness;

TEST_CASE("clamp_f32 clamps into the range and works in place") {
  float v[5] = {-2.0f, -0.0f, 0.5f, 6.0f, 7.5f};
  ert::kernels::clamp_f32(v, v, 5, {0.0f, 6.0f});
  CHECK(v[0] == 0.0f);
  CHECK(v[1] == 0.0f);
  CHECK(v[2] == 0.5f);
  CHECK(v[3] == 6.0f);
  CHECK(v[4] == 6.0f);
}

TEST_CASE("RELU and RELU6 through the op") {
  for (OpCode code : {OpCode::RELU, OpCode::RELU6}) {
    OpHarness h(code);
    h.add_input({2, 3}, {-1.0f, 0.0f, 3.0f, 6.5f, -7.0f, 100.0f});
    h.add_output();
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == ert::kernels::Shape{2, 3});
    const float hi = code == OpCode::RELU ? 100.0f : 6.0f;
    const float hi2 = code == OpCode::RELU ? 6.5f : 6.0f;
    CHECK(h.output(0) == std::vector<float>{0.0f, 0.0f, 3.0f, hi2, 0.0f, hi});
  }
}

TEST_CASE("RELU with a fused RELU_N1_TO_1 takes the tighter bound") {
  OpHarness h(OpCode::RELU, {}, Activation::RELU_N1_TO_1);
  h.add_input({3}, {-5.0f, 0.25f, 5.0f});
  h.add_output();
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output(0) == std::vector<float>{0.0f, 0.25f, 1.0f});
}

TEST_CASE("RELU rejects a non-float input with a message naming the op") {
  OpHarness h(OpCode::RELU);
  h.add_raw_input(ERT_I8, {2}, {1, 2});
  h.add_output(ERT_I8);
  const ert::Status s = h.prepare();
  CHECK(s.code() == ERT_UNSUPPORTED);
  CHECK(s.message().find("op 0 (RELU)") != std::string::npos);
  CHECK(s.message().find("i8") != std::string::npos);
}
