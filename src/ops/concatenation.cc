// CONCATENATION of 1 to 1024 f32 tensors along one axis, with a fused activation.
//
// prepare():
//   1. Check counts, that every input is present and f32, options and the activation.
//   2. Resolve the axis against input 0's rank (negative counts from the end).
//   3. Check every input has input 0's rank and dims, except on the axis; sum the axis in 64 bits
//      and check the output against the caps.
//   4. Size the shape and pointer tables run() fills, so that run() does not allocate.
#include "kernels/concatenation.h"

#include <cstdint>
#include <cstdio>
#include <vector>

#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class ConcatenationOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, int(kMaxOpInputs), 1));
    const int n = ctx.num_inputs();
    char what[32];
    for (int i = 0; i < n; ++i) {
      ERT_RETURN_IF_ERROR(ctx.expect_present(i));
      std::snprintf(what, sizeof(what), "input %d", i);
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(*ctx.input(i), what, ERT_F32));
    }
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    const fb::ConcatenationOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));
    const int act = int(ctx.op()->activation());
    if (act < int(fb::Activation::MIN) || act > int(fb::Activation::MAX)) {
      return ctx.fail(ERT_INVALID_MODEL, "unknown fused activation %d", act);
    }

    const kernels::Shape& first = ctx.input(0)->shape;
    ERT_RETURN_IF_ERROR(ctx.expect_rank(*ctx.input(0), "input 0", 1, kernels::kMaxRank));
    const int rank = first.rank;
    const int32_t axis_option = o->axis();
    if (axis_option < -rank || axis_option >= rank) {
      return ctx.fail(ERT_INVALID_MODEL, "axis %d is outside [%d, %d) for input rank %d",
                      axis_option, -rank, rank, rank);
    }
    const int axis = axis_option < 0 ? axis_option + rank : axis_option;

    int64_t axis_total = 0;
    for (int i = 0; i < n; ++i) {
      const kernels::Shape& s = ctx.input(i)->shape;
      if (s.rank != rank) {
        return ctx.fail(ERT_INVALID_MODEL, "input %d has %d dims, input 0 has %d", i, s.rank, rank);
      }
      for (int a = 0; a < rank; ++a) {
        if (a != axis && s[a] != first[a]) {
          char got[96];
          char want[96];
          return ctx.fail(ERT_INVALID_MODEL,
                          "input %d has shape %s, which differs from input 0's %s on axis %d "
                          "(only axis %d may differ)",
                          i, shape_string(s, got, sizeof(got)),
                          shape_string(first, want, sizeof(want)), a, axis);
        }
      }
      axis_total += s[axis];
    }
    if (axis_total > kMaxDim) {
      return ctx.fail(ERT_INVALID_MODEL, "output would have %lld on axis %d, more than 2^30",
                      static_cast<long long>(axis_total), axis);
    }
    kernels::Shape out_shape = first;
    out_shape[axis] = int32_t(axis_total);
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(ERT_F32, out_shape, &bytes, &why)) {
      char buf[96];
      return ctx.fail(ERT_INVALID_MODEL, "output shape %s: %s",
                      shape_string(out_shape, buf, sizeof(buf)), why);
    }
    out.shape = out_shape;

    params_.axis = axis;
    params_.activation = ctx.activation();
    shapes_.assign(size_t(n), kernels::Shape());
    data_.assign(size_t(n), nullptr);
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const int n = ctx.num_inputs();
    for (int i = 0; i < n; ++i) {
      shapes_[size_t(i)] = ctx.input(i)->shape;
      data_[size_t(i)] = ctx.input(i)->data_as<const float>();
    }
    const Tensor& out = *ctx.output(0);
    kernels::concatenation_f32(params_, shapes_.data(), data_.data(), n, out.shape,
                               out.data_as<float>());
    return Status();
  }

 private:
  kernels::ConcatenationParams params_;
  std::vector<kernels::Shape> shapes_;  // One per input, filled by run().
  std::vector<const float*> data_;      // One per input, filled by run().
};

}  // namespace

std::unique_ptr<Op> make_concatenation_op() { return std::make_unique<ConcatenationOp>(); }

}  // namespace ert::rt
