#include <doctest/doctest.h>

#include <cpuinfo.h>
#include <pthreadpool.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/f32_gemm.h"
#include "src/cpu/f32_gemm.h"

using ert::cpu::GemmKernel;
using ert::kernels::f32_gemm_pack;
using ert::kernels::f32_gemm_packed_size;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Written into every float the GEMM must not touch: row padding after n, and the floats after
// the last row. A NaN with a payload no arithmetic produces, compared by its bits.
constexpr uint32_t kGuardBits = 0x7fa5a5a5u;
constexpr size_t kGuardTail = 37;

float guard_value() {
  float f;
  std::memcpy(&f, &kGuardBits, sizeof(f));
  return f;
}

bool is_guard(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits == kGuardBits;
}

struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};
using Pool = std::unique_ptr<std::remove_pointer_t<pthreadpool_t>, PoolDeleter>;

// One GEMM problem with its inputs laid out the way a caller would pass them: rows of A with
// stride a_stride (the padding holds NaN, so a read past k shows in the result), weights [n][k],
// optional bias, clamp bounds and an output stride larger than n.
struct Problem {
  size_t m = 0, n = 0, k = 0, a_stride = 0, c_stride = 0;
  std::vector<float> a, w, bias;
  bool has_bias = false;
  float min = -kInf, max = kInf;
};

// Values in [-1, 1]; or, with `grid`, multiples of 1/16 in [-2, 2]: every partial sum of their
// products (up to k = 300 terms plus a bias) is a multiple of 1/256 below 2^11 in magnitude, so
// it is exact in float and every summation order gives the same bits as the reference.
Problem make_problem(std::mt19937& rng, size_t m, size_t n, size_t k, bool grid) {
  Problem p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.a_stride = k + std::uniform_int_distribution<size_t>(0, 5)(rng);
  p.c_stride = n + std::uniform_int_distribution<size_t>(1, 5)(rng);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> steps(-32, 32);
  auto value = [&]() { return grid ? float(steps(rng)) / 16.0f : real(rng); };
  // A starts one float past an aligned boundary so that the kernels' unaligned loads are used.
  p.a.assign(1 + (m - 1) * p.a_stride + k, std::numeric_limits<float>::quiet_NaN());
  for (size_t i = 0; i < m; ++i) {
    for (size_t kk = 0; kk < k; ++kk) p.a[1 + i * p.a_stride + kk] = value();
  }
  p.w.resize(n * k);
  for (float& x : p.w) x = value();
  p.has_bias = std::bernoulli_distribution(0.7)(rng);
  p.bias.resize(n);
  for (float& x : p.bias) x = value();
  if (std::bernoulli_distribution(0.5)(rng)) {
    // Bounds inside the range of the results, so that clamping changes some of them.
    p.min = grid ? -1.0f : -0.75f;
    p.max = grid ? 2.0f : 0.5f;
  }
  return p;
}

const float* a_rows(const Problem& p) { return p.a.data() + 1; }

// The naive triple loop in double: ref is the clamped exact result (to double precision), and
// mag is |bias| + sum |a * w|, which bounds the rounding error of any float summation.
void reference(const Problem& p, std::vector<double>* ref, std::vector<double>* mag) {
  ref->assign(p.m * p.n, 0.0);
  mag->assign(p.m * p.n, 0.0);
  for (size_t i = 0; i < p.m; ++i) {
    for (size_t j = 0; j < p.n; ++j) {
      double sum = p.has_bias ? p.bias[j] : 0.0;
      double abs_sum = std::fabs(sum);
      for (size_t kk = 0; kk < p.k; ++kk) {
        const double prod = double(a_rows(p)[i * p.a_stride + kk]) * double(p.w[j * p.k + kk]);
        sum += prod;
        abs_sum += std::fabs(prod);
      }
      (*ref)[i * p.n + j] = std::min(std::max(sum, double(p.min)), double(p.max));
      (*mag)[i * p.n + j] = abs_sum;
    }
  }
}

// Packs for `kernel` and runs the driver; the output (with its guards) starts one float past an
// aligned boundary, and everything is pre-filled with the guard value.
std::vector<float> run(const GemmKernel& kernel, const Problem& p, pthreadpool_t pool) {
  std::vector<float> packed(f32_gemm_packed_size(p.n, p.k, kernel.nr));
  f32_gemm_pack(p.n, p.k, kernel.nr, p.w.data(), p.has_bias ? p.bias.data() : nullptr,
                packed.data());
  std::vector<float> c(1 + p.m * p.c_stride + kGuardTail, guard_value());
  ert::cpu::f32_gemm(kernel, p.m, p.n, p.k, a_rows(p), p.a_stride, packed.data(), c.data() + 1,
                     p.c_stride, p.min, p.max, pool);
  return c;
}

