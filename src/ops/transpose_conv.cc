// TRANSPOSE_CONV: the gradient of a strided convolution, used for upsampling, as TFLite defines
// it; the output size follows from the padding mode. Runs kernels/transpose_conv.h.
//
// prepare():
//   1. Tensors: 2 or 3 inputs (bias optional or -1), 1 output, all f32; input and filter rank 4,
//      filter input channels equal to the input's, bias rank 1 with one value per output channel.
//   2. Options: present, known padding mode, strides >= 1, explicit padding present and
//      non-negative when the mode is EXPLICIT.
//   3. Geometry per axis in 64 bits. The full result has (in - 1) * stride + K pixels; the
//      output is SAME: in * stride, VALID: the full result, EXPLICIT: the full result less
//      before + after (at least 1). SAME crops max(full - out, 0) / 2 pixels before (the
//      smaller half, as TFLite pads). The output shape must fit the caps.
#include <algorithm>

#include "kernels/transpose_conv.h"
#include "src/ops/conv_common.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {


// Output size of one spatial axis and the crop of the full result before it.
struct TransposeAxis {
  int64_t out = 0;
  int64_t before = 0;
  int64_t after = 0;
};

Status resolve_axis(const OpContext& ctx, const char* axis, fb::Padding padding, int64_t in,
                    int64_t k, int64_t stride, int64_t explicit_before, int64_t explicit_after,
                    TransposeAxis* out) {
  const int64_t full = (in - 1) * stride + k;
  if (padding == fb::Padding::SAME) {
    out->out = in * stride;
    const int64_t total = std::max<int64_t>(full - out->out, 0);
    out->before = total / 2;
    out->after = total - out->before;
  } else if (padding == fb::Padding::VALID) {
    out->out = full;
  } else {
    out->before = explicit_before;
    out->after = explicit_after;
    out->out = full - explicit_before - explicit_after;
    if (out->out < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "explicit padding %lld + %lld crops all of the %lld-pixel %s of the full "
                      "result (input %s %lld, stride %lld, filter %s %lld)",
                      (long long)explicit_before, (long long)explicit_after, (long long)full, axis,
                      axis, (long long)in, (long long)stride, axis, (long long)k);
    }
  }
  return Status();
}

class TransposeConvOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1: tensors.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 3, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(input, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(filter, "filter", ERT_F32));
    if (bias != nullptr) ERT_RETURN_IF_ERROR(ctx.expect_dtype(*bias, "bias", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(*ctx.output(0), "output 0", ERT_F32));
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
    if (fs[3] != is[3]) {
      return ctx.fail(ERT_INVALID_MODEL, "filter has %d input channels (dim 3), the input has %d",
                      fs[3], is[3]);
    }
    const int32_t out_c = fs[0];
    if (bias != nullptr && bias->shape[0] != out_c) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "bias (tensor %d '%s') has %d values, needs %d (the filter's "
                      "output channels)",
                      bias->index, bias->name, bias->shape[0], out_c);
    }

    // Step 2: options.
    const fb::TransposeConvOptions* options = nullptr;
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

    // Step 3: geometry and output shape.
    TransposeAxis rows;
    TransposeAxis cols;
    ERT_RETURN_IF_ERROR(resolve_axis(ctx, "height", padding, is[1], fs[1], options->stride_h(),
                                     pads.top(), pads.bottom(), &rows));
    ERT_RETURN_IF_ERROR(resolve_axis(ctx, "width", padding, is[2], fs[2], options->stride_w(),
                                     pads.left(), pads.right(), &cols));
    const int64_t out_dims[4] = {is[0], rows.out, cols.out, out_c};
    ERT_RETURN_IF_ERROR(set_output_shape(ctx, out_dims, 4));

    // The crops fit int32: explicit ones come from int32 fields, and SAME's total is below K.
    params_.stride_h = options->stride_h();
    params_.stride_w = options->stride_w();
    params_.padding_h = {int32_t(rows.before), int32_t(rows.after)};
    params_.padding_w = {int32_t(cols.before), int32_t(cols.after)};
    params_.activation = ctx.activation();
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& input = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    Tensor& output = *ctx.output(0);
    kernels::transpose_conv_f32(params_, input.shape, input.data_as<const float>(), filter.shape,
                                filter.data_as<const float>(),
                                bias != nullptr ? bias->data_as<const float>() : nullptr,
                                output.shape, output.data_as<float>());
    return Status();
  }

 private:
  kernels::TransposeConvParams params_;
};

}  // namespace

std::unique_ptr<Op> make_transpose_conv_op() { return std::make_unique<TransposeConvOp>(); }

}  // namespace ert::rt
