#include "src/xnnpack/xnn_op.h"

#include <algorithm>
#include <cstring>

namespace ert::rt::xnn {

bool xnnpack_ready() {
  // xnn_initialize is idempotent, but its result is the same for the process: ask once.
  static const bool ready = xnn_initialize(/*allocator=*/nullptr) == xnn_status_success;
  return ready;
}

Status xnn_failure(const OpContext& ctx, const char* call, xnn_status status) {
  const char* what = "failed";
  switch (status) {
    case xnn_status_uninitialized: what = "XNNPACK is not initialized"; break;
    case xnn_status_invalid_parameter: what = "invalid parameter"; break;
    case xnn_status_invalid_state: what = "invalid state"; break;
    case xnn_status_unsupported_parameter: what = "unsupported parameter"; break;
    case xnn_status_unsupported_hardware: what = "unsupported hardware"; break;
    case xnn_status_out_of_memory: what = "out of memory"; break;
    default: break;
  }
  return ctx.fail(status == xnn_status_out_of_memory ? ERT_OUT_OF_MEMORY : ERT_BACKEND_ERROR,
                  "XNNPACK %s: %s (status %d)", call, what, int(status));
}

AxisPads axis_pads(fb::Padding mode, int64_t explicit_before, int64_t explicit_after, int64_t in,
                   int64_t out, int64_t stride, int64_t effective_kernel) {
  AxisPads p;
  if (mode == fb::Padding::EXPLICIT) {
    p.before = uint32_t(explicit_before);
    p.after = uint32_t(explicit_after);
  } else if (mode == fb::Padding::SAME) {
    // TFLite puts the odd cell of SAME padding after; the total is what the output size needs.
    const int64_t total = std::max<int64_t>(0, (out - 1) * stride + effective_kernel - in);
    p.before = uint32_t(total / 2);
    p.after = uint32_t(total - total / 2);
  }
  // VALID: no padding; windows that do not fit are dropped, as XNNPACK's floor does.
  return p;
}

Status PaddedConstant::copy_from(const Tensor& t) {
  storage_.assign(t.bytes + XNN_EXTRA_BYTES, 0);
  if (t.bytes != 0) std::memcpy(storage_.data(), t.data, t.bytes);
  return Status();
}

Status XnnOp::prepare(const OpContext& ctx) {
  ERT_RETURN_IF_ERROR(reference_->prepare(ctx));
  taken_ = false;
  if (!xnnpack_ready()) return Status();
  bool taken = false;
  const Status s = create(ctx, &taken);
  if (s.code() == ERT_BACKEND_ERROR) {
    // XNNPACK refused this case (e.g. a parameter this version does not support): the
    // reference kernel runs it, and profiles show "reference" for the op.
    operators_.clear();
    return Status();
  }
  ERT_RETURN_IF_ERROR(s);
  taken_ = taken;
  return Status();
}

Status XnnOp::bind(const OpContext& ctx) {
  return taken_ ? setup(ctx) : reference_->bind(ctx);
}

Status XnnOp::run(const OpContext& ctx) {
  return taken_ ? run_fast(ctx) : reference_->run(ctx);
}

Status XnnOp::run_fast(const OpContext& ctx) {
  for (const OperatorPtr& o : operators_) {
    if (o == nullptr) continue;
    const xnn_status s = xnn_run_operator(o.get(), ctx.threadpool());
    if (s != xnn_status_success) return xnn_failure(ctx, "xnn_run_operator", s);
  }
  return Status();
}

bool all_f32(std::initializer_list<const Tensor*> tensors) {
  return std::all_of(tensors.begin(), tensors.end(),
                     [](const Tensor* t) { return t == nullptr || t->dtype == ERT_F32; });
}

size_t xnn_dims(const kernels::Shape& shape, size_t dims[XNN_MAX_TENSOR_DIMS]) {
  for (int i = 0; i < shape.rank; ++i) dims[i] = size_t(shape[i]);
  return size_t(shape.rank);
}

}  // namespace ert::rt::xnn
