#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "kernels/binary_elementwise.h"

using ert::kernels::AddFn;
using ert::kernels::BinaryParams;
using ert::kernels::DivFn;
using ert::kernels::MaximumFn;
using ert::kernels::MinimumFn;
using ert::kernels::MulFn;
using ert::kernels::Shape;
using ert::kernels::SubFn;

namespace {

constexpr float kSentinel = -12345.0f;
constexpr int kTail = 8;  // Sentinel floats after each output, to catch writes past its end.

int64_t element_count(const Shape& s) {
  int64_t n = 1;
  for (int i = 0; i < s.rank; ++i) n *= s.dims[i];
  return n;
}

// Distinct, non-zero values (safe as divisors) with both signs.
std::vector<float> make_values(int64_t n, float offset) {
  std::vector<float> v(size_t(n), 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    const float mag = 0.25f + 0.5f * float(i % 11) + offset;
    v[size_t(i)] = (i % 3 == 1) ? -mag : mag;
  }
  return v;
}

// The broadcast computed the slow, obvious way: unravel each output index into coordinates,
// then read each operand at the same coordinates aligned on the right, using 0 on axes where
// the operand has size 1.
std::vector<float> naive_broadcast(const Shape& a, const std::vector<float>& av, const Shape& b,
                                   const std::vector<float>& bv, const Shape& out,
                                   const std::function<float(float, float)>& f) {
  const int64_t n = element_count(out);
  std::vector<float> result(size_t(n), 0.0f);
  for (int64_t flat = 0; flat < n; ++flat) {
    int64_t coord[ert::kernels::kMaxRank] = {};
    int64_t rest = flat;
    for (int axis = out.rank - 1; axis >= 0; --axis) {
      coord[axis] = rest % out.dims[axis];
      rest /= out.dims[axis];
    }
    auto operand_index = [&](const Shape& s) {
      int64_t index = 0;
      for (int axis = 0; axis < s.rank; ++axis) {
        const int out_axis = axis + (out.rank - s.rank);
        const int64_t c = s.dims[axis] == 1 ? 0 : coord[out_axis];
        index = index * s.dims[axis] + c;
      }
      return index;
    };
    result[size_t(flat)] = f(av[size_t(operand_index(a))], bv[size_t(operand_index(b))]);
  }
  return result;
}

// Runs the kernel for functor Fn into a poisoned buffer with a sentinel tail. Returns the
// index of the first element that differs from `expected` (or was written out of bounds), -1
// when all match exactly.
template <typename Fn>
int64_t run_and_compare(const Shape& a, const std::vector<float>& av, const Shape& b,
                        const std::vector<float>& bv, const std::vector<float>& expected,
                        BinaryParams params = BinaryParams()) {
  std::vector<float> out(expected.size() + kTail, kSentinel);
  for (size_t i = 0; i < expected.size(); ++i) out[i] = std::numeric_limits<float>::quiet_NaN();
  ert::kernels::binary_elementwise_f32<Fn>(params, a, av.data(), b, bv.data(), out.data());
  for (size_t i = 0; i < expected.size(); ++i) {
    if (out[i] != expected[i]) return int64_t(i);
  }
  for (size_t i = expected.size(); i < out.size(); ++i) {
    if (out[i] != kSentinel) return int64_t(i);
  }
  return -1;
}

struct BroadcastCase {
  const char* name;
  Shape a;
  Shape b;
  Shape out;  // Worked out by hand.
};

}  // namespace

TEST_CASE("binary_elementwise kernels on hand-checked values") {
  const Shape s{4};
  const std::vector<float> a = {1.0f, -2.0f, 3.5f, 8.0f};
  const std::vector<float> b = {10.0f, 4.0f, -0.5f, 8.0f};
  CHECK(run_and_compare<AddFn>(s, a, s, b, {11.0f, 2.0f, 3.0f, 16.0f}) == -1);
  CHECK(run_and_compare<SubFn>(s, a, s, b, {-9.0f, -6.0f, 4.0f, 0.0f}) == -1);
  CHECK(run_and_compare<MulFn>(s, a, s, b, {10.0f, -8.0f, -1.75f, 64.0f}) == -1);
  CHECK(run_and_compare<DivFn>(s, a, s, b, {0.1f, -0.5f, -7.0f, 1.0f}) == -1);
  CHECK(run_and_compare<MaximumFn>(s, a, s, b, {10.0f, 4.0f, 3.5f, 8.0f}) == -1);
  CHECK(run_and_compare<MinimumFn>(s, a, s, b, {1.0f, -2.0f, -0.5f, 8.0f}) == -1);
}

