// DEPTH_TO_SPACE: [N, H, W, C] to [N, H*b, W*b, C/(b*b)] in TFLite's element order.
#include "kernels/depth_to_space.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class DepthToSpaceOp : public Op {
 public:
  // Steps: counts, dtypes, rank 4, no fused activation, block_size >= 1, depth a multiple of
  // block_size^2; then the output shape in int64, checked against the caps.
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 4, 4));
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported, only NONE",
                      fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::SpaceDepthOptions* options = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&options));
    const int64_t b = options->block_size();
    if (b < 1) {
      return ctx.fail(ERT_INVALID_MODEL, "block_size is %lld, needs at least 1",
                      static_cast<long long>(b));
    }

    const int64_t depth = in.shape.dims[3];
    // b * b cannot overflow: b < 2^31.
    if (depth % (b * b) != 0) {
      return ctx.fail(
          ERT_INVALID_MODEL,
          "input 0 (tensor %d '%s') depth %lld is not a multiple of block_size^2 = %lld", in.index,
          in.name, static_cast<long long>(depth), static_cast<long long>(b * b));
    }
    const int64_t dims[4] = {in.shape.dims[0], in.shape.dims[1] * b, in.shape.dims[2] * b,
                             depth / (b * b)};
    for (int i = 0; i < 4; ++i) {
      if (dims[i] < 0 || dims[i] > kMaxDim) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "output dim %d would be %lld with block_size %lld, the limit is %lld", i,
                        static_cast<long long>(dims[i]), static_cast<long long>(b),
                        static_cast<long long>(kMaxDim));
      }
    }
    // Same element count as the input, which the runtime has already checked.
    out.shape =
        kernels::Shape{int32_t(dims[0]), int32_t(dims[1]), int32_t(dims[2]), int32_t(dims[3])};
    params_.block_size = int32_t(b);
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::depth_to_space_f32(params_, in.shape, in.data_as<const float>(),
                                ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::DepthToSpaceParams params_;
};

}  // namespace

std::unique_ptr<Op> make_depth_to_space_op() { return std::make_unique<DepthToSpaceOp>(); }

}  // namespace ert::rt
