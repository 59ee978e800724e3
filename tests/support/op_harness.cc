#include "tests/support/op_harness.h"

#include <cstring>

namespace ert::testing {

namespace {
constexpr size_t kGuardBytes = 64;
constexpr uint8_t kGuardValue = 0xA5;
// Kernels may read (never write) up to 16 bytes past an input, as XNNPACK does; the interpreter's
// arena has that slack, so inputs here get it too.
constexpr size_t kInputSlackBytes = 64;
}  // namespace

struct OpHarness::Slot {
  rt::Tensor tensor;
  std::vector<uint8_t> storage;       // For outputs: guard + data + guard.
  std::vector<uint8_t> quant_buffer;  // A finished fb::Quantization table, if any.

  void set_quant(const TestQuant& quant) {
    if (quant.scales.empty() && quant.zero_points.empty()) return;
    fb::QuantizationT q;
    q.scale = quant.scales;
    q.zero_point = quant.zero_points;
    q.axis = quant.axis;
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(fb::Quantization::Pack(fbb, &q));
    quant_buffer.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    tensor.quant = flatbuffers::GetRoot<fb::Quantization>(quant_buffer.data());
  }
};

bool fails_with(const Status& s, ert_status code, std::initializer_list<const char*> parts) {
  if (s.ok() || s.code() != code) return false;
  for (const char* p : parts) {
    if (s.message().find(p) == std::string::npos) return false;
  }
  return true;
}

OpHarness::OpHarness(fb::OpCode code, fb::OpOptionsUnion options, fb::Activation activation)
    : code_(code) {
  fb::OperatorT op;
  op.code = code;
  op.options = std::move(options);
  op.activation = activation;
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Operator::Pack(fbb, &op));
  op_buffer_.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

OpHarness::~OpHarness() = default;
OpHarness::OpHarness(OpHarness&&) noexcept = default;

int OpHarness::add_raw_input(ert_dtype dtype, kernels::Shape shape,
                             const std::vector<uint8_t>& bytes, bool constant,
                             const TestQuant& quant) {
  auto slot = std::make_unique<Slot>();
  slot->set_quant(quant);
  slot->storage = bytes;
  slot->storage.resize(bytes.size() + kInputSlackBytes, 0);
  rt::Tensor& t = slot->tensor;
  t.index = int(inputs_.size());
  t.name = "input";
  t.dtype = dtype;
  t.shape = shape;
  t.is_constant = constant;
  t.data = slot->storage.data();
  t.bytes = bytes.size();
  input_ptrs_.push_back(&slot->tensor);
  inputs_.push_back(std::move(slot));
  return int(inputs_.size()) - 1;
}

int OpHarness::add_input(kernels::Shape shape, const std::vector<float>& data, bool constant) {
  std::vector<uint8_t> bytes(data.size() * sizeof(float));
  if (!data.empty()) std::memcpy(bytes.data(), data.data(), bytes.size());
  return add_raw_input(ERT_F32, shape, bytes, constant);
}

void OpHarness::add_absent_input() { input_ptrs_.push_back(nullptr); }

int OpHarness::add_output(ert_dtype dtype, const TestQuant& quant) {
  auto slot = std::make_unique<Slot>();
  slot->set_quant(quant);
  slot->tensor.index = 1000 + int(outputs_.size());
  slot->tensor.name = "output";
  slot->tensor.dtype = dtype;
  output_ptrs_.push_back(&slot->tensor);
  outputs_.push_back(std::move(slot));
  return int(outputs_.size()) - 1;
}

rt::OpContext OpHarness::context() {
  const auto* op = flatbuffers::GetRoot<fb::Operator>(op_buffer_.data());
  return rt::OpContext(0, op, input_ptrs_.data(), int(input_ptrs_.size()), output_ptrs_.data(),
                       int(output_ptrs_.size()), threadpool_);
}

Status OpHarness::prepare() {
  if (!op_) ERT_RETURN_IF_ERROR(rt::create_op(code_, choice_, &op_));
  return op_->prepare(context());
}

Status OpHarness::run() {
  if (!op_) return Status(ERT_INVALID_STATE, "run() before a successful prepare()");
  for (auto& slot : outputs_) {
    rt::Tensor& t = slot->tensor;
    const int64_t n = t.shape.num_elements();
    t.bytes = size_t(n) * rt::dtype_size(t.dtype);
    slot->storage.assign(t.bytes + 2 * kGuardBytes, kGuardValue);
    t.data = slot->storage.data() + kGuardBytes;
    // Poison the output itself so a kernel that skips elements is caught.
    std::memset(t.data, 0xFF, t.bytes);
  }
  ERT_RETURN_IF_ERROR(op_->bind(context()));
  ERT_RETURN_IF_ERROR(op_->run(context()));
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const auto& s = outputs_[i]->storage;
    const size_t data_end = kGuardBytes + outputs_[i]->tensor.bytes;
    for (size_t b = 0; b < s.size(); ++b) {
      if ((b < kGuardBytes || b >= data_end) && s[b] != kGuardValue) {
        return rt::make_status(ERT_BACKEND_ERROR, "output %zu: byte %lld outside the tensor was written", i,
                               static_cast<long long>(b) - static_cast<long long>(kGuardBytes));
      }
    }
  }
  return Status();
}

Status OpHarness::prepare_and_run() {
  ERT_RETURN_IF_ERROR(prepare());
  return run();
}

kernels::Shape OpHarness::output_shape(int i) const { return outputs_[size_t(i)]->tensor.shape; }

std::vector<float> OpHarness::output(int i) const {
  const rt::Tensor& t = outputs_[size_t(i)]->tensor;
  std::vector<float> v(t.bytes / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(float));
  return v;
}

std::vector<uint8_t> OpHarness::raw_output(int i) const {
  const rt::Tensor& t = outputs_[size_t(i)]->tensor;
  return std::vector<uint8_t>(t.data, t.data + t.bytes);
}

rt::Tensor& OpHarness::input_tensor(int i) { return inputs_[size_t(i)]->tensor; }

void OpHarness::set_input_data(int i, const std::vector<uint8_t>& bytes) {
  Slot& slot = *inputs_[size_t(i)];
  slot.storage.assign(bytes.begin(), bytes.end());
  slot.storage.resize(bytes.size() + kInputSlackBytes, 0);
  slot.tensor.data = slot.storage.data();
  slot.tensor.bytes = bytes.size();
}

const char* OpHarness::kernel_name() const { return op_ ? op_->kernel_name() : ""; }

}  // namespace ert::testing
