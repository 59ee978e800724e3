// Element-wise ops on XNNPACK in f32: the broadcasting binary ops (ADD, SUB, MUL, DIV with their
// fused activation; MAXIMUM, MINIMUM) and the activations XNNPACK has (RELU, RELU6, LOGISTIC,
// HARD_SWISH, LEAKY_RELU, per-channel PRELU, SOFTMAX with beta 1). TANH has no f32 operator
// in this XNNPACK and stays on the reference kernel. ADD also runs in uint8 and int8 with
// per-tensor quantization (XNNPACK's qu8 and qs8 add), the one quantized binary op the
// reference kernels have. XNNPACK's qs8 add rounds differently from TFLite's integer add: at
// most 1 unit on about 0.5% of outputs (shared/notes/xnnpack-debian.md §3).
#include <cmath>

#include "kernels/quantization.h"
#include "src/ops/quant_params.h"
#include "src/xnnpack/xnn_ops.h"

namespace ert::rt::xnn {
namespace {

bool has_elements(const Tensor& t) { return t.shape.num_elements() > 0; }

// The quantization of a uint8 or int8 ADD in the terms of XNNPACK's qu8/qs8 add, which
// rescales each operand to the output's scale: one scale and zero point per tensor, and the
// fused activation as a clamp in the output's quantized domain.
struct QuantAdd {
  TensorQuant a;
  TensorQuant b;
  TensorQuant out;
  int32_t out_min = 0;
  int32_t out_max = 0;
};

// True for a uint8 or int8 ADD whose tensors have one scale and zero point each (the reference
// prepare has read them already, so only a case it would refuse is left out).
bool quant_add_case(const OpContext& ctx, ert_dtype dtype, QuantAdd* q) {
  const Tensor& a = *ctx.input(0);
  const Tensor& b = *ctx.input(1);
  const Tensor& out = *ctx.output(0);
  if (ctx.code() != fb::OpCode::ADD || a.dtype != dtype || b.dtype != dtype ||
      out.dtype != dtype) {
    return false;
  }
  if (!read_tensor_quant(ctx, a, "input 0", &q->a).ok() ||
      !read_tensor_quant(ctx, b, "input 1", &q->b).ok() ||
      !read_tensor_quant(ctx, out, "output 0", &q->out).ok()) {
    return false;
  }
  if (dtype == ERT_U8) {
    kernels::quantized_activation_range<uint8_t>(ctx.activation(), q->out.scale,
                                                 q->out.zero_point, &q->out_min, &q->out_max);
  } else {
    kernels::quantized_activation_range<int8_t>(ctx.activation(), q->out.scale,
                                                q->out.zero_point, &q->out_min, &q->out_max);
  }
  return true;
}

// Steps:
//   1. Take f32 operands with at least one element (XNNPACK refuses empty shapes); for ADD,
//      uint8 and int8 operands too.
//   2. Keep a padded copy of constant operands (XNNPACK reads past the end of operands).
//   3. Create the operator once: its kind, quantization and activation do not depend on
//      shapes, which are given at setup (numpy broadcasting, as TFLite's).
class XnnBinary : public XnnOp {
 public:
  XnnBinary(fb::OpCode code, std::unique_ptr<Op> reference)
      : XnnOp(std::move(reference)), code_(code) {}

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    const Tensor& out = *ctx.output(0);
    QuantAdd q;
    qu8_ = a.dtype == ERT_U8;
    qs8_ = a.dtype == ERT_I8;
    if ((qu8_ || qs8_ ? !quant_add_case(ctx, a.dtype, &q) : !all_f32({&a, &b, &out})) ||
        !has_elements(a) ||
        !has_elements(b) || !has_elements(out)) {
      return Status();
    }
    *taken = true;
    if (a.is_constant) ERT_RETURN_IF_ERROR(constant_a_.copy_from(a));
    if (b.is_constant) ERT_RETURN_IF_ERROR(constant_b_.copy_from(b));
    packed_inputs_ = (a.is_constant ? 1u : 0u) | (b.is_constant ? 2u : 0u);
    if (op(0) != nullptr) return Status();
    if (qu8_) {
      // XNNPACK refuses input-to-output scale ratios outside its fixed-point range here; the
      // reference kernel then runs the op (see XnnOp::prepare).
      name_ = "xnnpack:add_nd_qu8";
      return make_operator(ctx, "xnn_create_add_nd_qu8", 0, [&](xnn_operator_t* p) {
        return xnn_create_add_nd_qu8(uint8_t(q.a.zero_point), q.a.scale, uint8_t(q.b.zero_point),
                                     q.b.scale, uint8_t(q.out.zero_point), q.out.scale,
                                     uint8_t(q.out_min), uint8_t(q.out_max), /*flags=*/0, p);
      });
    }
    if (qs8_) {
      name_ = "xnnpack:add_nd_qs8";
      return make_operator(ctx, "xnn_create_add_nd_qs8", 0, [&](xnn_operator_t* p) {
        return xnn_create_add_nd_qs8(int8_t(q.a.zero_point), q.a.scale, int8_t(q.b.zero_point),
                                     q.b.scale, int8_t(q.out.zero_point), q.out.scale,
                                     int8_t(q.out_min), int8_t(q.out_max), /*flags=*/0, p);
      });
    }
    const kernels::ActivationRange r = ctx.activation();
    switch (code_) {
      case fb::OpCode::ADD:
        name_ = "xnnpack:add_nd_f32";
        return make_operator(ctx, "xnn_create_add_nd_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_add_nd_f32(r.min, r.max, 0, p);
        });
      case fb::OpCode::SUB:
        name_ = "xnnpack:subtract_nd_f32";
        return make_operator(ctx, "xnn_create_subtract_nd_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_subtract_nd_f32(r.min, r.max, 0, p);
        });
      case fb::OpCode::MUL:
        name_ = "xnnpack:multiply_nd_f32";
        return make_operator(ctx, "xnn_create_multiply_nd_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_multiply_nd_f32(r.min, r.max, 0, p);
        });
      case fb::OpCode::DIV:
        name_ = "xnnpack:divide_nd_f32";
        return make_operator(ctx, "xnn_create_divide_nd_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_divide_nd_f32(r.min, r.max, 0, p);
        });
      case fb::OpCode::MAXIMUM:
        name_ = "xnnpack:maximum_nd_f32";
        return make_operator(ctx, "xnn_create_maximum_nd_f32", 0,
                             [&](xnn_operator_t* p) { return xnn_create_maximum_nd_f32(0, p); });
      case fb::OpCode::MINIMUM:
        name_ = "xnnpack:minimum_nd_f32";
        return make_operator(ctx, "xnn_create_minimum_nd_f32", 0,
                             [&](xnn_operator_t* p) { return xnn_create_minimum_nd_f32(0, p); });
      default:
        *taken = false;
        return Status();
    }
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    size_t a_dims[XNN_MAX_TENSOR_DIMS];
    size_t b_dims[XNN_MAX_TENSOR_DIMS];
    const size_t a_rank = xnn_dims(a.shape, a_dims);
    const size_t b_rank = xnn_dims(b.shape, b_dims);
    const void* va = a.is_constant ? constant_a_.data() : a.data;
    const void* vb = b.is_constant ? constant_b_.data() : b.data;
    if (qu8_) {
      return check_setup(
          ctx, "xnn_setup_add_nd_qu8",
          xnn_setup_add_nd_qu8(op(0), a_rank, a_dims, b_rank, b_dims,
                               static_cast<const uint8_t*>(va), static_cast<const uint8_t*>(vb),
                               ctx.output(0)->data_as<uint8_t>(), ctx.threadpool()));
    }
    if (qs8_) {
      return check_setup(
          ctx, "xnn_setup_add_nd_qs8",
          xnn_setup_add_nd_qs8(op(0), a_rank, a_dims, b_rank, b_dims,
                               static_cast<const int8_t*>(va), static_cast<const int8_t*>(vb),
                               ctx.output(0)->data_as<int8_t>(), ctx.threadpool()));
    }
    const float* pa = static_cast<const float*>(va);
    const float* pb = static_cast<const float*>(vb);
    float* out = ctx.output(0)->data_as<float>();
    pthreadpool_t pool = ctx.threadpool();
    xnn_status s = xnn_status_invalid_state;
    switch (code_) {
      case fb::OpCode::ADD:
        s = xnn_setup_add_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      case fb::OpCode::SUB:
        s = xnn_setup_subtract_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      case fb::OpCode::MUL:
        s = xnn_setup_multiply_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      case fb::OpCode::DIV:
        s = xnn_setup_divide_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      case fb::OpCode::MAXIMUM:
        s = xnn_setup_maximum_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      case fb::OpCode::MINIMUM:
        s = xnn_setup_minimum_nd_f32(op(0), a_rank, a_dims, b_rank, b_dims, pa, pb, out, pool);
        break;
      default: break;
    }
    return check_setup(ctx, "xnn_setup_binary_nd_f32", s);
  }

 private:
  fb::OpCode code_;
  bool qu8_ = false;  // uint8 ADD: XNNPACK's qu8 add.
  bool qs8_ = false;  // int8 ADD: XNNPACK's qs8 add.
  PaddedConstant constant_a_;
  PaddedConstant constant_b_;
};