// Every float outside the m x n result must still hold the guard.
bool guards_intact(const Problem& p, const std::vector<float>& c) {
  if (!is_guard(c[0])) return false;
  for (size_t i = 0; i < p.m; ++i) {
    for (size_t j = p.n; j < p.c_stride; ++j) {
      if (!is_guard(c[1 + i * p.c_stride + j])) return false;
    }
  }
  for (size_t x = 1 + p.m * p.c_stride; x < c.size(); ++x) {
    if (!is_guard(c[x])) return false;
  }
  return true;
}

// Index of the first result outside the tolerance, or -1. Exact problems (grid data) must match
// to the bit. Otherwise the bound is the classic one for a recursive float sum of k + 1 terms:
// |error| <= (k + 1) * (FLT_EPSILON / 2) * (|bias| + sum |a * w|), doubled for margin; the kernels
// sum in increasing k, but with or without fused multiply-add, so bits differ from any one
// float loop. A bound relative to |ref| alone (DESIGN.md's FLT_EPSILON * max(25 |ref|, 1)) can
// fail on a legitimate result when positive and negative products cancel; this one cannot, and a
// wrong or missing term (size about mag / k) is still far above it.
long first_mismatch(const Problem& p, const std::vector<float>& c, bool exact) {
  std::vector<double> ref, mag;
  reference(p, &ref, &mag);
  for (size_t i = 0; i < p.m; ++i) {
    for (size_t j = 0; j < p.n; ++j) {
      const double out = c[1 + i * p.c_stride + j];
      const double want = ref[i * p.n + j];
      const double tol = exact ? 0.0 : FLT_EPSILON * double(p.k + 1) * mag[i * p.n + j];
      if (!(std::fabs(out - want) <= tol)) return long(i * p.n + j);
    }
  }
  return -1;
}

std::string describe(const GemmKernel& kernel, const Problem& p, uint32_t seed) {
  return std::string(kernel.name) + " seed " + std::to_string(seed) + ": m " +
         std::to_string(p.m) + " n " + std::to_string(p.n) + " k " + std::to_string(p.k) +
         " a_stride " + std::to_string(p.a_stride) + " c_stride " + std::to_string(p.c_stride) +
         (p.has_bias ? " bias" : " no bias") + (p.min > -kInf ? " clamped" : "");
}

std::vector<const GemmKernel*> all_kernels() {
  const ert::cpu::GemmKernelList list = ert::cpu::f32_gemm_kernels();
  return std::vector<const GemmKernel*>(list.items, list.items + list.count);
}

// Checks `cases` random problems with sizes drawn from [1, max_m] x [1, max_n] x [1, max_k] on
// every kernel, against the reference and the guards.
void check_random(uint32_t seed0, size_t cases, size_t max_m, size_t max_n, size_t max_k,
                    bool grid) {
  REQUIRE(!all_kernels().empty());
  for (const GemmKernel* kernel : all_kernels()) {
    for (uint32_t seed = seed0; seed < seed0 + cases; ++seed) {
      std::mt19937 rng(seed);
      const size_t m = std::uniform_int_distribution<size_t>(1, max_m)(rng);
      const size_t n = std::uniform_int_distribution<size_t>(1, max_n)(rng);
      const size_t k = std::uniform_int_distribution<size_t>(1, max_k)(rng);
      const Problem p = make_problem(rng, m, n, k, grid);
      const std::vector<float> c = run(*kernel, p, nullptr);
      INFO(describe(*kernel, p, seed));
      CHECK(first_mismatch(p, c, grid) == -1);
      CHECK(guards_intact(p, c));
    }
  }
}

}  // namespace

