// Kernel choice (once, from cpuinfo) and the tiled, threaded driver of the f32 GEMM.
#include "src/cpu/f32_gemm.h"

#include <cpuinfo.h>

#include <algorithm>

#include "src/cpu/f32_gemm_isa.h"
#include "src/cpu/pool_handoff.h"

namespace ert::cpu {
namespace {

const GemmKernel kScalar = {4, 4, &kernels::f32_gemm_4x4__scalar, "f32_gemm_4x4__scalar"};

// Every kernel this CPU runs, best first, the scalar kernel last.
struct KernelTable {
  const GemmKernel* items[4] = {};
  size_t count = 0;

  void add(const GemmKernel* kernel) {
    if (kernel != nullptr && count < sizeof(items) / sizeof(items[0])) items[count++] = kernel;
  }
};

// Steps: ask cpuinfo (once per process) what the CPU has; list the SIMD kernels it can run, best
// first; end with the scalar kernel. Without cpuinfo, only the scalar kernel is listed.
KernelTable make_table() {
  KernelTable table;
  if (cpuinfo_initialize()) {
#if defined(__x86_64__) || defined(_M_X64)
    if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3()) table.add(&kF32Gemm6x16Avx2Fma);
#endif
#if defined(__aarch64__) || defined(__arm__)
    if (cpuinfo_has_arm_neon()) {
      for (const GemmKernel* kernel : kF32GemmNeonKernels) table.add(kernel);
    }
#endif
  }
  table.add(&kScalar);
  return table;
}

const KernelTable& table() {
  static const KernelTable kTable = make_table();
  return kTable;
}

size_t divide_round_up(size_t x, size_t y) { return (x + y - 1) / y; }

// What one tile of the 2-D pthreadpool loop needs; strides in bytes as the kernels take them.
struct GemmContext {
  kernels::GemmUkernelFn function;
  size_t k;
  const float* a;
  size_t a_stride;
  const float* packed;
  size_t block_floats;  // One packed panel of nr columns: nr * (k + 1) floats.
  size_t nr;
  float* c;
  size_t c_stride;
  kernels::GemmMinMax params;
};

void gemm_tile(void* context, size_t i, size_t j, size_t rows, size_t cols) {
  pool_handoff_acquire(context);
  const auto* g = static_cast<const GemmContext*>(context);
  const char* a = reinterpret_cast<const char*>(g->a) + i * g->a_stride;
  char* c = reinterpret_cast<char*>(g->c) + i * g->c_stride + j * sizeof(float);
  g->function(rows, cols, g->k, reinterpret_cast<const float*>(a), g->a_stride,
              g->packed + (j / g->nr) * g->block_floats, reinterpret_cast<float*>(c), g->c_stride,
              &g->params);
  pool_handoff_release(context);
}

}  // namespace

const GemmKernel& f32_gemm_kernel() { return *table().items[0]; }

GemmKernelList f32_gemm_kernels() { return {table().items, table().count}; }

size_t f32_gemm_tile_columns(const GemmKernel& kernel, size_t m, size_t n, size_t threads) {
  const size_t nr = kernel.nr;
  const size_t whole = divide_round_up(n, nr) * nr;
  constexpr size_t kTilesPerThread = 4;
  const size_t row_tiles = divide_round_up(m, kernel.mr);
  const size_t wanted = threads * kTilesPerThread;
  if (threads <= 1 || row_tiles >= wanted) return whole;
  const size_t splits = divide_round_up(wanted, row_tiles);
  // No narrower than 64 columns: a kernel walks several panels at once for few rows, and a
  // thinner tile would leave it a single panel with too few independent accumulators.
  constexpr size_t kMinColumns = 64;
  const size_t tile = std::max(divide_round_up(n, splits), kMinColumns);
  return std::min(whole, divide_round_up(tile, nr) * nr);
}

// Steps:
//   1. Row tiles are kernel.mr rows; column tiles are all of n (whole panels), so that one kernel
//      call reuses its rows of A (hot in L1) across every panel.
//   2. With several threads and few row tiles, split the columns into whole panels
//      (f32_gemm_tile_columns), so that small m (a fully connected layer) still keeps every
//      thread busy.
//   3. Run the tiles with pthreadpool (inline on the caller for a null pool).
void f32_gemm(const GemmKernel& kernel, size_t m, size_t n, size_t k, const float* a,
              size_t a_stride, const float* packed, float* c, size_t c_stride, float min, float max,
              pthreadpool_t pool) {
  if (m == 0 || n == 0) return;
  const size_t threads = pool != nullptr ? pthreadpool_get_threads_count(pool) : 1;
  const size_t tile_n = f32_gemm_tile_columns(kernel, m, n, threads);
  const size_t nr = kernel.nr;
  GemmContext context = {kernel.function, k,  a, a_stride * sizeof(float), packed, nr * (k + 1),
                         nr,              c, c_stride * sizeof(float), {min, max}};
  pool_handoff_release(&context);
  pthreadpool_parallelize_2d_tile_2d(pool, &gemm_tile, &context, m, n, kernel.mr, tile_n, 0);
  pool_handoff_acquire(&context);
}

}  // namespace ert::cpu
