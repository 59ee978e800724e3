// LEAKY_RELU: out = x for x >= 0, alpha * x otherwise.
#ifndef ERT_KERNELS_LEAKY_RELU_H_
#define ERT_KERNELS_LEAKY_RELU_H_

#include <cstdint>

namespace ert::kernels {

/// Parameters of LEAKY_RELU.
struct LeakyReluParams {
  float alpha = 0.2f;  // Slope for negative inputs (the schema's default).
};

/// Applies leaky ReLU to `count` floats. `in` and `out` may be the same buffer.
inline void leaky_relu_f32(const LeakyReluParams& params, const float* in, float* out,
                           int64_t count) {
  const float alpha = params.alpha;
  for (int64_t i = 0; i < count; ++i) {
    const float x = in[i];
    out[i] = x >= 0.0f ? x : alpha * x;
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_LEAKY_RELU_H_
