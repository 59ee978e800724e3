// SLICE: output[i] = input[begin + i] for i < size on every axis, with begin and size from
// SliceOptions (TFLite passes them as constant tensors). Runs on the strided slice kernel with
// stride 1.
//
// prepare():
//   1. Check counts, dtypes, rank <= 6, no fused activation, SliceOptions present.
//   2. Check one begin and one size per axis; size -1 means "to the end of the axis".
//   3. Check 0 <= begin <= dim, size >= 0 and begin + size <= dim on every axis.
#include <cstdint>

#include "kernels/strided_slice.h"
#include "src/ops/ops.h"

namespace ert::rt {
namespace {

class SliceOp : public Op {
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
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %d (%s) is not supported by SLICE",
                      int(ctx.op()->activation()), fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::SliceOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));

    const int rank = in.shape.rank;
    const unsigned begins = o->begin() != nullptr ? o->begin()->size() : 0;
    const unsigned sizes = o->size() != nullptr ? o->size()->size() : 0;
    if (begins != unsigned(rank) || sizes != unsigned(rank)) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "has %u begin and %u size values, needs one of each per axis (rank %d)",
                      begins, sizes, rank);
    }
    params_ = kernels::StridedSliceParams();
    kernels::Shape out_shape = in.shape;
    for (int a = 0; a < rank; ++a) {
      const int32_t dim = in.shape[a];
      const int32_t begin = o->begin()->Get(flatbuffers::uoffset_t(a));
      int32_t size = o->size()->Get(flatbuffers::uoffset_t(a));
      if (begin < 0 || begin > dim) {
        return ctx.fail(ERT_INVALID_MODEL, "begin %d on axis %d is outside [0, %d]", begin, a, dim);
      }
      if (size == -1) {
        size = dim - begin;
      } else if (size < 0) {
        return ctx.fail(ERT_INVALID_MODEL, "size %d on axis %d must be >= 0 or -1", size, a);
      } else if (int64_t(begin) + size > dim) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "begin %d + size %d on axis %d runs past the dimension %d", begin, size, a,
                        dim);
      }
      params_.start[a] = begin;
      params_.stride[a] = 1;
      params_.count[a] = size;
      out_shape[a] = size;
    }
    out.shape = out_shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    kernels::strided_slice_f32(params_, in.shape, in.data_as<const float>(),
                               ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::StridedSliceParams params_;
};

}  // namespace

std::unique_ptr<Op> make_slice_op() { return std::make_unique<SliceOp>(); }

}  // namespace ert::rt
