// A layer's weights packed for edgert's own f32 GEMM micro-kernel (src/cpu/f32_gemm.h), for the
// cases where it beats this XNNPACK: 1x1 convolutions with stride 1 and no padding, and fully
// connected layers. Both are c[m][n] = clamp(a[m][k] * w[n][k]^T + bias).
#ifndef ERT_XNNPACK_OWN_GEMM_H_
#define ERT_XNNPACK_OWN_GEMM_H_

#include <memory>

#include "src/cpu/f32_gemm.h"
#include "src/runtime/op.h"

namespace ert::rt::xnn {

class OwnGemm {
 public:
  /// Packs weights [n][k] (TFLite's [out][in]) and an optional bias for the CPU's best kernel.
  Status pack(const OpContext& ctx, size_t n, size_t k, const float* weights, const float* bias);
  /// m rows of k floats at `a` (row stride k) into m rows of n floats at `c` (row stride n).
  void run(size_t m, const float* a, float* c, kernels::ActivationRange clamp,
           pthreadpool_t pool) const {
    cpu::f32_gemm(*kernel_, m, n_, k_, a, k_, packed_.get(), c, n_, clamp.min, clamp.max, pool);
  }
  /// The micro-kernel's name, e.g. "f32_gemm_6x16__avx2_fma".
  const char* name() const { return kernel_->name; }
  bool packed() const { return packed_ != nullptr; }

 private:
  const cpu::GemmKernel* kernel_ = nullptr;
  size_t n_ = 0;
  size_t k_ = 0;
  std::unique_ptr<float[]> packed_;
};

/// True when a layer of n outputs over k inputs should use the own GEMM rather than XNNPACK:
/// the CPU has a SIMD micro-kernel for it (measured faster here; see benchmarks/).
bool own_gemm_preferred(size_t n, size_t k);

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_OWN_GEMM_H_
