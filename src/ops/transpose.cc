// TRANSPOSE: the input with its axes reordered by TransposeOptions.perm.
#include "kernels/transpose.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class TransposeOp : public Op {
 public:
  // Steps: counts, dtypes, no fused activation, perm present with one entry per input axis,
  // every entry an axis and none repeated; then output dim i = input dim perm[i].
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 0, kMaxRank));
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported, only NONE",
                      fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::TransposeOptions* options = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&options));

    // An empty vector may be stored as an absent one; both mean "no axes", right for rank 0.
    const flatbuffers::Vector<int32_t>* perm = options->perm();
    const int rank = in.shape.rank;
    const size_t length = perm ? perm->size() : 0;
    if (length != size_t(rank)) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "perm has %zu entries, input 0 (tensor %d '%s') has %d dims", length,
                      in.index, in.name, rank);
    }
    bool seen[kMaxRank] = {};
    for (int i = 0; i < rank; ++i) {
      const int32_t axis = perm->Get(flatbuffers::uoffset_t(i));
      if (axis < 0 || axis >= rank) {
        return ctx.fail(ERT_INVALID_MODEL, "perm[%d] = %d is not an axis of a rank-%d input", i,
                        int(axis), rank);
      }
      if (seen[axis]) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "perm[%d] = %d repeats an axis; perm must be a permutation", i, int(axis));
      }
      seen[axis] = true;
      params_.perm[i] = axis;
    }

    // The output holds the input's dims in another order, so it is within every cap the input is.
    out.shape.rank = rank;
    for (int i = 0; i < rank; ++i) out.shape.dims[i] = in.shape.dims[params_.perm[i]];
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::transpose_f32(params_, in.shape, in.data_as<const float>(),
                           ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::TransposeParams params_;
};

}  // namespace

std::unique_ptr<Op> make_transpose_op() { return std::make_unique<TransposeOp>(); }

}  // namespace ert::rt
