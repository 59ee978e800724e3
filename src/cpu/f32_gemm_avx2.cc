// The AVX2/FMA f32 GEMM micro-kernel, compiled with -mavx2 -mfma (CMakeLists.txt gives those
// flags to src/cpu/*_avx2.cc on x86-64 only). Nothing here runs until cpuinfo said yes.
// Use no other inline function of kernels/f32_gemm.h (the packing, the scalar kernel) in this
// file: a copy emitted here would contain AVX2 code, and the linker may keep that copy for the
// whole program.
#include "kernels/x86/f32_gemm_6x16__avx2_fma.h"
#include "src/cpu/f32_gemm_isa.h"

namespace ert::cpu {
namespace {

// A plain function in this file, so that the kernel's code is emitted here with AVX2 enabled.
void f32_gemm_6x16__avx2_fma(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                             const float* packed_w, float* c, size_t c_stride,
                             const kernels::GemmMinMax* params) {
  kernels::f32_gemm_6x16__avx2_fma(mr, nc, kc, a, a_stride, packed_w, c, c_stride, params);
}

}  // namespace

extern const GemmKernel kF32Gemm6x16Avx2Fma = {6, 16, &f32_gemm_6x16__avx2_fma,
                                               "f32_gemm_6x16__avx2_fma"};

}  // namespace ert::cpu
