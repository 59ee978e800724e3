// DEPTHWISE_CONV_2D: each input channel convolved with its own M filters (M = depth multiplier),
// with stride, dilation and SAME/VALID/EXPLICIT padding, as TFLite defines it. Runs
// kernels/depthwise_conv2d.h.
//
// Data types: all f32; or u8 input, filter and output with an i32 bias (per-tensor
// quantization, TFLite's legacy uint8 scheme); or i8 input, filter and output with an i32 bias
// (filter per-tensor or per output channel, symmetric). The quantized paths compute with
// TFLite's integer arithmetic (kernels/quantization.h).
//
// prepare():
//   1. Tensors: 2 or 3 inputs (bias optional or -1), 1 output, dtypes as above; input and
//      filter rank 4, filter dim 0 equal to 1, bias rank 1 with one value per output channel.
//   2. Options: present, known padding mode, strides, dilations and depth multiplier >= 1,
//      explicit padding present and non-negative when the mode is EXPLICIT.
//   3. Channels: the filter has exactly input channels * depth multiplier channels.
//   4. Geometry per axis in 64 bits; the window must fit; the output shape must fit the caps.
//   5. Quantized only: read and check the quantization of every tensor, compute the per-channel
//      multipliers and the fused activation's clamp in the output's quantized domain.
#include <vector>

#include "kernels/depthwise_conv2d.h"
#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

// Stores the output shape after checking it against the runtime's caps. All dims are >= 0.
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

