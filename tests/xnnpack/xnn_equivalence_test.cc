// Every op the XNNPACK backend takes, against its reference kernel, on random shapes and data
// with fixed seeds, on one thread and on a 2-thread pool. The harness puts guard bytes around
// every output and poisons it first, so a write outside the tensor or a skipped element fails.
//
// Tolerance (float): |ref - out| <= FLT_EPSILON * max(|ref| * K, 1), with K = 2 for element-wise
// ops, 10 for fully connected and 25 for convolutions (and the 4-tap bilinear resize). The convolution-like ops get data on a
// grid of 1/8 steps so that every product and partial sum is exact in f32: then any summation
// order (XNNPACK's blocks, FMA) gives the same value, and a wrong index shows as a big error.
//
// Tolerance (uint8): 1 unit on every element. XNNPACK requantizes in fp32 (round to nearest)
// where the reference uses TFLite's fixed-point multiplier; they differ by one unit near ties.
#include <doctest/doctest.h>
#include <pthreadpool.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/support/op_harness.h"

namespace {

using ert::fb::OpCode;
using ert::fb::Padding;
using ert::kernels::Shape;
using ert::testing::OpHarness;
using ert::testing::per_tensor;
using ert::testing::TestQuant;

struct PoolDeleter {
  void operator()(pthreadpool_t p) const { pthreadpool_destroy(p); }
};

int64_t count(const Shape& s) { return s.num_elements(); }

std::vector<float> uniform(std::mt19937& rng, int64_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = d(rng);
  return v;
}

// Values k/8 for k in [-8, 8]: products are multiples of 1/64, exact with small sums.
std::vector<float> grid(std::mt19937& rng, int64_t n) {
  std::uniform_int_distribution<int> d(-8, 8);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = float(d(rng)) / 8.0f;
  return v;
}

int pick(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// An op built by `build` on a harness, run on the reference kernels and then on the fast path
// (one thread, then two); `compare(want, got, kernel)` checks each fast result of element type T
// against the reference's, with the kernel name the fast path chose.
template <typename T, typename Build, typename Compare>
void run_reference_and_fast(const char* what, Build build, Compare compare) {
  static std::unique_ptr<pthreadpool, PoolDeleter> pool(pthreadpool_create(2));
  OpHarness ref = build();
  const ert::Status rs = ref.prepare_and_run();
  REQUIRE_MESSAGE(rs.ok(), what << ": reference: " << rs.to_string());
  const std::vector<T> want = ref.output<T>(0);
  for (int threads : {1, 2}) {
    OpHarness fast = build();
    fast.set_kernel_choice(ert::rt::KernelChoice{/*fast_path=*/true});
    if (threads == 2) fast.set_threadpool(pool.get());
    const ert::Status fs = fast.prepare_and_run();
    REQUIRE_MESSAGE(fs.ok(), what << ": fast path: " << fs.to_string());
    INFO(std::string(what) << ", " << threads << " thread(s), kernel "
                           << std::string(fast.kernel_name()));
    REQUIRE(fast.output_shape(0) == ref.output_shape(0));
    const std::vector<T> got = fast.output<T>(0);
    REQUIRE(got.size() == want.size());
    compare(want, got, std::string(fast.kernel_name()));
  }
}

// f32: the fast path must have been taken (its kernel name starts "xnnpack:", an XNNPACK
// operator, or "own:", edgert's own micro-kernel), within FLT_EPSILON * max(|ref| * k, 1).
template <typename Build>
void check_equivalent(const char* what, float k, Build build) {
  run_reference_and_fast<float>(what, build, [k](const std::vector<float>& want,
                                                 const std::vector<float>& got,
                                                 const std::string& kernel) {
    CHECK((kernel.rfind("xnnpack:", 0) == 0 || kernel.rfind("own:", 0) == 0));
    size_t bad = 0;
    size_t first_bad = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      const float bound = FLT_EPSILON * std::max(std::fabs(want[i]) * k, 1.0f);
      if (!(std::fabs(want[i] - got[i]) <= bound)) {
        if (bad++ == 0) first_bad = i;
      }
    }
    // All 9 significant digits, so that a miss of a few ulp shows which ulp.
    CHECK_MESSAGE(bad == 0, bad << " of " << want.size() << " elements beyond the bound; first at "
                                << first_bad << ": ref " << std::setprecision(9) << want[first_bad]
                                << ", fast " << got[first_bad] << ", bound "
                                << FLT_EPSILON * std::max(std::fabs(want[first_bad]) * k, 1.0f));
  });
}

ert::fb::OpOptionsUnion conv_options(Padding padding, int sh, int sw, int dh, int dw) {
  ert::fb::Conv2DOptionsT o;
  o.padding = padding;
  o.stride_h = sh;
  o.stride_w = sw;
  o.dilation_h = dh;
  o.dilation_w = dw;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

ert::fb::Activation random_activation(std::mt19937& rng) {
  switch (pick(rng, 0, 3)) {
    case 0: return ert::fb::Activation::RELU;
    case 1: return ert::fb::Activation::RELU6;
    case 2: return ert::fb::Activation::RELU_N1_TO_1;
    default: return ert::fb::Activation::NONE;
  }
}

std::vector<uint8_t> random_u8(std::mt19937& rng, int64_t n) {
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<uint8_t> v(static_cast<size_t>(n));
  for (uint8_t& x : v) x = uint8_t(d(rng));
  return v;
}

std::vector<int32_t> random_i32(std::mt19937& rng, int64_t n, int32_t bound) {
  std::uniform_int_distribution<int32_t> d(-bound, bound);
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (int32_t& x : v) x = d(rng);
  return v;
}

float pick_real(std::mt19937& rng, float lo, float hi) {
  return std::uniform_real_distribution<float>(lo, hi)(rng);
}

// The quantized twin of check_equivalent (T = uint8_t or int8_t): the fast path must be an
// XNNPACK operator (so that a case quietly left to the reference kernel cannot pass), within 1
// unit of the reference on every element, and equal to it on all but a few: a systematic
// one-unit error (a zero point off by one) would pass the first bar, while rounding
// differences are rare (near ties only).
template <typename T, typename Build>
void check_equivalent_quantized(const char* what, Build build) {
  run_reference_and_fast<T>(what, build, [](const std::vector<T>& want, const std::vector<T>& got,
                                            const std::string& kernel) {
    CHECK(kernel.rfind("xnnpack:", 0) == 0);
    size_t bad = 0;
    size_t first_bad = 0;
    size_t differ = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i] != got[i]) ++differ;
      if (std::abs(int(want[i]) - int(got[i])) > 1) {
        if (bad++ == 0) first_bad = i;
      }
    }
    CHECK_MESSAGE(bad == 0, bad << " of " << want.size() << " elements more than 1 unit off; "
                                << "first at " << first_bad << ": ref " << int(want[first_bad])
                                << ", fast " << int(got[first_bad]));
    CHECK_MESSAGE(differ <= std::max<size_t>(2, want.size() / 50),
                  differ << " of " << want.size() << " elements differ by 1 unit");
  });
}

