// ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM on f32 with numpy-style broadcasting. The arithmetic
// ops apply the fused activation; MAXIMUM and MINIMUM have none in TFLite and reject one.
// ADD also runs on u8 and i8 (per-tensor quantization, TFLite's integer arithmetic); the other
// ops reject quantized tensors with ERT_UNSUPPORTED for now.
#include "kernels/binary_elementwise.h"
#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

using BinaryKernel = void (*)(const kernels::BinaryParams&, const kernels::Shape&, const float*,
                              const kernels::Shape&, const float*, float*);

// The kernel instance for an op code, or null for a code this file does not implement.
BinaryKernel kernel_for(fb::OpCode code) {
  using C = fb::OpCode;
  switch (code) {
    case C::ADD: return &kernels::binary_elementwise_f32<kernels::AddFn>;
    case C::SUB: return &kernels::binary_elementwise_f32<kernels::SubFn>;
    case C::MUL: return &kernels::binary_elementwise_f32<kernels::MulFn>;
    case C::DIV: return &kernels::binary_elementwise_f32<kernels::DivFn>;
    case C::MAXIMUM: return &kernels::binary_elementwise_f32<kernels::MaximumFn>;
    case C::MINIMUM: return &kernels::binary_elementwise_f32<kernels::MinimumFn>;
    default: return nullptr;
  }
}

class BinaryOp : public Op {
 public:
  explicit BinaryOp(fb::OpCode code) : kernel_(kernel_for(code)) {}

  Status prepare(const OpContext& ctx) override {
    if (kernel_ == nullptr) {
      return ctx.fail(ERT_UNSUPPORTED, "is not a binary elementwise op");
    }
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 2, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& out = *ctx.output(0);
    const fb::OpCode code = ctx.code();
    // The first input's dtype picks the path; only ADD has a quantized one.
    dtype_ = code == fb::OpCode::ADD && is_quantized_dtype(a.dtype) ? a.dtype : ERT_F32;
    if (dtype_ == ERT_F32 && is_quantized_dtype(a.dtype)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "input 0 (tensor %d '%s') has dtype %s; quantized %s is not supported "
                      "yet (only ADD is)",
                      a.index, a.name, dtype_name(a.dtype), ctx.op_name());
    }
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(a, "input 0", dtype_));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(b, "input 1", dtype_));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", dtype_));

    const fb::Activation act = ctx.op()->activation();
    if ((code == fb::OpCode::MAXIMUM || code == fb::OpCode::MINIMUM) &&
        act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }

    kernels::Shape shape;
    int bad_axis = 0;
    if (!kernels::broadcast_shape(a.shape, b.shape, &shape, &bad_axis)) {
      char sa[96];
      char sb[96];
      return ctx.fail(ERT_INVALID_MODEL,
                      "input shapes %s and %s do not broadcast (they differ at output axis %d "
                      "and neither is 1)",
                      shape_string(a.shape, sa, sizeof(sa)), shape_string(b.shape, sb, sizeof(sb)),
                      bad_axis);
    }
    // Each output size is one of the input sizes, but their product can still exceed what one
    // tensor may hold ([65536,1] by [1,65536]).
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(dtype_, shape, &bytes, &why)) {
      char so[96];
      return ctx.fail(ERT_INVALID_MODEL, "broadcast output shape %s: %s",
                      shape_string(shape, so, sizeof(so)), why);
    }
    out.shape = shape;
    params_.activation = ctx.activation();
    if (dtype_ != ERT_F32) ERT_RETURN_IF_ERROR(prepare_quantized_add(ctx, a, b, out));
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    if (dtype_ == ERT_U8) {
      kernels::add_quantized(quant_add_, a.shape, a.data_as<const uint8_t>(), b.shape,
                             b.data_as<const uint8_t>(), ctx.output(0)->data_as<uint8_t>());
    } else if (dtype_ == ERT_I8) {
      kernels::add_quantized(quant_add_, a.shape, a.data_as<const int8_t>(), b.shape,
                             b.data_as<const int8_t>(), ctx.output(0)->data_as<int8_t>());
    } else {
      kernel_(params_, a.shape, a.data_as<const float>(), b.shape, b.data_as<const float>(),
              ctx.output(0)->data_as<float>());
    }
    return Status();
  }

 private:
  // The quantized ADD's multipliers (TFLite's: see kernels/binary_elementwise.h) and the fused
  // activation's clamp in the output's quantized domain.
  Status prepare_quantized_add(const OpContext& ctx, const Tensor& a, const Tensor& b,
                               const Tensor& out) {
    TensorQuant qa;
    TensorQuant qb;
    TensorQuant qo;
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, a, "input 0", &qa));
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, b, "input 1", &qb));
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, out, "output 0", &qo));
    quant_add_ = kernels::QuantizedAddParams();
    quant_add_.a_zero_point = qa.zero_point;
    quant_add_.b_zero_point = qb.zero_point;
    quant_add_.output_zero_point = qo.zero_point;
    if (!kernels::quantized_add_multipliers(qa.scale, qb.scale, qo.scale, &quant_add_)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "the output scale %g is too small for the input scales %g and %g: the "
                      "rescaling factor does not fit the fixed-point range",
                      double(qo.scale), double(qa.scale), double(qb.scale));
    }
    if (dtype_ == ERT_U8) {
      kernels::quantized_activation_range<uint8_t>(params_.activation, qo.scale, qo.zero_point,
                                                   &quant_add_.output_min, &quant_add_.output_max);
    } else {
      kernels::quantized_activation_range<int8_t>(params_.activation, qo.scale, qo.zero_point,
                                                  &quant_add_.output_min, &quant_add_.output_max);
    }
    return Status();
  }

  BinaryKernel kernel_;
  ert_dtype dtype_ = ERT_F32;
  kernels::BinaryParams params_;
  kernels::QuantizedAddParams quant_add_;  // Quantized ADD only.
};

}  // namespace

std::unique_ptr<Op> make_binary_op(fb::OpCode code) { return std::make_unique<BinaryOp>(code); }

}  // namespace ert::rt
