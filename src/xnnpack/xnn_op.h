// The shape every XNNPACK-backed op takes: a wrapper around the op's reference implementation.
//
//   prepare: the reference op checks everything and computes the output shapes (so a bad model
//            fails the same way with or without the fast path); then the subclass decides
//            whether XNNPACK takes this case (dtypes, constant weights, options) and, if so,
//            creates its operators, which packs the weights once.
//   bind:    the subclass points its operators at the arena (xnn_setup_*, on the pool that
//            will run them: the pool decides XNNPACK's tiling).
//   run:     the operators run in order; cases XNNPACK did not take run the reference kernel.
//
// No memory planner of XNNPACK's is used: every activation lives in edgert's arena, which has
// ERT_ARENA_SLACK_BYTES after it for the XNN_EXTRA_BYTES that XNNPACK may read past a tensor.
#ifndef ERT_XNNPACK_XNN_OP_H_
#define ERT_XNNPACK_XNN_OP_H_

#include <xnnpack.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "src/runtime/op.h"

namespace ert::rt::xnn {

/// Owns one xnn_operator_t.
struct OperatorDeleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using OperatorPtr = std::unique_ptr<xnn_operator, OperatorDeleter>;

/// Initializes XNNPACK once per process. False when it cannot run on this CPU.
bool xnnpack_ready();

/// Turns an xnn_status into edgert's: ERT_OUT_OF_MEMORY or ERT_BACKEND_ERROR, with a message
/// naming the op and the XNNPACK call.
Status xnn_failure(const OpContext& ctx, const char* call, xnn_status status);

/// Padding of one spatial axis in XNNPACK's terms (never negative), derived from the padding
/// mode and the output size the reference op computed.
struct AxisPads {
  uint32_t before = 0;
  uint32_t after = 0;
};
AxisPads axis_pads(fb::Padding mode, int64_t explicit_before, int64_t explicit_after, int64_t in,
                   int64_t out, int64_t stride, int64_t effective_kernel);

/// A constant tensor copied with XNN_EXTRA_BYTES of slack (XNNPACK may read past the end of an
/// operand it reads at run time; a constant at the end of an mmap'd file has no such slack).
class PaddedConstant {
 public:
  Status copy_from(const Tensor& t);
  const void* data() const { return storage_.data(); }

 private:
  std::vector<uint8_t> storage_;
};

class XnnOp : public Op {
 public:
  explicit XnnOp(std::unique_ptr<Op> reference) : reference_(std::move(reference)) {}

  Status prepare(const OpContext& ctx) final;
  Status bind(const OpContext& ctx) final;
  Status run(const OpContext& ctx) final;
  const char* kernel_name() const final { return taken_ ? name_ : reference_->kernel_name(); }
  bool reads_input_at_run(int i) const final {
    return taken_ ? ((packed_inputs_ >> i) & 1u) == 0 : reference_->reads_input_at_run(i);
  }

 protected:
  /// After the reference prepare: creates the operators (first time, or again when what they
  /// were created for changed) and sets *taken. A case XNNPACK cannot take is not a failure
  /// (*taken = false), nor is an operator XNNPACK refuses to create (ERT_BACKEND_ERROR: the
  /// reference kernel runs); any other failure (out of memory) fails the interpreter.
  virtual Status create(const OpContext& ctx, bool* taken) = 0;
  /// Points the operators at the tensors' current data.
  virtual Status setup(const OpContext& ctx) = 0;
  /// Runs a taken case. The default runs the XNNPACK operators in order; an op that runs some
  /// cases on edgert's own micro-kernels (src/cpu/) overrides it.
  virtual Status run_fast(const OpContext& ctx);

  /// Creates an operator with `make` (a call of an xnn_create_* function) into slot i.
  template <typename Make>
  Status make_operator(const OpContext& ctx, const char* call, size_t i, Make make) {
    if (operators_.size() <= i) operators_.resize(i + 1);
    xnn_operator_t op = nullptr;
    const xnn_status s = make(&op);
    operators_[i].reset(op);
    if (s != xnn_status_success) return xnn_failure(ctx, call, s);
    return Status();
  }
  /// Drops every operator (when a case moves to an own micro-kernel).
  void clear_operators() { operators_.clear(); }
  /// Operator i, or null when there is none yet.
  xnn_operator_t op(size_t i = 0) const {
    return i < operators_.size() ? operators_[i].get() : nullptr;
  }
  /// Checks the status of an xnn_setup_* call.
  Status check_setup(const OpContext& ctx, const char* call, xnn_status s) const {
    return s == xnn_status_success ? Status() : xnn_failure(ctx, call, s);
  }

  /// The kernel name shown in profiles, e.g. "xnnpack:convolution_nhwc_f32".
  const char* name_ = "xnnpack";
  /// Bit i set: constant input i was copied into the operator (packed weights, padded copies)
  /// and is not read at run. Set by create() for the case it took.
  uint32_t packed_inputs_ = 0;

 private:
  std::unique_ptr<Op> reference_;
  std::vector<OperatorPtr> operators_;
  bool taken_ = false;
};

/// True when every listed tensor (null entries skipped) is f32.
bool all_f32(std::initializer_list<const Tensor*> tensors);

/// XNNPACK wants dims as size_t; copies a Shape's dims into `dims`. Returns its rank.
size_t xnn_dims(const kernels::Shape& shape, size_t dims[XNN_MAX_TENSOR_DIMS]);

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_XNN_OP_H_
