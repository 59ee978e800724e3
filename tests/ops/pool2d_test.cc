#include <doctest/doctest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::fb::Padding;
using ert::kernels::Shape;
using ert::testing::OpHarness;
using ert::testing::per_tensor;

namespace {

ert::fb::OpOptionsUnion pool_options(Padding padding, int fh, int fw, int sh, int sw) {
  ert::fb::Pool2DOptionsT o;
  o.padding = padding;
  o.filter_h = fh;
  o.filter_w = fw;
  o.stride_h = sh;
  o.stride_w = sw;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::OpOptionsUnion explicit_options(int top, int bottom, int left, int right, int fh, int fw,
                                         int sh = 1, int sw = 1) {
  ert::fb::Pool2DOptionsT o;
  o.padding = Padding::EXPLICIT;
  o.explicit_padding = std::make_unique<ert::fb::ExplicitPadding>(top, bottom, left, right);
  o.filter_h = fh;
  o.filter_w = fw;
  o.stride_h = sh;
  o.stride_w = sw;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

// Checks a failed prepare: its code, the op named at the start, and each expected fragment.
void check_failure(const ert::Status& s, ert_status code, const char* op,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find(std::string("op 0 (") + op + ")") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

// Runs one pooling op on a single-channel image of the given height and width.
struct PoolRun {
  ert::Status status;
  Shape shape;
  std::vector<float> out;
};

PoolRun run_pool(OpCode code, ert::fb::OpOptionsUnion options, int h, int w,
                 const std::vector<float>& data, Activation act = Activation::NONE) {
  OpHarness op(code, std::move(options), act);
  op.add_input({1, h, w, 1}, data);
  op.add_output();
  PoolRun r;
  r.status = op.prepare_and_run();
  if (r.status.ok()) {
    r.shape = op.output_shape(0);
    r.out = op.output(0);
  }
  return r;
}

}  // namespace

TEST_CASE("AVERAGE_POOL_2D and MAX_POOL_2D with SAME padding split unevenly") {
  // W=4, filter 4, stride 1: SAME pads 1 column before and 2 after; padded cells are not
  // counted by the average and never win the max.
  const std::vector<float> in = {1, 2, 3, 4};
  PoolRun avg =
      run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 1, 4, 1, 1), 1, 4, in);
  REQUIRE(avg.status.ok());
  CHECK(avg.shape == Shape{1, 1, 4, 1});
  REQUIRE(avg.out.size() == 4);
  CHECK(avg.out[0] == doctest::Approx(2.0f));  // columns 0..2
  CHECK(avg.out[1] == doctest::Approx(2.5f));  // columns 0..3
  CHECK(avg.out[2] == doctest::Approx(3.0f));  // columns 1..3
  CHECK(avg.out[3] == doctest::Approx(3.5f));  // columns 2..3
  PoolRun mx = run_pool(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 1, 4, 1, 1), 1, 4, in);
  REQUIRE(mx.status.ok());
  CHECK(mx.out == std::vector<float>{3, 4, 4, 4});
}

TEST_CASE("AVERAGE_POOL_2D and MAX_POOL_2D with SAME padding and stride 2") {
  // 2x3 image, 2x2 filter, stride 2: output 1x2; the second window has only column 2.
  const std::vector<float> in = {1, 2, 3, 4, 5, 6};
  PoolRun avg =
      run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 2, 2, 2, 2), 2, 3, in);
  REQUIRE(avg.status.ok());
  CHECK(avg.shape == Shape{1, 1, 2, 1});
  CHECK(avg.out == std::vector<float>{3.0f, 4.5f});
  PoolRun mx = run_pool(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 2, 2, 2, 2), 2, 3, in);
  REQUIRE(mx.status.ok());
  CHECK(mx.out == std::vector<float>{5.0f, 6.0f});
}

