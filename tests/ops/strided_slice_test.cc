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

struct Spec {
  std::vector<int32_t> begin;
  std::vector<int32_t> end;
  std::vector<int32_t> strides;
  int begin_mask = 0;
  int end_mask = 0;
  int shrink_axis_mask = 0;
  bool offset = false;
  int ellipsis_mask = 0;
  int new_axis_mask = 0;
};

ert::fb::OpOptionsUnion slice_options(const Spec& s) {
  ert::fb::StridedSliceOptionsT o;
  o.begin = s.begin;
  o.end = s.end;
  o.strides = s.strides;
  o.begin_mask = s.begin_mask;
  o.end_mask = s.end_mask;
  o.shrink_axis_mask = s.shrink_axis_mask;
  o.offset = s.offset;
  o.ellipsis_mask = s.ellipsis_mask;
  o.new_axis_mask = s.new_axis_mask;
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  INFO("message: " << s.message());
  CHECK(s.code() == code);
  CHECK(s.message().find("op 0 (STRIDED_SLICE)") != std::string::npos);
  for (const char* p : parts) {
    INFO("expected fragment: " << p);
    CHECK(s.message().find(p) != std::string::npos);
  }
}

struct SliceRun {
  ert::Status status;
  Shape shape;
  std::vector<float> out;
};

SliceRun run_slice(const Spec& spec, Shape in_shape, const std::vector<float>& data) {
  OpHarness op(OpCode::STRIDED_SLICE, slice_options(spec));
  op.add_input(in_shape, data);
  op.add_output();
  SliceRun r;
  r.status = op.prepare_and_run();
  if (r.status.ok()) {
    r.shape = op.output_shape(0);
    r.out = op.output(0);
  }
  return r;
}

const std::vector<float> kVector = {0, 1, 2, 3, 4, 5, 6, 7};
// 3x3 matrix holding 1..9.
const std::vector<float> kMatrix = {1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST_CASE("STRIDED_SLICE with a positive stride, and begin/end clamped to the axis") {
  SliceRun r = run_slice({{1}, {7}, {2}}, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{3});
  CHECK(r.out == std::vector<float>{1, 3, 5});

  r = run_slice({{-100}, {100}, {3}}, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{0, 3, 6});

  // Negative begin and end count from the end: x[-3:-1].
  r = run_slice({{-3}, {-1}, {1}}, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{5, 6});
}

TEST_CASE("STRIDED_SLICE with negative strides") {
  // x[-1:0:-1] stops before index 0.
  SliceRun r = run_slice({{-1}, {0}, {-1}}, {4}, {1, 2, 3, 4});
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{4, 3, 2});
  // x[-1:-5:-1]: end -5 + 4 = -1 is clamped to -1, one before the first element.
  r = run_slice({{-1}, {-5}, {-1}}, {4}, {1, 2, 3, 4});
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{4, 3, 2, 1});
  // x[100:2:-2]: begin clamped to the last element.
  r = run_slice({{100}, {2}, {-2}}, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{7, 5, 3});
  // Both axes reversed with masks: x[::-1, ::-2].
  Spec both{{0, 0}, {0, 0}, {-1, -2}};
  both.begin_mask = 3;
  both.end_mask = 3;
  r = run_slice(both, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{3, 2});
  CHECK(r.out == std::vector<float>{9, 7, 6, 4, 3, 1});
}

TEST_CASE("STRIDED_SLICE begin_mask and end_mask ignore the given values") {
  // begin [5, 1], end [2, -1]: the row begin (5) and the column end (-1) are masked, so this is
  // x[0:2, 1:] rather than an empty row range and columns 1..1.
  Spec s{{5, 1}, {2, -1}, {1, 1}};
  s.begin_mask = 1;
  s.end_mask = 2;
  SliceRun r = run_slice(s, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{2, 2});
  CHECK(r.out == std::vector<float>{2, 3, 5, 6});
}

