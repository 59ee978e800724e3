// Spatial and layout ops on XNNPACK in f32: MAX_POOL_2D, MEAN over height and
// width (global average pooling), RESIZE_BILINEAR, PAD, CONCATENATION along the channels (one
// strided copy per input straight into its slice of the output) and DEPTH_TO_SPACE; MAX_POOL_2D
// and PAD in u8/i8 too (the reference op checked that input and output share a quantization).
#include <array>
#include <cmath>

#include "kernels/quantization.h"
#include "src/xnnpack/xnn_ops.h"

namespace ert::rt::xnn {
namespace {

// Every op here re-creates its operators when the shape they were made for changes.
using ShapeKey = std::array<int64_t, 8>;

// Max pooling: XNNPACK skips padded cells, as TFLite does. (AVERAGE_POOL_2D stays on edgert's
// kernel; see xnn_backend.cc.)
class XnnMaxPool : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    const bool quantized = in.dtype == ERT_I8 || in.dtype == ERT_U8;
    if ((!all_f32({&in, &out}) && !quantized) || out.shape.num_elements() == 0) return Status();
    const fb::Pool2DOptions* o = ctx.op()->options_as_Pool2DOptions();
    const fb::ExplicitPadding* e = o->explicit_padding();
    const AxisPads rows = axis_pads(o->padding(), e ? e->top() : 0, e ? e->bottom() : 0,
                                    in.shape[1], out.shape[1], o->stride_h(), o->filter_h());
    const AxisPads cols = axis_pads(o->padding(), e ? e->left() : 0, e ? e->right() : 0,
                                    in.shape[2], out.shape[2], o->stride_w(), o->filter_w());
    const ShapeKey key{rows.before, rows.after, cols.before, cols.after, in.shape[3]};
    *taken = true;
    if (op(0) != nullptr && key == key_) return Status();
    key_ = key;
    const size_t c = size_t(in.shape[3]);
    const kernels::ActivationRange r = ctx.activation();
    const uint32_t fh = uint32_t(o->filter_h());
    const uint32_t fw = uint32_t(o->filter_w());
    const uint32_t sh = uint32_t(o->stride_h());
    const uint32_t sw = uint32_t(o->stride_w());
    if (quantized) {
      int32_t lo = 0;
      int32_t hi = 0;
      if (in.dtype == ERT_I8) {
        kernels::quantized_activation_range<int8_t>(r, in.scale(), int32_t(in.zero_point()), &lo,
                                                    &hi);
        name_ = "xnnpack:max_pooling2d_nhwc_s8";
        return make_operator(ctx, "xnn_create_max_pooling2d_nhwc_s8", 0, [&](xnn_operator_t* p) {
          return xnn_create_max_pooling2d_nhwc_s8(rows.before, cols.after, rows.after,
                                                  cols.before, fh, fw, sh, sw, 1, 1, c, c, c,
                                                  int8_t(lo), int8_t(hi), 0, p);
        });
      }
      kernels::quantized_activation_range<uint8_t>(r, in.scale(), int32_t(in.zero_point()), &lo,
                                                   &hi);
      name_ = "xnnpack:max_pooling2d_nhwc_u8";
      return make_operator(ctx, "xnn_create_max_pooling2d_nhwc_u8", 0, [&](xnn_operator_t* p) {
        return xnn_create_max_pooling2d_nhwc_u8(rows.before, cols.after, rows.after, cols.before,
                                                fh, fw, sh, sw, 1, 1, c, c, c, uint8_t(lo),
                                                uint8_t(hi), 0, p);
      });
    }
    name_ = "xnnpack:max_pooling2d_nhwc_f32";
    return make_operator(ctx, "xnn_create_max_pooling2d_nhwc_f32", 0, [&](xnn_operator_t* p) {
      return xnn_create_max_pooling2d_nhwc_f32(rows.before, cols.after, rows.after, cols.before,
                                               fh, fw, sh, sw, 1, 1, c, c, c, r.min, r.max, 0,
                                               p);
    });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const size_t n = size_t(in.shape[0]), h = size_t(in.shape[1]), w = size_t(in.shape[2]);
    if (in.dtype == ERT_I8) {
      return check_setup(ctx, "xnn_setup_max_pooling2d_nhwc_s8",
                         xnn_setup_max_pooling2d_nhwc_s8(op(0), n, h, w, in.data_as<const int8_t>(),
                                                         ctx.output(0)->data_as<int8_t>(),
                                                         ctx.threadpool()));
    }
    if (in.dtype == ERT_U8) {
      return check_setup(ctx, "xnn_setup_max_pooling2d_nhwc_u8",
                         xnn_setup_max_pooling2d_nhwc_u8(op(0), n, h, w,
                                                         in.data_as<const uint8_t>(),
                                                         ctx.output(0)->data_as<uint8_t>(),
                                                         ctx.threadpool()));
    }
    return check_setup(ctx, "xnn_setup_max_pooling2d_nhwc_f32",
                       xnn_setup_max_pooling2d_nhwc_f32(op(0), n, h, w,
                                                        in.data_as<const float>(),
                                                        ctx.output(0)->data_as<float>(),
                                                        ctx.threadpool()));
  }