TEST_CASE("AVERAGE_POOL_2D with SAME padding and a stride near 2^31 takes one window") {
  // ceil(3 / stride) is 1 and no padding is needed; 32-bit arithmetic would overflow here.
  const int big = 2147483647;
  PoolRun r = run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 3, 3, big, big), 3, 3,
                       {1, 2, 3, 4, 5, 6, 7, 8, 9});
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{1, 1, 1, 1});
  CHECK(r.out == std::vector<float>{5.0f});
}

TEST_CASE("AVERAGE_POOL_2D and MAX_POOL_2D with VALID padding and a stride above the filter") {
  const std::vector<float> in = {1, 2, 100, 4, 5};
  PoolRun avg =
      run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 1, 2, 1, 3), 1, 5, in);
  REQUIRE(avg.status.ok());
  CHECK(avg.shape == Shape{1, 1, 2, 1});
  CHECK(avg.out == std::vector<float>{1.5f, 4.5f});
  PoolRun mx = run_pool(OpCode::MAX_POOL_2D, pool_options(Padding::VALID, 1, 2, 1, 3), 1, 5, in);
  REQUIRE(mx.status.ok());
  CHECK(mx.out == std::vector<float>{2.0f, 5.0f});
}

TEST_CASE("AVERAGE_POOL_2D with VALID padding and a filter larger than the image is empty") {
  PoolRun r = run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 3, 3, 1, 1), 2, 2,
                       {1, 2, 3, 4});
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{1, 0, 0, 1});
  CHECK(r.out.empty());
}

TEST_CASE("AVERAGE_POOL_2D and MAX_POOL_2D with EXPLICIT padding") {
  // 2x2 image, one row above and one column right, 2x2 filter, stride 1: output 2x2.
  const std::vector<float> in = {1, 2, 3, 4};
  PoolRun avg = run_pool(OpCode::AVERAGE_POOL_2D, explicit_options(1, 0, 0, 1, 2, 2), 2, 2, in);
  REQUIRE(avg.status.ok());
  CHECK(avg.shape == Shape{1, 2, 2, 1});
  CHECK(avg.out == std::vector<float>{1.5f, 2.0f, 2.5f, 3.0f});
  PoolRun mx = run_pool(OpCode::MAX_POOL_2D, explicit_options(1, 0, 0, 1, 2, 2), 2, 2, in);
  REQUIRE(mx.status.ok());
  CHECK(mx.out == std::vector<float>{2.0f, 2.0f, 4.0f, 4.0f});
}

TEST_CASE("MAX_POOL_2D with 1x1 windows and a fused RELU is a clamp; stride 2 subsamples") {
  PoolRun r = run_pool(OpCode::MAX_POOL_2D, pool_options(Padding::VALID, 1, 1, 1, 1), 2, 2,
                       {-1, 2, -3, 4}, Activation::RELU);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{1, 2, 2, 1});
  CHECK(r.out == std::vector<float>{0, 2, 0, 4});
  r = run_pool(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 1, 1, 2, 2), 3, 3,
               {1, 2, 3, 4, 5, 6, 7, 8, 9});
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{1, 2, 2, 1});
  CHECK(r.out == std::vector<float>{1, 3, 7, 9});
}

TEST_CASE("AVERAGE_POOL_2D applies a fused RELU_N1_TO_1 and keeps batches and channels") {
  OpHarness op(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 2, 2, 2, 2),
               Activation::RELU_N1_TO_1);
  // Two batches of 2x2x2; channel means are 2.5, 0.25, -2.5, -0.25.
  op.add_input({2, 2, 2, 2}, {1, 0, 2, 1, 3, 0, 4, 0, -1, 0, -2, -1, -3, 0, -4, 0});
  op.add_output();
  REQUIRE(op.prepare_and_run().ok());
  CHECK(op.output_shape(0) == Shape{2, 1, 1, 2});
  CHECK(op.output(0) == std::vector<float>{1.0f, 0.25f, -1.0f, -0.25f});
}