TEST_CASE("binary_elementwise kernels broadcast a row and a column by hand") {
  // [2,1] op [1,3]: out[i][j] = a[i] op b[j].
  const Shape a{2, 1};
  const Shape b{1, 3};
  const std::vector<float> av = {1.0f, -4.0f};
  const std::vector<float> bv = {2.0f, 0.5f, -1.0f};
  CHECK(run_and_compare<AddFn>(a, av, b, bv, {3.0f, 1.5f, 0.0f, -2.0f, -3.5f, -5.0f}) == -1);
  CHECK(run_and_compare<SubFn>(a, av, b, bv, {-1.0f, 0.5f, 2.0f, -6.0f, -4.5f, -3.0f}) == -1);
  CHECK(run_and_compare<DivFn>(b, bv, a, av, {2.0f, 0.5f, -1.0f, -0.5f, -0.125f, 0.25f}) == -1);
  CHECK(run_and_compare<MaximumFn>(a, av, b, bv, {2.0f, 1.0f, 1.0f, 2.0f, 0.5f, -1.0f}) == -1);
}

TEST_CASE("binary_elementwise kernels apply the fused activation clamp") {
  const Shape s{5};
  const std::vector<float> a = {-3.0f, 0.5f, 2.0f, 5.0f, 10.0f};
  const std::vector<float> b = {1.0f, 0.25f, 1.0f, 0.5f, 1.0f};
  BinaryParams relu6;
  relu6.activation = {0.0f, 6.0f};
  CHECK(run_and_compare<AddFn>(s, a, s, b, {0.0f, 0.75f, 3.0f, 5.5f, 6.0f}, relu6) == -1);
  BinaryParams n1_to_1;
  n1_to_1.activation = {-1.0f, 1.0f};
  CHECK(run_and_compare<MulFn>(s, a, s, b, {-1.0f, 0.125f, 1.0f, 1.0f, 1.0f}, n1_to_1) == -1);
}

TEST_CASE("binary_elementwise DIV by zero gives IEEE infinities and NaN") {
  const Shape s{3};
  const std::vector<float> a = {1.0f, -2.0f, 0.0f};
  const std::vector<float> b = {0.0f, 0.0f, 0.0f};
  float out[3] = {};
  ert::kernels::binary_elementwise_f32<DivFn>(BinaryParams(), s, a.data(), s, b.data(), out);
  CHECK(std::isinf(out[0]));
  CHECK(out[0] > 0.0f);
  CHECK(std::isinf(out[1]));
  CHECK(out[1] < 0.0f);
  CHECK(std::isnan(out[2]));
}

TEST_CASE("binary_elementwise MAXIMUM and MINIMUM treat NaN as TFLite's comparisons do") {
  // TFLite computes a > b ? a : b: a NaN in the first operand loses, in the second one wins.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(MaximumFn()(nan, 1.0f) == 1.0f);
  CHECK(std::isnan(MaximumFn()(1.0f, nan)));
  CHECK(MinimumFn()(nan, 1.0f) == 1.0f);
  CHECK(std::isnan(MinimumFn()(1.0f, nan)));
}