// Activations over rows of the last dim. Steps:
//   1. Take f32 with at least one element, and the op's XNNPACK-expressible options
//      (SOFTMAX: beta 1; PRELU: one constant slope per channel of the last dim).
//   2. Create the operator for the current channel count (again if a resize changes it).
class XnnActivation : public XnnOp {
 public:
  XnnActivation(fb::OpCode code, std::unique_ptr<Op> reference)
      : XnnOp(std::move(reference)), code_(code) {}

 protected:
  Status create(const OpContext& ctx, bool* taken) override {
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    if (!all_f32({&in, &out}) || !has_elements(in) || in.shape.rank < 1) return Status();
    const size_t channels = size_t(in.shape[in.shape.rank - 1]);
    if (code_ == fb::OpCode::SOFTMAX) {
      const fb::SoftmaxOptions* o = ctx.op()->options_as_SoftmaxOptions();
      if (o != nullptr && o->beta() != 1.0f) return Status();
    }
    if (code_ == fb::OpCode::PRELU) {
      const Tensor& slope = *ctx.input(1);
      if (slope.dtype != ERT_F32 || !slope.is_constant ||
          size_t(slope.shape.num_elements()) != channels || slope.shape.rank < 1 ||
          size_t(slope.shape[slope.shape.rank - 1]) != channels) {
        return Status();
      }
    }
    *taken = true;
    if (op(0) != nullptr && channels == channels_) return Status();
    channels_ = channels;
    const size_t c = channels;
    switch (code_) {
      case fb::OpCode::RELU:
      case fb::OpCode::RELU6: {
        const float hi = code_ == fb::OpCode::RELU6 ? 6.0f : INFINITY;
        name_ = "xnnpack:clamp_nc_f32";
        return make_operator(ctx, "xnn_create_clamp_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_clamp_nc_f32(c, c, c, 0.0f, hi, 0, p);
        });
      }
      case fb::OpCode::LOGISTIC:
        name_ = "xnnpack:sigmoid_nc_f32";
        return make_operator(ctx, "xnn_create_sigmoid_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_sigmoid_nc_f32(c, c, c, 0, p);
        });
      case fb::OpCode::HARD_SWISH:
        name_ = "xnnpack:hardswish_nc_f32";
        return make_operator(ctx, "xnn_create_hardswish_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_hardswish_nc_f32(c, c, c, 0, p);
        });
      case fb::OpCode::LEAKY_RELU: {
        const fb::LeakyReluOptions* o = ctx.op()->options_as_LeakyReluOptions();
        const float alpha = o != nullptr ? o->alpha() : 0.2f;
        name_ = "xnnpack:leaky_relu_nc_f32";
        return make_operator(ctx, "xnn_create_leaky_relu_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_leaky_relu_nc_f32(c, c, c, alpha, 0, p);
        });
      }
      case fb::OpCode::PRELU:
        name_ = "xnnpack:prelu_nc_f32";
        packed_inputs_ = 0b10;  // XNNPACK packs the slopes.
        return make_operator(ctx, "xnn_create_prelu_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_prelu_nc_f32(c, c, c, ctx.input(1)->data_as<const float>(), 0, p);
        });
      case fb::OpCode::SOFTMAX:
        name_ = "xnnpack:softmax_nc_f32";
        return make_operator(ctx, "xnn_create_softmax_nc_f32", 0, [&](xnn_operator_t* p) {
          return xnn_create_softmax_nc_f32(c, c, c, 0, p);
        });
      default:
        *taken = false;
        return Status();
    }
  }

  Status setup(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    const size_t rows = size_t(in.shape.num_elements()) / channels_;
    const float* x = in.data_as<const float>();
    float* y = ctx.output(0)->data_as<float>();
    pthreadpool_t pool = ctx.threadpool();
    xnn_status s = xnn_status_invalid_state;
    switch (code_) {
      case fb::OpCode::RELU:
      case fb::OpCode::RELU6: s = xnn_setup_clamp_nc_f32(op(0), rows, x, y, pool); break;
      case fb::OpCode::LOGISTIC: s = xnn_setup_sigmoid_nc_f32(op(0), rows, x, y, pool); break;
      case fb::OpCode::HARD_SWISH: s = xnn_setup_hardswish_nc_f32(op(0), rows, x, y, pool); break;
      case fb::OpCode::LEAKY_RELU: s = xnn_setup_leaky_relu_nc_f32(op(0), rows, x, y, pool); break;
      case fb::OpCode::PRELU: s = xnn_setup_prelu_nc_f32(op(0), rows, x, y, pool); break;
      case fb::OpCode::SOFTMAX: s = xnn_setup_softmax_nc_f32(op(0), rows, x, y, pool); break;
      default: break;
    }
    return check_setup(ctx, "xnn_setup_*_nc_f32", s);
  }

 private:
  fb::OpCode code_;
  size_t channels_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_binary(fb::OpCode code, std::unique_ptr<Op> reference) {
  return std::make_unique<XnnBinary>(code, std::move(reference));
}
std::unique_ptr<Op> make_activation(fb::OpCode code, std::unique_ptr<Op> reference) {
  return std::make_unique<XnnActivation>(code, std::move(reference));
}

}  // namespace ert::rt::xnn