TEST_CASE("STRIDED_SLICE shrink_axis_mask takes one element and drops the axis") {
  // x[1] of a 3x3 matrix: the end value does not matter.
  Spec row{{1, 0}, {0, 3}, {1, 1}};
  row.shrink_axis_mask = 1;
  SliceRun r = run_slice(row, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{3});
  CHECK(r.out == std::vector<float>{4, 5, 6});

  // x[:, -1]: a negative index on the shrunk axis, with end 0 as TensorFlow emits it.
  Spec col{{0, -1}, {0, 0}, {1, 1}};
  col.begin_mask = 1;
  col.end_mask = 1;
  col.shrink_axis_mask = 2;
  r = run_slice(col, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{3});
  CHECK(r.out == std::vector<float>{3, 6, 9});

  // x[2, 0]: both axes shrunk gives a scalar.
  Spec point{{2, 0}, {3, 1}, {1, 1}};
  point.shrink_axis_mask = 3;
  r = run_slice(point, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{});
  CHECK(r.out == std::vector<float>{7});

  // With a negative stride, the begin_mask of a shrunk axis picks the last element (TFLite).
  Spec last{{0, 0}, {0, 3}, {-1, 1}};
  last.begin_mask = 1;
  last.shrink_axis_mask = 1;
  r = run_slice(last, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{7, 8, 9});
}

TEST_CASE("STRIDED_SLICE with offset, empty results and fewer values than the rank") {
  // offset: end = begin + end, so [2, 2 + 3).
  Spec off{{2}, {3}, {1}};
  off.offset = true;
  SliceRun r = run_slice(off, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.out == std::vector<float>{2, 3, 4});

  // begin after end with a positive stride is empty, and so is the reverse.
  r = run_slice({{3}, {1}, {1}}, {8}, kVector);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{0});
  CHECK(r.out.empty());
  r = run_slice({{1, 0}, {3, 3}, {-1, 1}}, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{0, 3});

  // An empty input axis gives an empty output axis.
  r = run_slice({{0, 0}, {2, 1}, {1, 1}}, {2, 0}, {});
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{2, 0});

  // One value for a rank-2 input: the second axis is taken whole.
  r = run_slice({{1}, {3}, {1}}, {3, 3}, kMatrix);
  REQUIRE(r.status.ok());
  CHECK(r.shape == Shape{2, 3});
  CHECK(r.out == std::vector<float>{4, 5, 6, 7, 8, 9});
}

TEST_CASE("STRIDED_SLICE prepare rejects bad counts, dtypes, activation and options") {
  SUBCASE("two inputs") {
    OpHarness op(OpCode::STRIDED_SLICE, slice_options({{0}, {1}, {1}}));
    op.add_input({2}, {1, 2});
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"2 inputs"});
  }
  SUBCASE("absent input") {
    OpHarness op(OpCode::STRIDED_SLICE, slice_options({{0}, {1}, {1}}));
    op.add_absent_input();
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"input 0 is required"});
  }
  SUBCASE("int8 input") {
    OpHarness op(OpCode::STRIDED_SLICE, slice_options({{0}, {1}, {1}}));
    op.add_raw_input(ERT_I8, {2}, {1, 2});
    op.add_output(ERT_I8);
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"input 0", "i8"});
  }
  SUBCASE("fused activation") {
    OpHarness op(OpCode::STRIDED_SLICE, slice_options({{0}, {1}, {1}}), Activation::RELU6);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_UNSUPPORTED, {"fused activation", "RELU6"});
  }
  SUBCASE("no options") {
    OpHarness op(OpCode::STRIDED_SLICE);
    op.add_input({2}, {1, 2});
    op.add_output();
    check_failure(op.prepare(), ERT_INVALID_MODEL, {"missing StridedSliceOptions"});
  }
}