template <typename Build>
void check_equivalent_u8(const char* what, Build build) {
  check_equivalent_quantized<uint8_t>(what, build);
}

template <typename Build>
void check_equivalent_i8(const char* what, Build build) {
  check_equivalent_quantized<int8_t>(what, build);
}

std::vector<int8_t> random_i8(std::mt19937& rng, int64_t n, int lo = -128) {
  std::uniform_int_distribution<int> d(lo, 127);
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (int8_t& x : v) x = int8_t(d(rng));
  return v;
}

// A case XNNPACK refuses at create: the fast path still prepares, names the reference kernel
// and gives the reference's output exactly.
template <typename Build>
void check_falls_back(const char* what, Build build) {
  OpHarness ref = build();
  const ert::Status rs = ref.prepare_and_run();
  REQUIRE_MESSAGE(rs.ok(), what << ": reference: " << rs.to_string());
  OpHarness fast = build();
  fast.set_kernel_choice(ert::rt::KernelChoice{/*fast_path=*/true});
  const ert::Status fs = fast.prepare_and_run();
  REQUIRE_MESSAGE(fs.ok(), what << ": fast path: " << fs.to_string());
  INFO(what);
  CHECK(std::string(fast.kernel_name()) == "reference");
  CHECK(fast.output<uint8_t>(0) == ref.output<uint8_t>(0));
}

// A uint8 output scale that spreads a sum of `terms` products of uint8 values (each centred
// near its zero point) over the output range, times a random factor so that some outputs
// saturate and the clamp is exercised.
float u8_output_scale(std::mt19937& rng, int terms, float input_scale, float filter_scale) {
  const float spread = std::sqrt(float(terms)) * 74.0f * 74.0f;  // 74: std of uniform 0..255.
  return spread * input_scale * filter_scale / 40.0f * pick_real(rng, 0.7f, 2.0f);
}
}  // namespace

