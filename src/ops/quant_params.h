// Reading and checking the quantization of op tensors, shared by the ops' quantized (u8/i8)
// paths. Each check fails with a full message that names the op, the tensor and the problem:
//   * ERT_UNSUPPORTED for a valid model edgert does not run: a u8/i8 tensor with no quantization
//     (a plain integer tensor, which has no real meaning for these ops), per-channel
//     quantization where only per-tensor is implemented, a factor out of the fixed-point range.
//   * ERT_INVALID_MODEL for inconsistent quantization: a scale that is not finite and > 0, a
//     zero point outside the type's range, counts that do not match the tensor.
#ifndef ERT_OPS_QUANT_PARAMS_H_
#define ERT_OPS_QUANT_PARAMS_H_

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/quantization.h"
#include "src/runtime/op.h"

namespace ert::rt {

/// One scale and zero point.
struct TensorQuant {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

/// True for the dtypes the quantized kernels take.
inline bool is_quantized_dtype(ert_dtype dtype) { return dtype == ERT_U8 || dtype == ERT_I8; }

/// Value range of u8 or i8 (for any other dtype, the i8 range; callers pass u8 or i8).
inline void quantized_range(ert_dtype dtype, int32_t* lo, int32_t* hi) {
  if (dtype == ERT_U8) {
    *lo = kernels::quantized_min<uint8_t>();
    *hi = kernels::quantized_max<uint8_t>();
  } else {
    *lo = kernels::quantized_min<int8_t>();
    *hi = kernels::quantized_max<int8_t>();
  }
}

/// Number of scales of `t`'s quantization (0 when it has none), after checking that the scale
/// and zero point lists agree and that every scale is finite and > 0.
inline Status quant_scale_count(const OpContext& ctx, const Tensor& t, const char* what,
                                uint32_t* count) {
  *count = 0;
  const fb::Quantization* q = t.quant;
  if (q == nullptr || q->scale() == nullptr || q->scale()->size() == 0) return Status();
  const uint32_t n = q->scale()->size();
  const uint32_t nz = q->zero_point() != nullptr ? q->zero_point()->size() : 0;
  if (nz != n) {
    return ctx.fail(ERT_INVALID_MODEL,
                    "%s (tensor %d '%s') has %u quantization scales but %u "
                    "zero points",
                    what, t.index, t.name, n, nz);
  }
  for (uint32_t i = 0; i < n; ++i) {
    const float s = q->scale()->Get(i);
    if (!(s > 0.0f) || !std::isfinite(s)) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "%s (tensor %d '%s') has quantization scale %g at %u; "
                      "scales must be finite and > 0",
                      what, t.index, t.name, double(s), i);
    }
  }
  *count = n;
  return Status();
}

/// Fails unless zero point `zp` fits `t`'s dtype (u8 or i8).
inline Status check_zero_point(const OpContext& ctx, const Tensor& t, const char* what,
                               int64_t zp) {
  int32_t lo = 0;
  int32_t hi = 0;
  quantized_range(t.dtype, &lo, &hi);
  if (zp < lo || zp > hi) {
    return ctx.fail(ERT_INVALID_MODEL,
                    "%s (tensor %d '%s') has zero point %lld, outside the %s "
                    "range [%d, %d]",
                    what, t.index, t.name, (long long)zp, dtype_name(t.dtype), lo, hi);
  }
  return Status();
}

/// Reads the per-tensor quantization of the u8/i8 tensor `t` (called `what`, e.g. "input 0").
inline Status read_tensor_quant(const OpContext& ctx, const Tensor& t, const char* what,
                                TensorQuant* out) {
  uint32_t n = 0;
  ERT_RETURN_IF_ERROR(quant_scale_count(ctx, t, what, &n));
  if (n == 0) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "%s (tensor %d '%s') has dtype %s but no quantization; "
                    "this op needs a scale and zero point on its %s tensors",
                    what, t.index, t.name, dtype_name(t.dtype), dtype_name(t.dtype));
  }
  if (n != 1) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "%s (tensor %d '%s') has per-channel quantization (%u "
                    "scales); this op supports one scale and zero point",
                    what, t.index, t.name, n);
  }
  const int64_t zp = t.quant->zero_point()->Get(0);
  ERT_RETURN_IF_ERROR(check_zero_point(ctx, t, what, zp));
  out->scale = t.quant->scale()->Get(0);
  out->zero_point = int32_t(zp);
  return Status();
}

/// Reads the quantization of a convolution filter: one scale, or (if `allow_per_channel`) one
/// per output channel along `axis`, which has `channels` entries. All zero points must be equal
/// (the kernels take one); *scales gets `channels` entries either way.
inline Status read_filter_quant(const OpContext& ctx, const Tensor& t, int axis, int32_t channels,
                                bool allow_per_channel, std::vector<float>* scales,
                                int32_t* zero_point) {
  const char* what = "filter";
  uint32_t n = 0;
  ERT_RETURN_IF_ERROR(quant_scale_count(ctx, t, what, &n));
  if (n == 0) {
    return ctx.fail(ERT_UNSUPPORTED, "filter (tensor %d '%s') has dtype %s but no quantization",
                    t.index, t.name, dtype_name(t.dtype));
  }
  if (n != 1) {
    if (!allow_per_channel) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "filter (tensor %d '%s') has per-channel quantization "
                      "(%u scales), which edgert supports on i8 filters only",
                      t.index, t.name, n);
    }
    if (t.quant->axis() != axis || int64_t(n) != channels) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "filter (tensor %d '%s') has %u quantization scales on "
                      "axis %d; per-channel quantization needs %d scales on axis %d",
                      t.index, t.name, n, t.quant->axis(), channels, axis);
    }
  }
  const int64_t zp = t.quant->zero_point()->Get(0);
  for (uint32_t i = 1; i < n; ++i) {
    if (t.quant->zero_point()->Get(i) != zp) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "filter (tensor %d '%s') has different zero points per "
                      "channel (%lld and %lld)",
                      t.index, t.name, (long long)zp, (long long)t.quant->zero_point()->Get(i));
    }
  }
  ERT_RETURN_IF_ERROR(check_zero_point(ctx, t, what, zp));
  scales->assign(size_t(channels), 0.0f);
  for (int32_t c = 0; c < channels; ++c) {
    (*scales)[size_t(c)] = t.quant->scale()->Get(n == 1 ? 0u : uint32_t(c));
  }
  *zero_point = int32_t(zp);
  return Status();
}

