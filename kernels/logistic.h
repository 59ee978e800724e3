// LOGISTIC (sigmoid): out = 1 / (1 + exp(-x)).
#ifndef ERT_KERNELS_LOGISTIC_H_
#define ERT_KERNELS_LOGISTIC_H_

#include <cmath>
#include <cstdint>

namespace ert::kernels {

/// The sigmoid of one value, computed so that exp never overflows: for x >= 0 as
/// 1 / (1 + exp(-x)), for x < 0 as e / (1 + e) with e = exp(x). Both exponents are <= 0, so
/// large |x| gives 1 or a tiny positive number, never NaN or a lost denominator; NaN stays NaN.
inline float logistic(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

/// Applies the sigmoid to `count` floats. `in` and `out` may be the same buffer.
inline void logistic_f32(const float* in, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = logistic(in[i]);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_LOGISTIC_H_
