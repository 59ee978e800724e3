// Descriptors of the ISA-specific f32 GEMM kernels, defined in src/cpu/f32_gemm_<isa>.cc, which
// are compiled with that ISA's flags. They are constant-initialized data, so reading them runs no
// instruction of the ISA: f32_gemm.cc checks cpuinfo before it calls any of their functions.
#ifndef ERT_CPU_F32_GEMM_ISA_H_
#define ERT_CPU_F32_GEMM_ISA_H_

#include "src/cpu/f32_gemm.h"

namespace ert::cpu {

/// x86-64 with AVX2 and FMA3 (f32_gemm_avx2.cc, built on x86-64 only).
extern const GemmKernel kF32Gemm6x16Avx2Fma;

/// NEON kernels (f32_gemm_neon.cc, built on ARM), best first; null entries where this build has
/// none (an ARM target compiled without NEON; armv7 has only the 4x8 kernel). The aarch64 kernel
/// uses fused multiply-add, which every aarch64 CPU has; the 4x8 kernel needs only NEON.
constexpr size_t kF32GemmNeonSlots = 2;
extern const GemmKernel* const kF32GemmNeonKernels[kF32GemmNeonSlots];

}  // namespace ert::cpu

#endif  // ERT_CPU_F32_GEMM_ISA_H_
