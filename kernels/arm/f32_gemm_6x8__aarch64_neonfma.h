// f32 GEMM micro-kernel for aarch64: MR = 6, NR = 8, fused multiply-add by lane (vfmaq_laneq_f32)
// on 4-float pieces of each A row. It shares the body of f32_gemm_4x8__neon.h (see the steps
// there) with a policy for aarch64's 32 vector registers and its FMA: 12 accumulators, 6 pieces of
// A and 2 weight vectors in flight, 48 FMAs for 14 loads per 4 steps of k.
// Include this header only from a source file compiled for aarch64 (src/cpu/*_neon.cc).
#ifndef ERT_KERNELS_ARM_F32_GEMM_6X8__AARCH64_NEONFMA_H_
#define ERT_KERNELS_ARM_F32_GEMM_6X8__AARCH64_NEONFMA_H_

#include <arm_neon.h>

#include <cstddef>

#include "kernels/arm/f32_gemm_4x8__neon.h"
#include "kernels/f32_gemm.h"

namespace ert::kernels {
namespace neon_gemm {

/// vfma on 4-float pieces of A: aarch64 only (the by-lane FMA on a q register is A64).
struct FmaOps {
  static constexpr size_t kLanes = 4;
  static constexpr size_t kRegisters = 32;
  using AVec = float32x4_t;
  static inline AVec load_a(const float* p) { return vld1q_f32(p); }
  template <int L>
  static inline float32x4_t madd_lane(float32x4_t acc, float32x4_t w, AVec x) {
    return vfmaq_laneq_f32(acc, w, x, L);
  }
  static inline float32x4_t madd(float32x4_t acc, float32x4_t w, float x) {
    return vfmaq_n_f32(acc, w, x);
  }
};

}  // namespace neon_gemm

/// MR = 6, NR = 8 with fused multiply-add: the kernel the dispatcher picks on aarch64.
inline void f32_gemm_6x8__aarch64_neonfma(size_t mr, size_t nc, size_t kc, const float* a,
                                          size_t a_stride, const float* packed_w, float* c,
                                          size_t c_stride, const GemmMinMax* params) {
  neon_gemm::gemm<neon_gemm::FmaOps, 6, 2>(mr, nc, kc, a, a_stride, packed_w, c, c_stride,
                                           params);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_ARM_F32_GEMM_6X8__AARCH64_NEONFMA_H_