TEST_CASE("f32_gemm pack: bias, k groups of nr weights, zero-padded tail block") {
  // n = 5 outputs, k = 2 inputs, nr = 4: two blocks of 4 * (2 + 1) floats.
  const std::vector<float> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // [5][2]
  const std::vector<float> bias = {-1, -2, -3, -4, -5};
  REQUIRE(f32_gemm_packed_size(5, 2, 4) == 24);
  std::vector<float> packed(24, 99.0f);
  f32_gemm_pack(5, 2, 4, w.data(), bias.data(), packed.data());
  CHECK(packed == std::vector<float>{-1, -2, -3, -4, 1, 3, 5, 7, 2, 4, 6, 8,  //
                                     -5, 0, 0, 0, 9, 0, 0, 0, 10, 0, 0, 0});
  f32_gemm_pack(5, 2, 4, w.data(), nullptr, packed.data());
  CHECK(packed == std::vector<float>{0, 0, 0, 0, 1, 3, 5, 7, 2, 4, 6, 8,  //
                                     0, 0, 0, 0, 9, 0, 0, 0, 10, 0, 0, 0});
  CHECK(f32_gemm_packed_size(16, 7, 16) == 16 * 8);
  CHECK(f32_gemm_packed_size(17, 7, 16) == 2 * 16 * 8);
}

TEST_CASE("f32_gemm dispatch: one kernel chosen from cpuinfo, every kernel listed, scalar last") {
  const auto kernels = all_kernels();
  REQUIRE(kernels.size() >= 1);
  CHECK(kernels.front() == &ert::cpu::f32_gemm_kernel());
  CHECK(std::string(kernels.back()->name) == "f32_gemm_4x4__scalar");
  for (const GemmKernel* kernel : kernels) {
    INFO(kernel->name);
    CHECK((kernel->function != nullptr));
    CHECK(kernel->mr >= 1);
    CHECK(kernel->nr >= 1);
  }
  REQUIRE(cpuinfo_initialize());
#if defined(__x86_64__)
  // On x86-64 the AVX2 kernel is built, so it must be chosen exactly when the CPU can run it.
  const bool avx2 = cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3();
  CHECK((std::string(ert::cpu::f32_gemm_kernel().name) == "f32_gemm_6x16__avx2_fma") == avx2);
  CHECK(kernels.size() == (avx2 ? 2u : 1u));
#elif defined(__aarch64__)
  CHECK(std::string(ert::cpu::f32_gemm_kernel().name) == "f32_gemm_6x8__aarch64_neonfma");
  CHECK(kernels.size() == 3);
#elif defined(__arm__)
  CHECK((std::string(ert::cpu::f32_gemm_kernel().name) == "f32_gemm_4x8__neon") ==
        cpuinfo_has_arm_neon());
#endif
}

TEST_CASE("f32_gemm: a 2x3 by hand, with bias and clamp") {
  // A = [[1, 2], [3, 4]], W = [[1, 0], [0, 1], [1, -1]] (3 outputs), bias = [0.5, -0.5, 10].
  const std::vector<float> a = {1, 2, 3, 4};
  const std::vector<float> w = {1, 0, 0, 1, 1, -1};
  const std::vector<float> bias = {0.5f, -0.5f, 10};
  for (const GemmKernel* kernel : all_kernels()) {
    INFO(kernel->name);
    std::vector<float> packed(f32_gemm_packed_size(3, 2, kernel->nr));
    f32_gemm_pack(3, 2, kernel->nr, w.data(), bias.data(), packed.data());
    std::vector<float> c(6);
    ert::cpu::f32_gemm(*kernel, 2, 3, 2, a.data(), 2, packed.data(), c.data(), 3, -kInf, kInf,
                       nullptr);
    CHECK(c == std::vector<float>{1.5f, 1.5f, 9, 3.5f, 3.5f, 9});
    ert::cpu::f32_gemm(*kernel, 2, 3, 2, a.data(), 2, packed.data(), c.data(), 3, 2.0f, 6.0f,
                       nullptr);
    CHECK(c == std::vector<float>{2, 2, 6, 3.5f, 3.5f, 6});
    // k = 0: the result is the clamped bias.
    std::vector<float> packed0(f32_gemm_packed_size(3, 0, kernel->nr));
    f32_gemm_pack(3, 0, kernel->nr, w.data(), bias.data(), packed0.data());
    ert::cpu::f32_gemm(*kernel, 2, 3, 0, a.data(), 2, packed0.data(), c.data(), 3, -kInf, 5.0f,
                       nullptr);
    CHECK(c == std::vector<float>{0.5f, -0.5f, 5, 0.5f, -0.5f, 5});
  }
}

TEST_CASE("f32_gemm: every kernel against a naive loop, random shapes m<=20 n<=50 k<=300") {
  check_random(1000, 250, 20, 50, 300, /*grid=*/false);
}

