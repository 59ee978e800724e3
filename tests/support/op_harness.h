// Runs one op's prepare/run lifecycle on hand-made tensors, without a model or interpreter
// (the KernelRunner idea). Outputs get guard bytes on both sides; run() fails if a kernel wrote
// outside its output.
#ifndef ERT_TESTS_SUPPORT_OP_HARNESS_H_
#define ERT_TESTS_SUPPORT_OP_HARNESS_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "ert_generated.h"
#include "src/runtime/op.h"

namespace ert::testing {

class OpHarness {
 public:
  explicit OpHarness(fb::OpCode code, fb::OpOptionsUnion options = fb::OpOptionsUnion(),
                     fb::Activation activation = fb::Activation::NONE);
  ~OpHarness();

  /// Adds an f32 input. `constant` marks it as model weights. Returns its input slot.
  int add_input(kernels::Shape shape, const std::vector<float>& data, bool constant = false);
  /// Adds an input of any dtype from raw bytes.
  int add_raw_input(ert_dtype dtype, kernels::Shape shape, const std::vector<uint8_t>& bytes,
                    bool constant = false);
  /// Adds an absent optional input (index -1 in a file).
  void add_absent_input();
  /// Adds an output; its shape is set by prepare().
  int add_output(ert_dtype dtype = ERT_F32);

  /// Creates the op and runs prepare(). After success, output_shape() is known.
  Status prepare();
  /// Allocates outputs with guard bytes, runs, and checks the guards.
  Status run();
  /// prepare() then run().
  Status prepare_and_run();

  kernels::Shape output_shape(int i) const;
  std::vector<float> output(int i) const;
  std::vector<uint8_t> raw_output(int i) const;
  /// The op's kernel name after prepare.
  const char* kernel_name() const;

 private:
  struct Slot;
  rt::OpContext context();

  fb::OpCode code_;
  std::vector<uint8_t> op_buffer_;
  std::vector<std::unique_ptr<Slot>> inputs_;
  std::vector<std::unique_ptr<Slot>> outputs_;
  std::vector<rt::Tensor*> input_ptrs_;
  std::vector<rt::Tensor*> output_ptrs_;
  std::unique_ptr<rt::Op> op_;
};

}  // namespace ert::testing

#endif  // ERT_TESTS_SUPPORT_OP_HARNESS_H_