 private:
  ShapeKey key_{};
};

// MEAN of a 4-D input over axes 1 and 2 (either sign), the global pooling of NHWC models.
class XnnMean : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    if (!all_f32({&in, ctx.output(0)}) || in.shape.rank != 4 || in.shape.num_elements() == 0) {
      return Status();
    }
    const fb::ReduceOptions* o = ctx.op()->options_as_ReduceOptions();
    if (o->axes() == nullptr) return Status();
    bool reduced[4] = {};
    for (int32_t axis : *o->axes()) reduced[axis < 0 ? axis + 4 : axis] = true;
    if (reduced[0] || !reduced[1] || !reduced[2] || reduced[3]) return Status();
    *taken = true;
    const size_t c = size_t(in.shape[3]);
    if (op(0) != nullptr && c == channels_) return Status();
    channels_ = c;
    name_ = "xnnpack:global_average_pooling_nwc_f32";
    return make_operator(ctx, "xnn_create_global_average_pooling_nwc_f32", 0,
                         [&](xnn_operator_t* p) {
                           return xnn_create_global_average_pooling_nwc_f32(
                               c, c, c, -INFINITY, INFINITY, 0, p);
                         });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    return check_setup(ctx, "xnn_setup_global_average_pooling_nwc_f32",
                       xnn_setup_global_average_pooling_nwc_f32(
                           op(0), size_t(in.shape[0]), size_t(in.shape[1]) * size_t(in.shape[2]),
                           in.data_as<const float>(), ctx.output(0)->data_as<float>(),
                           ctx.threadpool()));
  }

 private:
  size_t channels_ = 0;
};

// RESIZE_BILINEAR: half-pixel centres are XNNPACK's default; TensorFlow 1's corner mapping is
// its legacy mode; align_corners its own flag. Both flags at once stays on the reference.
class XnnResizeBilinear : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    if (!all_f32({&in, &out}) || out.shape.num_elements() == 0 || in.shape.num_elements() == 0) {
      return Status();
    }
    const fb::ResizeOptions* o = ctx.op()->options_as_ResizeOptions();
    if (o->align_corners() && o->half_pixel_centers()) return Status();
    const uint32_t flags = o->align_corners()         ? XNN_FLAG_ALIGN_CORNERS
                           : !o->half_pixel_centers() ? XNN_FLAG_TENSORFLOW_LEGACY_MODE
                                                      : 0;
    *taken = true;
    const size_t c = size_t(in.shape[3]);
    if (op(0) != nullptr && c == channels_) return Status();
    channels_ = c;
    name_ = "xnnpack:resize_bilinear2d_nhwc_f32";
    return make_operator(ctx, "xnn_create_resize_bilinear2d_nhwc_f32", 0,
                         [&](xnn_operator_t* p) {
                           return xnn_create_resize_bilinear2d_nhwc_f32(c, c, c, flags, p);
                         });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    return check_setup(
        ctx, "xnn_setup_resize_bilinear2d_nhwc_f32",
        xnn_setup_resize_bilinear2d_nhwc_f32(
            op(0), size_t(in.shape[0]), size_t(in.shape[1]), size_t(in.shape[2]),
            size_t(out.shape[1]), size_t(out.shape[2]), in.data_as<const float>(),
            out.data_as<float>(), ctx.threadpool()));
  }

 private:
  size_t channels_ = 0;
};

