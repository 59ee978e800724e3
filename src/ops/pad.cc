// PAD (and TFLite's PADV2) with a constant from PadOptions; TFLite passes the paddings and the
// value as constant tensors.
//
// prepare():
//   1. Check counts, dtypes (f32, or u8/i8 with the output quantized as the input), rank <= 6,
//      no fused activation, PadOptions present.
//   2. Check there are exactly 2 * rank paddings (before and after per axis), all non-negative.
//   3. Output dims = before + in + after, in 64 bits, checked against the caps.
//   4. Quantized: the constant in the input's quantization, rounded and clamped to the type (so
//      the default 0 is the zero point, as TFLite pads quantized tensors).
#include "kernels/pad.h"

#include <cstdint>

#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class PadOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    TensorQuant q;
    if (is_quantized_dtype(in.dtype)) {
      ERT_RETURN_IF_ERROR(expect_passthrough_quant(ctx, in, out, &q));
    } else {
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    }
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 0, kernels::kMaxRank));
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %d (%s) is not supported by PAD",
                      int(ctx.op()->activation()), fb::EnumNameActivation(ctx.op()->activation()));
    }
    const fb::PadOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));

    const int rank = in.shape.rank;
    const auto* pads = o->paddings();
    const unsigned count = pads != nullptr ? pads->size() : 0;
    if (count != unsigned(2 * rank)) {
      return ctx.fail(ERT_INVALID_MODEL, "has %u paddings, needs 2 per axis (%d for rank %d)",
                      count, 2 * rank, rank);
    }
    params_ = kernels::PadParams();
    params_.value = o->constant_value();
    if (in.dtype == ERT_I8) {
      quantized_value_ = kernels::quantize_value<int8_t>(params_.value, q.scale, q.zero_point);
    } else if (in.dtype == ERT_U8) {
      quantized_value_ = kernels::quantize_value<uint8_t>(params_.value, q.scale, q.zero_point);
    }
    kernels::Shape out_shape = in.shape;
    for (int a = 0; a < rank; ++a) {
      const int32_t before = pads->Get(flatbuffers::uoffset_t(2 * a));
      const int32_t after = pads->Get(flatbuffers::uoffset_t(2 * a + 1));
      if (before < 0 || after < 0) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "paddings of axis %d (before %d, after %d) must not be negative", a, before,
                        after);
      }
      const int64_t dim = int64_t(in.shape[a]) + before + after;
      if (dim > kMaxDim) {
        return ctx.fail(ERT_INVALID_MODEL,
                        "padded axis %d would have %lld elements, more than 2^30", a,
                        static_cast<long long>(dim));
      }
      out_shape[a] = int32_t(dim);
      params_.before[a] = before;
      params_.after[a] = after;
    }
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(in.dtype, out_shape, &bytes, &why)) {
      char buf[96];
      return ctx.fail(ERT_INVALID_MODEL, "output shape %s: %s",
                      shape_string(out_shape, buf, sizeof(buf)), why);
    }
    out.shape = out_shape;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    switch (in.dtype) {
      case ERT_I8:
        kernels::pad(params_, in.shape, in.data_as<const int8_t>(), int8_t(quantized_value_),
                     out.data_as<int8_t>());
        break;
      case ERT_U8:
        kernels::pad(params_, in.shape, in.data_as<const uint8_t>(), uint8_t(quantized_value_),
                     out.data_as<uint8_t>());
        break;
      default: kernels::pad_f32(params_, in.shape, in.data_as<const float>(), out.data_as<float>());
    }
    return Status();
  }

 private:
  kernels::PadParams params_;
  int32_t quantized_value_ = 0;  // The padding constant of a u8/i8 tensor.
};

}  // namespace

std::unique_ptr<Op> make_pad_op() { return std::make_unique<PadOp>(); }

}  // namespace ert::rt
