// CONV_2D: NHWC convolution with an OHWI filter, optional bias, stride, dilation, SAME/VALID/
// EXPLICIT padding and groups, as TFLite defines it. Runs kernels/conv2d.h.
//
// Data types: all f32; or u8 input, filter and output with an i32 bias (per-tensor
// quantization, TFLite's legacy uint8 scheme); or i8 input, filter and output with an i32 bias
// (filter per-tensor or per output channel, symmetric). The quantized paths compute with
// TFLite's integer arithmetic (kernels/quantization.h).
//
// prepare():
//   1. Tensors: 2 or 3 inputs (bias optional or -1), 1 output, dtypes as above; input and
//      filter rank 4, bias rank 1 with one value per output channel.
//   2. Options: present, known padding mode, strides and dilations >= 1, explicit padding
//      present and non-negative when the mode is EXPLICIT.
//   3. Channels: the input's channels a positive multiple of the filter's (groups), the filter's
//      output channels a multiple of the groups.
//   4. Geometry per axis in 64 bits; the window must fit; the output shape must fit the caps.
//   5. Quantized only: read and check the quantization of every tensor, compute the per-channel
//      multipliers and the fused activation's clamp in the output's quantized domain.
#include "kernels/conv2d.h"

#include <vector>

#include "src/ops/conv_common.h"
#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class Conv2DOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1: tensors.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 3, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    ERT_RETURN_IF_ERROR(check_conv_dtypes(ctx, input, filter, bias, *ctx.output(0)));
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
    if (fs[0] < 1 || fs[1] < 1 || fs[2] < 1 || fs[3] < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "filter (tensor %d '%s') has shape %s; every dim must be at "
                      "least 1",
                      filter.index, filter.name, shape_string(fs, buf, sizeof(buf)));
    }

    // Step 2: options.
    const fb::Conv2DOptions* options = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&options));
    const fb::Padding padding = options->padding();
    fb::ExplicitPadding pads;
    ERT_RETURN_IF_ERROR(check_window_options(ctx, *options, &pads));

    // Step 3: channels and groups. TFLite allows a filter with fewer input channels than the
    // input: the input's channels then split into groups, each seen by Co / groups filters.
    const int32_t in_c = is[3];
    const int32_t out_c = fs[0];
    const int32_t filter_c = fs[3];
    if (in_c % filter_c != 0) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "input 0 has %d channels, not a multiple of the filter's %d input channels",
                      in_c, filter_c);
    }
    const int32_t groups = in_c / filter_c;
    if (out_c % groups != 0) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "filter has %d output channels, not a multiple of the %d groups (input "
                      "channels %d / filter input channels %d)",
                      out_c, groups, in_c, filter_c);
    }
    if (bias != nullptr && bias->shape[0] != out_c) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "bias (tensor %d '%s') has %d values, needs %d (the filter's "
                      "output channels)",
                      bias->index, bias->name, bias->shape[0], out_c);
    }

    // Step 4: geometry and output shape.
    kernels::ConvAxis rows;
    kernels::ConvAxis cols;
    ERT_RETURN_IF_ERROR(resolve_conv_axis(ctx, "height", padding, is[1], fs[1], options->stride_h(),
                                          options->dilation_h(), pads.top(), pads.bottom(), &rows));
    ERT_RETURN_IF_ERROR(resolve_conv_axis(ctx, "width", padding, is[2], fs[2], options->stride_w(),
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
      ERT_RETURN_IF_ERROR(quant_.prepare(ctx, dtype_, input, filter, bias, *ctx.output(0), out_c,
                                         /*filter_channel_axis=*/0, params_.activation));
    }
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    Tensor& output = *ctx.output(0);
    if (dtype_ == ERT_U8) {
      kernels::conv2d_quantized(params_, quant_.params(), input.shape,
                                input.data_as<const uint8_t>(), filter.shape,
                                filter.data_as<const uint8_t>(),
                                bias != nullptr ? bias->data_as<const int32_t>() : nullptr,
                                output.shape, output.data_as<uint8_t>());
    } else if (dtype_ == ERT_I8) {
      kernels::conv2d_quantized(params_, quant_.params(), input.shape,
                                input.data_as<const int8_t>(), filter.shape,
                                filter.data_as<const int8_t>(),
                                bias != nullptr ? bias->data_as<const int32_t>() : nullptr,
                                output.shape, output.data_as<int8_t>());
    } else {
      kernels::conv2d_f32(params_, input.shape, input.data_as<const float>(), filter.shape,
                          filter.data_as<const float>(),
                          bias != nullptr ? bias->data_as<const float>() : nullptr, output.shape,
                          output.data_as<float>());
    }
    return Status();
  }

 private:
  ert_dtype dtype_ = ERT_F32;
  kernels::ConvParams params_;
  ConvQuantization quant_;  // Quantized path only.
};

}  // namespace

std::unique_ptr<Op> make_conv2d_op() { return std::make_unique<Conv2DOp>(); }

}  // namespace ert::rt
