#include "src/ops/conv_common.h"

#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {

Status set_output_shape(const OpContext& ctx, const int64_t* dims, int rank) {
  kernels::Shape shape;
  shape.rank = rank;
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] > kMaxDim) {
      return ctx.fail(ERT_UNSUPPORTED, "output dim %d would be %lld, above the limit of %lld", i,
                      (long long)dims[i], (long long)kMaxDim);
    }
    shape.dims[i] = int32_t(dims[i]);
    count *= dims[i];  // Cannot overflow: count <= 2^31 and dims[i] <= 2^30 here.
    if (count > kMaxElements) {
      return ctx.fail(ERT_UNSUPPORTED, "output would have more than %lld elements",
                      (long long)kMaxElements);
    }
  }
  ctx.output(0)->shape = shape;
  return Status();
}

Status resolve_conv_axis(const OpContext& ctx, const char* axis, fb::Padding padding, int64_t in,
                         int64_t k, int64_t stride, int64_t dilation, int64_t explicit_before,
                         int64_t explicit_after, kernels::ConvAxis* out) {
  const int64_t effective_k = kernels::effective_kernel_size64(k, dilation);
  if (effective_k > kMaxDim) {
    return ctx.fail(ERT_UNSUPPORTED, "filter %s %lld with dilation %lld spans %lld, above %lld",
                    axis, (long long)k, (long long)dilation, (long long)effective_k,
                    (long long)kMaxDim);
  }
  if (padding == fb::Padding::SAME) {
    *out = kernels::conv_axis_same(in, stride, effective_k);
  } else if (padding == fb::Padding::VALID) {
    *out = kernels::conv_axis_explicit(in, stride, effective_k, 0, 0);
  } else {
    *out = kernels::conv_axis_explicit(in, stride, effective_k, explicit_before, explicit_after);
  }
  if (out->out < 1) {
    return ctx.fail(ERT_INVALID_MODEL,
                    "filter %s %lld (dilated: %lld) does not fit the input %s %lld padded by "
                    "%lld + %lld",
                    axis, (long long)k, (long long)effective_k, axis, (long long)in,
                    (long long)out->before, (long long)out->after);
  }
  return Status();
}

Status check_conv_dtypes(const OpContext& ctx, const Tensor& input, const Tensor& filter,
                         const Tensor* bias, const Tensor& output) {
  if (input.dtype == ERT_F32) {
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(filter, "filter", ERT_F32));
    if (bias != nullptr) ERT_RETURN_IF_ERROR(ctx.expect_dtype(*bias, "bias", ERT_F32));
    return ctx.expect_dtype(output, "output 0", ERT_F32);
  }
  if (!is_quantized_dtype(input.dtype)) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "input 0 (tensor %d '%s') has dtype %s, this op supports f32, u8 and i8",
                    input.index, input.name, dtype_name(input.dtype));
  }
  if (filter.dtype != input.dtype || output.dtype != input.dtype) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "input 0 (tensor %d '%s') has dtype %s, so the filter and output 0 must "
                    "be %s too, not %s and %s",
                    input.index, input.name, dtype_name(input.dtype), dtype_name(input.dtype),
                    dtype_name(filter.dtype), dtype_name(output.dtype));
  }
  if (bias != nullptr) return ctx.expect_dtype(*bias, "bias", ERT_I32);
  return Status();
}

Status ConvQuantization::prepare(const OpContext& ctx, ert_dtype dtype, const Tensor& input,
                                 const Tensor& filter, const Tensor* bias, const Tensor& output,
                                 int32_t out_c, int filter_channel_axis,
                                 kernels::ActivationRange activation) {
  TensorQuant in_q;
  TensorQuant out_q;
  ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, input, "input 0", &in_q));
  ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, output, "output 0", &out_q));
  const bool i8 = dtype == ERT_I8;
  std::vector<float> filter_scales;
  int32_t filter_zp = 0;
  ERT_RETURN_IF_ERROR(
      read_filter_quant(ctx, filter, filter_channel_axis, out_c, i8, &filter_scales, &filter_zp));
  if (i8 && filter_zp != 0) {
    return ctx.fail(ERT_UNSUPPORTED,
                    "filter (tensor %d '%s') has zero point %d; i8 filters must be symmetric "
                    "(zero point 0)",
                    filter.index, filter.name, filter_zp);
  }
  const bool per_channel = filter.quant->scale()->size() > 1;
  if (bias != nullptr) {
    ERT_RETURN_IF_ERROR(check_bias_quant(ctx, *bias, in_q.scale, filter_scales, per_channel));
  }
  ERT_RETURN_IF_ERROR(conv_multipliers(ctx, dtype, in_q.scale, filter_scales, out_q.scale,
                                       &multipliers_, &shifts_));
  quant_.input_zero_point = in_q.zero_point;
  quant_.filter_zero_point = filter_zp;
  quant_.output_zero_point = out_q.zero_point;
  quant_.output_multiplier = multipliers_.data();
  quant_.output_shift = shifts_.data();
  if (i8) {
    kernels::quantized_activation_range<int8_t>(activation, out_q.scale, out_q.zero_point,
                                                &quant_.output_min, &quant_.output_max);
  } else {
    kernels::quantized_activation_range<uint8_t>(activation, out_q.scale, out_q.zero_point,
                                                 &quant_.output_min, &quant_.output_max);
  }
  return Status();
}

}  // namespace ert::rt
