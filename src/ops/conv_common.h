// Checks and set-up shared by the convolution-like ops (CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV, FULLY_CONNECTED): the output-shape caps, the window geometry of one axis,
// the window options, the dtype rule and the quantized path's multipliers.
#ifndef ERT_OPS_CONV_COMMON_H_
#define ERT_OPS_CONV_COMMON_H_

#include <vector>

#include "kernels/conv_params.h"
#include "kernels/quantization.h"
#include "src/runtime/op.h"

namespace ert::rt {

/// Stores output 0's shape after checking it against the runtime's caps. All dims are >= 0.
Status set_output_shape(const OpContext& ctx, const int64_t* dims, int rank);

/// Output size and padding of one spatial axis ("height" or "width"); fails when the dilated
/// window is beyond the caps or does not fit in the padded input.
Status resolve_conv_axis(const OpContext& ctx, const char* axis, fb::Padding padding, int64_t in,
                         int64_t k, int64_t stride, int64_t dilation, int64_t explicit_before,
                         int64_t explicit_after, kernels::ConvAxis* out);

/// The window options of CONV_2D and DEPTHWISE_CONV_2D: a known padding mode, strides and
/// dilations of at least 1, and explicit padding present and non-negative when the mode is
/// EXPLICIT (returned in *pads; zeros otherwise).
template <typename Options>
Status check_window_options(const OpContext& ctx, const Options& o, fb::ExplicitPadding* pads) {
  const fb::Padding padding = o.padding();
  if (padding != fb::Padding::SAME && padding != fb::Padding::VALID &&
      padding != fb::Padding::EXPLICIT) {
    return ctx.fail(ERT_INVALID_MODEL, "unknown padding mode %d", int(padding));
  }
  if (o.stride_h() < 1 || o.stride_w() < 1) {
    return ctx.fail(ERT_INVALID_MODEL, "strides must be at least 1, got %d x %d", o.stride_h(),
                    o.stride_w());
  }
  if (o.dilation_h() < 1 || o.dilation_w() < 1) {
    return ctx.fail(ERT_INVALID_MODEL, "dilations must be at least 1, got %d x %d", o.dilation_h(),
                    o.dilation_w());
  }
  *pads = fb::ExplicitPadding();
  if (padding == fb::Padding::EXPLICIT) {
    if (o.explicit_padding() == nullptr) {
      return ctx.fail(ERT_INVALID_MODEL, "padding is EXPLICIT but explicit_padding is missing");
    }
    *pads = *o.explicit_padding();
    if (pads->top() < 0 || pads->bottom() < 0 || pads->left() < 0 || pads->right() < 0) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "explicit padding must be non-negative, got top %d bottom %d left %d "
                      "right %d",
                      pads->top(), pads->bottom(), pads->left(), pads->right());
    }
  }
  return Status();
}

/// The dtype rule of the convolutions: the input's dtype picks the path (f32, u8 or i8), the
/// filter and output must follow it, and the bias is f32 or (quantized) i32.
Status check_conv_dtypes(const OpContext& ctx, const Tensor& input, const Tensor& filter,
                         const Tensor* bias, const Tensor& output);

/// The quantized path of a convolution: reads and checks every tensor's quantization, computes
/// the per-channel multipliers and the fused activation's clamp in the output's domain.
class ConvQuantization {
 public:
  /// `filter_channel_axis` is where per-channel filter scales run (0 for CONV_2D's OHWI, 3 for
  /// DEPTHWISE_CONV_2D's 1HW(C*M)).
  Status prepare(const OpContext& ctx, ert_dtype dtype, const Tensor& input, const Tensor& filter,
                 const Tensor* bias, const Tensor& output, int32_t out_c, int filter_channel_axis,
                 kernels::ActivationRange activation);
  /// The kernel's params; they point into this object, which must outlive their use.
  const kernels::ConvQuantParams& params() const { return quant_; }

 private:
  kernels::ConvQuantParams quant_;
  std::vector<int32_t> multipliers_;
  std::vector<int32_t> shifts_;
};

}  // namespace ert::rt

#endif  // ERT_OPS_CONV_COMMON_H_