TEST_CASE("AVERAGE_POOL_2D prepare rejects bad counts, dtypes and ranks") {
  SUBCASE("two inputs") {
    OpHarness op(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    op.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, "AVERAGE_POOL_2D", {"2 inputs", "needs 1"});
  }
  SUBCASE("no output") {
    OpHarness op(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    check_failure(op.prepare(), ERT_INVALID_MODEL, "AVERAGE_POOL_2D", {"0 outputs"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, "AVERAGE_POOL_2D", {"input 0", "absent"});
  }
  SUBCASE("int8 input without quantization") {
    OpHarness op(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_raw_input(ERT_I8, {1, 2, 2, 1}, {1, 2, 3, 4});
    op.add_output(ERT_I8);
    check_failure(op.prepare(), ERT_UNSUPPORTED, "MAX_POOL_2D", {"input 0", "i8"});
  }
  SUBCASE("int8 output") {
    OpHarness op(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_input({1, 2, 2, 1}, {1, 2, 3, 4});
    op.add_output(ERT_I8);
    check_failure(op.prepare(), ERT_UNSUPPORTED, "MAX_POOL_2D", {"output 0", "i8"});
  }
  SUBCASE("rank 3") {
    OpHarness op(OpCode::AVERAGE_POOL_2D, pool_options(Padding::SAME, 2, 2, 1, 1));
    op.add_input({2, 2, 1}, {1, 2, 3, 4});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, "AVERAGE_POOL_2D", {"3 dims", "needs 4"});
  }
}

TEST_CASE("AVERAGE_POOL_2D prepare rejects missing or bad options") {
  auto fails = [](ert::fb::OpOptionsUnion options, ert_status code,
                  std::initializer_list<const char*> parts, Activation act = Activation::NONE) {
    OpHarness op(OpCode::AVERAGE_POOL_2D, std::move(options), act);
    op.add_input({1, 3, 3, 1}, std::vector<float>(9, 1.0f));
    op.add_output();
    check_failure(op.prepare(), code, "AVERAGE_POOL_2D", parts);
  };
  SUBCASE("no options") {
    fails(ert::fb::OpOptionsUnion(), ERT_INVALID_MODEL, {"missing Pool2DOptions"});
  }
  SUBCASE("options of another op") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::ReduceOptionsT());
    fails(std::move(u), ERT_INVALID_MODEL, {"missing Pool2DOptions"});
  }
  SUBCASE("zero stride") {
    fails(pool_options(Padding::SAME, 2, 2, 0, 1), ERT_INVALID_MODEL, {"stride 0x1", "positive"});
  }
  SUBCASE("negative stride") {
    fails(pool_options(Padding::SAME, 2, 2, 1, -2), ERT_INVALID_MODEL, {"stride 1x-2"});
  }
  SUBCASE("zero filter") {
    fails(pool_options(Padding::SAME, 2, 0, 1, 1), ERT_INVALID_MODEL, {"filter 2x0", "positive"});
  }
  SUBCASE("unknown padding mode") {
    fails(pool_options(static_cast<Padding>(7), 2, 2, 1, 1), ERT_INVALID_MODEL,
          {"unknown padding mode 7"});
  }
  SUBCASE("unknown fused activation") {
    fails(pool_options(Padding::SAME, 2, 2, 1, 1), ERT_INVALID_MODEL,
          {"unknown fused activation 9"}, static_cast<Activation>(9));
  }
  SUBCASE("EXPLICIT without explicit_padding") {
    fails(pool_options(Padding::EXPLICIT, 2, 2, 1, 1), ERT_INVALID_MODEL,
          {"EXPLICIT", "explicit_padding is absent"});
  }
  SUBCASE("negative explicit padding") {
    fails(explicit_options(0, 0, -1, 0, 2, 2), ERT_INVALID_MODEL, {"left -1", "negative"});
  }
  SUBCASE("explicit padding as large as the filter") {
    fails(explicit_options(0, 2, 0, 0, 2, 3), ERT_INVALID_MODEL,
          {"bottom 2", "smaller than the filter 2x3"});
  }
}

TEST_CASE("AVERAGE_POOL_2D prepare rejects outputs beyond the caps") {
  SUBCASE("one axis longer than 2^30") {
    // Padding 2^30 each side with a filter one larger gives 2^30 + 1 rows.
    OpHarness op(OpCode::AVERAGE_POOL_2D,
                 explicit_options(1 << 30, 1 << 30, 0, 0, (1 << 30) + 1, 1));
    op.add_input({1, 1, 1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, "AVERAGE_POOL_2D", {"1073741825x1", "2^30"});
  }
  SUBCASE("more than 2^31-1 elements") {
    const int pad = (1 << 30) - 1;
    OpHarness op(OpCode::MAX_POOL_2D, explicit_options(pad, pad, pad, pad, 1 << 30, 1 << 30));
    op.add_input({1, 1, 1, 1}, {1});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, "MAX_POOL_2D",
                  {"[1,1073741824,1073741824,1]", "elements"});
  }
}

// Quantized MAX_POOL_2D: input and output share one quantization; the activation clamps in it.
TEST_CASE("MAX_POOL_2D of i8 takes the largest value and clamps RELU at the zero point") {
  // 2x2 windows, stride 2, on a 2x4 image: scale 0.5, zero point -10, so real 0 is -10.
  OpHarness h(OpCode::MAX_POOL_2D, pool_options(Padding::VALID, 2, 2, 2, 2), Activation::RELU);
  h.add_i8({1, 2, 4, 1}, {-50, -40, 5, -128, -30, -20, 127, 0}, per_tensor(0.5f, -10));
  h.add_output(ERT_I8, per_tensor(0.5f, -10));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 1, 2, 1});
  // Window maxima -20 and 127; RELU lifts -20 (real -5) to -10 (real 0).
  CHECK(h.output<int8_t>(0) == std::vector<int8_t>{-10, 127});
}

