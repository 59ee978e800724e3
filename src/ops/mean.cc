// MEAN over the axes in ReduceOptions (TFLite passes them as a constant tensor).
//
// prepare():
//   1. Check counts, dtypes, rank <= 6, no fused activation, ReduceOptions present.
//   2. Mark each listed axis (negative counts from the end; a repeated axis is reduced once;
//      each must be in [-rank, rank)). As in TFLite, a scalar input ignores the axes and an empty
//      axis list reduces nothing (the output is a copy of the input).
//   3. Output shape: the input's with the reduced axes removed, or set to 1 with keep_dims.
#include "kernels/mean.h"

#include <cstdint>

#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class MeanOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 0, kernels::kMaxRank));
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %d (%s) is not supported by MEAN",
                      int(ctx.op()->activation()), fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::ReduceOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));

    const int rank = in.shape.rank;
    params_ = kernels::MeanParams();
    if (rank > 0 && o->axes() != nullptr) {
      for (flatbuffers::uoffset_t i = 0; i < o->axes()->size(); ++i) {
        const int32_t axis = o->axes()->Get(i);
        if (axis < -rank || axis >= rank) {
          return ctx.fail(ERT_INVALID_MODEL, "axes[%u] = %d is outside [%d, %d) for input rank %d",
                          unsigned(i), axis, -rank, rank, rank);
        }
        params_.reduced[axis < 0 ? axis + rank : axis] = true;
      }
    }

    kernels::Shape out_shape;
    for (int a = 0; a < rank; ++a) {
      if (!params_.reduced[a]) {
        out_shape.dims[out_shape.rank++] = in.shape[a];
      } else if (o->keep_dims()) {
        out_shape.dims[out_shape.rank++] = 1;
      }
    }
    out.shape = out_shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::mean_f32(params_, in.shape, in.data_as<const float>(),
                      ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::MeanParams params_;
};

}  // namespace

std::unique_ptr<Op> make_mean_op() { return std::make_unique<MeanOp>(); }

}  // namespace ert::rt
