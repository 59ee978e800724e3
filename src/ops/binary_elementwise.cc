// ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM on f32 with numpy-style broadcasting. The arithmetic
// ops apply the fused activation; MAXIMUM and MINIMUM have none in TFLite and reject one.
#include "kernels/binary_elementwise.h"
#include "src/ops/ops.h"
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
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(a, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(b, "input 1", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));

    const fb::OpCode code = ctx.code();
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
    if (!tensor_bytes(ERT_F32, shape, &bytes, &why)) {
      char so[96];
      return ctx.fail(ERT_INVALID_MODEL, "broadcast output shape %s: %s",
                      shape_string(shape, so, sizeof(so)), why);
    }
    out.shape = shape;
    params_.activation = ctx.activation();
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    kernel_(params_, a.shape, a.data_as<const float>(), b.shape, b.data_as<const float>(),
            ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  BinaryKernel kernel_;
  kernels::BinaryParams params_;
};

}  // namespace

std::unique_ptr<Op> make_binary_op(fb::OpCode code) { return std::make_unique<BinaryOp>(code); }

}  // namespace ert::rt