TEST_CASE("MAX_POOL_2D of u8 with SAME padding ignores the padded cells") {
  // Every value is below the zero point (negative reals): a padded cell counted as the zero
  // point, or as 0, would win; TFLite skips padded cells, so the real cells' maximum must.
  OpHarness h(OpCode::MAX_POOL_2D, pool_options(Padding::SAME, 3, 3, 1, 1));
  h.add_u8({1, 2, 2, 2}, {1, 9, 2, 8, 3, 7, 4, 6}, per_tensor(0.1f, 100));
  h.add_output(ERT_U8, per_tensor(0.1f, 100));
  REQUIRE(h.prepare_and_run().ok());
  CHECK(h.output_shape(0) == Shape{1, 2, 2, 2});
  CHECK(h.output<uint8_t>(0) == std::vector<uint8_t>{4, 9, 4, 9, 4, 9, 4, 9});
}

TEST_CASE("MAX_POOL_2D of i8 refuses an output quantized differently; AVERAGE_POOL_2D is f32 only") {
  SUBCASE("MAX_POOL_2D") {
    OpHarness h(OpCode::MAX_POOL_2D, pool_options(Padding::VALID, 1, 1, 1, 1));
    h.add_i8({1, 1, 1, 1}, {3}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8, per_tensor(0.25f, 0));
    check_failure(h.prepare(), ERT_UNSUPPORTED, "MAX_POOL_2D",
                  {"output 0", "quantized differently", "does not requantize"});
  }
  SUBCASE("AVERAGE_POOL_2D computes new values, so it stays f32 only") {
    OpHarness h(OpCode::AVERAGE_POOL_2D, pool_options(Padding::VALID, 1, 1, 1, 1));
    h.add_i8({1, 1, 1, 1}, {3}, per_tensor(0.5f, 0));
    h.add_output(ERT_I8, per_tensor(0.5f, 0));
    check_failure(h.prepare(), ERT_UNSUPPORTED, "AVERAGE_POOL_2D", {"input 0", "i8"});
  }
}
