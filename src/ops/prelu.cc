// PRELU on f32: inputs x and the slopes alpha, which broadcast against each other (TFLite
// computes the output shape as their broadcast). Alpha is usually a constant but need not be.
#include "kernels/binary_elementwise.h"
#include "kernels/prelu.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class PreluOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 2, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& in = *ctx.input(0);
    const Tensor& alpha = *ctx.input(1);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(alpha, "alpha (input 1)", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }

    kernels::Shape shape;
    int bad_axis = 0;
    if (!kernels::broadcast_shape(in.shape, alpha.shape, &shape, &bad_axis)) {
      char si[96];
      char sa[96];
      return ctx.fail(ERT_INVALID_MODEL,
                      "input shape %s and alpha shape %s do not broadcast (they differ at output "
                      "axis %d and neither is 1)",
                      shape_string(in.shape, si, sizeof(si)),
                      shape_string(alpha.shape, sa, sizeof(sa)), bad_axis);
    }
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(ERT_F32, shape, &bytes, &why)) {
      char so[96];
      return ctx.fail(ERT_INVALID_MODEL, "broadcast output shape %s: %s",
                      shape_string(shape, so, sizeof(so)), why);
    }
    out.shape = shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& alpha = *ctx.input(1);
    kernels::prelu_f32(in.shape, in.data_as<const float>(), alpha.shape,
                       alpha.data_as<const float>(), ctx.output(0)->data_as<float>());
    return Status();
  }
};

}  // namespace

std::unique_ptr<Op> make_prelu_op() { return std::make_unique<PreluOp>(); }

}  // namespace ert::rt
