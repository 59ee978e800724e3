// Runs one op's prepare/run lifecycle on hand-made tensors, without a model or interpreter
// (the KernelRunner idea). Outputs get guard bytes on both sides; run() fails if a kernel wrote
// outside its output.
#ifndef ERT_TESTS_SUPPORT_OP_HARNESS_H_
#define ERT_TESTS_SUPPORT_OP_HARNESS_H_

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <vector>

#include "ert_generated.h"
#include "src/runtime/op.h"

namespace ert::testing {

/// Quantization of a test tensor; no scales means none at all.
struct TestQuant {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t axis = -1;
};

/// Per-tensor quantization.
inline TestQuant per_tensor(float scale, int64_t zero_point) {
  return TestQuant{{scale}, {zero_point}, -1};
}

/// True when `s` failed with `code` and its message contains every fragment.
bool fails_with(const Status& s, ert_status code, std::initializer_list<const char*> parts);

class OpHarness {
 public:
  explicit OpHarness(fb::OpCode code, fb::OpOptionsUnion options = fb::OpOptionsUnion(),
                     fb::Activation activation = fb::Activation::NONE);
  ~OpHarness();
  OpHarness(OpHarness&&) noexcept;

  /// Adds an f32 input. `constant` marks it as model weights. Returns its input slot.
  int add_input(kernels::Shape shape, const std::vector<float>& data, bool constant = false);
  /// Adds an input of any dtype from raw bytes.
  int add_raw_input(ert_dtype dtype, kernels::Shape shape, const std::vector<uint8_t>& bytes,
                    bool constant = false, const TestQuant& quant = TestQuant());
  /// Adds an input of any dtype with optional quantization (argument order of quantized tests).
  int add_input(ert_dtype dtype, kernels::Shape shape, const std::vector<uint8_t>& bytes,
                const TestQuant& quant = TestQuant(), bool constant = false) {
    return add_raw_input(dtype, shape, bytes, constant, quant);
  }
  int add_u8(kernels::Shape shape, const std::vector<uint8_t>& v, const TestQuant& q,
             bool constant = false) {
    return add_raw_input(ERT_U8, shape, v, constant, q);
  }
  int add_i8(kernels::Shape shape, const std::vector<int8_t>& v, const TestQuant& q,
             bool constant = false) {
    return add_raw_input(ERT_I8, shape, bytes_of(v), constant, q);
  }
  int add_i32(kernels::Shape shape, const std::vector<int32_t>& v,
              const TestQuant& q = TestQuant()) {
    return add_raw_input(ERT_I32, shape, bytes_of(v), true, q);
  }
  int add_f32(kernels::Shape shape, const std::vector<float>& v, const TestQuant& q = TestQuant()) {
    return add_raw_input(ERT_F32, shape, bytes_of(v), false, q);
  }
  /// Adds an absent optional input (index -1 in a file).
  void add_absent_input();
  /// Adds an output; its shape is set by prepare().
  int add_output(ert_dtype dtype = ERT_F32, const TestQuant& quant = TestQuant());

  /// Which kernels create_op may choose (default: the reference kernels only, which the op
  /// tests check; equivalence tests turn the fast path on). Set before prepare().
  void set_kernel_choice(rt::KernelChoice choice) { choice_ = choice; }
  /// Runs kernels on this pool (null: the caller's thread).
  void set_threadpool(pthreadpool_t pool) { threadpool_ = pool; }
  /// Replaces input i's data (same size), e.g. between runs of one prepared op.
  void set_input_data(int i, const std::vector<uint8_t>& bytes);

  /// Creates the op (first call only) and runs prepare(). After success, output_shape() is
  /// known. Calling it again after changing an input's shape prepares the same op again.
  Status prepare();
  /// Input i's tensor (to change its shape before preparing again).
  rt::Tensor& input_tensor(int i);
  /// Allocates outputs with guard bytes, binds, runs, and checks the guards.
  Status run();
  /// prepare() then run().
  Status prepare_and_run();

  kernels::Shape output_shape(int i) const;
  std::vector<float> output(int i) const;
  /// Output i as elements of type T.
  template <typename T>
  std::vector<T> output(int i) const {
    const std::vector<uint8_t> raw = raw_output(i);
    std::vector<T> v(raw.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), raw.data(), v.size() * sizeof(T));
    return v;
  }
  template <typename T>
  static std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
    std::vector<uint8_t> b(v.size() * sizeof(T));
    if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
    return b;
  }
  std::vector<uint8_t> raw_output(int i) const;
  /// The op's kernel name after prepare.
  const char* kernel_name() const;

 private:
  struct Slot;
  rt::OpContext context();

  fb::OpCode code_;
  rt::KernelChoice choice_{/*fast_path=*/false};
  pthreadpool_t threadpool_ = nullptr;
  std::vector<uint8_t> op_buffer_;
  std::vector<std::unique_ptr<Slot>> inputs_;
  std::vector<std::unique_ptr<Slot>> outputs_;
  std::vector<rt::Tensor*> input_ptrs_;
  std::vector<rt::Tensor*> output_ptrs_;
  std::unique_ptr<rt::Op> op_;
};

}  // namespace ert::testing

#endif  // ERT_TESTS_SUPPORT_OP_HARNESS_H_
