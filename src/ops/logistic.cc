// LOGISTIC (sigmoid): elementwise, output shape = input shape. TFLite gives it no fused
// activation, so one other than NONE is rejected.
//
// f32 computes the sigmoid directly. u8 and i8 (per-tensor quantization) use a 256-entry table
// that prepare fills with TFLite's formula (kernels/logistic.h), so run is one lookup per
// element. As in TFLite, the output scale must be exactly 1/256, the resolution that covers
// [0, 1); its zero point may be any value of the type (the table applies it), though TFLite's
// converter always writes 0 for u8 and -128 for i8.
#include "kernels/logistic.h"

#include "src/ops/ops.h"
#include "src/ops/quant_params.h"

namespace ert::rt {
namespace {

class LogisticOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (in.dtype != ERT_F32 && !is_quantized_dtype(in.dtype)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "input 0 (tensor %d '%s') has dtype %s, this op supports f32, u8 and i8",
                      in.index, in.name, dtype_name(in.dtype));
    }
    dtype_ = in.dtype;
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", dtype_));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }
    if (dtype_ != ERT_F32) {
      TensorQuant in_q;
      TensorQuant out_q;
      ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, in, "input 0", &in_q));
      ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, out, "output 0", &out_q));
      if (out_q.scale != 1.0f / 256.0f) {
        return ctx.fail(ERT_UNSUPPORTED,
                        "output 0 (tensor %d '%s') has scale %g; quantized LOGISTIC needs "
                        "exactly 1/256 (0.00390625)",
                        out.index, out.name, double(out_q.scale));
      }
      if (dtype_ == ERT_U8) {
        kernels::logistic_table<uint8_t>(in_q.scale, in_q.zero_point, out_q.scale, out_q.zero_point,
                                         table_u8_);
      } else {
        kernels::logistic_table<int8_t>(in_q.scale, in_q.zero_point, out_q.scale, out_q.zero_point,
                                        table_i8_);
      }
    }
    out.shape = in.shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const int64_t count = in.shape.num_elements();
    if (dtype_ == ERT_U8) {
      kernels::lookup_table(table_u8_, in.data_as<const uint8_t>(),
                            ctx.output(0)->data_as<uint8_t>(), count);
    } else if (dtype_ == ERT_I8) {
      kernels::lookup_table(table_i8_, in.data_as<const int8_t>(), ctx.output(0)->data_as<int8_t>(),
                            count);
    } else {
      kernels::logistic_f32(in.data_as<const float>(), ctx.output(0)->data_as<float>(), count);
    }
    return Status();
  }

 private:
  ert_dtype dtype_ = ERT_F32;
  uint8_t table_u8_[256] = {};  // u8 path: output for each input byte.
  int8_t table_i8_[256] = {};   // i8 path: output for each input byte (uint8_t(q)).
};

}  // namespace

std::unique_ptr<Op> make_logistic_op() { return std::make_unique<LogisticOp>(); }

}  // namespace ert::rt
