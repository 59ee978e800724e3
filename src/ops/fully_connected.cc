// FULLY_CONNECTED: input rows times transposed weights plus bias, as TFLite defines it. Runs
// kernels/fully_connected.h.
//
// prepare():
//   1. Tensors: 2 or 3 inputs (bias optional or -1), 1 output, all f32; input rank 1 to 6,
//      weights rank 2 [N, K] with K >= 1, bias rank 1 with N values.
//   2. Options: FullyConnectedOptions or none at all (TFLite's defaults: keep_num_dims false).
//   3. Rows: the input's element count must be a multiple of K; TFLite flattens any input shape
//      into count / K rows. With keep_num_dims the input's last dim must be K itself.
//   4. Output: [rows, N], or with keep_num_dims the input's shape with N as its last dim; it
//      must fit the caps.
#include "kernels/fully_connected.h"
#include "src/ops/conv_common.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {


class FullyConnectedOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    // Step 1: tensors.
    ERT_RETURN_IF_ERROR(ctx.expect_counts(2, 3, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    ERT_RETURN_IF_ERROR(ctx.expect_present(1));
    const Tensor& input = *ctx.input(0);
    const Tensor& weights = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(input, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(weights, "weights", ERT_F32));
    if (bias != nullptr) ERT_RETURN_IF_ERROR(ctx.expect_dtype(*bias, "bias", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(*ctx.output(0), "output 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(input, "input 0", 1, kMaxRank));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(weights, "weights", 2, 2));
    if (bias != nullptr) ERT_RETURN_IF_ERROR(ctx.expect_rank(*bias, "bias", 1, 1));
    char buf[96];
    const kernels::Shape& is = input.shape;
    for (int i = 0; i < is.rank; ++i) {
      if (is[i] < 0) {
        return ctx.fail(ERT_INVALID_MODEL, "input 0 (tensor %d '%s') has a negative dim: %s",
                        input.index, input.name, shape_string(is, buf, sizeof(buf)));
      }
    }
    const int32_t units = weights.shape[0];
    const int32_t depth = weights.shape[1];
    if (units < 0 || depth < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "weights (tensor %d '%s') has shape %s; needs [N, K] with K at "
                      "least 1",
                      weights.index, weights.name, shape_string(weights.shape, buf, sizeof(buf)));
    }
    if (bias != nullptr && bias->shape[0] != units) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "bias (tensor %d '%s') has %d values, needs %d (weights dim 0)", bias->index,
                      bias->name, bias->shape[0], units);
    }

    // Step 2: options. TFLite runs FULLY_CONNECTED without options on its defaults, but options
    // of another op's type mean the file is inconsistent.
    bool keep_num_dims = false;
    if (ctx.op()->options_type() != fb::OpOptions::NONE) {
      const fb::FullyConnectedOptions* options = nullptr;
      ERT_RETURN_IF_ERROR(ctx.options(&options));
      keep_num_dims = options->keep_num_dims();
    }

    // Step 3: rows. A product of six dims below 2^31 could wrap even int64, so the count stops
    // growing once it passes the cap (an empty input counts 0 whatever its other dims).
    int64_t count = 1;
    for (int i = 0; i < is.rank; ++i) {
      if (is[i] == 0) count = 0;
    }
    for (int i = 0; i < is.rank && count > 0 && count <= kMaxElements; ++i) count *= is[i];
    if (count > kMaxElements) {
      return ctx.fail(ERT_UNSUPPORTED, "input 0 has more than %lld elements",
                      (long long)kMaxElements);
    }
    if (count % depth != 0) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "input 0 has %lld elements (shape %s), not a multiple of the weights' "
                      "depth %d",
                      (long long)count, shape_string(is, buf, sizeof(buf)), depth);
    }
    const int64_t rows = count / depth;

    // Step 4: output shape.
    int64_t out_dims[kMaxRank] = {};
    int out_rank = 2;
    if (keep_num_dims) {
      if (is[is.rank - 1] != depth) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "keep_num_dims needs the input's last dim to be the weights' depth %d, "
                        "input 0 has shape %s",
                        depth, shape_string(is, buf, sizeof(buf)));
      }
      out_rank = is.rank;
      for (int i = 0; i < is.rank - 1; ++i) out_dims[i] = is[i];
      out_dims[is.rank - 1] = units;
    } else {
      out_dims[0] = rows;
      out_dims[1] = units;
    }
    ERT_RETURN_IF_ERROR(set_output_shape(ctx, out_dims, out_rank));
    params_.activation = ctx.activation();
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& input = *ctx.input(0);
    const Tensor& weights = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    kernels::fully_connected_f32(params_, input.shape, input.data_as<const float>(), weights.shape,
                                 weights.data_as<const float>(),
                                 bias != nullptr ? bias->data_as<const float>() : nullptr,
                                 ctx.output(0)->data_as<float>());
    return Status();
  }

 private:
  kernels::FullyConnectedParams params_;
};

}  // namespace

std::unique_ptr<Op> make_fully_connected_op() { return std::make_unique<FullyConnectedOp>(); }

}  // namespace ert::rt