// Output size and padding of one spatial axis ("height" or "width"); fails when the dilated
// window is beyond the caps or does not fit in the padded input.
Status resolve_axis(const OpContext& ctx, const char* axis, fb::Padding padding, int64_t in,
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

class DepthwiseConv2DOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1: tensors.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 3, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    ERT_RETURN_IF_ERROR(check_dtypes(ctx, input, filter, bias, *ctx.output(0)));
    dtype_ = input.dtype;
    ERT_RETURN_IF_ERROR(ctx.expect_rank(input, "input 0", 4, 4));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(filter, "filter", 4, 4));
    if (bias != nullptr) ERT_RETURN_IF_ERROR(ctx.expect_rank(*bias, "bias", 1, 1));
    char buf[96];
    const kernels::Shape& is = input.shape;
    const kernels::Shape& fs = filter.shape;
    if (is[0] < 0 || is[1] < 1 || is[2] < 1 || is[3] < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "input 0 (tensor %d '%s') has shape %s; height, width and channels must "
                      "be at least 1",
                      input.index, input.name, shape_string(is, buf, sizeof(buf)));
    }
    if (fs[0] != 1 || fs[1] < 1 || fs[2] < 1 || fs[3] < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "filter (tensor %d '%s') has shape %s; needs [1,KH,KW,C] with "
                      "KH, KW and C at least 1",
                      filter.index, filter.name, shape_string(fs, buf, sizeof(buf)));
    }

    // Step 2: options.
    const fb::DepthwiseConv2DOptions* options = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&options));
    const fb::Padding padding = options->padding();
    if (padding != fb::Padding::SAME && padding != fb::Padding::VALID &&
        padding != fb::Padding::EXPLICIT) {
      return ctx.fail(ERT_INVALID_MODEL, "unknown padding mode %d", int(padding));
    }
    if (options->stride_h() < 1 || options->stride_w() < 1) {
      return ctx.fail(ERT_INVALID_MODEL, "strides must be at least 1, got %d x %d",
                      options->stride_h(), options->stride_w());
    }
    if (options->dilation_h() < 1 || options->dilation_w() < 1) {
      return ctx.fail(ERT_INVALID_MODEL, "dilations must be at least 1, got %d x %d",
                      options->dilation_h(), options->dilation_w());
    }
    if (options->depth_multiplier() < 1) {
      return ctx.fail(ERT_INVALID_MODEL, "depth_multiplier must be at least 1, got %d",
                      options->depth_multiplier());
    }
    fb::ExplicitPadding pads;
    if (padding == fb::Padding::EXPLICIT) {
      if (options->explicit_padding() == nullptr) {
        return ctx.fail(ERT_INVALID_MODEL, "padding is EXPLICIT but explicit_padding is missing");
      }
      pads = *options->explicit_padding();
      if (pads.top() < 0 || pads.bottom() < 0 || pads.left() < 0 || pads.right() < 0) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "explicit padding must be non-negative, got top %d bottom %d left %d "
                        "right %d",
                        pads.top(), pads.bottom(), pads.left(), pads.right());
      }
    }

    // Step 3: channels. TFLite treats depth_multiplier as redundant with the shapes and
    // requires the two to agree; so do we (64-bit so a huge multiplier cannot wrap).
    const int32_t in_c = is[3];
    const int32_t out_c = fs[3];
    if (int64_t(in_c) * options->depth_multiplier() != out_c) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "filter has %d channels, needs input channels %d * depth_multiplier %d",
                      out_c, in_c, options->depth_multiplier());
    }
    if (bias != nullptr && bias->shape[0] != out_c) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "bias (tensor %d '%s') has %d values, needs %d (the filter's "
                      "channels)",
                      bias->index, bias->name, bias->shape[0], out_c);
    }

    // Step 4: geometry and output shape.
    kernels::ConvAxis rows;
    kernels::ConvAxis cols;
    ERT_RETURN_IF_ERROR(resolve_axis(ctx, "height", padding, is[1], fs[1], options->stride_h(),
                                     options->dilation_h(), pads.top(), pads.bottom(), &rows));
    ERT_RETURN_IF_ERROR(resolve_axis(ctx, "width", padding, is[2], fs[2], options->stride_w(),
                                     options->dilation_w(), pads.left(), pads.right(), &cols));
    const int64_t out_dims[4] = {is[0], rows.out, cols.out, out_c};
    ERT_RETURN_IF_ERROR(set_output_shape(ctx, out_dims, 4));

    // Paddings fit int32: explicit ones come from int32 fields, SAME ones are below the
    // effective kernel size, which resolve_axis capped at kMaxDim.
    params_.stride_h = options->stride_h();
    params_.stride_w = options->stride_w();
    params_.dilation_h = options->dilation_h();
    params_.dilation_w = options->dilation_w();
    params_.padding_h = {int32_t(rows.before), int32_t(rows.after)};
    params_.padding_w = {int32_t(cols.before), int32_t(cols.after)};
    params_.activation = ctx.activation();
    if (dtype_ != ERT_F32) {
      ERT_RETURN_IF_ERROR(prepare_quantized(ctx, input, filter, bias, *ctx.output(0), out_c));
    }
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    Tensor& output = *ctx.output(0);
    if (dtype_ == ERT_U8) {
      kernels::depthwise_conv2d_quantized(
          params_, quant_, input.shape, input.data_as<const uint8_t>(), filter.shape,
          filter.data_as<const uint8_t>(),
          bias != nullptr ? bias->data_as<const int32_t>() : nullptr, output.shape,
          output.data_as<uint8_t>());
    } else if (dtype_ == ERT_I8) {
      kernels::depthwise_conv2d_quantized(
          params_, quant_, input.shape, input.data_as<const int8_t>(), filter.shape,
          filter.data_as<const int8_t>(),
          bias != nullptr ? bias->data_as<const int32_t>() : nullptr, output.shape,
          output.data_as<int8_t>());
    } else {
      kernels::depthwise_conv2d_f32(params_, input.shape, input.data_as<const float>(),
                                    filter.shape, filter.data_as<const float>(),
                                    bias != nullptr ? bias->data_as<const float>() : nullptr,
                                    output.shape, output.data_as<float>());
    }
    return Status();
  }

 private:
  // Step 1's dtype rule: the input's dtype picks the path, the other tensors must follow it.
  static Status check_dtypes(const OpContext& ctx, const Tensor& input, const Tensor& filter,
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

  // Step 5: quantization of the u8/i8 path.
  Status prepare_quantized(const OpContext& ctx, const Tensor& input, const Tensor& filter,
                           const Tensor* bias, const Tensor& output, int32_t out_c) {
    TensorQuant in_q;
    TensorQuant out_q;
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, input, "input 0", &in_q));
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, output, "output 0", &out_q));
    const bool i8 = dtype_ == ERT_I8;
    std::vector<float> filter_scales;
    int32_t filter_zp = 0;
    // Filters are [1,KH,KW,Ci*M]: per-channel scales run along axis 3.
    ERT_RETURN_IF_ERROR(read_filter_quant(ctx, filter, 3, out_c, i8, &filter_scales, &filter_zp));
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
    ERT_RETURN_IF_ERROR(conv_multipliers(ctx, dtype_, in_q.scale, filter_scales, out_q.scale,
                                         &multipliers_, &shifts_));
    quant_.input_zero_point = in_q.zero_point;
    quant_.filter_zero_point = filter_zp;
    quant_.output_zero_point = out_q.zero_point;
    quant_.output_multiplier = multipliers_.data();
    quant_.output_shift = shifts_.data();
    if (i8) {
      kernels::quantized_activation_range<int8_t>(params_.activation, out_q.scale, out_q.zero_point,
                                                  &quant_.output_min, &quant_.output_max);
    } else {
      kernels::quantized_activation_range<uint8_t>(params_.activation, out_q.scale,
                                                   out_q.zero_point, &quant_.output_min,
                                                   &quant_.output_max);
    }
    return Status();
  }

  ert_dtype dtype_ = ERT_F32;
  kernels::ConvParams params_;
  // Quantized path only: the kernel's params point into the two vectors.
  kernels::ConvQuantParams quant_;
  std::vector<int32_t> multipliers_;
  std::vector<int32_t> shifts_;
};

}  // namespace

std::unique_ptr<Op> make_depthwise_conv2d_op() { return std::make_unique<DepthwiseConv2DOp>(); }

}  // namespace ert::rt
