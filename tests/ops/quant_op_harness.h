// Runs one op's prepare/run on hand-made tensors that carry quantization (scales, zero points,
// axis), which tests/support/op_harness.h cannot attach. Like OpHarness, outputs get guard bytes
// on both sides and poisoned contents, and run() fails if a kernel wrote outside an output.
// Header-only, for the *_quant_test.cc files.
#ifndef ERT_TESTS_OPS_QUANT_OP_HARNESS_H_
#define ERT_TESTS_OPS_QUANT_OP_HARNESS_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
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

class QuantOpHarness {
 public:
  explicit QuantOpHarness(fb::OpCode code, fb::OpOptionsUnion options = fb::OpOptionsUnion(),
                          fb::Activation activation = fb::Activation::NONE)
      : code_(code) {
    fb::OperatorT op;
    op.code = code;
    op.options = std::move(options);
    op.activation = activation;
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(fb::Operator::Pack(fbb, &op));
    op_buffer_.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }

  /// Adds an input from raw bytes with optional quantization. Returns its slot.
  int add_input(ert_dtype dtype, kernels::Shape shape, std::vector<uint8_t> bytes,
                const TestQuant& quant = TestQuant(), bool constant = false) {
    auto slot = make_slot(dtype, shape, quant);
    slot->storage = std::move(bytes);
    slot->tensor.index = int(inputs_.size());
    slot->tensor.name = "input";
    slot->tensor.is_constant = constant;
    slot->tensor.data = slot->storage.data();
    slot->tensor.bytes = slot->storage.size();
    input_ptrs_.push_back(&slot->tensor);
    inputs_.push_back(std::move(slot));
    return int(inputs_.size()) - 1;
  }
  int add_u8(kernels::Shape shape, const std::vector<uint8_t>& v, const TestQuant& q,
             bool constant = false) {
    return add_input(ERT_U8, shape, v, q, constant);
  }
  int add_i8(kernels::Shape shape, const std::vector<int8_t>& v, const TestQuant& q,
             bool constant = false) {
    return add_input(ERT_I8, shape, bytes_of(v), q, constant);
  }
  int add_i32(kernels::Shape shape, const std::vector<int32_t>& v,
              const TestQuant& q = TestQuant()) {
    return add_input(ERT_I32, shape, bytes_of(v), q, true);
  }
  int add_f32(kernels::Shape shape, const std::vector<float>& v, const TestQuant& q = TestQuant()) {
    return add_input(ERT_F32, shape, bytes_of(v), q);
  }
  void add_absent_input() { input_ptrs_.push_back(nullptr); }

  /// Adds an output; prepare() sets its shape.
  int add_output(ert_dtype dtype, const TestQuant& quant = TestQuant()) {
    auto slot = make_slot(dtype, kernels::Shape(), quant);
    slot->tensor.index = 1000 + int(outputs_.size());
    slot->tensor.name = "output";
    output_ptrs_.push_back(&slot->tensor);
    outputs_.push_back(std::move(slot));
    return int(outputs_.size()) - 1;
  }

  Status prepare() {
    ERT_RETURN_IF_ERROR(rt::create_op(code_, &op_));
    return op_->prepare(context());
  }

  Status run() {
    if (!op_) return Status(ERT_INVALID_STATE, "run() before a successful prepare()");
    for (auto& slot : outputs_) {
      rt::Tensor& t = slot->tensor;
      t.bytes = size_t(t.shape.num_elements()) * rt::dtype_size(t.dtype);
      slot->storage.assign(t.bytes + 2 * kGuard, kGuardValue);
      t.data = slot->storage.data() + kGuard;
      std::memset(t.data, 0x5A, t.bytes);
    }
    ERT_RETURN_IF_ERROR(op_->run(context()));
    for (size_t i = 0; i < outputs_.size(); ++i) {
      const auto& s = outputs_[i]->storage;
      const size_t end = kGuard + outputs_[i]->tensor.bytes;
      for (size_t b = 0; b < s.size(); ++b) {
        if ((b < kGuard || b >= end) && s[b] != kGuardValue) {
          return rt::make_status(ERT_BACKEND_ERROR, "output %zu: a byte outside it was written", i);
        }
      }
    }
    return Status();
  }

  Status prepare_and_run() {
    ERT_RETURN_IF_ERROR(prepare());
    return run();
  }

  kernels::Shape output_shape(int i) const { return outputs_[size_t(i)]->tensor.shape; }

  template <typename T>
  std::vector<T> output(int i) const {
    const rt::Tensor& t = outputs_[size_t(i)]->tensor;
    std::vector<T> v(t.bytes / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(T));
    return v;
  }

  template <typename T>
  static std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
    std::vector<uint8_t> b(v.size() * sizeof(T));
    if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
    return b;
  }

 private:
  static constexpr size_t kGuard = 64;
  static constexpr uint8_t kGuardValue = 0xA5;

  struct Slot {
    rt::Tensor tensor;
    std::vector<uint8_t> storage;
    std::vector<uint8_t> quant_buffer;  // A finished fb::Quantization table, if any.
  };

  static std::unique_ptr<Slot> make_slot(ert_dtype dtype, kernels::Shape shape,
                                         const TestQuant& quant) {
    auto slot = std::make_unique<Slot>();
    slot->tensor.dtype = dtype;
    slot->tensor.shape = shape;
    if (!quant.scales.empty() || !quant.zero_points.empty()) {
      fb::QuantizationT q;
      q.scale = quant.scales;
      q.zero_point = quant.zero_points;
      q.axis = quant.axis;
      flatbuffers::FlatBufferBuilder fbb;
      fbb.Finish(fb::Quantization::Pack(fbb, &q));
      slot->quant_buffer.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
      slot->tensor.quant = flatbuffers::GetRoot<fb::Quantization>(slot->quant_buffer.data());
    }
    return slot;
  }

  rt::OpContext context() {
    const auto* op = flatbuffers::GetRoot<fb::Operator>(op_buffer_.data());
    return rt::OpContext(0, op, input_ptrs_.data(), int(input_ptrs_.size()), output_ptrs_.data(),
                         int(output_ptrs_.size()));
  }

  fb::OpCode code_;
  std::vector<uint8_t> op_buffer_;
  std::vector<std::unique_ptr<Slot>> inputs_;
  std::vector<std::unique_ptr<Slot>> outputs_;
  std::vector<rt::Tensor*> input_ptrs_;
  std::vector<rt::Tensor*> output_ptrs_;
  std::unique_ptr<rt::Op> op_;
};

/// True when `s` failed with `code` and its message contains every fragment.
inline bool fails_with(const Status& s, ert_status code, std::initializer_list<const char*> parts) {
  if (s.ok() || s.code() != code) return false;
  for (const char* p : parts) {
    if (s.message().find(p) == std::string::npos) return false;
  }
  return true;
}

}  // namespace ert::testing

#endif  // ERT_TESTS_OPS_QUANT_OP_HARNESS_H_
