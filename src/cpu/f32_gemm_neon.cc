// The NEON f32 GEMM micro-kernels. CMakeLists.txt builds src/cpu/*_neon.cc on ARM targets only
// (with -mfpu=neon on armv7); the guards below leave only null descriptors when the compiler
// was not given NEON (an armv6 build), so the dispatcher falls back to the scalar kernel.
// As in f32_gemm_avx2.cc, use no other inline function of kernels/f32_gemm.h in this file.
#include "src/cpu/f32_gemm_isa.h"

#if defined(__ARM_NEON) || defined(__ARM_NEON__) || defined(__aarch64__)
#include "kernels/arm/f32_gemm_4x8__neon.h"
#endif
#if defined(__aarch64__)
#include "kernels/arm/f32_gemm_6x8__aarch64_neonfma.h"
#endif

namespace ert::cpu {
namespace {

#if defined(__ARM_NEON) || defined(__ARM_NEON__) || defined(__aarch64__)
// Plain functions in this file, so that the kernels' code is emitted here with NEON enabled.
void f32_gemm_4x8__neon(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                        const float* packed_w, float* c, size_t c_stride,
                        const kernels::GemmMinMax* params) {
  kernels::f32_gemm_4x8__neon(mr, nc, kc, a, a_stride, packed_w, c, c_stride, params);
}
const GemmKernel kF32Gemm4x8Neon = {4, 8, &f32_gemm_4x8__neon, "f32_gemm_4x8__neon"};
#endif

#if defined(__aarch64__)
void f32_gemm_6x8__aarch64_neonfma(size_t mr, size_t nc, size_t kc, const float* a,
                                   size_t a_stride, const float* packed_w, float* c,
                                   size_t c_stride, const kernels::GemmMinMax* params) {
  kernels::f32_gemm_6x8__aarch64_neonfma(mr, nc, kc, a, a_stride, packed_w, c, c_stride, params);
}
const GemmKernel kF32Gemm6x8Aarch64Neonfma = {6, 8, &f32_gemm_6x8__aarch64_neonfma,
                                              "f32_gemm_6x8__aarch64_neonfma"};
#endif

}  // namespace

#if defined(__aarch64__)
extern const GemmKernel* const kF32GemmNeonKernels[kF32GemmNeonSlots] = {
    &kF32Gemm6x8Aarch64Neonfma, &kF32Gemm4x8Neon};
#elif defined(__ARM_NEON) || defined(__ARM_NEON__)
extern const GemmKernel* const kF32GemmNeonKernels[kF32GemmNeonSlots] = {&kF32Gemm4x8Neon,
                                                                         nullptr};
#else
extern const GemmKernel* const kF32GemmNeonKernels[kF32GemmNeonSlots] = {nullptr, nullptr};
#endif

}  // namespace ert::cpu