TEST_CASE("binary_elementwise broadcasting matches a naive index computation") {
  const BroadcastCase cases[] = {
      {"same shape", {2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
      {"rank-0 scalar on the left", {}, {2, 3}, {2, 3}},
      {"rank-0 scalar on the right", {2, 3}, {}, {2, 3}},
      {"[1] on the left", {1}, {3, 2}, {3, 2}},
      {"[1] on the right", {3, 2}, {1}, {3, 2}},
      {"both rank-0", {}, {}, {}},
      {"NHWC by C", {2, 3, 4, 5}, {5}, {2, 3, 4, 5}},
      {"C by NHWC", {5}, {2, 3, 4, 5}, {2, 3, 4, 5}},
      {"[N,1,W,1] by [1,H,1,C]", {2, 1, 4, 1}, {1, 3, 1, 5}, {2, 3, 4, 5}},
      {"[1,H,1,C] by [N,1,W,1]", {1, 3, 1, 5}, {2, 1, 4, 1}, {2, 3, 4, 5}},
      {"different ranks", {3, 1}, {2, 1, 4}, {2, 3, 4}},
      {"different ranks, vector first", {4}, {2, 3, 1}, {2, 3, 4}},
      {"outer product", {1, 4}, {3, 1}, {3, 4}},
      {"size-1 dims everywhere", {1, 1, 3, 1}, {1, 1, 1, 1}, {1, 1, 3, 1}},
      {"size-1 dims, rank grows", {1, 2, 1}, {1, 1, 1, 1}, {1, 1, 2, 1}},
      {"all ones", {1, 1}, {1, 1, 1}, {1, 1, 1}},
      {"middle axis broadcast", {2, 3, 4}, {2, 1, 4}, {2, 3, 4}},
      {"rank 6 alternating", {2, 1, 3, 1, 2, 3}, {1, 2, 1, 2, 1, 3}, {2, 2, 3, 2, 2, 3}},
      {"rank 6 by rank 5", {2, 3, 1, 2, 1, 2}, {3, 2, 2, 1, 2}, {2, 3, 2, 2, 1, 2}},
  };
  for (const BroadcastCase& c : cases) {
    INFO(c.name);
    Shape computed;
    REQUIRE(ert::kernels::broadcast_shape(c.a, c.b, &computed));
    CHECK(computed == c.out);
    const auto av = make_values(element_count(c.a), 0.0f);
    const auto bv = make_values(element_count(c.b), 0.125f);
    auto ref = [&](const std::function<float(float, float)>& f) {
      return naive_broadcast(c.a, av, c.b, bv, c.out, f);
    };
    CHECK(run_and_compare<AddFn>(c.a, av, c.b, bv, ref([](float x, float y) { return x + y; })) ==
          -1);
    CHECK(run_and_compare<SubFn>(c.a, av, c.b, bv, ref([](float x, float y) { return x - y; })) ==
          -1);
    CHECK(run_and_compare<MulFn>(c.a, av, c.b, bv, ref([](float x, float y) { return x * y; })) ==
          -1);
    CHECK(run_and_compare<DivFn>(c.a, av, c.b, bv, ref([](float x, float y) { return x / y; })) ==
          -1);
    CHECK(run_and_compare<MaximumFn>(c.a, av, c.b, bv,
                                     ref([](float x, float y) { return std::max(x, y); })) == -1);
    CHECK(run_and_compare<MinimumFn>(c.a, av, c.b, bv,
                                     ref([](float x, float y) { return std::min(x, y); })) == -1);
  }
}

TEST_CASE("binary_elementwise with an empty broadcast writes nothing") {
  const std::vector<float> a = {1.0f, 2.0f, 3.0f};
  float out[4] = {kSentinel, kSentinel, kSentinel, kSentinel};
  SUBCASE("[0,3] by [1,3]") {
    Shape s;
    REQUIRE(ert::kernels::broadcast_shape(Shape{0, 3}, Shape{1, 3}, &s));
    CHECK(s == Shape{0, 3});
    ert::kernels::binary_elementwise_f32<AddFn>(BinaryParams(), Shape{0, 3}, a.data(),
                                                Shape{1, 3}, a.data(), out);
  }
  SUBCASE("[2,1] by [1,0]") {
    Shape s;
    REQUIRE(ert::kernels::broadcast_shape(Shape{2, 1}, Shape{1, 0}, &s));
    CHECK(s == Shape{2, 0});
    ert::kernels::binary_elementwise_f32<AddFn>(BinaryParams(), Shape{2, 1}, a.data(),
                                                Shape{1, 0}, a.data(), out);
  }
  for (float v : out) CHECK(v == kSentinel);
}

TEST_CASE("binary_elementwise broadcast_shape rejects incompatible shapes and names the axis") {
  Shape out{7};
  int axis = -1;
  CHECK_FALSE(ert::kernels::broadcast_shape(Shape{2, 3}, Shape{4}, &out, &axis));
  CHECK(axis == 1);
  CHECK(out == Shape{7});  // Untouched on failure.
  CHECK_FALSE(ert::kernels::broadcast_shape(Shape{2, 3, 4}, Shape{3, 3, 4}, &out, &axis));
  CHECK(axis == 0);
  CHECK_FALSE(ert::kernels::broadcast_shape(Shape{5, 1, 2}, Shape{3, 1, 1, 3}, &out, &axis));
  CHECK(axis == 3);
  // 0 against 2 is neither equal nor 1.
  CHECK_FALSE(ert::kernels::broadcast_shape(Shape{0}, Shape{2}, &out, &axis));
  CHECK(axis == 0);
}

TEST_CASE("binary_elementwise plan_broadcast collapses axes with the same pattern") {
  SUBCASE("same shape is one plain axis") {
    const auto p = ert::kernels::plan_broadcast(Shape{2, 3, 4}, Shape{2, 3, 4});
    REQUIRE(p.rank == 1);
    CHECK(p.size[0] == 24);
    CHECK(p.stride_a[0] == 1);
    CHECK(p.stride_b[0] == 1);
    CHECK(p.total == 24);
  }
  SUBCASE("a scalar operand is one broadcast axis") {
    const auto p = ert::kernels::plan_broadcast(Shape{1}, Shape{2, 3, 4});
    REQUIRE(p.rank == 1);
    CHECK(p.size[0] == 24);
    CHECK(p.stride_a[0] == 0);
    CHECK(p.stride_b[0] == 1);
  }
  SUBCASE("NHWC by C is rows of C") {
    const auto p = ert::kernels::plan_broadcast(Shape{2, 3, 4, 5}, Shape{5});
    REQUIRE(p.rank == 2);
    CHECK(p.size[0] == 24);
    CHECK(p.size[1] == 5);
    CHECK(p.stride_a[0] == 5);
    CHECK(p.stride_b[0] == 0);
    CHECK(p.stride_a[1] == 1);
    CHECK(p.stride_b[1] == 1);
  }
  SUBCASE("size-1 output axes are dropped") {
    const auto p = ert::kernels::plan_broadcast(Shape{1, 4, 1, 1}, Shape{1, 1, 1, 3});
    REQUIRE(p.rank == 2);
    CHECK(p.size[0] == 4);
    CHECK(p.size[1] == 3);
    CHECK(p.stride_a[0] == 1);
    CHECK(p.stride_a[1] == 0);
    CHECK(p.stride_b[0] == 0);
    CHECK(p.stride_b[1] == 1);
  }
  SUBCASE("all ones is rank 0 with one element") {
    const auto p = ert::kernels::plan_broadcast(Shape{1, 1}, Shape{});
    CHECK(p.rank == 0);
    CHECK(p.total == 1);
  }
}
