#include "src/xnnpack/own_gemm.h"

#include <cstring>
#include <new>

namespace ert::rt::xnn {

Status OwnGemm::pack(const OpContext& ctx, size_t n, size_t k, const float* weights,
                     const float* bias) {
  kernel_ = &cpu::f32_gemm_kernel();
  n_ = n;
  k_ = k;
  const size_t floats = kernels::f32_gemm_packed_size(n, k, kernel_->nr);
  packed_.reset(new (std::nothrow) float[floats]);
  if (!packed_) {
    return ctx.fail(ERT_OUT_OF_MEMORY, "cannot allocate %zu bytes of packed weights",
                    floats * sizeof(float));
  }
  kernels::f32_gemm_pack(n, k, kernel_->nr, weights, bias, packed_.get());
  return Status();
}

bool own_gemm_preferred(size_t n, size_t k) {
  // The scalar fallback is slower than XNNPACK everywhere; a SIMD kernel is faster on every
  // shape of the shared models that was measured.
  return std::strstr(cpu::f32_gemm_kernel().name, "scalar") == nullptr && n > 0 && k > 0;
}

}  // namespace ert::rt::xnn
