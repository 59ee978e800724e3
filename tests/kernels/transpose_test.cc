#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/transpose.h"

using ert::kernels::Shape;
using ert::kernels::TransposeParams;

namespace {

// Runs the kernel on `in` (values 0, 1, 2, ... so every element is distinguishable).
std::vector<float> run_transpose(const Shape& shape, const std::vector<int>& perm) {
  TransposeParams p;
  for (size_t i = 0; i < perm.size(); ++i) p.perm[i] = perm[i];
  const int64_t n = shape.num_elements();
  std::vector<float> in(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) in[size_t(i)] = float(i);
  // One extra poisoned element after the end catches a write past the output.
  std::vector<float> out(size_t(n) + 1, -1.0f);
  ert::kernels::transpose_f32(p, shape, in.data(), out.data());
  CHECK(out.back() == -1.0f);
  out.pop_back();
  return out;
}

// The definition, written independently: decompose each input flat index into its coordinates,
// place coordinate perm[i] at output axis i, and flatten with the output dims.
std::vector<float> naive_transpose(const Shape& shape, const std::vector<int>& perm) {
  const int rank = shape.rank;
  const int64_t n = shape.num_elements();
  std::vector<float> out(size_t(n), -1.0f);
  for (int64_t flat = 0; flat < n; ++flat) {
    std::vector<int64_t> coord(static_cast<size_t>(rank));
    int64_t rest = flat;
    for (int a = rank - 1; a >= 0; --a) {
      coord[size_t(a)] = rest % shape.dims[a];
      rest /= shape.dims[a];
    }
    int64_t o = 0;
    for (int i = 0; i < rank; ++i)
      o = o * shape.dims[perm[size_t(i)]] + coord[size_t(perm[size_t(i)])];
    out[size_t(o)] = float(flat);
  }
  return out;
}

std::string perm_string(const std::vector<int>& perm) {
  std::string s;
  for (int v : perm) s += std::to_string(v) + " ";
  return s;
}

}  // namespace

TEST_CASE("TRANSPOSE kernel: 2x3 matrix by hand") {
  CHECK(run_transpose(Shape{2, 3}, {1, 0}) == std::vector<float>{0, 3, 1, 4, 2, 5});
}

TEST_CASE("TRANSPOSE kernel: 2x3x4 with perm {2, 0, 1} by hand") {
  // in[a][b][c] = 12a + 4b + c; out[c][a][b] = in[a][b][c], out shape [4, 2, 3].
  const std::vector<float> out = run_transpose(Shape{2, 3, 4}, {2, 0, 1});
  const std::vector<float> expected = {0, 4, 8,  12, 16, 20, 1, 5, 9,  13, 17, 21,
                                       2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23};
  CHECK(out == expected);
}

TEST_CASE("TRANSPOSE kernel: identity perm copies at every rank") {
  const Shape shapes[] = {Shape{},
                          Shape{5},
                          Shape{2, 3},
                          Shape{2, 1, 3},
                          Shape{2, 3, 1, 2},
                          Shape{1, 2, 2, 3, 2},
                          Shape{2, 1, 2, 3, 1, 2}};
  for (const Shape& s : shapes) {
    CAPTURE(s.rank);
    std::vector<int> perm(size_t(s.rank));
    for (int i = 0; i < s.rank; ++i) perm[size_t(i)] = i;
    const std::vector<float> out = run_transpose(s, perm);
    for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == float(i));
  }
}

TEST_CASE("TRANSPOSE kernel: every perm of ranks 1 to 4 matches the naive mapping") {
  const Shape shapes[] = {Shape{4}, Shape{2, 3}, Shape{2, 3, 4}, Shape{2, 3, 1, 5}};
  for (const Shape& s : shapes) {
    std::vector<int> perm(size_t(s.rank));
    for (int i = 0; i < s.rank; ++i) perm[size_t(i)] = i;
    do {
      CAPTURE(s.rank);
      const std::string p = perm_string(perm);
      CAPTURE(p);
      CHECK(run_transpose(s, perm) == naive_transpose(s, perm));
    } while (std::next_permutation(perm.begin(), perm.end()));
  }
}

TEST_CASE("TRANSPOSE kernel: ranks 5 and 6 match the naive mapping for every perm") {
  // All 120 and 720 perms; the tensors are small (distinct dims so a wrong axis shows).
  const Shape shapes[] = {Shape{2, 3, 1, 4, 2}, Shape{2, 1, 3, 2, 1, 3}};
  for (const Shape& s : shapes) {
    std::vector<int> perm(size_t(s.rank));
    for (int i = 0; i < s.rank; ++i) perm[size_t(i)] = i;
    int count = 0;
    do {
      const std::string p = perm_string(perm);
      CAPTURE(p);
      REQUIRE(run_transpose(s, perm) == naive_transpose(s, perm));
      ++count;
    } while (std::next_permutation(perm.begin(), perm.end()));
    CHECK(count == (s.rank == 5 ? 120 : 720));
  }
}

TEST_CASE("TRANSPOSE kernel: empty tensor writes nothing") {
  TransposeParams p;
  p.perm[0] = 1;
  p.perm[1] = 0;
  float in[1] = {7.0f};
  float out[1] = {-1.0f};
  ert::kernels::transpose_f32(p, Shape{0, 3}, in, out);
  CHECK(out[0] == -1.0f);
}
