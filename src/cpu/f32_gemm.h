// f32 GEMM for 1x1 convolutions and fully connected layers with edgert's own micro-kernels
// (kernels/f32_gemm.h and the ISA headers under kernels/): the kernel is chosen once from cpuinfo,
// and a driver tiles the output and runs the tiles on a pthreadpool.
//
// Use: at prepare, take kernel = f32_gemm_kernel(), allocate
// kernels::f32_gemm_packed_size(n, k, kernel.nr) floats and fill them with
// kernels::f32_gemm_pack(n, k, kernel.nr, ...); at invoke, call f32_gemm(kernel, ...) with the
// same kernel (the packing depends on its nr).
#ifndef ERT_CPU_F32_GEMM_H_
#define ERT_CPU_F32_GEMM_H_

#include <pthreadpool.h>

#include <cstddef>

#include "kernels/f32_gemm.h"

namespace ert::cpu {

/// One micro-kernel with its tile: mr rows by nr columns (nr is also the packing's panel width).
struct GemmKernel {
  size_t mr = 0;
  size_t nr = 0;
  kernels::GemmUkernelFn function = nullptr;
  const char* name = "";  ///< XNNPACK-style, e.g. "f32_gemm_6x16__avx2_fma"; static storage.
};

/// The fastest kernel this CPU runs, chosen on the first call (thread-safe) from cpuinfo; the
/// portable f32_gemm_4x4__scalar when cpuinfo cannot initialize or finds no SIMD kernel.
/// The reference lives as long as the program.
const GemmKernel& f32_gemm_kernel();

/// Every kernel this CPU runs, best first (items[0] is f32_gemm_kernel(), the scalar kernel is
/// last and always present): tests and benchmarks run each of them.
struct GemmKernelList {
  const GemmKernel* const* items = nullptr;
  size_t count = 0;
};
GemmKernelList f32_gemm_kernels();

/// Columns per tile that f32_gemm uses for m rows, n columns and `threads` threads: all of n
/// rounded up to whole panels, or, with several threads and fewer than 4 row tiles per thread,
/// fewer whole panels (but at least 64 columns) so that there are about 4 tiles per thread.
size_t f32_gemm_tile_columns(const GemmKernel& kernel, size_t m, size_t n, size_t threads);

/// c[i][j] = clamp(bias[j] + sum_kk a[i][kk] * w[j][kk], min, max) for i < m, j < n.
///   a        m rows of k floats, row i at a + i * a_stride (a_stride >= k, in floats).
///   packed   kernels::f32_gemm_pack(n, k, kernel.nr, ...) output for this very kernel.
///   c        m rows of n floats, row i at c + i * c_stride (c_stride >= n, in floats); nothing
///            else is written, so c may be a channel slice of a wider tensor.
///   pool     null runs everything on the caller; otherwise tiles of kernel.mr rows by a multiple
///            of kernel.nr columns are spread over the pool's threads. Columns are split too
///            when there are few row tiles (a fully connected layer with m = 1), so that every
///            thread gets work.
/// Results are bit-identical for any pool (each element's arithmetic does not depend on the
/// tiling). Allocates nothing; m == 0 or n == 0 does nothing; k may be 0 (c = clamp(bias)).
void f32_gemm(const GemmKernel& kernel, size_t m, size_t n, size_t k, const float* a,
              size_t a_stride, const float* packed, float* c, size_t c_stride, float min, float max,
              pthreadpool_t pool);

}  // namespace ert::cpu

#endif  // ERT_CPU_F32_GEMM_H_
