// RELU and RELU6: a clamp to [0, inf) or [0, 6], tightened further by any fused activation.
#include <algorithm>

#include "kernels/relu.h"
#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class ReluOp : public Op {
 public:
  explicit ReluOp(fb::OpCode code) : code_(code) {}

  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    out.shape = in.shape;
    range_ = ctx.activation();
    range_.min = std::max(range_.min, 0.0f);
    if (code_ == fb::OpCode::RELU6) range_.max = std::min(range_.max, 6.0f);
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::clamp_f32(in.data_as<const float>(), ctx.output(0)->data_as<float>(),
                       in.shape.num_elements(), range_);
    return Status();
  }

 private:
  fb::OpCode code_;
  kernels::ActivationRange range_;
};

}  // namespace

std::unique_ptr<Op> make_relu_op(fb::OpCode code) { return std::make_unique<ReluOp>(code); }

}  // namespace ert::rt
