// TANH: the hyperbolic tangent of each element.
#ifndef ERT_KERNELS_TANH_H_
#define ERT_KERNELS_TANH_H_

#include <cmath>
#include <cstdint>

namespace ert::kernels {

/// Applies tanh to `count` floats. `in` and `out` may be the same buffer. std::tanh saturates to
/// +-1 for large |x| and keeps NaN.
inline void tanh_f32(const float* in, float* out, int64_t count) {
  for (int64_t i = 0; i < count; ++i) out[i] = std::tanh(in[i]);
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_TANH_H_