// PAD with a constant value; the paddings come from the options (checked by the reference).
class XnnPad : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const bool quantized = in.dtype == ERT_I8 || in.dtype == ERT_U8;
    if ((!all_f32({&in, ctx.output(0)}) && !quantized) || in.shape.num_elements() == 0 ||
        in.shape.rank < 1) {
      return Status();
    }
    const fb::PadOptions* o = ctx.op()->options_as_PadOptions();
    const auto* pads = o->paddings();
    for (int a = 0; a < in.shape.rank; ++a) {
      before_[a] = size_t(pads->Get(flatbuffers::uoffset_t(2 * a)));
      after_[a] = size_t(pads->Get(flatbuffers::uoffset_t(2 * a + 1)));
    }
    *taken = true;
    if (op(0) != nullptr) return Status();
    value_ = o->constant_value();
    if (quantized) {
      // One byte: the constant in the tensor's quantization, as the reference op computes it.
      byte_ = in.dtype == ERT_I8
                  ? uint8_t(kernels::quantize_value<int8_t>(value_, in.scale(),
                                                            int32_t(in.zero_point())))
                  : kernels::quantize_value<uint8_t>(value_, in.scale(), int32_t(in.zero_point()));
      name_ = "xnnpack:constant_pad_nd_x8";
      return make_operator(ctx, "xnn_create_constant_pad_nd_x8", 0, [&](xnn_operator_t* p) {
        return xnn_create_constant_pad_nd_x8(&byte_, 0, p);
      });
    }
    name_ = "xnnpack:constant_pad_nd_x32";
    return make_operator(ctx, "xnn_create_constant_pad_nd_x32", 0, [&](xnn_operator_t* p) {
      return xnn_create_constant_pad_nd_x32(&value_, 0, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    size_t dims[XNN_MAX_TENSOR_DIMS];
    const size_t rank = xnn_dims(in.shape, dims);
    if (in.dtype == ERT_I8 || in.dtype == ERT_U8) {
      return check_setup(ctx, "xnn_setup_constant_pad_nd_x8",
                         xnn_setup_constant_pad_nd_x8(op(0), rank, dims, before_, after_, in.data,
                                                      ctx.output(0)->data, ctx.threadpool()));
    }
    return check_setup(ctx, "xnn_setup_constant_pad_nd_x32",
                       xnn_setup_constant_pad_nd_x32(op(0), rank, dims, before_, after_, in.data,
                                                     ctx.output(0)->data, ctx.threadpool()));
  }

 private:
  float value_ = 0.0f;
  uint8_t byte_ = 0;  // u8/i8: the quantized constant's byte.
  size_t before_[XNN_MAX_TENSOR_DIMS] = {};
  size_t after_[XNN_MAX_TENSOR_DIMS] = {};
};

// CONCATENATION along the last axis: each input is copied as rows of its channels into the
// output with the output's row stride, so no intermediate buffer is needed. Other axes, or a
// fused activation, stay on the reference kernel.
class XnnConcatenation : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& out = *ctx.output(0);
    const int rank = out.shape.rank;
    if (rank < 1 || out.shape.num_elements() == 0 ||
        ctx.op()->activation() != fb::Activation::NONE || out.dtype != ERT_F32) {
      return Status();
    }
    const fb::ConcatenationOptions* o = ctx.op()->options_as_ConcatenationOptions();
    const int axis = o->axis() < 0 ? o->axis() + rank : o->axis();
    if (axis != rank - 1) return Status();
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      if (ctx.input(i)->dtype != ERT_F32) return Status();
    }
    *taken = true;
    std::vector<size_t> channels(size_t(ctx.num_inputs()));
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      channels[size_t(i)] = size_t(ctx.input(i)->shape[rank - 1]);
    }
    if (op(0) != nullptr && channels == channels_) return Status();
    channels_ = channels;
    constants_.assign(channels.size(), PaddedConstant());
    packed_inputs_ = 0;
    const size_t total = size_t(out.shape[rank - 1]);
    name_ = "xnnpack:copy_nc_x32";
    for (size_t i = 0; i < channels.size(); ++i) {
      const Tensor& in = *ctx.input(int(i));
      if (in.is_constant) {
        ERT_RETURN_IF_ERROR(constants_[i].copy_from(in));
        if (i < 32) packed_inputs_ |= 1u << i;
      }
      if (channels[i] == 0) continue;  // An empty input adds nothing; its slot stays null.
      ERT_RETURN_IF_ERROR(make_operator(ctx, "xnn_create_copy_nc_x32", i, [&](xnn_operator_t* p) {
        return xnn_create_copy_nc_x32(channels[i], channels[i], total, 0, p);
      }));
    }
    return Status();
  }

  Status setup(const OpContext& ctx) override {
    Tensor& out = *ctx.output(0);
    const int rank = out.shape.rank;
    const size_t rows = size_t(out.shape.count(0, rank - 1));
    float* y = out.data_as<float>();
    size_t offset = 0;
    for (size_t i = 0; i < channels_.size(); ++i) {
      const Tensor& in = *ctx.input(int(i));
      if (channels_[i] != 0) {
        const void* x = in.is_constant ? constants_[i].data() : in.data;
        ERT_RETURN_IF_ERROR(check_setup(
            ctx, "xnn_setup_copy_nc_x32",
            xnn_setup_copy_nc_x32(op(i), rows, x, y + offset, ctx.threadpool())));
      }
      offset += channels_[i];
    }
    return Status();
  }

 private:
  std::vector<size_t> channels_;
  std::vector<PaddedConstant> constants_;
};

