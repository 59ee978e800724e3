// SOFTMAX on f32 over the last axis. SoftmaxOptions may be absent, which means beta = 1 (the
// schema's default). TFLite gives SOFTMAX no fused activation, so one other than NONE is
// rejected.
#include <cmath>

#include "kernels/softmax.h"
#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class SoftmaxOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    // A scalar has no last axis to normalize over; TFLite requires rank >= 1 too.
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 1, kernels::kMaxRank));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }

    params_ = kernels::SoftmaxParams();
    const fb::OpOptions type = ctx.op()->options_type();
    if (type != fb::OpOptions::NONE) {
      const fb::SoftmaxOptions* options = ctx.op()->options_as<fb::SoftmaxOptions>();
      if (options == nullptr) {
        return ctx.fail(ERT_INVALID_MODEL, "has %s, expected SoftmaxOptions",
                        fb::EnumNameOpOptions(type));
      }
      params_.beta = options->beta();
    }
    // An infinite or NaN beta turns every row into NaN; no converter writes one, so a file that
    // has one is damaged.
    if (!std::isfinite(params_.beta)) {
      return ctx.fail(ERT_INVALID_MODEL, "beta is %g, must be finite", double(params_.beta));
    }
    out.shape = in.shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::softmax_f32(params_, in.shape, in.data_as<const float>(),
                         ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::SoftmaxParams params_;
};

}  // namespace

std::unique_ptr<Op> make_softmax_op() { return std::make_unique<SoftmaxOp>(); }

}  // namespace ert::rt
