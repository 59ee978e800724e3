// CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED on XNNPACK, in f32 with
// constant weights; CONV_2D and DEPTHWISE_CONV_2D also in uint8 with per-tensor quantization
// (XNNPACK's qu8 convolution, TFLite's legacy uint8 scheme) and in int8 with per-channel
// filters (XNNPACK's qc8 convolution, TFLite's int8 scheme).
//
// The layouts need no repacking of ours: TFLite's OHWI conv filter is XNNPACK's
// [groups][group out][h][w][group in]; the depthwise [1, h, w, C*M] filter is XNNPACK's HWGo
// layout (XNN_FLAG_DEPTHWISE_CONVOLUTION); the FC's [units, depth] weights are XNNPACK's
// [output channels][input channels]. XNNPACK packs a copy at create, so the file's weights are
// not touched afterwards.
#include <algorithm>
#include <array>

#include <string>
#include <vector>

#include "kernels/quantization.h"
#include "src/ops/quant_params.h"
#include "src/xnnpack/own_conv_narrow.h"
#include "src/xnnpack/own_gemm.h"
#include "src/xnnpack/xnn_ops.h"

namespace ert::rt::xnn {
namespace {

// What a convolution operator was created for; a resize that changes any of it (SAME padding
// depends on the input size) creates the operator again.
using ConvKey = std::array<int64_t, 6>;

int64_t effective_kernel(int64_t k, int64_t dilation) { return (k - 1) * dilation + 1; }

// The profile's kernel name of an own GEMM path: "own:" and the micro-kernel's name.
const char* gemm_name(const OpContext&) {
  static const std::string name = std::string("own:") + cpu::f32_gemm_kernel().name;
  return name.c_str();
}

// The quantization of a uint8 convolution in the terms of XNNPACK's qu8 operator: one scale
// and zero point per tensor, and the fused activation as a clamp in the output's domain.
struct Qu8Conv {
  TensorQuant input;
  TensorQuant filter;
  TensorQuant output;
  uint8_t output_min = 0;
  uint8_t output_max = 0;
};

// True when XNNPACK's qu8 convolution computes what the reference's uint8 path does: input,
// filter and output u8 with one scale each (XNNPACK takes one filter scale), a constant filter
// and an absent or constant i32 bias. The reference prepare has already checked the bias scale
// against input scale * filter scale, which is the scale both kernels give the bias.
bool qu8_conv_case(const OpContext& ctx, Qu8Conv* q) {
  const Tensor& in = *ctx.input(0);
  const Tensor& filter = *ctx.input(1);
  const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
  const Tensor& out = *ctx.output(0);
  if (in.dtype != ERT_U8 || filter.dtype != ERT_U8 || out.dtype != ERT_U8 || !filter.is_constant ||
      (bias != nullptr && (bias->dtype != ERT_I32 || !bias->is_constant))) {
    return false;
  }
  // The reference prepare has read these already (and refuses a per-channel u8 filter); a
  // failure would only leave the case to the reference kernel.
  if (!read_tensor_quant(ctx, in, "input 0", &q->input).ok() ||
      !read_tensor_quant(ctx, filter, "filter", &q->filter).ok() ||
      !read_tensor_quant(ctx, out, "output 0", &q->output).ok()) {
    return false;
  }
  int32_t lo = 0;
  int32_t hi = 0;
  kernels::quantized_activation_range<uint8_t>(ctx.activation(), q->output.scale,
                                               q->output.zero_point, &lo, &hi);
  q->output_min = uint8_t(lo);
  q->output_max = uint8_t(hi);
  return true;
}

// The quantization of an int8 convolution for XNNPACK's qc8 operator: per-channel symmetric
// filter scales (one scale is repeated), per-tensor input and output, the activation as a clamp.
struct Qc8Conv {
  TensorQuant input;
  TensorQuant output;
  std::vector<float> filter_scales;
  int8_t output_min = 0;
  int8_t output_max = 0;
};

// True when XNNPACK's qc8 convolution computes what the reference's int8 path does (TFLite's
// int8 scheme): input, filter and output i8, filter zero point 0 with one scale or one per
// output channel, a constant filter and an absent or constant i32 bias. XNNPACK requantizes in
// fp32 where the reference uses TFLite's fixed-point multiplier: measured on these shapes, at
// most 1 unit on under 0.1% of the outputs (shared/notes/xnnpack-debian.md §3).
bool qc8_conv_case(const OpContext& ctx, int filter_channel_axis, Qc8Conv* q) {
  const Tensor& in = *ctx.input(0);
  const Tensor& filter = *ctx.input(1);
  const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
  const Tensor& out = *ctx.output(0);
  if (in.dtype != ERT_I8 || filter.dtype != ERT_I8 || out.dtype != ERT_I8 || !filter.is_constant ||
      (bias != nullptr && (bias->dtype != ERT_I32 || !bias->is_constant))) {
    return false;
  }
  int32_t filter_zero = 0;
  const int32_t channels = int32_t(out.shape[3]);
  if (!read_tensor_quant(ctx, in, "input 0", &q->input).ok() ||
      !read_tensor_quant(ctx, out, "output 0", &q->output).ok() ||
      !read_filter_quant(ctx, filter, filter_channel_axis, channels, true, &q->filter_scales,
                         &filter_zero)
           .ok() ||
      filter_zero != 0 || q->filter_scales.size() != size_t(channels)) {
    return false;
  }
  int32_t lo = 0;
  int32_t hi = 0;
  kernels::quantized_activation_range<int8_t>(ctx.activation(), q->output.scale,
                                              q->output.zero_point, &lo, &hi);
  q->output_min = int8_t(lo);
  q->output_max = int8_t(hi);
  return true;
}

// Steps (both convolutions):
//   1. Take f32 with constant filter and bias, uint8 as qu8_conv_case() says, or int8 as
//      qc8_conv_case() says.
//   2. Derive XNNPACK's explicit paddings from the mode and the reference op's output size.
//   3. Create the operator unless one exists for the same paddings and channels. uint8 always
//      goes to XNNPACK (qu8); f32 pointwise and narrow cases may go to edgert's own kernels.
//      XNNPACK refuses some uint8 requantization scales at create: the reference kernel then
//      runs the op (see XnnOp::prepare).
template <typename Options, bool kDepthwise>
class XnnConv : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    const Tensor& out = *ctx.output(0);
    Qu8Conv q;
    Qc8Conv q8;
    qu8_ = in.dtype == ERT_U8;
    qc8_ = in.dtype == ERT_I8;
    if (qu8_ ? !qu8_conv_case(ctx, &q)
             : qc8_ ? !qc8_conv_case(ctx, kDepthwise ? 3 : 0, &q8)
                    : (!all_f32({&in, &filter, bias, &out}) || !filter.is_constant ||
                       (bias != nullptr && !bias->is_constant))) {
      return Status();
    }
    const Options* o = ctx.op()->options_as<Options>();
    const fb::ExplicitPadding* e = o->explicit_padding();
    const int64_t kh = filter.shape[1];
    const int64_t kw = filter.shape[2];
    const AxisPads rows =
        axis_pads(o->padding(), e ? e->top() : 0, e ? e->bottom() : 0, in.shape[1], out.shape[1],
                  o->stride_h(), effective_kernel(kh, o->dilation_h()));
    const AxisPads cols =
        axis_pads(o->padding(), e ? e->left() : 0, e ? e->right() : 0, in.shape[2], out.shape[2],
                  o->stride_w(), effective_kernel(kw, o->dilation_w()));
    const ConvKey key{rows.before, rows.after, cols.before, cols.after, in.shape[3], out.shape[3]};
    *taken = true;
    // The narrow path keeps no packed state: it is set up again every time (its geometry
    // follows the input size).
    if ((op(0) != nullptr || gemm_.packed()) && key == key_) return Status();
    key_ = key;
    narrow_ = false;