// DEPTH_TO_SPACE in NHWC: XNNPACK's channel order within a block is TensorFlow's.
class XnnDepthToSpace : public XnnOp {
 public:
  using XnnOp::XnnOp;

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    if (!all_f32({&in, &out}) || out.shape.num_elements() == 0) return Status();
    *taken = true;
    const size_t out_c = size_t(out.shape[3]);
    if (op(0) != nullptr && out_c == out_channels_) return Status();
    out_channels_ = out_c;
    const size_t in_c = size_t(in.shape[3]);
    const uint32_t block = uint32_t(ctx.op()->options_as_SpaceDepthOptions()->block_size());
    name_ = "xnnpack:depth_to_space_nhwc_x32";
    return make_operator(ctx, "xnn_create_depth_to_space_nhwc_x32", 0, [&](xnn_operator_t* p) {
      return xnn_create_depth_to_space_nhwc_x32(out_c, in_c, out_c, block, 0, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    return check_setup(ctx, "xnn_setup_depth_to_space_nhwc_x32",
                       xnn_setup_depth_to_space_nhwc_x32(
                           op(0), size_t(in.shape[0]), size_t(in.shape[1]), size_t(in.shape[2]),
                           in.data, ctx.output(0)->data, ctx.threadpool()));
  }

 private:
  size_t out_channels_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_max_pool2d(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnMaxPool>(std::move(reference));
}
std::unique_ptr<Op> make_mean(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnMean>(std::move(reference));
}
std::unique_ptr<Op> make_resize_bilinear(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnResizeBilinear>(std::move(reference));
}
std::unique_ptr<Op> make_pad(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnPad>(std::move(reference));
}
std::unique_ptr<Op> make_concatenation(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnConcatenation>(std::move(reference));
}
std::unique_ptr<Op> make_depth_to_space(std::unique_ptr<Op> reference) {
  return std::make_unique<XnnDepthToSpace>(std::move(reference));
}

}  // namespace ert::rt::xnn
