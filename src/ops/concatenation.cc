// CONCATENATION of 1 to 1024 tensors along one axis, with a fused activation: all f32, or all
// u8 or all i8 with per-tensor quantization. A quantized input whose scale or zero point differs
// from the output's is requantized to it (TFLite does this for u8 and requires equal
// quantization for i8; edgert requantizes both).
//
// prepare():
//   1. Check counts, that every input is present and has input 0's dtype (f32, u8 or i8), as
//      has the output, options and the activation.
//   2. Resolve the axis against input 0's rank (negative counts from the end).
//   3. Check every input has input 0's rank and dims, except on the axis; sum the axis in 64 bits
//      and check the output against the caps.
//   4. Quantized: read every input's and the output's scale and zero point, and the fused
//      activation as a clamp in the output's quantized domain.
//   5. Size the shape and pointer tables run() fills, so that run() does not allocate.
#include "kernels/concatenation.h"

#include <cstdint>
#include <cstdio>
#include <vector>

#include "src/ops/ops.h"
#include "src/ops/quant_params.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class ConcatenationOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, int(kMaxOpInputs), 1));
    const int n = ctx.num_inputs();
    char what[32];
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    dtype_ = is_quantized_dtype(ctx.input(0)->dtype) ? ctx.input(0)->dtype : ERT_F32;
    for (int i = 0; i < n; ++i) {
      ERT_RETURN_IF_ERROR(ctx.expect_present(i));
      std::snprintf(what, sizeof(what), "input %d", i);
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(*ctx.input(i), what, dtype_));
    }
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", dtype_));
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
    if (!tensor_bytes(dtype_, out_shape, &bytes, &why)) {
      char buf[96];
      return ctx.fail(ERT_INVALID_MODEL, "output shape %s: %s",
                      shape_string(out_shape, buf, sizeof(buf)), why);
    }
    out.shape = out_shape;

    params_.axis = axis;
    params_.activation = ctx.activation();
    if (dtype_ != ERT_F32) ERT_RETURN_IF_ERROR(prepare_quantized(ctx, out));
    shapes_.assign(size_t(n), kernels::Shape());
    data_f32_.assign(dtype_ == ERT_F32 ? size_t(n) : 0, nullptr);
    data_u8_.assign(dtype_ == ERT_U8 ? size_t(n) : 0, nullptr);
    data_i8_.assign(dtype_ == ERT_I8 ? size_t(n) : 0, nullptr);
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const int n = ctx.num_inputs();
    for (int i = 0; i < n; ++i) shapes_[size_t(i)] = ctx.input(i)->shape;
    const Tensor& out = *ctx.output(0);
    if (dtype_ == ERT_U8) {
      run_quantized(ctx, &data_u8_, out.data_as<uint8_t>());
    } else if (dtype_ == ERT_I8) {
      run_quantized(ctx, &data_i8_, out.data_as<int8_t>());
    } else {
      for (int i = 0; i < n; ++i) data_f32_[size_t(i)] = ctx.input(i)->data_as<const float>();
      kernels::concatenation_f32(params_, shapes_.data(), data_f32_.data(), n, out.shape,
                                 out.data_as<float>());
    }
    return Status();
  }

 private:
  // Step 4.
  Status prepare_quantized(const OpContext& ctx, const Tensor& out) {
    const int n = ctx.num_inputs();
    scales_.assign(size_t(n), 0.0f);
    zero_points_.assign(size_t(n), 0);
    char what[32];
    for (int i = 0; i < n; ++i) {
      std::snprintf(what, sizeof(what), "input %d", i);
      TensorQuant q;
      ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, *ctx.input(i), what, &q));
      scales_[size_t(i)] = q.scale;
      zero_points_[size_t(i)] = q.zero_point;
    }
    TensorQuant out_q;
    ERT_RETURN_IF_ERROR(read_tensor_quant(ctx, out, "output 0", &out_q));
    quant_.output_scale = out_q.scale;
    quant_.output_zero_point = out_q.zero_point;
    if (dtype_ == ERT_U8) {
      kernels::quantized_activation_range<uint8_t>(params_.activation, out_q.scale,
                                                   out_q.zero_point, &quant_.output_min,
                                                   &quant_.output_max);
    } else {
      kernels::quantized_activation_range<int8_t>(params_.activation, out_q.scale, out_q.zero_point,
                                                  &quant_.output_min, &quant_.output_max);
    }
    quant_.input_scales = scales_.data();
    quant_.input_zero_points = zero_points_.data();
    return Status();
  }

  template <typename T>
  void run_quantized(const OpContext& ctx, std::vector<const T*>* data, T* out) {
    const int n = ctx.num_inputs();
    for (int i = 0; i < n; ++i) (*data)[size_t(i)] = ctx.input(i)->data_as<const T>();
    kernels::concatenation_quantized(params_, quant_, shapes_.data(), data->data(), n,
                                     ctx.output(0)->shape, out);
  }

  ert_dtype dtype_ = ERT_F32;
  kernels::ConcatenationParams params_;
  std::vector<kernels::Shape> shapes_;  // One per input, filled by run().
  // One pointer per input, filled by run(); only the vector of the op's dtype is sized.
  std::vector<const float*> data_f32_;
  std::vector<const uint8_t*> data_u8_;
  std::vector<const int8_t*> data_i8_;
  // Quantized only: the kernel's params point into the two vectors.
  kernels::ConcatQuantParams quant_;
  std::vector<float> scales_;
  std::vector<int32_t> zero_points_;
};

}  // namespace

std::unique_ptr<Op> make_concatenation_op() { return std::make_unique<ConcatenationOp>(); }

}  // namespace ert::rt
