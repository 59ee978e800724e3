// AVERAGE_POOL_2D and MAX_POOL_2D on [N,H,W,C] f32 tensors, with a fused activation; MAX_POOL_2D
// on u8/i8 tensors too (one quantization for input and output; the activation clamps in it).
//
// prepare():
//   1. Check counts, dtypes, rank 4, the options (strides and filter sizes > 0, a known padding
//      mode, explicit padding non-negative and smaller than the filter).
//   2. Work out the padding before each axis and the output size in 64 bits (SAME as TFLite:
//      ceil(in / stride) with the extra padding cell after; VALID and EXPLICIT: the number of
//      window positions that fit), then check it against the caps.
#include "kernels/pool2d.h"

#include <algorithm>
#include <cstdint>

#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class Pool2DOp : public Op {
 public:
  explicit Pool2DOp(fb::OpCode code) : code_(code) {}

  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    TensorQuant q;
    if (code_ == fb::OpCode::MAX_POOL_2D && is_quantized_dtype(in.dtype)) {
      ERT_RETURN_IF_ERROR(expect_passthrough_quant(ctx, in, out, &q));
    } else {
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    }
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 4, 4));
    const fb::Pool2DOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));
    const int act = int(ctx.op()->activation());
    if (act < int(fb::Activation::MIN) || act > int(fb::Activation::MAX)) {
      return ctx.fail(ERT_INVALID_MODEL, "unknown fused activation %d", act);
    }
    if (o->stride_h() <= 0 || o->stride_w() <= 0) {
      return ctx.fail(ERT_INVALID_MODEL, "stride %dx%d (h x w) must be positive", o->stride_h(),
                      o->stride_w());
    }
    if (o->filter_h() <= 0 || o->filter_w() <= 0) {
      return ctx.fail(ERT_INVALID_MODEL, "filter %dx%d (h x w) must be positive", o->filter_h(),
                      o->filter_w());
    }

    const int32_t in_h = in.shape[1];
    const int32_t in_w = in.shape[2];
    int64_t out_h = 0;
    int64_t out_w = 0;
    kernels::AxisPadding pad_h;
    kernels::AxisPadding pad_w;
    switch (o->padding()) {
      case fb::Padding::SAME: {
        // The padding before is below the filter, so no window lies wholly in padding.
        const kernels::ConvAxis h = kernels::conv_axis_same(in_h, o->stride_h(), o->filter_h());
        const kernels::ConvAxis w = kernels::conv_axis_same(in_w, o->stride_w(), o->filter_w());
        out_h = h.out;
        out_w = w.out;
        pad_h = {int32_t(h.before), int32_t(h.after)};
        pad_w = {int32_t(w.before), int32_t(w.after)};
        break;
      }
      case fb::Padding::VALID:
        out_h = fitting_windows(in_h, pad_h, o->stride_h(), o->filter_h());
        out_w = fitting_windows(in_w, pad_w, o->stride_w(), o->filter_w());
        break;
      case fb::Padding::EXPLICIT: {
        const fb::ExplicitPadding* e = o->explicit_padding();
        if (e == nullptr) {
          return ctx.fail(ERT_INVALID_MODEL, "padding is EXPLICIT but explicit_padding is absent");
        }
        if (e->top() < 0 || e->bottom() < 0 || e->left() < 0 || e->right() < 0) {
          return ctx.fail(ERT_INVALID_MODEL,
                          "explicit padding (top %d, bottom %d, left %d, right %d) is negative",
                          e->top(), e->bottom(), e->left(), e->right());
        }
        // A window wholly in padding has no cells to average (TFLite fails on it at run time),
        // so padding as large as the filter is refused here. Below that, every window that
        // starts inside the padded input touches a real cell.
        if (e->top() >= o->filter_h() || e->bottom() >= o->filter_h() ||
            e->left() >= o->filter_w() || e->right() >= o->filter_w()) {
          return ctx.fail(ERT_INVALID_MODEL,
                          "explicit padding (top %d, bottom %d, left %d, right %d) must be smaller "
                          "than the filter %dx%d",
                          e->top(), e->bottom(), e->left(), e->right(), o->filter_h(),
                          o->filter_w());
        }
        pad_h = {e->top(), e->bottom()};
        pad_w = {e->left(), e->right()};
        out_h = fitting_windows(in_h, pad_h, o->stride_h(), o->filter_h());
        out_w = fitting_windows(in_w, pad_w, o->stride_w(), o->filter_w());
        break;
      }
      default:
        return ctx.fail(ERT_INVALID_MODEL, "unknown padding mode %d", int(o->padding()));
    }
    if (out_h > kMaxDim || out_w > kMaxDim) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "output would be %lldx%lld pixels, more than 2^30 per axis",
                      static_cast<long long>(out_h), static_cast<long long>(out_w));
    }
    kernels::Shape out_shape{in.shape[0], int32_t(out_h), int32_t(out_w), in.shape[3]};
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(in.dtype, out_shape, &bytes, &why)) {
      return ctx.fail(ERT_INVALID_MODEL, "output shape [%lld,%lld,%lld,%lld]: %s",
                      static_cast<long long>(out_shape[0]), static_cast<long long>(out_h),
                      static_cast<long long>(out_w), static_cast<long long>(out_shape[3]), why);
    }
    out.shape = out_shape;

    params_.stride_h = o->stride_h();
    params_.stride_w = o->stride_w();
    params_.filter_h = o->filter_h();
    params_.filter_w = o->filter_w();
    params_.pad_top = pad_h.before;
    params_.pad_left = pad_w.before;
    params_.activation = ctx.activation();
    if (in.dtype == ERT_I8) {
      kernels::quantized_activation_range<int8_t>(params_.activation, q.scale, q.zero_point,
                                                  &quantized_min_, &quantized_max_);
    } else if (in.dtype == ERT_U8) {
      kernels::quantized_activation_range<uint8_t>(params_.activation, q.scale, q.zero_point,
                                                   &quantized_min_, &quantized_max_);
    }
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (in.dtype == ERT_I8) {
      kernels::max_pool2d_quantized(params_, in.shape, in.data_as<const int8_t>(), out.shape,
                                    out.data_as<int8_t>(), quantized_min_, quantized_max_);
    } else if (in.dtype == ERT_U8) {
      kernels::max_pool2d_quantized(params_, in.shape, in.data_as<const uint8_t>(), out.shape,
                                    out.data_as<uint8_t>(), quantized_min_, quantized_max_);
    } else if (code_ == fb::OpCode::MAX_POOL_2D) {
      kernels::max_pool2d_f32(params_, in.shape, in.data_as<const float>(), out.shape,
                              out.data_as<float>());
    } else {
      kernels::average_pool2d_f32(params_, in.shape, in.data_as<const float>(), out.shape,
                                  out.data_as<float>());
    }
    return Status();
  }

 private:
  // Window positions that fit in the padded axis, or 0 for an empty axis (so that no window
  // lies wholly in padding). The caller checks the cap.
  static int64_t fitting_windows(int32_t in, kernels::AxisPadding pad, int32_t stride,
                                 int32_t filter) {
    if (in == 0) return 0;
    return kernels::conv_axis_explicit(in, stride, filter, pad.before, pad.after).out;
  }

  fb::OpCode code_;
  kernels::Pool2DParams params_;
  int32_t quantized_min_ = 0;  // u8/i8 MAX_POOL_2D: the activation's clamp, quantized.
  int32_t quantized_max_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_pool2d_op(fb::OpCode code) { return std::make_unique<Pool2DOp>(code); }

}  // namespace ert::rt
