#include "src/runtime/op.h"

#include <string>

namespace ert::rt {

const char* OpContext::op_name() const { return fb::EnumNameOpCode(op_->code()); }

kernels::ActivationRange OpContext::activation() const {
  kernels::ActivationRange r;
  switch (op_->activation()) {
    case fb::Activation::RELU: r.min = 0.0f; break;
    case fb::Activation::RELU6: r.min = 0.0f; r.max = 6.0f; break;
    case fb::Activation::RELU_N1_TO_1: r.min = -1.0f; r.max = 1.0f; break;
    default: break;
  }
  return r;
}

Status OpContext::fail(ert_status code, const char* format, ...) const {
  va_list args;
  va_start(args, format);
  Status inner = make_status_v(code, format, args);
  va_end(args);
  const char* name = op_name();
  return make_status(code, "op %d (%s): %s", index_, (name && *name) ? name : "?",
                     inner.message().c_str());
}

Status OpContext::expect_counts(int min_inputs, int max_inputs, int outputs) const {
  if (num_inputs_ < min_inputs || num_inputs_ > max_inputs) {
    if (min_inputs == max_inputs) {
      return fail(ERT_INVALID_MODEL, "has %d inputs, needs %d", num_inputs_, min_inputs);
    }
    return fail(ERT_INVALID_MODEL, "has %d inputs, needs %d to %d", num_inputs_, min_inputs,
                max_inputs);
  }
  if (num_outputs_ != outputs) {
    return fail(ERT_INVALID_MODEL, "has %d outputs, needs %d", num_outputs_, outputs);
  }
  return Status();
}

Status OpContext::expect_present(int i) const {
  if (i >= num_inputs_ || inputs_[i] == nullptr) {
    return fail(ERT_INVALID_MODEL, "input %d is required but absent", i);
  }
  return Status();
}

Status OpContext::expect_rank(const Tensor& t, const char* what, int min_rank,
                              int max_rank) const {
  if (t.shape.rank < min_rank || t.shape.rank > max_rank) {
    if (min_rank == max_rank) {
      return fail(ERT_INVALID_MODEL, "%s (tensor %d '%s') has %d dims, needs %d", what, t.index,
                  t.name, t.shape.rank, min_rank);
    }
    return fail(ERT_INVALID_MODEL, "%s (tensor %d '%s') has %d dims, needs %d to %d", what,
                t.index, t.name, t.shape.rank, min_rank, max_rank);
  }
  return Status();
}

Status OpContext::expect_dtype(const Tensor& t, const char* what, ert_dtype dtype) const {
  if (t.dtype != dtype) {
    return fail(ERT_UNSUPPORTED, "%s (tensor %d '%s') has dtype %s, this op supports %s", what,
                t.index, t.name, dtype_name(t.dtype), dtype_name(dtype));
  }
  return Status();
}

Status OpContext::expect_constant(const Tensor& t, const char* what) const {
  if (!t.is_constant) {
    return fail(ERT_UNSUPPORTED, "%s (tensor %d '%s') must be a constant", what, t.index,
                t.name);
  }
  return Status();
}

}  // namespace ert::rt