/// Checks a convolution's int32 bias against the scale its values must have,
/// input_scale * filter_scale[c]. A bias without quantization is taken to have that scale, as
/// TFLite does. TFLite checks u8 models to a relative 1e-6 and i8 ones not at all; converters
/// compute the product in float, so only a mismatch beyond a relative 1e-4 (a bias in another
/// scale, not rounding) is an error. A single bias scale beside per-channel filter scales is not
/// compared (TFLite never reads it).
inline Status check_bias_quant(const OpContext& ctx, const Tensor& bias, float input_scale,
                               const std::vector<float>& filter_scales, bool per_channel_filter) {
  uint32_t n = 0;
  ERT_RETURN_IF_ERROR(quant_scale_count(ctx, bias, "bias", &n));
  if (n == 0) return Status();
  const size_t channels = filter_scales.size();
  if (n != 1 && n != channels) {
    return ctx.fail(ERT_INVALID_MODEL,
                    "bias (tensor %d '%s') has %u quantization scales, needs "
                    "1 or %zu",
                    bias.index, bias.name, n, channels);
  }
  if (n == 1 && per_channel_filter) return Status();
  for (size_t c = 0; c < channels; ++c) {
    const double expected = double(input_scale) * double(filter_scales[c]);
    const double actual = bias.quant->scale()->Get(n == 1 ? 0u : uint32_t(c));
    if (std::fabs(actual - expected) > 1e-4 * expected) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "bias (tensor %d '%s') has scale %g for channel %zu; "
                      "it must be input scale * filter scale = %g",
                      bias.index, bias.name, actual, c, expected);
    }
  }
  return Status();
}

/// The per-channel requantization of a convolution, M_c = input_scale * filter_scale[c] /
/// output_scale, as TFLite computes it: for u8 (its legacy per-tensor path) the product
/// input_scale * filter_scale is formed in float before the division in double; for i8 all of
/// it is in double. The last bit of the multiplier can differ between the two, so the dtype
/// picks the formula.
inline Status conv_multipliers(const OpContext& ctx, ert_dtype dtype, float input_scale,
                               const std::vector<float>& filter_scales, float output_scale,
                               std::vector<int32_t>* multipliers, std::vector<int32_t>* shifts) {
  multipliers->assign(filter_scales.size(), 0);
  shifts->assign(filter_scales.size(), 0);
  for (size_t c = 0; c < filter_scales.size(); ++c) {
    const double real = dtype == ERT_U8
                            ? double(input_scale * filter_scales[c]) / double(output_scale)
                            : double(input_scale) * double(filter_scales[c]) / double(output_scale);
    kernels::QuantizedMultiplier m;
    if (!kernels::quantize_multiplier(real, &m)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "output channel %zu: the requantization factor %g (input "
                      "scale %g * filter scale %g / output scale %g) is too large",
                      c, real, double(input_scale), double(filter_scales[c]), double(output_scale));
    }
    (*multipliers)[c] = m.multiplier;
    (*shifts)[c] = m.shift;
  }
  return Status();
}

/// True when two tensors' quantizations mean the same thing: both absent, or the same scales,
/// zero points and axis.
inline bool same_quantization(const fb::Quantization* a, const fb::Quantization* b) {
  const uint32_t na = a != nullptr && a->scale() != nullptr ? a->scale()->size() : 0;
  const uint32_t nb = b != nullptr && b->scale() != nullptr ? b->scale()->size() : 0;
  if (na != nb) return false;
  if (na == 0) return true;
  const uint32_t za = a->zero_point() != nullptr ? a->zero_point()->size() : 0;
  const uint32_t zb = b->zero_point() != nullptr ? b->zero_point()->size() : 0;
  if (za != na || zb != nb) return false;
  if (na > 1 && a->axis() != b->axis()) return false;
  for (uint32_t i = 0; i < na; ++i) {
    if (a->scale()->Get(i) != b->scale()->Get(i)) return false;
    if (a->zero_point()->Get(i) != b->zero_point()->Get(i)) return false;
  }
  return true;
}

/// For ops that move or select quantized values without computing new ones (PAD, MAX_POOL_2D):
/// checks that output 0 has input 0's u8/i8 dtype and the same per-tensor quantization, and
/// reads it into *q.
inline Status expect_passthrough_quant(const OpContext& ctx, const Tensor& in, const Tensor& out,
                                       TensorQuant* q) {
  ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", in.dtype));
  ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, in, "input 0", q));
  if (!same_quantization(in.quant, out.quant)) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "output 0 (tensor %d '%s') is quantized differently from input 0 (tensor %d "
                    "'%s'); this op copies quantized values and does not requantize",
                    out.index, out.name, in.index, in.name);
  }
  return Status();
}

}  // namespace ert::rt

#endif  // ERT_OPS_QUANT_PARAMS_H_
