// The interface every op implementation follows, and the context it is handed.
//
// Life of an op inside an interpreter:
//   1. create_op() makes one Op object per operator when the interpreter is created.
//   2. prepare() checks dtypes, ranks and options, computes every output's shape and caches
//      whatever invoke needs (kernel params). It runs at create and again after each resize.
//   3. The interpreter plans memory and binds data pointers, then calls bind(), where a backend
//      points its kernels at the tensors' data (XNNPACK's setup). Again after each resize.
//   4. run() computes the outputs. It must not allocate and must not fail on data it was
//      prepared for.
#ifndef ERT_RUNTIME_OP_H_
#define ERT_RUNTIME_OP_H_

#include <memory>

#include <pthreadpool.h>

#include "ert_generated.h"
#include "kernels/common.h"
#include "src/runtime/status.h"
#include "src/runtime/tensor.h"

namespace ert::rt {

/// What an op sees of its operator: options, tensors and a way to report errors with context.
class OpContext {
 public:
  OpContext(int index, const fb::Operator* op, Tensor* const* inputs, int num_inputs,
            Tensor* const* outputs, int num_outputs, pthreadpool_t threadpool = nullptr)
      : index_(index), op_(op), inputs_(inputs), num_inputs_(num_inputs), outputs_(outputs),
        num_outputs_(num_outputs), threadpool_(threadpool) {}

  int index() const { return index_; }
  const fb::Operator* op() const { return op_; }
  fb::OpCode code() const { return op_->code(); }
  const char* op_name() const;
  int num_inputs() const { return num_inputs_; }
  int num_outputs() const { return num_outputs_; }
  /// Input i, or nullptr for an absent optional input (index -1 in the file).
  Tensor* input(int i) const { return inputs_[i]; }
  Tensor* output(int i) const { return outputs_[i]; }
  /// The interpreter's thread pool, or null when it runs on one thread (the caller's).
  pthreadpool_t threadpool() const { return threadpool_; }
  /// The fused activation as a clamp.
  kernels::ActivationRange activation() const;

  /// A failed Status whose message starts with "op 12 (CONV_2D): ".
  Status fail(ert_status code, const char* format, ...) const
      __attribute__((format(printf, 3, 4)));

  // Checks shared by many ops; each returns a failed Status with a full message.
  /// num_inputs in [min, max] and num_outputs == outputs.
  Status expect_counts(int min_inputs, int max_inputs, int outputs) const;
  /// Input i is present (not -1).
  Status expect_present(int i) const;
  /// Tensor `t` (called `what`, e.g. "input 0") has rank in [min_rank, max_rank].
  Status expect_rank(const Tensor& t, const char* what, int min_rank, int max_rank) const;
  /// Tensor has the given dtype (ERT_UNSUPPORTED otherwise, naming both).
  Status expect_dtype(const Tensor& t, const char* what, ert_dtype dtype) const;
  /// Tensor is a constant (weights that the reference kernels need fixed).
  Status expect_constant(const Tensor& t, const char* what) const;
  /// The options table is present and of type T (ERT_INVALID_MODEL otherwise).
  template <typename T>
  Status options(const T** out) const {
    *out = op_->options_as<T>();
    if (*out == nullptr) {
      return fail(ERT_INVALID_MODEL, "missing %s", fb::EnumNameOpOptions(fb::OpOptionsTraits<T>::enum_value));
    }
    return Status();
  }

 private:
  int index_;
  const fb::Operator* op_;
  Tensor* const* inputs_;
  int num_inputs_;
  Tensor* const* outputs_;
  int num_outputs_;
  pthreadpool_t threadpool_;
};

class Op {
 public:
  virtual ~Op() = default;
  /// Validates and sets output shapes (see the steps at the top of this file).
  virtual Status prepare(const OpContext& ctx) = 0;
  /// Points kernels at the bound data (tensors' `data` are final until the next resize).
  virtual Status bind(const OpContext& ctx) { return Status(); }
  /// Computes the outputs. No allocation.
  virtual Status run(const OpContext& ctx) = 0;
  /// False when run() no longer reads constant input i because prepare() copied it into the
  /// kernel's own layout (packed weights): the interpreter then releases its pages.
  virtual bool reads_input_at_run(int i) const { return true; }
  /// Name of the kernel that runs, for profiles ("reference").
  virtual const char* kernel_name() const { return "reference"; }
};

/// Which kernels an interpreter may choose from.
struct KernelChoice {
  /// False: only the portable reference kernels (to check the fast path against them).
  bool fast_path = true;
};

/// Creates the implementation of an op code, or returns ERT_UNSUPPORTED. With the fast path,
/// a backend (XNNPACK, own micro-kernels) wraps the reference op and takes the cases it runs;
/// the rest still run on the reference kernel.
Status create_op(fb::OpCode code, const KernelChoice& choice, std::unique_ptr<Op>* out);

}  // namespace ert::rt

#endif  // ERT_RUNTIME_OP_H_
