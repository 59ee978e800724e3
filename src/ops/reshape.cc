// RESHAPE: the same elements, of any dtype, under the shape in ReshapeOptions (TFLite passes it
// either as a constant tensor or as options; the converter puts it in the options).
//
// prepare():
//   1. Check counts, that the output has the input's dtype and quantization (the bytes are
//      copied, so a different scale or zero point would change the values' meaning), no fused
//      activation, ReshapeOptions present, new_shape rank <= 6.
//   2. Read new_shape: an absent or empty one means a scalar. TFLite's legacy [0] also means a
//      scalar when the input has one element (an input with no elements keeps the literal [0]).
//   3. Infer the single -1 entry, if any, from the input's element count; reject other negative
//      entries, a -1 beside a 0 (ambiguous) and any element count that differs from the input's.
// run() copies the bytes, unless the memory planner placed the output on the input's memory.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class ReshapeOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    if (dtype_size(in.dtype) == 0) {
      return ctx.fail(ERT_UNSUPPORTED, "input 0 (tensor %d '%s') has unknown dtype %d", in.index,
                      in.name, int(in.dtype));
    }
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", in.dtype));
    if (!same_quantization(in.quant, out.quant)) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "output 0 (tensor %d '%s') is quantized differently from input 0 (tensor "
                      "%d '%s'); RESHAPE copies the values and does not requantize",
                      out.index, out.name, in.index, in.name);
    }
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %d (%s) is not supported by RESHAPE",
                      int(ctx.op()->activation()), fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::ReshapeOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));

    const auto* ns = o->new_shape();
    const unsigned rank = ns != nullptr ? ns->size() : 0;
    if (rank > unsigned(kMaxRank)) {
      return ctx.fail(ERT_UNSUPPORTED, "new_shape has %u dims, edgert supports at most %d", rank,
                      kMaxRank);
    }
    const int64_t in_count = in.shape.num_elements();
    kernels::Shape shape;
    for (unsigned i = 0; i < rank; ++i) shape.dims[shape.rank++] = ns->Get(i);
    char want[96];
    shape_string(shape, want, sizeof(want));
    if (rank == 1 && shape[0] == 0 && in_count == 1) shape.rank = 0;

    // Product of the known entries, saturated just above the element cap: a larger product
    // cannot match the input anyway, and saturating keeps the arithmetic in range.
    int64_t known = 1;
    int stretch = -1;
    for (int a = 0; a < shape.rank; ++a) {
      const int32_t d = shape[a];
      if (d == -1) {
        if (stretch >= 0) {
          return ctx.fail(ERT_INVALID_MODEL, "new_shape %s has more than one -1", want);
        }
        stretch = a;
      } else if (d < 0) {
        return ctx.fail(ERT_INVALID_MODEL, "new_shape %s has the negative dim %d at %d", want, d,
                        a);
      } else if (d > kMaxDim) {
        return ctx.fail(ERT_INVALID_MODEL, "new_shape %s has dim %d at %d, more than 2^30", want, d,
                        a);
      } else {
        known = std::min<int64_t>(known * d, kMaxElements + 1);
      }
    }
    if (stretch >= 0) {
      if (known == 0) {
        return ctx.fail(ERT_INVALID_MODEL, "new_shape %s: the -1 cannot be inferred beside a 0 dim",
                        want);
      }
      const int64_t inferred = in_count / known;
      if (inferred * known != in_count) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "new_shape %s: the input's %lld elements do not divide into it", want,
                        static_cast<long long>(in_count));
      }
      if (inferred > kMaxDim) {
        return ctx.fail(ERT_INVALID_MODEL, "new_shape %s: the -1 would be %lld, more than 2^30",
                        want, static_cast<long long>(inferred));
      }
      shape[stretch] = int32_t(inferred);
    } else if (known != in_count) {
      char have[96];
      return ctx.fail(ERT_INVALID_MODEL, "new_shape %s holds %lld elements, input 0 %s holds %lld",
                      want, static_cast<long long>(known),
                      shape_string(in.shape, have, sizeof(have)), static_cast<long long>(in_count));
    }
    out.shape = shape;
    bytes_ = size_t(in_count) * dtype_size(in.dtype);
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    // The planner may give the output the input's memory; then there is nothing to move.
    if (out.data != in.data && bytes_ > 0) std::memmove(out.data, in.data, bytes_);
    return Status();
  }

 private:
  size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_reshape_op() { return std::make_unique<ReshapeOp>(); }

}  // namespace ert::rt
