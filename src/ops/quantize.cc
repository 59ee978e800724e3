// QUANTIZE: f32 to u8 or i8, or u8/i8 to u8/i8 with another scale or zero point (TFLite's
// requantize); the output has the input's shape and per-tensor quantization. TFLite gives it no
// fused activation, so one other than NONE is rejected.
//
//   * From f32: q = clamp(round(x / scale) + zero_point), the division in float and ties away
//     from zero, as TFLite's AffineQuantize (NaN, undefined there, gives the zero point).
//   * From u8/i8: q = clamp(out_zp + M * (in - in_zp)) with M = in_scale / out_scale applied as
//     a fixed-point multiplier (kernels/quantization.h).
//
// prepare():
//   1. Counts, presence, dtypes (input f32, u8 or i8; output u8 or i8), no fused activation.
//   2. Output quantization present and per-tensor; for a u8/i8 input its per-tensor
//      quantization too, and the factor M must fit the fixed-point range.
#include <cstdint>

#include "kernels/quantization.h"
#include "src/ops/ops.h"
#include "src/ops/quant_params.h"

namespace ert::rt {
namespace {

class QuantizeOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (in.dtype != ERT_F32 && !is_quantized_dtype(in.dtype)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "input 0 (tensor %d '%s') has dtype %s, this op supports f32, u8 and i8",
                      in.index, in.name, dtype_name(in.dtype));
    }
    if (!is_quantized_dtype(out.dtype)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "output 0 (tensor %d '%s') has dtype %s, this op supports u8 and i8",
                      out.index, out.name, dtype_name(out.dtype));
    }
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }

    // Step 2.
    in_dtype_ = in.dtype;
    out_dtype_ = out.dtype;
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, out, "output 0", &out_q_));
    if (in.dtype != ERT_F32) {
      ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, in, "input 0", &in_q_));
      const double real = double(in_q_.scale) / double(out_q_.scale);
      if (!kernels::quantize_multiplier(real, &multiplier_)) {
        return ctx.fail(ERT_UNSUPPORTED,
                        "the rescaling factor %g (input scale %g / output scale %g) is too large",
                        real, double(in_q_.scale), double(out_q_.scale));
      }
    }
    count_ = in.shape.num_elements();
    out.shape = in.shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (in_dtype_ == ERT_F32) {
      if (out_dtype_ == ERT_U8) {
        kernels::quantize_f32(in.data_as<const float>(), out.data_as<uint8_t>(), count_,
                              out_q_.scale, out_q_.zero_point);
      } else {
        kernels::quantize_f32(in.data_as<const float>(), out.data_as<int8_t>(), count_,
                              out_q_.scale, out_q_.zero_point);
      }
    } else if (in_dtype_ == ERT_U8) {
      if (out_dtype_ == ERT_U8) {
        requantize(in.data_as<const uint8_t>(), out.data_as<uint8_t>());
      } else {
        requantize(in.data_as<const uint8_t>(), out.data_as<int8_t>());
      }
    } else {
      if (out_dtype_ == ERT_U8) {
        requantize(in.data_as<const int8_t>(), out.data_as<uint8_t>());
      } else {
        requantize(in.data_as<const int8_t>(), out.data_as<int8_t>());
      }
    }
    return Status();
  }

 private:
  template <typename TIn, typename TOut>
  void requantize(const TIn* in, TOut* out) const {
    kernels::requantize(in, out, count_, in_q_.zero_point, multiplier_, out_q_.zero_point);
  }

  ert_dtype in_dtype_ = ERT_F32;
  ert_dtype out_dtype_ = ERT_U8;
  int64_t count_ = 0;
  TensorQuant in_q_;  // u8/i8 input only.
  TensorQuant out_q_;
  kernels::QuantizedMultiplier multiplier_;  // u8/i8 input only.
};

}  // namespace

std::unique_ptr<Op> make_quantize_op() { return std::make_unique<QuantizeOp>(); }

}  // namespace ert::rt