TEST_CASE("f32_gemm: every kernel bit-exact on grid data, random shapes m<=20 n<=50 k<=300") {
  check_random(5000, 250, 20, 50, 300, /*grid=*/true);
}

TEST_CASE("f32_gemm: one to three rows over many panels (the kernels' multi-panel paths)") {
  // Few rows make the SIMD kernels walk 2 or 4 panels side by side; n up to 200 reaches those
  // paths and their fall-back to single panels and a partial one.
  check_random(9000, 120, 3, 200, 40, /*grid=*/true);
}

TEST_CASE("f32_gemm: a NaN in one row of A stays in that row's outputs") {
  for (const GemmKernel* kernel : all_kernels()) {
    INFO(kernel->name);
    std::mt19937 rng(77);
    Problem p = make_problem(rng, 7, 19, 13, /*grid=*/true);
    p.min = -1.0f;  // A clamp must not turn NaN into a bound.
    p.max = 1.0f;
    p.a[1 + 3 * p.a_stride + 5] = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> c = run(*kernel, p, nullptr);
    for (size_t i = 0; i < p.m; ++i) {
      for (size_t j = 0; j < p.n; ++j) {
        const float out = c[1 + i * p.c_stride + j];
        CHECK((std::isnan(out) && !is_guard(out)) == (i == 3));
      }
    }
    CHECK(guards_intact(p, c));
  }
}

TEST_CASE("f32_gemm: a 2-thread pool gives the same bits as the caller alone") {
  Pool pool(pthreadpool_create(2));
  REQUIRE(pool != nullptr);
  REQUIRE(pthreadpool_get_threads_count(pool.get()) == 2);
  struct Case {
    size_t m, n, k;
  };
  // m = 1 with large n is the fully connected case whose columns the driver splits.
  std::vector<Case> cases = {{1, 1404, 64}, {1, 37, 300}, {2, 100, 17}, {13, 48, 33}};
  std::mt19937 shapes(4242);
  for (int i = 0; i < 30; ++i) {
    cases.push_back({std::uniform_int_distribution<size_t>(1, 40)(shapes),
                     std::uniform_int_distribution<size_t>(1, 90)(shapes),
                     std::uniform_int_distribution<size_t>(1, 200)(shapes)});
  }
  for (const GemmKernel* kernel : all_kernels()) {
    uint32_t seed = 600;
    for (const Case& shape : cases) {
      std::mt19937 rng(++seed);
      const Problem p = make_problem(rng, shape.m, shape.n, shape.k, /*grid=*/false);
      INFO(describe(*kernel, p, seed));
      const std::vector<float> alone = run(*kernel, p, nullptr);
      const std::vector<float> pooled = run(*kernel, p, pool.get());
      CHECK(first_mismatch(p, pooled, false) == -1);
      CHECK(guards_intact(p, pooled));
      CHECK(std::memcmp(alone.data(), pooled.data(), alone.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("f32_gemm tiling: columns are split into whole panels only when rows are too few") {
  for (const GemmKernel* kernel : all_kernels()) {
    INFO(kernel->name);
    const size_t nr = kernel->nr;
    const size_t whole = (1404 + nr - 1) / nr * nr;
    // One thread, or plenty of row tiles: all columns in one tile.
    CHECK(ert::cpu::f32_gemm_tile_columns(*kernel, 1, 1404, 1) == whole);
    CHECK(ert::cpu::f32_gemm_tile_columns(*kernel, 1000 * kernel->mr, 1404, 2) == whole);
    // A fully connected layer (m = 1) on 2 threads: whole panels, 4 tiles per thread
    // (1404 / 8 = 175.5 columns, rounded up to whole panels of 4, 8 or 16: 176).
    const size_t fc = ert::cpu::f32_gemm_tile_columns(*kernel, 1, 1404, 2);
    CHECK(fc % nr == 0);
    CHECK((1404 + fc - 1) / fc == 8);
    // Never below 64 columns (rounded up to panels), nor above all of n.
    CHECK(ert::cpu::f32_gemm_tile_columns(*kernel, 1, 63, 2) == (63 + nr - 1) / nr * nr);
    CHECK(ert::cpu::f32_gemm_tile_columns(*kernel, 1, 200, 2) == (64 + nr - 1) / nr * nr);
    CHECK(ert::cpu::f32_gemm_tile_columns(*kernel, 1, 3, 2) == nr);
  }
}
