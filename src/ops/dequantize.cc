// DEQUANTIZE: u8 or i8 with per-tensor or per-channel quantization, or f16, to f32; the output
// has the input's shape. TFLite gives it no fused activation, so one other than NONE is
// rejected.
//
//   * u8/i8: out = (q - zero_point) * scale in float, with the scale and zero point of the
//     element's channel along the quantization axis (one channel for per-tensor).
//   * f16: the exact IEEE half to float conversion.
//
// prepare():
//   1. Counts, presence, dtypes (input u8, i8 or f16; output f32), no fused activation.
//   2. u8/i8: quantization present; scales finite and > 0 and zero points in the type's range;
//      for per-channel, an axis inside the input's rank with one scale per index along it.
//   3. Copy the scales and zero points into tables (run must not allocate) and split the shape
//      into [outer, channels, inner] around the axis.
#include <fp16.h>

#include <cstdint>
#include <vector>

#include "kernels/quantization.h"
#include "src/ops/ops.h"
#include "src/ops/quant_params.h"

namespace ert::rt {
namespace {

class DequantizeOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (!is_quantized_dtype(in.dtype) && in.dtype != ERT_F16) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "input 0 (tensor %d '%s') has dtype %s, this op supports u8, i8 and f16",
                      in.index, in.name, dtype_name(in.dtype));
    }
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }
    dtype_ = in.dtype;
    count_ = in.shape.num_elements();
    out.shape = in.shape;
    if (dtype_ == ERT_F16) return Status();

    // Step 2.
    uint32_t n = 0;
    ERT_RETURN_IF_ERROR(quant_scale_count(ctx, in, "input 0", &n));
    if (n == 0) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "input 0 (tensor %d '%s') has dtype %s but no quantization, so it has no "
                      "real value to dequantize to",
                      in.index, in.name, dtype_name(in.dtype));
    }
    int axis = -1;
    if (n > 1) {
      axis = in.quant->axis();
      if (axis < 0 || axis >= in.shape.rank || int64_t(in.shape[axis]) != int64_t(n)) {
        char buf[96];
        return ctx.fail(ERT_INVALID_MODEL,
                        "input 0 (tensor %d '%s') has %u quantization scales on axis %d, which "
                        "does not match its shape %s",
                        in.index, in.name, n, axis, shape_string(in.shape, buf, sizeof(buf)));
      }
    }
    for (uint32_t i = 0; i < n; ++i) {
      ERT_RETURN_IF_ERROR(check_zero_point(ctx, in, "input 0", in.quant->zero_point()->Get(i)));
    }

    // Step 3.
    scales_.assign(in.quant->scale()->begin(), in.quant->scale()->end());
    zero_points_.assign(size_t(n), 0);
    for (uint32_t i = 0; i < n; ++i) zero_points_[i] = int32_t(in.quant->zero_point()->Get(i));
    if (axis < 0) {
      outer_ = 1;
      channels_ = 1;
      inner_ = count_;
    } else {
      outer_ = in.shape.count(0, axis);
      channels_ = n;
      inner_ = in.shape.count(axis + 1, in.shape.rank);
    }
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    float* out = ctx.output(0)->data_as<float>();
    if (dtype_ == ERT_F16) {
      const uint16_t* half = in.data_as<const uint16_t>();
      for (int64_t i = 0; i < count_; ++i) out[i] = fp16_ieee_to_fp32_value(half[i]);
    } else if (dtype_ == ERT_U8) {
      kernels::dequantize_to_f32(in.data_as<const uint8_t>(), out, outer_, channels_, inner_,
                                 scales_.data(), zero_points_.data());
    } else {
      kernels::dequantize_to_f32(in.data_as<const int8_t>(), out, outer_, channels_, inner_,
                                 scales_.data(), zero_points_.data());
    }
    return Status();
  }

 private:
  ert_dtype dtype_ = ERT_F16;
  int64_t count_ = 0;
  // u8/i8 only: the input seen as [outer, channels, inner] and each channel's parameters.
  int64_t outer_ = 0;
  int64_t channels_ = 0;
  int64_t inner_ = 0;
  std::vector<float> scales_;
  std::vector<int32_t> zero_points_;
};

}  // namespace

std::unique_ptr<Op> make_dequantize_op() { return std::make_unique<DequantizeOp>(); }

}  // namespace ert::rt
