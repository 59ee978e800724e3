// STRIDED_SLICE with TFLite's begin/end/strides and masks, all from StridedSliceOptions (TFLite
// passes begin, end and strides as constant tensors).
//
// prepare() resolves each axis a of dim d into (start, stride, count) for the kernel:
//   1. Check counts, dtypes, rank <= 6, no fused activation, options present, ellipsis_mask and
//      new_axis_mask zero (ERT_UNSUPPORTED), as many begin, end and strides values as each
//      other and at most the rank (axes past them are taken whole, as in TensorFlow).
//   2. Reject a zero stride. With `offset`, end = begin + end (the values as given).
//   3. begin: begin_mask picks the first element (last for a negative stride); otherwise a
//      negative value counts from the end. Then clamp to [0, d] (stride > 0) or [-1, d-1].
//   4. end: end_mask runs to the end (to the start for a negative stride); otherwise a negative
//      value counts from the end. Same clamp. count = ceil((end - begin) / stride), at least 0.
//   5. shrink_axis_mask: take the one element at the resolved begin (before clamping) and drop
//      the axis. It must lie in [0, d): TensorFlow rejects it otherwise, and TFLite would read
//      outside the tensor. The stride and end do not matter on such an axis.
#include "kernels/strided_slice.h"

#include <cstdint>

#include "src/ops/ops.h"

namespace ert::rt {
namespace {

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

class StridedSliceOp : public Op {
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
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %d (%s) is not supported by STRIDED_SLICE",
                      int(ctx.op()->activation()), fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::StridedSliceOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));
    if (o->ellipsis_mask() != 0) {
      return ctx.fail(ERT_UNSUPPORTED, "ellipsis_mask 0x%x is not supported (must be 0)",
                      unsigned(o->ellipsis_mask()));
    }
    if (o->new_axis_mask() != 0) {
      return ctx.fail(ERT_UNSUPPORTED, "new_axis_mask 0x%x is not supported (must be 0)",
                      unsigned(o->new_axis_mask()));
    }

    const int rank = in.shape.rank;
    const unsigned begins = o->begin() != nullptr ? o->begin()->size() : 0;
    const unsigned ends = o->end() != nullptr ? o->end()->size() : 0;
    const unsigned strides = o->strides() != nullptr ? o->strides()->size() : 0;
    if (begins != ends || begins != strides || begins > unsigned(rank)) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "has %u begin, %u end and %u strides values, needs the same number of each "
                      "and at most the input rank %d",
                      begins, ends, strides, rank);
    }

    params_ = kernels::StridedSliceParams();
    kernels::Shape out_shape;
    for (int a = 0; a < rank; ++a) {
      const int64_t dim = in.shape[a];
      if (unsigned(a) >= begins) {
        params_.start[a] = 0;
        params_.stride[a] = 1;
        params_.count[a] = int32_t(dim);
        out_shape.dims[out_shape.rank++] = int32_t(dim);
        continue;
      }
      const auto i = flatbuffers::uoffset_t(a);
      const int64_t stride = o->strides()->Get(i);
      if (stride == 0) {
        return ctx.fail(ERT_INVALID_MODEL, "strides[%d] is 0", a);
      }
      const bool begin_masked = (o->begin_mask() >> a) & 1;
      const bool end_masked = (o->end_mask() >> a) & 1;
      const bool shrink = (o->shrink_axis_mask() >> a) & 1;
      const int64_t raw_begin = o->begin()->Get(i);
      const int64_t raw_end = o->end()->Get(i);

      if (shrink) {
        int64_t index = raw_begin;
        if (begin_masked) {
          index = stride > 0 ? 0 : dim - 1;
        } else if (index < 0) {
          index += dim;
        }
        if (index < 0 || index >= dim) {
          return ctx.fail(ERT_INVALID_MODEL,
                          "shrink axis %d: begin %lld is outside the dimension of size %lld", a,
                          static_cast<long long>(raw_begin), static_cast<long long>(dim));
        }
        params_.start[a] = int32_t(index);
        params_.stride[a] = 1;
        params_.count[a] = 1;
        continue;
      }

      // On an empty axis TFLite resolves both ends to 0; the count is 0 either way.
      const int64_t lo = stride > 0 ? 0 : -1;
      const int64_t hi = stride > 0 ? dim : dim - 1;
      int64_t start = 0;
      if (begin_masked) {
        start = stride > 0 ? lo : hi;
      } else {
        start = raw_begin < 0 ? raw_begin + dim : raw_begin;
        start = clamp64(start, lo, hi);
      }
      int64_t stop = 0;
      if (end_masked) {
        stop = stride > 0 ? hi : lo;
      } else {
        stop = o->offset() ? raw_begin + raw_end : raw_end;
        if (stop < 0) stop += dim;
        stop = clamp64(stop, lo, hi);
      }
      int64_t count = 0;
      if (dim > 0) {
        if (stride > 0 && stop > start) count = (stop - start + stride - 1) / stride;
        if (stride < 0 && start > stop) count = (start - stop - stride - 1) / -stride;
      }
      params_.start[a] = count > 0 ? int32_t(start) : 0;
      params_.stride[a] = int32_t(stride);
      params_.count[a] = int32_t(count);
      out_shape.dims[out_shape.rank++] = int32_t(count);
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

std::unique_ptr<Op> make_strided_slice_op() { return std::make_unique<StridedSliceOp>(); }

}  // namespace ert::rt