TEST_CASE("xnnpack equivalence: CONV_2D, random shapes, paddings, strides, dilations, groups") {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 24; ++trial) {
    const int kh = pick(rng, 1, 3), kw = pick(rng, 1, 3);
    const int groups = trial % 6 == 5 ? 2 : 1;
    const int ci = groups * pick(rng, 1, 9), co = groups * pick(rng, 1, 12);
    const int sh = pick(rng, 1, 2), sw = pick(rng, 1, 2);
    const int dh = trial % 4 == 3 ? 2 : 1, dw = dh;
    const Padding padding = trial % 2 ? Padding::SAME : Padding::VALID;
    const Shape in{pick(rng, 1, 2), pick(rng, 5, 13), pick(rng, 5, 13), ci};
    const Shape filter{co, kh, kw, ci / groups};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, count(filter)),
                             b = grid(rng, co);
    const bool with_bias = trial % 3 != 0;
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("conv", 25.0f, [&] {
      OpHarness h(OpCode::CONV_2D, conv_options(padding, sh, sw, dh, dw), act);
      h.add_input(in, x);
      h.add_input(filter, w, /*constant=*/true);
      if (with_bias) h.add_input(Shape{co}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: pointwise CONV_2D (the own GEMM path), channels around the tiles") {
  std::mt19937 rng(4321);
  for (int trial = 0; trial < 16; ++trial) {
    const int ci = pick(rng, 1, 70), co = pick(rng, 1, 40);
    const Shape in{pick(rng, 1, 2), pick(rng, 1, 9), pick(rng, 1, 9), ci};
    const Shape filter{co, 1, 1, ci};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, count(filter)),
                             b = grid(rng, co);
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("pointwise conv", 25.0f, [&] {
      OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 1, 1, 1), act);
      h.add_input(in, x);
      h.add_input(filter, w, true);
      if (trial % 3 != 0) h.add_input(Shape{co}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: CONV_2D into 1 to 4 channels (the own direct kernel)") {
  std::mt19937 rng(2468);
  for (int trial = 0; trial < 16; ++trial) {
    const int ci = pick(rng, 1, 20), co = pick(rng, 1, 4);
    const int kh = pick(rng, 1, 5), kw = pick(rng, 2, 5), s = pick(rng, 1, 2);
    const Padding padding = trial % 2 ? Padding::SAME : Padding::VALID;
    const Shape in{pick(rng, 1, 2), pick(rng, 5, 14), pick(rng, 5, 14), ci};
    const Shape filter{co, kh, kw, ci};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, count(filter)),
                             b = grid(rng, co);
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("narrow conv", 25.0f, [&] {
      OpHarness h(OpCode::CONV_2D, conv_options(padding, s, s, 1, 1), act);
      h.add_input(in, x);
      h.add_input(filter, w, true);
      if (trial % 3 != 0) h.add_input(Shape{co}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: DEPTHWISE_CONV_2D with multipliers 1 and 2") {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 16; ++trial) {
    const int c = pick(rng, 1, 20), m = trial % 4 == 3 ? 2 : 1;
    const int kh = pick(rng, 1, 5), kw = pick(rng, 1, 5);
    const int s = pick(rng, 1, 2), d = trial % 5 == 4 ? 2 : 1;
    const Padding padding = trial % 2 ? Padding::SAME : Padding::VALID;
    const Shape in{1, pick(rng, 6, 14), pick(rng, 6, 14), c};
    const Shape filter{1, kh, kw, c * m};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, count(filter)),
                             b = grid(rng, c * m);
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("depthwise", 25.0f, [&] {
      ert::fb::DepthwiseConv2DOptionsT o;
      o.padding = padding;
      o.stride_h = o.stride_w = s;
      o.dilation_h = o.dilation_w = d;
      o.depth_multiplier = m;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::DEPTHWISE_CONV_2D, std::move(u), act);
      h.add_input(in, x);
      h.add_input(filter, w, true);
      h.add_input(Shape{c * m}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: TRANSPOSE_CONV, SAME (also kernels smaller than the stride), VALID, EXPLICIT") {
  std::mt19937 rng(77);
  for (int trial = 0; trial < 15; ++trial) {
    const int ci = pick(rng, 1, 8), co = pick(rng, 1, 8);
    const int kh = pick(rng, 1, 4), kw = pick(rng, 1, 4), s = pick(rng, 1, 3);
    const Padding padding = trial % 3 == 0 ? Padding::SAME
                            : trial % 3 == 1 ? Padding::VALID
                                             : Padding::EXPLICIT;
    const Shape in{1, pick(rng, 2, 7), pick(rng, 2, 7), ci};
    const Shape filter{co, kh, kw, ci};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, count(filter)),
                             b = grid(rng, co);
    const int pad = (kh > 1 && kw > 1) ? 1 : 0;
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("transpose conv", 25.0f, [&] {
      ert::fb::TransposeConvOptionsT o;
      o.padding = padding;
      o.stride_h = o.stride_w = s;
      if (padding == Padding::EXPLICIT) {
        o.explicit_padding = std::make_unique<ert::fb::ExplicitPadding>(pad, 0, pad, 0);
      }
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::TRANSPOSE_CONV, std::move(u), act);
      h.add_input(in, x);
      h.add_input(filter, w, true);
      if (trial % 2 == 0) h.add_input(Shape{co}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: FULLY_CONNECTED, flattened and keep_num_dims") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 12; ++trial) {
    const int depth = pick(rng, 1, 70), units = pick(rng, 1, 40), rows = pick(rng, 1, 5);
    const bool keep = trial % 2 == 1;
    const Shape in = keep ? Shape{1, rows, depth} : Shape{rows, depth};
    const std::vector<float> x = grid(rng, count(in)), w = grid(rng, int64_t(units) * depth),
                             b = grid(rng, units);
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent("fully connected", 10.0f, [&] {
      ert::fb::FullyConnectedOptionsT o;
      o.keep_num_dims = keep;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::FULLY_CONNECTED, std::move(u), act);
      h.add_input(in, x);
      h.add_input(Shape{units, depth}, w, true);
      if (trial % 3 != 0) h.add_input(Shape{units}, b, true);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: binary ops with broadcasting and constant operands") {
  std::mt19937 rng(5);
  const OpCode codes[] = {OpCode::ADD, OpCode::SUB, OpCode::MUL,
                          OpCode::DIV, OpCode::MAXIMUM, OpCode::MINIMUM};
  for (OpCode code : codes) {
    for (int trial = 0; trial < 6; ++trial) {
      const Shape a{1, pick(rng, 1, 7), pick(rng, 1, 7), pick(rng, 1, 9)};
      // Broadcast b over some of a's axes: per channel, per pixel, a scalar or the same shape.
      Shape b = a;
      if (trial % 4 == 1) b = Shape{a[3]};
      if (trial % 4 == 2) b = Shape{1, a[1], a[2], 1};
      if (trial % 4 == 3) b = Shape{1};
      const std::vector<float> x = uniform(rng, count(a), -4.0f, 4.0f);
      std::vector<float> y = uniform(rng, count(b), 0.5f, 4.0f);  // DIV: away from zero.
      if (code != OpCode::DIV) {
        for (size_t i = 0; i < y.size(); i += 2) y[i] = -y[i];
      }
      const bool swap = trial % 2 == 1;
      const bool has_act = code != OpCode::MAXIMUM && code != OpCode::MINIMUM;
      const ert::fb::Activation act = has_act ? random_activation(rng) : ert::fb::Activation::NONE;
      check_equivalent(ert::fb::EnumNameOpCode(code), 2.0f, [&] {
        OpHarness h(code, ert::fb::OpOptionsUnion(), act);
        if (swap) {
          h.add_input(b, y, /*constant=*/true);
          h.add_input(a, x);
        } else {
          h.add_input(a, x);
          h.add_input(b, y, /*constant=*/trial % 3 == 0);
        }
        h.add_output();
        return h;
      });
    }
  }
}

TEST_CASE("xnnpack equivalence: RELU, RELU6, LEAKY_RELU, PRELU and SOFTMAX") {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 4; ++trial) {
    const Shape s{1, pick(rng, 1, 9), pick(rng, 1, 9), pick(rng, 1, 17)};
    const std::vector<float> x = uniform(rng, count(s), -8.0f, 8.0f);
    for (OpCode code : {OpCode::RELU, OpCode::RELU6}) {
      check_equivalent(ert::fb::EnumNameOpCode(code), 2.0f, [&] {
        OpHarness h(code);
        h.add_input(s, x);
        h.add_output();
        return h;
      });
    }
    check_equivalent("LEAKY_RELU", 2.0f, [&] {
      ert::fb::LeakyReluOptionsT o;
      o.alpha = 0.125f * float(trial + 1);
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::LEAKY_RELU, std::move(u));
      h.add_input(s, x);
      h.add_output();
      return h;
    });
    const std::vector<float> slope = uniform(rng, s[3], -1.0f, 1.0f);
    check_equivalent("PRELU", 2.0f, [&] {
      OpHarness h(OpCode::PRELU);
      h.add_input(s, x);
      h.add_input(trial % 2 ? Shape{1, 1, s[3]} : Shape{s[3]}, slope, true);
      h.add_output();
      return h;
    });
    // SOFTMAX is not element-wise: every output is e / S with S the sum of the row's n (<= 17)
    // exponentials, so it gets the bound of the other reduction here, FULLY_CONNECTED (K = 10).
    // The reference rounds std::exp (<= 1 ulp), each of the n - 1 additions and one division;
    // XNNPACK's NEON kernel rounds its polynomial exp (a few ulp), the n - 1 additions in another
    // order (several accumulators), 1 / S and the product. Relative to y each step adds up to
    // FLT_EPSILON / 2, so the two may differ by several FLT_EPSILON * |y| without any wrong
    // index: on aarch64 one output of 504 (ref 0.981173337, fast 0.981173575) is 4 ulp = 2.04
    // FLT_EPSILON * |y| off, just past K = 2. A wrong element or index is off by ~0.01 or more.
    check_equivalent("SOFTMAX", 10.0f, [&] {
      ert::fb::SoftmaxOptionsT o;
      o.beta = 1.0f;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::SOFTMAX, std::move(u));
      h.add_input(s, x);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: MAX_POOL_2D, SAME and VALID") {
  std::mt19937 rng(21);
  for (OpCode code : {OpCode::MAX_POOL_2D}) {
    for (int trial = 0; trial < 8; ++trial) {
      const Shape in{1, pick(rng, 3, 12), pick(rng, 3, 12), pick(rng, 1, 10)};
      const int fh = pick(rng, 2, 3), fw = pick(rng, 1, 3), s = pick(rng, 1, 2);
      const Padding padding = trial % 2 ? Padding::SAME : Padding::VALID;
      const std::vector<float> x = grid(rng, count(in));
      const ert::fb::Activation act = random_activation(rng);
      check_equivalent(ert::fb::EnumNameOpCode(code), 2.0f, [&] {
        ert::fb::Pool2DOptionsT o;
        o.padding = padding;
        o.filter_h = fh;
        o.filter_w = fw;
        o.stride_h = o.stride_w = s;
        ert::fb::OpOptionsUnion u;
        u.Set(std::move(o));
        OpHarness h(code, std::move(u), act);
        h.add_input(in, x);
        h.add_output();
        return h;
      });
    }
  }
}

TEST_CASE("xnnpack equivalence: MEAN over height and width, RESIZE_BILINEAR, PAD") {
  std::mt19937 rng(31);
  for (int trial = 0; trial < 6; ++trial) {
    const Shape in{pick(rng, 1, 2), pick(rng, 1, 9), pick(rng, 1, 9), pick(rng, 1, 12)};
    const std::vector<float> x = grid(rng, count(in));
    check_equivalent("MEAN", 2.0f, [&] {
      ert::fb::ReduceOptionsT o;
      o.axes = trial % 2 ? std::vector<int32_t>{1, 2} : std::vector<int32_t>{-3, -2};
      o.keep_dims = trial % 3 == 0;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::MEAN, std::move(u));
      h.add_input(in, x);
      h.add_output();
      return h;
    });
    for (int mode = 0; mode < 3; ++mode) {  // Half-pixel centres, TF1 legacy, align corners.
      const int oh = pick(rng, 1, 20), ow = pick(rng, 1, 20);
      // A resize is a 4-tap weighted sum, so it gets the convolutions' K; positive data keeps
      // cancellation (against which a relative bound says nothing) out of the comparison.
      const std::vector<float> smooth = uniform(rng, count(in), 0.5f, 1.0f);
      check_equivalent("RESIZE_BILINEAR", 25.0f, [&] {
        ert::fb::ResizeOptionsT o;
        o.new_height = oh;
        o.new_width = ow;
        o.half_pixel_centers = mode == 0;
        o.align_corners = mode == 2;
        ert::fb::OpOptionsUnion u;
        u.Set(std::move(o));
        OpHarness h(OpCode::RESIZE_BILINEAR, std::move(u));
        h.add_input(in, smooth);
        h.add_output();
        return h;
      });
    }
    std::vector<int32_t> pads;
    for (int a = 0; a < 4; ++a) {
      pads.push_back(a == 0 ? 0 : pick(rng, 0, 2));
      pads.push_back(a == 0 ? 0 : pick(rng, 0, 2));
    }
    check_equivalent("PAD", 2.0f, [&] {
      ert::fb::PadOptionsT o;
      o.paddings = pads;
      o.constant_value = trial % 2 ? 0.0f : -1.5f;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::PAD, std::move(u));
      h.add_input(in, x);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: CONCATENATION on the channels, DEPTH_TO_SPACE") {
  std::mt19937 rng(41);
  for (int trial = 0; trial < 6; ++trial) {
    const int n = pick(rng, 2, 4);
    const Shape base{1, pick(rng, 1, 6), pick(rng, 1, 6), 1};
    std::vector<Shape> shapes;
    std::vector<std::vector<float>> data;
    for (int i = 0; i < n; ++i) {
      Shape s = base;
      s[3] = pick(rng, 1, 9);
      shapes.push_back(s);
      data.push_back(uniform(rng, count(s), -1.0f, 1.0f));
    }
    check_equivalent("CONCATENATION", 2.0f, [&] {
      ert::fb::ConcatenationOptionsT o;
      o.axis = trial % 2 ? 3 : -1;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::CONCATENATION, std::move(u));
      for (int i = 0; i < n; ++i) h.add_input(shapes[size_t(i)], data[size_t(i)], i == 1);
      h.add_output();
      return h;
    });
    const int block = pick(rng, 2, 3);
    const Shape in{1, pick(rng, 1, 5), pick(rng, 1, 5), block * block * pick(rng, 1, 4)};
    const std::vector<float> x = uniform(rng, count(in), -1.0f, 1.0f);
    check_equivalent("DEPTH_TO_SPACE", 2.0f, [&] {
      ert::fb::SpaceDepthOptionsT o;
      o.block_size = block;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::DEPTH_TO_SPACE, std::move(u));
      h.add_input(in, x);
      h.add_output();
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: uint8 CONV_2D, 1x1 and 3x3, strides, paddings, RELU/RELU6") {
  std::mt19937 rng(8642);
  for (int trial = 0; trial < 24; ++trial) {
    const int k = trial % 3 == 0 ? 1 : 3;
    const int kh = k, kw = trial % 7 == 6 ? 2 : k;
    const int groups = trial % 8 == 7 ? 2 : 1;
    const int ci = groups * pick(rng, 1, 24), co = groups * pick(rng, 1, 24);
    const int sh = pick(rng, 1, 2), sw = pick(rng, 1, 2);
    const int d = trial % 10 == 9 ? 2 : 1;
    const Padding padding = trial % 3 == 2 ? Padding::EXPLICIT
                            : trial % 2    ? Padding::SAME
                                           : Padding::VALID;
    const Shape in{pick(rng, 1, 2), pick(rng, 5, 13), pick(rng, 5, 13), ci};
    const Shape filter{co, kh, kw, ci / groups};
    const float in_scale = pick_real(rng, 0.005f, 0.05f);
    const float filter_scale = pick_real(rng, 0.001f, 0.02f);
    const float out_scale = u8_output_scale(rng, kh * kw * ci / groups, in_scale, filter_scale);
    const TestQuant in_q = per_tensor(in_scale, pick(rng, 0, 255));
    const TestQuant filter_q = per_tensor(filter_scale, pick(rng, 96, 160));
    const TestQuant out_q = per_tensor(out_scale, pick(rng, 20, 200));
    const std::vector<uint8_t> x = random_u8(rng, count(in)), w = random_u8(rng, count(filter));
    const std::vector<int32_t> b = random_i32(rng, co, 30000);
    const bool with_bias = trial % 4 != 0;
    const ert::fb::Activation act = trial % 3 == 0   ? ert::fb::Activation::RELU6
                                    : trial % 3 == 1 ? ert::fb::Activation::RELU
                                                     : random_activation(rng);
    const int pad_top = pick(rng, 0, 1), pad_left = pick(rng, 0, 2);
    check_equivalent_u8("uint8 conv", [&] {
      ert::fb::Conv2DOptionsT o;
      o.padding = padding;
      o.stride_h = sh;
      o.stride_w = sw;
      o.dilation_h = o.dilation_w = d;
      if (padding == Padding::EXPLICIT) {
        o.explicit_padding =
            std::make_unique<ert::fb::ExplicitPadding>(pad_top, 1 - pad_top, pad_left, 1);
      }
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::CONV_2D, std::move(u), act);
      h.add_u8(in, x, in_q);
      h.add_u8(filter, w, filter_q, /*constant=*/true);
      if (with_bias) h.add_i32(Shape{co}, b, per_tensor(in_scale * filter_scale, 0));
      h.add_output(ERT_U8, out_q);
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: uint8 DEPTHWISE_CONV_2D with multipliers 1 and 2") {
  std::mt19937 rng(1357);
  for (int trial = 0; trial < 16; ++trial) {
    const int c = pick(rng, 1, 40), m = trial % 4 == 3 ? 2 : 1;
    const int kh = trial % 5 == 4 ? 5 : 3, kw = trial % 6 == 5 ? pick(rng, 1, 5) : kh;
    const int s = pick(rng, 1, 2), d = trial % 7 == 6 ? 2 : 1;
    const Padding padding = trial % 2 ? Padding::SAME : Padding::VALID;
    const Shape in{1, pick(rng, 6, 14), pick(rng, 6, 14), c};
    const Shape filter{1, kh, kw, c * m};
    const float in_scale = pick_real(rng, 0.005f, 0.05f);
    const float filter_scale = pick_real(rng, 0.001f, 0.05f);
    const float out_scale = u8_output_scale(rng, kh * kw, in_scale, filter_scale);
    const TestQuant in_q = per_tensor(in_scale, pick(rng, 0, 255));
    const TestQuant filter_q = per_tensor(filter_scale, pick(rng, 96, 160));
    const TestQuant out_q = per_tensor(out_scale, pick(rng, 20, 200));
    const std::vector<uint8_t> x = random_u8(rng, count(in)), w = random_u8(rng, count(filter));
    const std::vector<int32_t> b = random_i32(rng, c * m, 5000);
    const ert::fb::Activation act = trial % 2 ? ert::fb::Activation::RELU6 : random_activation(rng);
    check_equivalent_u8("uint8 depthwise", [&] {
      ert::fb::DepthwiseConv2DOptionsT o;
      o.padding = padding;
      o.stride_h = o.stride_w = s;
      o.dilation_h = o.dilation_w = d;
      o.depth_multiplier = m;
      ert::fb::OpOptionsUnion u;
      u.Set(std::move(o));
      OpHarness h(OpCode::DEPTHWISE_CONV_2D, std::move(u), act);
      h.add_u8(in, x, in_q);
      h.add_u8(filter, w, filter_q, /*constant=*/true);
      if (trial % 3 != 0) h.add_i32(Shape{c * m}, b, per_tensor(in_scale * filter_scale, 0));
      h.add_output(ERT_U8, out_q);
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: uint8 ADD with broadcasting, constant operands, other scales") {
  std::mt19937 rng(2718);
  for (int trial = 0; trial < 16; ++trial) {
    const Shape a{1, pick(rng, 1, 9), pick(rng, 1, 9), pick(rng, 1, 40)};
    // Broadcast b over some of a's axes: per channel, per pixel, a scalar or the same shape.
    Shape b = a;
    if (trial % 4 == 1) b = Shape{a[3]};
    if (trial % 4 == 2) b = Shape{1, a[1], a[2], 1};
    if (trial % 4 == 3) b = Shape{1};
    const float a_scale = pick_real(rng, 0.01f, 0.1f);
    const float b_scale = trial % 5 == 0 ? a_scale : pick_real(rng, 0.01f, 0.1f);
    const float out_scale = (a_scale + b_scale) * pick_real(rng, 0.8f, 2.0f);
    const TestQuant a_q = per_tensor(a_scale, pick(rng, 64, 192));
    const TestQuant b_q = per_tensor(b_scale, pick(rng, 64, 192));
    const TestQuant out_q = per_tensor(out_scale, pick(rng, 64, 192));
    const std::vector<uint8_t> x = random_u8(rng, count(a)), y = random_u8(rng, count(b));
    const bool swap = trial % 2 == 1;
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent_u8("uint8 ADD", [&] {
      OpHarness h(OpCode::ADD, ert::fb::OpOptionsUnion(), act);
      if (swap) {
        h.add_u8(b, y, b_q, /*constant=*/true);
        h.add_u8(a, x, a_q);
      } else {
        h.add_u8(a, x, a_q);
        h.add_u8(b, y, b_q, /*constant=*/trial % 3 == 0);
      }
      h.add_output(ERT_U8, out_q);
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: uint8 cases XNNPACK refuses run on the reference kernel") {
  std::mt19937 rng(31415);
  const Shape in{1, 6, 6, 4};
  const std::vector<uint8_t> x = random_u8(rng, count(in)), w = random_u8(rng, 9 * 4 * 4);
  // XNNPACK's qu8 convolution wants input scale * filter scale / output scale below 256.
  check_falls_back("uint8 conv with a requantization scale of 512", [&] {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::SAME, 1, 1, 1, 1));
    h.add_u8(in, x, per_tensor(0.5f, 128));
    h.add_u8(Shape{4, 3, 3, 4}, w, per_tensor(0.25f, 128), /*constant=*/true);
    h.add_output(ERT_U8, per_tensor(0.5f * 0.25f / 512.0f, 128));
    return h;
  });
  // A fused RELU on an output whose zero point is 255 leaves one value: XNNPACK wants
  // output_min < output_max.
  check_falls_back("uint8 conv whose RELU clamp is a single value", [&] {
    OpHarness h(OpCode::CONV_2D, conv_options(Padding::VALID, 1, 1, 1, 1),
                ert::fb::Activation::RELU);
    h.add_u8(in, x, per_tensor(0.5f, 128));
    h.add_u8(Shape{4, 3, 3, 4}, w, per_tensor(0.25f, 128), /*constant=*/true);
    h.add_output(ERT_U8, per_tensor(1.0f, 255));
    return h;
  });
  // XNNPACK's qu8 add wants each input scale / output scale in [2^-10, 2^8).
  check_falls_back("uint8 ADD with an input 2^-11 of the output scale", [&] {
    OpHarness h(OpCode::ADD);
    h.add_u8(in, x, per_tensor(1.0f, 128));
    h.add_u8(in, std::vector<uint8_t>(x.rbegin(), x.rend()), per_tensor(1.0f / 2048.0f, 100));
    h.add_output(ERT_U8, per_tensor(1.0f, 128));
    return h;
  });
}

// int8 with TFLite's scheme (what `ert convert --precision int8` writes): per-channel symmetric
// filters on XNNPACK's qc8 convolution, qs8 add, and the f32 <-> int8 converts.
TEST_CASE("xnnpack equivalence: int8 CONV_2D and DEPTHWISE_CONV_2D with per-channel filters") {
  std::mt19937 rng(4242);
  for (int trial = 0; trial < 24; ++trial) {
    const bool depthwise = trial % 2 == 1;
    const int k = trial % 3 == 0 ? 1 : 3;
    const int ci = pick(rng, 1, 24);
    const int m = depthwise && trial % 5 == 3 ? 2 : 1;
    const int co = depthwise ? ci * m : pick(rng, 1, 24);
    const int s = pick(rng, 1, 2);
    const Padding padding = trial % 4 < 2 ? Padding::SAME : Padding::VALID;
    const Shape in{1, pick(rng, 5, 13), pick(rng, 5, 13), ci};
    const Shape filter = depthwise ? Shape{1, k, k, co} : Shape{co, k, k, ci};
    const float in_scale = pick_real(rng, 0.005f, 0.05f);
    TestQuant filter_q;
    filter_q.axis = depthwise ? 3 : 0;
    for (int c = 0; c < co; ++c) {
      filter_q.scales.push_back(trial % 6 == 5 ? 0.01f : pick_real(rng, 0.002f, 0.02f));
      filter_q.zero_points.push_back(0);
    }
    const int terms = k * k * (depthwise ? 1 : ci);
    // Products of values near 74 (the std of uniform int8) summed over `terms`, over 40 steps.
    const float out_scale = std::sqrt(float(terms)) * 74.0f * 74.0f * in_scale * 0.01f / 40.0f *
                            pick_real(rng, 0.7f, 2.0f);
    const TestQuant in_q = per_tensor(in_scale, pick(rng, -20, 20));
    const TestQuant out_q = per_tensor(out_scale, pick(rng, -60, 60));
    const std::vector<int8_t> x = random_i8(rng, count(in)), w = random_i8(rng, count(filter), -127);
    const std::vector<int32_t> b = random_i32(rng, co, 20000);
    TestQuant bias_q;
    bias_q.axis = 0;
    for (int c = 0; c < co; ++c) {
      bias_q.scales.push_back(in_scale * filter_q.scales[size_t(c)]);
      bias_q.zero_points.push_back(0);
    }
    const ert::fb::Activation act = random_activation(rng);
    check_equivalent_i8(depthwise ? "int8 depthwise" : "int8 conv", [&] {
      ert::fb::OpOptionsUnion u;
      if (depthwise) {
        ert::fb::DepthwiseConv2DOptionsT o;
        o.padding = padding;
        o.stride_h = o.stride_w = s;
        o.depth_multiplier = m;
        u.Set(std::move(o));
      } else {
        u = conv_options(padding, s, s, 1, 1);
      }
      OpHarness h(depthwise ? OpCode::DEPTHWISE_CONV_2D : OpCode::CONV_2D, std::move(u), act);
      h.add_i8(in, x, in_q);
      h.add_i8(filter, w, filter_q, /*constant=*/true);
      if (trial % 4 != 0) h.add_i32(Shape{co}, b, bias_q);
      h.add_output(ERT_I8, out_q);
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: int8 ADD with broadcasting and other scales") {
  std::mt19937 rng(1618);
  for (int trial = 0; trial < 12; ++trial) {
    const Shape a{1, pick(rng, 1, 9), pick(rng, 1, 9), pick(rng, 1, 40)};
    const Shape b = trial % 3 == 1 ? Shape{a[3]} : a;
    const float a_scale = pick_real(rng, 0.01f, 0.1f);
    const float b_scale = trial % 4 == 0 ? a_scale : pick_real(rng, 0.01f, 0.1f);
    const float out_scale = (a_scale + b_scale) * pick_real(rng, 0.8f, 2.0f);
    const std::vector<int8_t> x = random_i8(rng, count(a)), y = random_i8(rng, count(b));
    const ert::fb::Activation act = random_activation(rng);
    const TestQuant a_q = per_tensor(a_scale, pick(rng, -64, 64));
    const TestQuant b_q = per_tensor(b_scale, pick(rng, -64, 64));
    const TestQuant out_q = per_tensor(out_scale, pick(rng, -64, 64));
    check_equivalent_i8("int8 ADD", [&] {
      OpHarness h(OpCode::ADD, ert::fb::OpOptionsUnion(), act);
      h.add_i8(a, x, a_q);
      h.add_i8(b, y, b_q, /*constant=*/trial % 3 == 2);
      h.add_output(ERT_I8, out_q);
      return h;
    });
  }
}

TEST_CASE("xnnpack equivalence: QUANTIZE f32 to int8 and DEQUANTIZE int8 to f32") {
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 8; ++trial) {
    const Shape s{1, pick(rng, 1, 17), pick(rng, 1, 17), pick(rng, 1, 9)};
    const float scale = pick_real(rng, 0.005f, 0.1f);
    const int64_t zero = pick(rng, -40, 40);
    // Values over more than the int8 range, so that the clamp is exercised.
    const std::vector<float> x = uniform(rng, count(s), -200.0f * scale, 200.0f * scale);
    check_equivalent_i8("QUANTIZE", [&] {
      OpHarness h(OpCode::QUANTIZE);
      h.add_f32(s, x);
      h.add_output(ERT_I8, per_tensor(scale, zero));
      return h;
    });
    const std::vector<int8_t> q = random_i8(rng, count(s));
    // (q - zero) * scale is exact in f32 for these values, in both kernels.
    check_equivalent("DEQUANTIZE", 1.0f, [&] {
      OpHarness h(OpCode::DEQUANTIZE);
      h.add_i8(s, q, per_tensor(scale, zero));
      h.add_output(ERT_F32);
      return h;
    });
  }
}

// Both ops only move or select quantized values, so the fast path must give the reference's
// bytes exactly (no rounding is involved).
TEST_CASE("xnnpack equivalence: u8 and i8 MAX_POOL_2D and PAD, exactly") {
  std::mt19937 rng(777);
  auto exact = [](const auto& want, const auto& got, const std::string& kernel) {
    CHECK(kernel.rfind("xnnpack:", 0) == 0);
    CHECK(want == got);
  };
  for (int trial = 0; trial < 12; ++trial) {
    const bool i8 = trial % 2 == 0;
    const Shape in{1, pick(rng, 3, 12), pick(rng, 3, 12), pick(rng, 1, 20)};
    const TestQuant q = per_tensor(pick_real(rng, 0.01f, 0.1f), i8 ? pick(rng, -30, 30)
                                                                   : pick(rng, 100, 150));
    const std::vector<int8_t> xs = random_i8(rng, count(in));
    const std::vector<uint8_t> xu = random_u8(rng, count(in));
    // The op's input and output, in the trial's dtype and one quantization.
    auto build = [&](OpCode code, ert::fb::OpOptionsUnion u, ert::fb::Activation act) {
      OpHarness h(code, std::move(u), act);
      if (i8) {
        h.add_i8(in, xs, q);
      } else {
        h.add_u8(in, xu, q);
      }
      h.add_output(i8 ? ERT_I8 : ERT_U8, q);
      return h;
    };
    ert::fb::Pool2DOptionsT pool;
    pool.padding = trial % 4 < 2 ? Padding::SAME : Padding::VALID;
    pool.filter_h = pick(rng, 2, 3);
    pool.filter_w = pick(rng, 1, 3);
    pool.stride_h = pool.stride_w = pick(rng, 1, 2);
    const ert::fb::Activation act = random_activation(rng);
    ert::fb::PadOptionsT pad;
    for (int a = 0; a < 4; ++a) {
      pad.paddings.push_back(a == 0 ? 0 : pick(rng, 0, 2));
      pad.paddings.push_back(a == 0 ? 0 : pick(rng, 0, 2));
    }
    pad.constant_value = trial % 3 == 0 ? 0.0f : -0.3f;
    auto pool_op = [&] {
      ert::fb::OpOptionsUnion u;
      u.Set(ert::fb::Pool2DOptionsT(pool));
      return build(OpCode::MAX_POOL_2D, std::move(u), act);
    };
    auto pad_op = [&] {
      ert::fb::OpOptionsUnion u;
      u.Set(ert::fb::PadOptionsT(pad));
      return build(OpCode::PAD, std::move(u), ert::fb::Activation::NONE);
    };
    if (i8) {
      run_reference_and_fast<int8_t>("i8 MAX_POOL_2D", pool_op, exact);
      run_reference_and_fast<int8_t>("i8 PAD", pad_op, exact);
    } else {
      run_reference_and_fast<uint8_t>("u8 MAX_POOL_2D", pool_op, exact);
      run_reference_and_fast<uint8_t>("u8 PAD", pad_op, exact);
    }
  }
}