    const size_t in_c = size_t(in.shape[3]);
    const size_t out_c = size_t(out.shape[3]);
    // Depthwise: one group per input channel with M outputs each. Otherwise the groups are
    // the input's channels over the filter's.
    const size_t groups = kDepthwise ? in_c : in_c / size_t(filter.shape[3]);
    const size_t group_in = in_c / groups;
    const size_t group_out = out_c / groups;
    const uint32_t flags = kDepthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0;
    if (qu8_) {
      packed_inputs_ = 0b110;  // Filter and bias: packed by XNNPACK.
      name_ = kDepthwise ? "xnnpack:dwconv_nhwc_qu8" : "xnnpack:conv_nhwc_qu8";
      return make_operator(ctx, "xnn_create_convolution2d_nhwc_qu8", 0, [&](xnn_operator_t* p) {
        return xnn_create_convolution2d_nhwc_qu8(
            rows.before, cols.after, rows.after, cols.before, uint32_t(kh), uint32_t(kw),
            uint32_t(o->stride_h()), uint32_t(o->stride_w()), uint32_t(o->dilation_h()),
            uint32_t(o->dilation_w()), uint32_t(groups), group_in, group_out, in_c, out_c,
            uint8_t(q.input.zero_point), q.input.scale, uint8_t(q.filter.zero_point),
            q.filter.scale, filter.data_as<const uint8_t>(),
            bias ? bias->data_as<const int32_t>() : nullptr, uint8_t(q.output.zero_point),
            q.output.scale, q.output_min, q.output_max, flags, p);
      });
    }
    if (qc8_) {
      packed_inputs_ = 0b110;  // Filter and bias: packed by XNNPACK.
      name_ = kDepthwise ? "xnnpack:dwconv_nhwc_qc8" : "xnnpack:conv_nhwc_qc8";
      return make_operator(ctx, "xnn_create_convolution2d_nhwc_qc8", 0, [&](xnn_operator_t* p) {
        return xnn_create_convolution2d_nhwc_qc8(
            rows.before, cols.after, rows.after, cols.before, uint32_t(kh), uint32_t(kw),
            uint32_t(o->stride_h()), uint32_t(o->stride_w()), uint32_t(o->dilation_h()),
            uint32_t(o->dilation_w()), uint32_t(groups), group_in, group_out, in_c, out_c,
            int8_t(q8.input.zero_point), q8.input.scale, q8.filter_scales.data(),
            filter.data_as<const int8_t>(), bias ? bias->data_as<const int32_t>() : nullptr,
            int8_t(q8.output.zero_point), q8.output.scale, q8.output_min, q8.output_max, flags, p);
      });
    }
    const kernels::ActivationRange act = ctx.activation();
    // A pointwise convolution is a GEMM over the pixels: edgert's own kernel where it is faster.
    const bool pointwise = !kDepthwise && groups == 1 && kh == 1 && kw == 1 &&
                           o->stride_h() == 1 && o->stride_w() == 1 && rows.before == 0 &&
                           rows.after == 0 && cols.before == 0 && cols.after == 0;
    if (!kDepthwise && groups == 1 && out_c <= size_t(kNarrowConvMaxChannels) &&
        o->dilation_h() == 1 && o->dilation_w() == 1 && !pointwise) {
      clear_operators();
      gemm_ = OwnGemm();
      narrow_ = true;
      packed_inputs_ = 0;  // The direct kernel reads the file's weights.
      narrow_params_ = kernels::NarrowConvParams{
          in.shape[0],  in.shape[1],     in.shape[2],      in.shape[3],      out.shape[1],
          out.shape[2], out.shape[3],    int32_t(kh),      int32_t(kw),      o->stride_h(),
          o->stride_w(), int32_t(rows.before), int32_t(cols.before), act};
      name_ = conv_narrow_name();
      return Status();
    }
    packed_inputs_ = 0b110;  // Filter and bias: packed by XNNPACK or for the own GEMM.
    if (pointwise && own_gemm_preferred(out_c, in_c)) {
      clear_operators();
      name_ = gemm_name(ctx);
      return gemm_.pack(ctx, out_c, in_c, filter.data_as<const float>(),
                        bias ? bias->data_as<const float>() : nullptr);
    }
    gemm_ = OwnGemm();
    name_ = kDepthwise ? "xnnpack:dwconv_nhwc_f32" : "xnnpack:conv_nhwc_f32";
    return make_operator(ctx, "xnn_create_convolution2d_nhwc_f32", 0, [&](xnn_operator_t* p) {
      return xnn_create_convolution2d_nhwc_f32(
          rows.before, cols.after, rows.after, cols.before, uint32_t(kh), uint32_t(kw),
          uint32_t(o->stride_h()), uint32_t(o->stride_w()), uint32_t(o->dilation_h()),
          uint32_t(o->dilation_w()), uint32_t(groups), group_in, group_out, in_c, out_c,
          filter.data_as<const float>(), bias ? bias->data_as<const float>() : nullptr, act.min,
          act.max, flags, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    if (gemm_.packed() || narrow_) return Status();
    const Tensor& in = *ctx.input(0);
    if (qu8_) {
      return check_setup(
          ctx, "xnn_setup_convolution2d_nhwc_qu8",
          xnn_setup_convolution2d_nhwc_qu8(op(0), size_t(in.shape[0]), size_t(in.shape[1]),
                                           size_t(in.shape[2]), in.data_as<const uint8_t>(),
                                           ctx.output(0)->data_as<uint8_t>(), ctx.threadpool()));
    }
    if (qc8_) {
      return check_setup(
          ctx, "xnn_setup_convolution2d_nhwc_qc8",
          xnn_setup_convolution2d_nhwc_qc8(op(0), size_t(in.shape[0]), size_t(in.shape[1]),
                                           size_t(in.shape[2]), in.data_as<const int8_t>(),
                                           ctx.output(0)->data_as<int8_t>(), ctx.threadpool()));
    }
    return check_setup(ctx, "xnn_setup_convolution2d_nhwc_f32",
                       xnn_setup_convolution2d_nhwc_f32(
                           op(0), size_t(in.shape[0]), size_t(in.shape[1]), size_t(in.shape[2]),
                           in.data_as<const float>(), ctx.output(0)->data_as<float>(),
                           ctx.threadpool()));
  }

  Status run_fast(const OpContext& ctx) override {
    if (narrow_) {
      const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
      run_conv_narrow(narrow_params_, ctx.input(0)->data_as<const float>(),
                      ctx.input(1)->data_as<const float>(),
                      bias ? bias->data_as<const float>() : nullptr,
                      ctx.output(0)->data_as<float>(), ctx.threadpool());
      return Status();
    }
    if (!gemm_.packed()) return XnnOp::run_fast(ctx);
    const Tensor& in = *ctx.input(0);
    const size_t pixels = size_t(in.shape[0]) * size_t(in.shape[1]) * size_t(in.shape[2]);
    gemm_.run(pixels, in.data_as<const float>(), ctx.output(0)->data_as<float>(), ctx.activation(),
              ctx.threadpool());
    return Status();
  }

 private:
  ConvKey key_{};
  bool qu8_ = false;  // uint8: XNNPACK's qu8 operator, never an own kernel.
  bool qc8_ = false;  // int8: XNNPACK's qc8 operator (per-channel filter), never an own kernel.
  OwnGemm gemm_;
  bool narrow_ = false;  // Few output channels: the direct kernel, reading the file's weights.
  kernels::NarrowConvParams narrow_params_;
};

// FULLY_CONNECTED: the input is read as rows of the weights' depth.
class XnnFullyConnected : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& weights = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    if (!all_f32({&in, &weights, bias, ctx.output(0)}) || !weights.is_constant ||
        (bias != nullptr && !bias->is_constant) || weights.shape[0] < 1) {
      return Status();
    }
    *taken = true;
    // Channels are fixed by the weights: one creation serves every resize.
    if (op(0) != nullptr || gemm_.packed()) return Status();
    const size_t units = size_t(weights.shape[0]);
    const size_t depth = size_t(weights.shape[1]);
    const kernels::ActivationRange act = ctx.activation();
    packed_inputs_ = 0b110;  // Weights and bias: packed by XNNPACK or for the own GEMM.
    if (own_gemm_preferred(units, depth)) {
      name_ = gemm_name(ctx);
      return gemm_.pack(ctx, units, depth, weights.data_as<const float>(),
                        bias ? bias->data_as<const float>() : nullptr);
    }
    name_ = "xnnpack:fully_connected_nc_f32";
    return make_operator(ctx, "xnn_create_fully_connected_nc_f32", 0, [&](xnn_operator_t* p) {
      return xnn_create_fully_connected_nc_f32(depth, units, depth, units,
                                               weights.data_as<const float>(),
                                               bias ? bias->data_as<const float>() : nullptr,
                                               act.min, act.max, /*flags=*/0, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    if (gemm_.packed()) return Status();
    const Tensor& in = *ctx.input(0);
    return check_setup(ctx, "xnn_setup_fully_connected_nc_f32",
                       xnn_setup_fully_connected_nc_f32(op(0), rows(ctx), in.data_as<const float>(),
                                                        ctx.output(0)->data_as<float>(),
                                                        ctx.threadpool()));
  }

  Status run_fast(const OpContext& ctx) override {
    if (!gemm_.packed()) return XnnOp::run_fast(ctx);
    gemm_.run(rows(ctx), ctx.input(0)->data_as<const float>(), ctx.output(0)->data_as<float>(),
              ctx.activation(), ctx.threadpool());
    return Status();
  }

 private:
  static size_t rows(const OpContext& ctx) {
    return size_t(ctx.input(0)->shape.num_elements()) / size_t(ctx.input(1)->shape[1]);
  }
  OwnGemm gemm_;
};

// TRANSPOSE_CONV: XNNPACK's deconvolution crops the full result by its paddings; SAME with a
// kernel smaller than the stride makes the output larger than the full result, which is
// XNNPACK's adjustment (extra rows at the end).
class XnnTransposeConv : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  struct Axis {
    uint32_t before = 0, after = 0, adjustment = 0;
  };
  static Axis axis(fb::Padding mode, int64_t explicit_before, int64_t explicit_after, int64_t in,
                   int64_t out, int64_t k, int64_t stride) {
    const int64_t full = (in - 1) * stride + k;
    Axis a;
    if (mode == fb::Padding::EXPLICIT) {
      a.before = uint32_t(explicit_before);
      a.after = uint32_t(explicit_after);
    } else if (mode == fb::Padding::SAME) {
      const int64_t total = std::max<int64_t>(full - out, 0);
      a.before = uint32_t(total / 2);
      a.after = uint32_t(total - total / 2);
    }
    a.adjustment = uint32_t(out - (full - a.before - a.after));
    return a;
  }

  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& filter = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    const Tensor& out = *ctx.output(0);
    if (!all_f32({&in, &filter, bias, &out}) || !filter.is_constant ||
        (bias != nullptr && !bias->is_constant) || out.shape.num_elements() == 0) {
      return Status();
    }
    const fb::TransposeConvOptions* o = ctx.op()->options_as_TransposeConvOptions();
    const fb::ExplicitPadding* e = o->explicit_padding();
    rows_ = axis(o->padding(), e ? e->top() : 0, e ? e->bottom() : 0, in.shape[1], out.shape[1],
                 filter.shape[1], o->stride_h());
    cols_ = axis(o->padding(), e ? e->left() : 0, e ? e->right() : 0, in.shape[2], out.shape[2],
                 filter.shape[2], o->stride_w());
    if (rows_.adjustment >= uint32_t(o->stride_h()) || cols_.adjustment >= uint32_t(o->stride_w())) {
      return Status();
    }
    const ConvKey key{rows_.before, rows_.after, cols_.before, cols_.after, in.shape[3],
                      out.shape[3]};
    *taken = true;
    if (op(0) != nullptr && key == key_) return Status();
    key_ = key;
    const size_t in_c = size_t(in.shape[3]);
    const size_t out_c = size_t(out.shape[3]);
    const kernels::ActivationRange act = ctx.activation();
    name_ = "xnnpack:deconv_nhwc_f32";
    packed_inputs_ = 0b110;
    return make_operator(ctx, "xnn_create_deconvolution2d_nhwc_f32", 0, [&](xnn_operator_t* p) {
      return xnn_create_deconvolution2d_nhwc_f32(
          rows_.before, cols_.after, rows_.after, cols_.before, uint32_t(filter.shape[1]),
          uint32_t(filter.shape[2]), uint32_t(o->stride_h()), uint32_t(o->stride_w()), 1, 1, 1,
          in_c, out_c, in_c, out_c, filter.data_as<const float>(),
          bias ? bias->data_as<const float>() : nullptr, act.min, act.max, 0, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    return check_setup(ctx, "xnn_setup_deconvolution2d_nhwc_f32",
                       xnn_setup_deconvolution2d_nhwc_f32(
                           op(0), size_t(in.shape[0]), size_t(in.shape[1]), size_t(in.shape[2]),
                           rows_.adjustment, cols_.adjustment, in.data_as<const float>(),
                           ctx.output(0)->data_as<float>(), ctx.threadpool()));
  }

 private:
  Axis rows_, cols_;
  ConvKey key_{};
};

}  // namespace

std::unique_ptr<Op> make_transpose_conv(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnTransposeConv>(std::move(reference));
}
std::unique_ptr<Op> make_conv2d(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnConv<fb::Conv2DOptions, false>>(std::move(reference));
}
std::unique_ptr<Op> make_depthwise_conv2d(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnConv<fb::DepthwiseConv2DOptions, true>>(std::move(reference));
}
std::unique_ptr<Op> make_fully_connected(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnFullyConnected>(std::move(reference));
}

}  // namespace ert::rt::xnn
