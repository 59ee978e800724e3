// The FMA throughput loop for ARM with NEON: AArch64, or 32-bit ARM built with VFPv4
// (-mfpu=neon-vfpv4, set by benchmarks/CMakeLists.txt). fma_peak.cc calls it only on a CPU
// whose NEON has FMA.
#include "benchmarks/fma_peak_isa.h"

#if defined(__aarch64__) || (defined(__ARM_NEON) && defined(__ARM_FEATURE_FMA))
#include <arm_neon.h>

namespace ert::bench {

float fma_chains_neon(int64_t iterations) {
  static_assert(kFmaChains == 12, "the loop below is written out for 12 chains");
  // c = b + c * a converges to 1, so no chain overflows or turns denormal.
  const float32x4_t a = vdupq_n_f32(0.999999f);
  const float32x4_t b = vdupq_n_f32(1e-6f);
  float32x4_t c0 = vdupq_n_f32(0.50f), c1 = vdupq_n_f32(0.51f), c2 = vdupq_n_f32(0.52f);
  float32x4_t c3 = vdupq_n_f32(0.53f), c4 = vdupq_n_f32(0.54f), c5 = vdupq_n_f32(0.55f);
  float32x4_t c6 = vdupq_n_f32(0.56f), c7 = vdupq_n_f32(0.57f), c8 = vdupq_n_f32(0.58f);
  float32x4_t c9 = vdupq_n_f32(0.59f), c10 = vdupq_n_f32(0.60f), c11 = vdupq_n_f32(0.61f);
  for (int64_t i = 0; i < iterations; ++i) {
    c0 = vfmaq_f32(b, c0, a);
    c1 = vfmaq_f32(b, c1, a);
    c2 = vfmaq_f32(b, c2, a);
    c3 = vfmaq_f32(b, c3, a);
    c4 = vfmaq_f32(b, c4, a);
    c5 = vfmaq_f32(b, c5, a);
    c6 = vfmaq_f32(b, c6, a);
    c7 = vfmaq_f32(b, c7, a);
    c8 = vfmaq_f32(b, c8, a);
    c9 = vfmaq_f32(b, c9, a);
    c10 = vfmaq_f32(b, c10, a);
    c11 = vfmaq_f32(b, c11, a);
  }
  const float32x4_t sum = vaddq_f32(vaddq_f32(vaddq_f32(vaddq_f32(c0, c1), vaddq_f32(c2, c3)),
                                              vaddq_f32(vaddq_f32(c4, c5), vaddq_f32(c6, c7))),
                                    vaddq_f32(vaddq_f32(c8, c9), vaddq_f32(c10, c11)));
  float lanes[4];
  vst1q_f32(lanes, sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

}  // namespace ert::bench

#else

namespace ert::bench {

// A 32-bit ARM build without VFPv4 has no NEON FMA; fma_peak.cc never calls this then.
float fma_chains_neon(int64_t) { return 0.0f; }

}  // namespace ert::bench

#endif
