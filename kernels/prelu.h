// PRELU: out = x for x >= 0, alpha * x otherwise, where the slope tensor alpha broadcasts
// against x (usually one slope per channel, e.g. [1,1,C] against [N,H,W,C]).
#ifndef ERT_KERNELS_PRELU_H_
#define ERT_KERNELS_PRELU_H_

#include "kernels/binary_elementwise.h"
#include "kernels/shape.h"

namespace ert::kernels {

/// PRELU of one value with its slope.
struct PreluFn {
  float operator()(float x, float alpha) const { return x >= 0.0f ? x : x * alpha; }
};

/// PRELU over the broadcast of in_shape and alpha_shape, which must be compatible (see
/// broadcast_shape); `out` has the broadcast shape, which may be larger than the input's.
/// `out` must not overlap `alpha`, nor `in` unless the input has the output's shape.
inline void prelu_f32(const Shape& in_shape, const float* in, const Shape& alpha_shape,
                      const float* alpha, float* out) {
  broadcast_binary_f32(in_shape, in, alpha_shape, alpha, out, PreluFn());
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_PRELU_H_
