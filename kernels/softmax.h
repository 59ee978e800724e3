// SOFTMAX over the last axis: out = exp(beta * x) / sum(exp(beta * x)) along each row.
#ifndef ERT_KERNELS_SOFTMAX_H_
#define ERT_KERNELS_SOFTMAX_H_

#include <cmath>
#include <cstdint>

#include "kernels/shape.h"

namespace ert::kernels {

/// Parameters of SOFTMAX.
struct SoftmaxParams {
  float beta = 1.0f;  // Inputs are scaled by beta before the exponential.
};

/// Softmax of each row (the last axis) of a tensor of `shape`; a scalar is one row of one.
/// `in` and `out` may be the same buffer.
///   1. Find the row element m that maximizes beta * x (the max for beta >= 0, the min else).
///   2. Write e = exp((x - m) * beta) and sum the row. Every exponent is <= 0, so nothing
///      overflows, and the largest term is exactly 1, so the sum is >= 1.
///   3. Divide each e by the sum.
/// For beta >= 0 this is TFLite's float formula operation for operation (its sum is a float
/// too); for beta < 0 choosing the min keeps the exponents non-positive, where TFLite would
/// overflow.
inline void softmax_f32(const SoftmaxParams& params, const Shape& shape, const float* in,
                        float* out) {
  const int64_t depth = shape.rank > 0 ? shape.dims[shape.rank - 1] : 1;
  const int64_t rows = shape.rank > 0 ? shape.count(0, shape.rank - 1) : 1;
  const float beta = params.beta;
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = in + r * depth;
    float* y = out + r * depth;
    if (depth == 0) continue;
    float m = x[0];
    for (int64_t c = 1; c < depth; ++c) {
      if (beta >= 0.0f ? x[c] > m : x[c] < m) m = x[c];
    }
    float sum = 0.0f;
    for (int64_t c = 0; c < depth; ++c) {
      y[c] = std::exp((x[c] - m) * beta);
      sum += y[c];
    }
    for (int64_t c = 0; c < depth; ++c) y[c] = y[c] / sum;
  }
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_SOFTMAX_H_
