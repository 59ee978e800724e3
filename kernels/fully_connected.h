// FULLY_CONNECTED on floats with TFLite's meaning: the input is read as rows of K values
// (K = weights dim 1, whatever the input's own shape), and each row meets every weight row:
// out[r][u] = clamp(sum_k in[r][k] * w[u][k] + bias[u]).
//
// For each input row r and unit u:
//   1. Sum in[r][k] * w[u][k] over k in order.
//   2. Add bias[u] (when there is a bias), then clamp to the fused activation.
#ifndef ERT_KERNELS_FULLY_CONNECTED_H_
#define ERT_KERNELS_FULLY_CONNECTED_H_

#include <cstdint>

#include "kernels/common.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// Fused activation of a fully connected layer (the shapes say everything else).
struct FullyConnectedParams {
  ActivationRange activation;
};

/// Preconditions (the op's prepare checks them): weights [N,K] with K >= 1, the input's element
/// count a multiple of K (rows = count / K), `bias` null or holding N floats, and `output`
/// holding rows * N floats, row-major. Writes every output element, allocates nothing.
inline void fully_connected_f32(const FullyConnectedParams& p, const Shape& input_shape,
                                const float* input, const Shape& weights_shape,
                                const float* weights, const float* bias, float* output) {
  const int32_t units = weights_shape[0];
  const int32_t depth = weights_shape[1];
  const int64_t rows = input_shape.num_elements() / depth;
  for (int64_t r = 0; r < rows; ++r) {
    const float* in_row = input + r * depth;
    float* out_row = output + r * units;
    for (int32_t u = 0; u < units; ++u) {
      const float* w_row = weights + int64_t(u) * depth;
      float acc = 0.0f;
      for (int32_t k = 0; k < depth; ++k) acc += in_row[k] * w_row[k];
      const float b = bias != nullptr ? bias[u] : 0.0f;
      out_row[u] = clamp(acc + b, p.activation);
    }
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_FULLY_CONNECTED_H_
