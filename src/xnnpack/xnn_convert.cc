// QUANTIZE (f32 to int8) and DEQUANTIZE (int8 to f32) with per-tensor quantization on
// XNNPACK's convert operators: the boundaries of an int8 model and the seams where an op without
// an int8 kernel stays in float. XNNPACK rounds ties to even where the reference (TFLite's
// AffineQuantize) rounds them away from zero: a value exactly halfway between two steps may
// land one unit apart; any other value gets the same result.
#include "src/ops/quant_params.h"
#include "src/xnnpack/xnn_ops.h"

namespace ert::rt::xnn {
namespace {

// Steps:
//   1. Take f32 -> i8 (QUANTIZE) or i8 -> f32 (DEQUANTIZE) with one scale and zero point and
//      at least one element; the rest (uint8, fp16, per-channel, requantization) stays on the
//      reference kernel.
//   2. Create the operator once: the tensor is a batch of one-element rows, so a resize only
//      changes the batch given at setup.
class XnnConvert : public XnnOp {
 public:
  XnnConvert(fb::OpCode code, std::unique_ptr<Op> reference)
      : XnnOp(std::move(reference)), quantize_(code == fb::OpCode::QUANTIZE) {}

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    const Tensor& q = quantize_ ? out : in;
    const bool types = quantize_ ? in.dtype == ERT_F32 && out.dtype == ERT_I8
                                 : in.dtype == ERT_I8 && out.dtype == ERT_F32;
    TensorQuant quant;
    if (!types || in.shape.num_elements() == 0 || !read_tensor_quant(ctx, q, "quantized tensor", &quant).ok()) {
      return Status();
    }
    *taken = true;
    if (op(0) != nullptr) return Status();
    if (quantize_) {
      name_ = "xnnpack:convert_nc_f32_qs8";
      return make_operator(ctx, "xnn_create_convert_nc_f32_qs8", 0, [&](xnn_operator_t* p) {
        return xnn_create_convert_nc_f32_qs8(1, 1, 1, quant.scale, int8_t(quant.zero_point), INT8_MIN,
                                             INT8_MAX, 0, p);
      });
    }
    name_ = "xnnpack:convert_nc_qs8_f32";
    return make_operator(ctx, "xnn_create_convert_nc_qs8_f32", 0, [&](xnn_operator_t* p) {
      return xnn_create_convert_nc_qs8_f32(1, 1, 1, quant.scale, int8_t(quant.zero_point), 0, p);
    });
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const size_t n = size_t(in.shape.num_elements());
    if (quantize_) {
      return check_setup(ctx, "xnn_setup_convert_nc_f32_qs8",
                         xnn_setup_convert_nc_f32_qs8(op(0), n, in.data_as<const float>(),
                                                      ctx.output(0)->data_as<int8_t>(), ctx.threadpool()));
    }
    return check_setup(ctx, "xnn_setup_convert_nc_qs8_f32",
                       xnn_setup_convert_nc_qs8_f32(op(0), n, in.data_as<const int8_t>(),
                                                    ctx.output(0)->data_as<float>(), ctx.threadpool()));
  }

 private:
  bool quantize_;
};

}  // namespace

std::unique_ptr<Op> make_convert(fb::OpCode code, std::unique_ptr<Op> reference) {
  return std::make_unique<XnnConvert>(code, std::move(reference));
}

}  // namespace ert::rt::xnn
