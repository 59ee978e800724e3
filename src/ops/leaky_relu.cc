// LEAKY_RELU on f32: x for x >= 0, alpha * x otherwise. LeakyReluOptions may be absent, which
// means the schema's default alpha (0.2). TFLite gives LEAKY_RELU no fused activation, so one
// other than NONE is rejected.
#include <cmath>

#include "kernels/leaky_relu.h"
#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class LeakyReluOp : public Op {
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

    // The default comes from the generated options table so that it cannot drift from the
    // schema.
    params_.alpha = fb::LeakyReluOptionsT().alpha;
    const fb::OpOptions type = ctx.op()->options_type();
    if (type != fb::OpOptions::NONE) {
      const fb::LeakyReluOptions* options = ctx.op()->options_as<fb::LeakyReluOptions>();
      if (options == nullptr) {
        return ctx.fail(ERT_INVALID_MODEL, "has %s, expected LeakyReluOptions",
                        fb::EnumNameOpOptions(type));
      }
      params_.alpha = options->alpha();
    }
    // A NaN or infinite slope makes every negative input NaN or infinite; no converter writes
    // one, so a file that has one is damaged.
    if (!std::isfinite(params_.alpha)) {
      return ctx.fail(ERT_INVALID_MODEL, "alpha is %g, must be finite", double(params_.alpha));
    }
    out.shape = in.shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::leaky_relu_f32(params_, in.data_as<const float>(), ctx.output(0)->data_as<float>(),
                            in.shape.num_elements());
    return Status();
  }

 private:
  kernels::LeakyReluParams params_;
};

}  // namespace

std::unique_ptr<Op> make_leaky_relu_op() { return std::make_unique<LeakyReluOp>(); }

}  // namespace ert::rt
