// Runs a Model: creates one Op per operator, prepares them, binds tensors to the arena, invokes.
//
// Create:  tensors from the model -> create_op for each operator -> prepare all (output shapes
//          must equal the declared ones) -> use the stored, verified plan -> bind the arena.
// Resize:  new input shape -> prepare all (shapes propagate) -> plan anew -> bind.
// Invoke:  run each op in order, on the interpreter's one thread pool. Nothing is allocated.
#ifndef ERT_RUNTIME_INTERPRETER_H_
#define ERT_RUNTIME_INTERPRETER_H_

#include <memory>
#include <vector>

#include "src/runtime/model.h"
#include "src/runtime/op.h"

namespace ert::rt {

struct InterpreterOptions {
  int num_threads = 1;
  void* arena = nullptr;        // Caller-owned, 64-byte aligned; null to allocate.
  size_t arena_bytes = 0;
  size_t max_arena_bytes = 0;   // 0: no cap.
  bool fast_path = true;        // False: reference kernels only.
};

class Interpreter {
 public:
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  /// The model must outlive the interpreter.
  static Status create(const Model& model, const InterpreterOptions& options,
                       std::unique_ptr<Interpreter>* out);

  size_t input_count() const { return model_.inputs().size(); }
  size_t output_count() const { return model_.outputs().size(); }
  Tensor* input(size_t i) { return i < input_count() ? &tensors_[size_t(model_.inputs()[i])] : nullptr; }
  Tensor* output(size_t i) { return i < output_count() ? &tensors_[size_t(model_.outputs()[i])] : nullptr; }
  /// Null when no input/output has that name.
  Tensor* input_by_name(const char* name);
  Tensor* output_by_name(const char* name);
  const std::vector<Tensor>& tensors() const { return tensors_; }
  size_t num_ops() const { return ops_.size(); }
  const Op& op(size_t i) const { return *ops_[i]; }
  /// Arena bytes the current plan needs.
  size_t arena_bytes() const { return arena_bytes_; }
  /// Figures of the current plan: arena, naive sum and lower bound.
  PlanStats plan_stats() const;

  Status resize_input(size_t index, const kernels::Shape& shape);
  Status invoke();
  /// Runs op i alone (for profiling); inputs must be ready.
  Status invoke_op(size_t i);

 private:
  explicit Interpreter(const Model& model) : model_(model) {}
  Status init(const InterpreterOptions& options);
  /// Prepares every op; with `check_declared`, computed shapes must equal the file's.
  Status prepare_all(bool check_declared);
  /// Computes offsets for the current shapes (or takes the stored plan), binds data, and lets
  /// every op point its kernels at it.
  Status plan_and_bind(bool use_stored_plan);

  struct PoolDeleter {
    void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
  };

  const Model& model_;
  /// Null with one thread: everything runs on the caller's thread, and nothing spins.
  std::unique_ptr<pthreadpool, PoolDeleter> threadpool_;
  std::vector<Tensor> tensors_;
  std::vector<std::unique_ptr<Op>> ops_;
  std::vector<OpContext> contexts_;
  std::vector<Tensor*> io_;  // Input and output pointers of every op, back to back.
  /// Releases the file pages of constants that no op reads at run (packed weights).
  void release_packed_constants();
  /// fp16 constants read by ops that compute in fp32 get an fp32 copy here, made at create.
  Status widen_fp16_constants();

  std::vector<std::unique_ptr<float[]>> widened_;
  std::vector<size_t> offsets_;  // Current arena offset per tensor (arena tensors).
  BufferAssignment assignment_;  // For the current shapes.
  uint8_t* arena_ = nullptr;     // Aligned start.
  size_t arena_bytes_ = 0;
  size_t arena_capacity_ = 0;
  std::unique_ptr<uint8_t[]> owned_arena_;
  bool caller_arena_ = false;
  size_t max_arena_bytes_ = 0;
  bool ready_ = false;           // False after a failed resize.
};

}  // namespace ert::rt

#endif  // ERT_RUNTIME_INTERPRETER_H_