TEST_CASE("STRIDED_SLICE prepare rejects unsupported masks and bad begin/end/strides") {
  auto fails = [](const Spec& spec, ert_status code, std::initializer_list<const char*> parts) {
    OpHarness op(OpCode::STRIDED_SLICE, slice_options(spec));
    op.add_input({3, 3}, kMatrix);
    op.add_output();
    check_failure(op.prepare(), code, parts);
  };
  Spec ellipsis{{0, 0}, {1, 1}, {1, 1}};
  ellipsis.ellipsis_mask = 1;
  fails(ellipsis, ERT_UNSUPPORTED, {"ellipsis_mask 0x1", "not supported"});
  Spec new_axis{{0, 0}, {1, 1}, {1, 1}};
  new_axis.new_axis_mask = 2;
  fails(new_axis, ERT_UNSUPPORTED, {"new_axis_mask 0x2", "not supported"});
  fails({{0, 0}, {1}, {1, 1}}, ERT_INVALID_MODEL, {"2 begin, 1 end and 2 strides values"});
  fails({{0, 0}, {1, 1}, {1}}, ERT_INVALID_MODEL, {"2 begin, 2 end and 1 strides values"});
  fails({{0, 0, 0}, {1, 1, 1}, {1, 1, 1}}, ERT_INVALID_MODEL, {"3 begin", "input rank 2"});
  fails({{0, 0}, {1, 1}, {1, 0}}, ERT_INVALID_MODEL, {"strides[1] is 0"});
  Spec past{{3, 0}, {4, 1}, {1, 1}};
  past.shrink_axis_mask = 1;
  fails(past, ERT_INVALID_MODEL, {"shrink axis 0", "begin 3", "size 3"});
  Spec before{{0, -4}, {1, 0}, {1, 1}};
  before.shrink_axis_mask = 2;
  fails(before, ERT_INVALID_MODEL, {"shrink axis 1", "begin -4"});

  // Shrinking an empty axis has no element to take.
  OpHarness op(OpCode::STRIDED_SLICE, [] {
    Spec s{{0}, {1}, {1}};
    s.shrink_axis_mask = 1;
    return slice_options(s);
  }());
  op.add_input({0}, {});
  op.add_output();
  check_failure(op.prepare(), ERT_INVALID_MODEL, {"shrink axis 0", "size 0"});
}

TEST_CASE("STRIDED_SLICE matches Python slicing over a sweep of begin, end, stride and masks") {
  // Python's rule for x[b:e:s] on n elements: a negative bound counts from the end, then bounds
  // are clipped to [0, n] for s > 0 or [-1, n-1] for s < 0; an omitted (masked) bound is the first
  // or last element in the direction of travel. Elements are b, b+s, ... while short of e.
  const int n = 4;
  const std::vector<float> in = {0, 1, 2, 3};
  for (int s : {-3, -2, -1, 1, 2, 3}) {
    for (int b = -6; b <= 6; ++b) {
      for (int e = -6; e <= 6; ++e) {
        for (int masks = 0; masks < 4; ++masks) {
          const bool bm = masks & 1;
          const bool em = masks & 2;
          const int lo = s > 0 ? 0 : -1;
          const int hi = s > 0 ? n : n - 1;
          auto bound = [&](int v) {
            if (v < 0) v += n;
            return v < lo ? lo : (v > hi ? hi : v);
          };
          const int first = bm ? (s > 0 ? 0 : n - 1) : bound(b);
          const int last = em ? (s > 0 ? n : -1) : bound(e);
          std::vector<float> want;
          for (int i = first; s > 0 ? i < last : i > last; i += s) want.push_back(float(i));

          Spec spec{{b}, {e}, {s}};
          spec.begin_mask = bm ? 1 : 0;
          spec.end_mask = em ? 1 : 0;
          SliceRun r = run_slice(spec, {n}, in);
          INFO("x[" << b << ":" << e << ":" << s << "], begin_mask " << bm << ", end_mask " << em);
          REQUIRE(r.status.ok());
          CHECK(r.shape == Shape{int32_t(want.size())});
          CHECK(r.out == want);
        }
      }
    }
  }
}
