// LOGISTIC (sigmoid) on f32: elementwise, output shape = input shape. TFLite gives it no fused
// activation, so one other than NONE is rejected.
#include "kernels/logistic.h"
#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class LogisticOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }
    out.shape = in.shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::logistic_f32(in.data_as<const float>(), ctx.output(0)->data_as<float>(),
                          in.shape.num_elements());
    return Status();
  }
};

}  // namespace

std::unique_ptr<Op> make_logistic_op() { return std::make_unique<LogisticOp>(); }

}  // namespace ert::rt
