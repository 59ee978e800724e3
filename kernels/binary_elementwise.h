// Elementwise binary ops with numpy-style broadcasting: ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM on
// floats, and ADD on u8/i8 with TFLite's integer arithmetic (add_quantized).
// The broadcast walker is shared with other two-input elementwise ops (PRELU).
//
// Broadcasting follows TFLite (and numpy): shapes are aligned on the right, a missing leading
// axis counts as size 1, and along each axis the sizes are equal or one of them is 1. A size-0
// axis against size 1 gives size 0 (an empty output).
#ifndef ERT_KERNELS_BINARY_ELEMENTWISE_H_
#define ERT_KERNELS_BINARY_ELEMENTWISE_H_

#include <algorithm>
#include <cstdint>

#include "kernels/common.h"
#include "kernels/quantization.h"
#include "kernels/shape.h"

namespace ert::kernels {

// The six arithmetic functors. MAXIMUM and MINIMUM compare the way TFLite's kernels do
// (a > b ? a : b), so a NaN in the second operand wins and a NaN in the first one loses; std::max
// would do the opposite.
struct AddFn {
  float operator()(float a, float b) const { return a + b; }
};
struct SubFn {
  float operator()(float a, float b) const { return a - b; }
};
struct MulFn {
  float operator()(float a, float b) const { return a * b; }
};
// IEEE division: x / 0 is +-inf and 0 / 0 is NaN. Nothing traps because no FP exception is
// enabled.
struct DivFn {
  float operator()(float a, float b) const { return a / b; }
};
struct MaximumFn {
  float operator()(float a, float b) const { return a > b ? a : b; }
};
struct MinimumFn {
  float operator()(float a, float b) const { return a < b ? a : b; }
};

/// Broadcasts shapes `a` and `b` into *out. Returns false when they are incompatible; then
/// *bad_axis (if not null) is the output axis where the sizes differ and neither is 1.
inline bool broadcast_shape(const Shape& a, const Shape& b, Shape* out, int* bad_axis = nullptr) {
  const int rank = std::max(a.rank, b.rank);
  Shape s;
  s.rank = rank;
  for (int i = 0; i < rank; ++i) {
    const int32_t da = i < rank - a.rank ? 1 : a.dims[i - (rank - a.rank)];
    const int32_t db = i < rank - b.rank ? 1 : b.dims[i - (rank - b.rank)];
    if (da != db && da != 1 && db != 1) {
      if (bad_axis != nullptr) *bad_axis = i;
      return false;
    }
    // Taking the other size whenever one side is 1 makes (1, 0) give 0, as numpy does.
    s.dims[i] = da == 1 ? db : da;
  }
  *out = s;
  return true;
}

/// The iteration space of a broadcast, reduced to as few axes as possible.
struct BroadcastPlan {
  int rank = 0;                     // Collapsed axes, outermost first.
  int64_t size[kMaxRank] = {};      // Output extent of each collapsed axis.
  int64_t stride_a[kMaxRank] = {};  // Element step of operand a per axis; 0 where a broadcasts.
  int64_t stride_b[kMaxRank] = {};  // The same for operand b.
  int64_t total = 1;                // Output elements.
};

/// Plans the walk over the broadcast of `a` and `b`, which must be compatible.
///   1. Align the shapes on the right; a missing axis has size 1.
///   2. Drop output axes of size 1: they move no pointer.
///   3. Merge neighbouring axes with the same access pattern (neither operand broadcast, only a
///      broadcast, only b broadcast): together they are one longer axis with that pattern.
///   4. Give each operand contiguous strides over its own axes and 0 over broadcast ones.
/// Equal shapes become one plain axis and a scalar operand one broadcast axis, so those
/// common cases reach the walker's simplest loop with no per-element index arithmetic.
inline BroadcastPlan plan_broadcast(const Shape& a, const Shape& b) {
  enum Pattern { kNone, kBroadcastA, kBroadcastB };
  BroadcastPlan p;
  Pattern pattern[kMaxRank] = {};
  const int rank = std::max(a.rank, b.rank);
  for (int i = 0; i < rank; ++i) {
    const int32_t da = i < rank - a.rank ? 1 : a.dims[i - (rank - a.rank)];
    const int32_t db = i < rank - b.rank ? 1 : b.dims[i - (rank - b.rank)];
    const int32_t d = da == 1 ? db : da;
    p.total *= d;
    if (d == 1) continue;
    const Pattern k = da == 1 ? kBroadcastA : (db == 1 ? kBroadcastB : kNone);
    if (p.rank > 0 && pattern[p.rank - 1] == k) {
      p.size[p.rank - 1] *= d;
    } else {
      pattern[p.rank] = k;
      p.size[p.rank] = d;
      ++p.rank;
    }
  }
  int64_t step_a = 1;
  int64_t step_b = 1;
  for (int i = p.rank - 1; i >= 0; --i) {
    p.stride_a[i] = pattern[i] == kBroadcastA ? 0 : step_a;
    p.stride_b[i] = pattern[i] == kBroadcastB ? 0 : step_b;
    if (pattern[i] != kBroadcastA) step_a *= p.size[i];
    if (pattern[i] != kBroadcastB) step_b *= p.size[i];
  }
  return p;
}

/// Computes out[i] = f(a[ia], b[ib]) over the broadcast of a_shape and b_shape, which must be
/// compatible (see broadcast_shape). `out` has the broadcast shape and is written in order; it
/// must not overlap `a` or `b` unless that operand has the output's shape.
///   1. Plan the collapsed iteration space.
///   2. Run the innermost axis as a tight loop: both operands contiguous, or one held fixed.
///   3. Step the outer axes with an odometer that moves each operand's offset by its strides.
/// The walker works on any element types; broadcast_binary_f32 below is its float instance.
template <typename TA, typename TB, typename TOut, typename F>
void broadcast_binary(const Shape& a_shape, const TA* a, const Shape& b_shape, const TB* b,
                      TOut* out, F f) {
  const BroadcastPlan p = plan_broadcast(a_shape, b_shape);
  if (p.total == 0) return;
  if (p.rank == 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  const int inner = p.rank - 1;
  const int64_t n = p.size[inner];
  const bool hold_a = p.stride_a[inner] == 0;
  const bool hold_b = p.stride_b[inner] == 0;
  const int64_t outer_count = p.total / n;
  int64_t index[kMaxRank] = {};
  int64_t offset_a = 0;
  int64_t offset_b = 0;
  for (int64_t outer = 0; outer < outer_count; ++outer) {
    const TA* row_a = a + offset_a;
    const TB* row_b = b + offset_b;
    TOut* row_out = out + outer * n;
    if (hold_a) {
      const TA x = row_a[0];
      for (int64_t i = 0; i < n; ++i) row_out[i] = f(x, row_b[i]);
    } else if (hold_b) {
      const TB y = row_b[0];
      for (int64_t i = 0; i < n; ++i) row_out[i] = f(row_a[i], y);
    } else {
      for (int64_t i = 0; i < n; ++i) row_out[i] = f(row_a[i], row_b[i]);
    }
    for (int axis = inner - 1; axis >= 0; --axis) {
      offset_a += p.stride_a[axis];
      offset_b += p.stride_b[axis];
      if (++index[axis] < p.size[axis]) break;
      // This axis wrapped: rewind it and carry into the next outer one.
      offset_a -= p.stride_a[axis] * p.size[axis];
      offset_b -= p.stride_b[axis] * p.size[axis];
      index[axis] = 0;
    }
  }
}

template <typename F>
void broadcast_binary_f32(const Shape& a_shape, const float* a, const Shape& b_shape,
                          const float* b, float* out, F f) {
  broadcast_binary<float, float, float>(a_shape, a, b_shape, b, out, f);
}

/// Parameters of ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM.
struct BinaryParams {
  ActivationRange activation;  // Fused activation; the default range is no clamp.
};

/// out = clamp(Fn()(a, b), activation) over the broadcast of the two shapes (see
/// broadcast_binary_f32 for the requirements on the buffers).
template <typename Fn>
void binary_elementwise_f32(const BinaryParams& params, const Shape& a_shape, const float* a,
                            const Shape& b_shape, const float* b, float* out) {
  const ActivationRange range = params.activation;
  const Fn fn{};
  broadcast_binary_f32(a_shape, a, b_shape, b, out,
                       [range, fn](float x, float y) { return clamp(fn(x, y), range); });
}

/// Quantized ADD (u8 or i8) as TFLite computes it. Both inputs move to a common fixed-point
/// scale with 20 bits of headroom, are added as int32, and the sum is rescaled to the output:
///   1. a' = M_a * ((a - a_zp) << 20) and b' = M_b * ((b - b_zp) << 20), where
///      M_a = a_scale / (2 * max_scale) and M_b = b_scale / (2 * max_scale) are below 1
///      (max_scale = max(a_scale, b_scale)).
///   2. out = clamp(out_zp + M_out * (a' + b')) with M_out = 2 * max_scale / (2^20 * out_scale).
/// Each multiply rounds as multiply_by_quantized_multiplier does.
struct QuantizedAddParams {
  int32_t a_zero_point = 0;
  int32_t b_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t left_shift = 20;
  QuantizedMultiplier a_multiplier;
  QuantizedMultiplier b_multiplier;
  QuantizedMultiplier output_multiplier;
  int32_t output_min = 0;  // Fused activation clamp, quantized.
  int32_t output_max = 0;
};

/// Fills the multipliers of `p` from the scales (finite and > 0) with TFLite's formulas; the
/// zero points and the clamp are the caller's. Returns false when a multiplier cannot be
/// represented (an output scale below about 2^-49 of the input scales).
inline bool quantized_add_multipliers(float a_scale, float b_scale, float output_scale,
                                      QuantizedAddParams* p) {
  // TFLite forms 2 * max in float (exact: a power-of-two scaling) and divides in double.
  const double twice_max = double(2.0f * std::max(a_scale, b_scale));
  const double real_a = double(a_scale) / twice_max;
  const double real_b = double(b_scale) / twice_max;
  const double real_out = twice_max / (double(int64_t(1) << p->left_shift) * double(output_scale));
  return quantize_multiplier(real_a, &p->a_multiplier) &&
         quantize_multiplier(real_b, &p->b_multiplier) &&
         quantize_multiplier(real_out, &p->output_multiplier);
}

/// out = quantized a + b over the broadcast of the two shapes (see broadcast_binary for the
/// requirements on the buffers); T is uint8_t or int8_t.
template <typename T>
void add_quantized(const QuantizedAddParams& p, const Shape& a_shape, const T* a,
                   const Shape& b_shape, const T* b, T* out) {
  const QuantizedAddParams q = p;
  broadcast_binary<T, T, T>(a_shape, a, b_shape, b, out, [q](T x, T y) {
    // |x - zp| <= 255, so the shifted values stay below 2^28 and their sum below 2^29.
    const int32_t shifted_a = (int32_t(x) - q.a_zero_point) * (int32_t(1) << q.left_shift);
    const int32_t shifted_b = (int32_t(y) - q.b_zero_point) * (int32_t(1) << q.left_shift);
    const int32_t sum = multiply_by_quantized_multiplier(shifted_a, q.a_multiplier) +
                        multiply_by_quantized_multiplier(shifted_b, q.b_multiplier);
    const int64_t v =
        int64_t(multiply_by_quantized_multiplier(sum, q.output_multiplier)) + q.output_zero_point;
    return T(std::clamp<int64_t>(v, q.output_min, q.output_max));
  });
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_BINARY_ELEMENTWISE_H_
