// FlexBuffers (custom op options) parse numbers stored as strings with FlatBuffers' locale-free
// helpers by default, which live in libflatbuffers; edgert links no FlatBuffers library, so this
// file uses the C library's functions instead. It must precede every FlatBuffers include.
#define FLATBUFFERS_LOCALE_INDEPENDENT 0

#include "src/convert/tflite_importer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_set>
#include <utility>

#include "flatbuffers/flexbuffers.h"
#include "src/convert/densify.h"
#include "src/convert/sha256.h"
#include "src/runtime/limits.h"
#include "src/runtime/status.h"
#include "tflite_schema_generated.h"

namespace ert::cvt {

namespace {

namespace tfl = ::ert::tflite;

constexpr char kIdentifier[] = "TFL3";

// ---- Small helpers ------------------------------------------------------------------------------

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string s(n > 0 ? size_t(n) : 0, '\0');
  if (n > 0) std::vsnprintf(&s[0], size_t(n) + 1, fmt, args);
  va_end(args);
  return s;
}

std::string shape_string(const std::vector<int32_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

template <typename T>
std::string values_string(const std::vector<T>& v) {
  std::vector<int32_t> as_int(v.begin(), v.end());
  return shape_string(as_int);
}

const char* type_name(tfl::TensorType type) {
  const char* name = tfl::EnumNameTensorType(type);
  return name[0] != '\0' ? name : "an unknown type";
}

// Bytes per element of the types with a fixed size; 0 for the others (strings, packed 4-bit...).
size_t type_size(tfl::TensorType type) {
  switch (type) {
    case tfl::TensorType::BOOL:
    case tfl::TensorType::INT8:
    case tfl::TensorType::UINT8:
      return 1;
    case tfl::TensorType::FLOAT16:
    case tfl::TensorType::INT16:
    case tfl::TensorType::UINT16:
      return 2;
    case tfl::TensorType::FLOAT32:
    case tfl::TensorType::INT32:
    case tfl::TensorType::UINT32:
      return 4;
    case tfl::TensorType::INT64:
    case tfl::TensorType::UINT64:
    case tfl::TensorType::FLOAT64:
    case tfl::TensorType::COMPLEX64:
      return 8;
    case tfl::TensorType::COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

// The edgert dtype of a TFLite type; false when edgert has none.
bool to_ert_dtype(tfl::TensorType type, fb::DType* out) {
  switch (type) {
    case tfl::TensorType::FLOAT32:
      *out = fb::DType::F32;
      return true;
    case tfl::TensorType::FLOAT16:
      *out = fb::DType::F16;
      return true;
    case tfl::TensorType::INT8:
      *out = fb::DType::I8;
      return true;
    case tfl::TensorType::UINT8:
      *out = fb::DType::U8;
      return true;
    case tfl::TensorType::INT32:
      *out = fb::DType::I32;
      return true;
    case tfl::TensorType::INT64:
      *out = fb::DType::I64;
      return true;
    case tfl::TensorType::BOOL:
      *out = fb::DType::BOOL;
      return true;
    default:
      return false;
  }
}

Status invalid(const std::string& message) { return Status(ERT_INVALID_MODEL, message); }
Status unsupported(const std::string& message) { return Status(ERT_UNSUPPORTED, message); }

// ---- What the importer knows about each TFLite tensor -------------------------------------------

struct TensorInfo {
  const tfl::Tensor* tensor = nullptr;
  std::string name;  // As in the file; may be empty or repeated.
  tfl::TensorType type = tfl::TensorType::FLOAT32;
  std::vector<int32_t> shape;  // All dims >= 0 (checked).
  uint64_t elements = 0;
  const uint8_t* data = nullptr;  // Constant bytes (file or `folded`); null for activations.
  size_t bytes = 0;
  bool sparse = false;          // A sparse constant: its bytes are not the dense values.
  std::vector<uint8_t> folded;  // Value computed at import time by a folding handler.
  int producer = -1;            // The op that writes it; -1 when none.
  bool graph_input = false;
  int ert = -1;  // Its index in the ModelBuilder once created.

  bool is_constant() const { return data != nullptr; }
};

std::string tensor_label(int index, const TensorInfo& info) {
  return format("tensor %d '%s'", index, info.name.c_str());
}

class Importer;
class OpImport;

// An op handler maps one TFLite operator: it reads the options and parameter tensors through
// OpImport and emits edgert ops, or defines its outputs as constants (folding). It returns OK,
// ERT_UNSUPPORTED with the reason (collected; the import goes on with the next op), or another
// error such as ERT_INVALID_MODEL (the import stops).
using OpHandler = Status (*)(OpImport& op);

// ---- The importer -------------------------------------------------------------------------------

class Importer {
 public:
  Importer(const uint8_t* data, size_t size, ModelBuilder* out)
      : data_(data), size_(size), out_(out) {}

  // Verifies the file and checks every index and size in subgraph 0.
  Status load(TfliteImportReport* report);
  // Creates the graph inputs, maps every op (collecting what cannot be mapped), then the outputs.
  Status import(std::vector<TfliteUnsupported>* issues);

  const tfl::Model& model() const { return *model_; }
  const tfl::SubGraph& subgraph() const { return *subgraph_; }
  size_t file_size() const { return size_; }
  const uint8_t* file_data() const { return data_; }
  ModelBuilder& builder() { return *out_; }
  TensorInfo& tensor(int index) { return tensors_[size_t(index)]; }

  // The edgert tensor for a TFLite tensor, created on first use (a constant if it has a value).
  Status ert_tensor(int index, int* out);

 private:
  Status check_buffers();
  Status check_tensor(int index);
  Status check_operators();
  Status quantization_of(int index, std::unique_ptr<fb::QuantizationT>* out);
  std::string unique_name(int index);

  const uint8_t* data_;
  size_t size_;
  ModelBuilder* out_;
  const tfl::Model* model_ = nullptr;
  const tfl::SubGraph* subgraph_ = nullptr;
  std::vector<TensorInfo> tensors_;
  std::vector<std::pair<const uint8_t*, size_t>> buffers_;  // Bytes of each buffer (may be empty).
  std::unordered_set<std::string> names_;
};

// The view of one operator that handlers work with.
class OpImport {
 public:
  OpImport(Importer& imp, int index, const tfl::Operator& op, const std::string& name)
      : imp_(imp), index_(index), op_(op), name_(name) {}

  int index() const { return index_; }
  const std::string& name() const { return name_; }
  const tfl::Operator& op() const { return op_; }
  Importer& importer() { return imp_; }

  size_t num_inputs() const { return op_.inputs() ? op_.inputs()->size() : 0; }
  size_t num_outputs() const { return op_.outputs() ? op_.outputs()->size() : 0; }
  // TFLite tensor index of input i; -1 when absent (optional input, or beyond the list).
  int input_index(size_t i) const {
    return i < num_inputs() ? op_.inputs()->Get(flatbuffers::uoffset_t(i)) : -1;
  }
  int output_index(size_t i) const {
    return i < num_outputs() ? op_.outputs()->Get(flatbuffers::uoffset_t(i)) : -1;
  }
  // Description of input i; an absent input reads as an empty, non-constant tensor.
  const TensorInfo& input_info(size_t i) {
    static const TensorInfo kAbsent;
    const int t = input_index(i);
    return t >= 0 ? imp_.tensor(t) : kAbsent;
  }

  // Fails (invalid model) unless the op has min_in..max_in inputs and exactly n_out outputs.
  Status expect_counts(size_t min_in, size_t max_in, size_t n_out) const {
    if (num_inputs() < min_in || num_inputs() > max_in) {
      if (min_in == max_in)
        return invalid(format("has %zu inputs, needs %zu", num_inputs(), min_in));
      return invalid(format("has %zu inputs, needs %zu to %zu", num_inputs(), min_in, max_in));
    }
    if (num_outputs() != n_out) {
      return invalid(format("has %zu outputs, needs %zu", num_outputs(), n_out));
    }
    return Status();
  }

  // The builtin options as table T: null when absent (an error when `required`); an error when
  // the options are of another type.
  template <typename T>
  Status options(const T** out, bool required) const {
    *out = nullptr;
    const tfl::BuiltinOptions want = tfl::BuiltinOptionsTraits<T>::enum_value;
    const tfl::BuiltinOptions got = op_.builtin_options_type();
    if (got == tfl::BuiltinOptions::NONE || op_.builtin_options() == nullptr) {
      if (required) return invalid(format("has no %s", tfl::EnumNameBuiltinOptions(want)));
      return Status();
    }
    if (got != want) {
      const char* got_name = tfl::EnumNameBuiltinOptions(got);
      return invalid(format("has options of type %s (tag %d), expected %s",
                            got_name[0] ? got_name : "unknown", int(got),
                            tfl::EnumNameBuiltinOptions(want)));
    }
    *out = static_cast<const T*>(op_.builtin_options());
    return Status();
  }

  // TFLite's fused activation as edgert's; TANH and SIGN_BIT have no clamp form.
  Status activation(tfl::ActivationFunctionType a, fb::Activation* out) const {
    switch (a) {
      case tfl::ActivationFunctionType::NONE:
        *out = fb::Activation::NONE;
        return Status();
      case tfl::ActivationFunctionType::RELU:
        *out = fb::Activation::RELU;
        return Status();
      case tfl::ActivationFunctionType::RELU6:
        *out = fb::Activation::RELU6;
        return Status();
      case tfl::ActivationFunctionType::RELU_N1_TO_1:
        *out = fb::Activation::RELU_N1_TO_1;
        return Status();
      case tfl::ActivationFunctionType::TANH:
      case tfl::ActivationFunctionType::SIGN_BIT:
        return unsupported(format("fused activation %s", tfl::EnumNameActivationFunctionType(a)));
    }
    return invalid(format("unknown fused activation %d", int(a)));
  }

  Status padding(tfl::Padding p, fb::Padding* out) const {
    if (p == tfl::Padding::SAME)
      *out = fb::Padding::SAME;
    else if (p == tfl::Padding::VALID)
      *out = fb::Padding::VALID;
    else
      return invalid(format("unknown padding %d", int(p)));
    return Status();
  }

  // The edgert tensor of data input i. An absent input gives -1 when `optional`, else an error.
  Status data_input(size_t i, bool optional, int* out) {
    const int t = input_index(i);
    if (t < 0) {
      if (optional) {
        *out = -1;
        return Status();
      }
      return invalid(format("input %zu is missing", i));
    }
    return with_context_unsupported(imp_.ert_tensor(t, out), format("input %zu", i));
  }
  Status output(size_t i, int* out) {
    const int t = output_index(i);
    if (t < 0) return invalid(format("output %zu is missing", i));
    return with_context_unsupported(imp_.ert_tensor(t, out), format("output %zu", i));
  }

  // Reads constant parameter input i (INT32 or INT64) as int32 values.
  Status int_param(size_t i, const char* what, std::vector<int32_t>* values) {
    values->clear();
    const int t = input_index(i);
    if (t < 0) return invalid(format("the %s (input %zu) is missing", what, i));
    const TensorInfo& info = imp_.tensor(t);
    // A tensor with no elements has no buffer to mark it constant; nothing writes it either.
    const bool empty = info.elements == 0 && info.producer < 0 && !info.graph_input;
    if (empty) return Status();
    if (!info.is_constant()) {
      return unsupported(
          format("the %s (input %zu, %s) is computed at run time; edgert needs "
                 "it constant",
                 what, i, tensor_label(t, info).c_str()));
    }
    if (info.sparse) {
      return unsupported(format("the %s (input %zu) is a sparse constant", what, i));
    }
    if (info.type == tfl::TensorType::INT32) {
      values->resize(info.bytes / 4);
      std::memcpy(values->data(), info.data, values->size() * 4);
    } else if (info.type == tfl::TensorType::INT64) {
      for (size_t k = 0; k < info.bytes / 8; ++k) {
        int64_t v;
        std::memcpy(&v, info.data + 8 * k, 8);
        if (v < INT32_MIN || v > INT32_MAX) {
          return invalid(format("the %s (input %zu) holds %" PRId64 ", beyond int32", what, i, v));
        }
        values->push_back(int32_t(v));
      }
    } else {
      return invalid(format("the %s (input %zu) has dtype %s, expected INT32 or INT64", what, i,
                            type_name(info.type)));
    }
    return Status();
  }

  // Appends the edgert op.
  void emit(fb::OpCode code, const std::vector<int>& inputs, const std::vector<int>& outputs,
            fb::OpOptionsUnion options = fb::OpOptionsUnion(),
            fb::Activation act = fb::Activation::NONE) {
    imp_.builder().add_op(code, inputs, outputs, std::move(options), act);
  }

  // For folding handlers: gives output i a value computed now, in the output's declared type and
  // shape; ops that read it then see a constant, created only if something uses it.
  Status set_output_value(size_t i, std::vector<uint8_t> bytes) {
    const int t = output_index(i);
    if (t < 0) return invalid(format("output %zu is missing", i));
    TensorInfo& info = imp_.tensor(t);
    size_t want = 0;
    if (type_size(info.type) == 0 ||
        __builtin_mul_overflow(info.elements, uint64_t(type_size(info.type)), &want) ||
        bytes.size() != want) {
      return invalid(format("folded value of output %zu has %zu bytes, %s needs %zu", i,
                            bytes.size(), tensor_label(t, info).c_str(), want));
    }
    info.folded = std::move(bytes);
    info.data = info.folded.data();
    info.bytes = info.folded.size();
    info.sparse = false;
    return Status();
  }

  // The raw custom options of a custom op (inside the FlatBuffer, or after it in large files).
  Status custom_options(const uint8_t** data, size_t* size) const {
    *data = nullptr;
    *size = 0;
    if (op_.custom_options() != nullptr && op_.custom_options()->size() > 0) {
      *data = op_.custom_options()->data();
      *size = op_.custom_options()->size();
    } else if (op_.large_custom_options_offset() > 1) {
      const uint64_t offset = op_.large_custom_options_offset();
      const uint64_t length = op_.large_custom_options_size();
      if (offset > imp_.file_size() || length > imp_.file_size() - offset) {
        return invalid(format("custom options at offset %" PRIu64 " (%" PRIu64 " bytes) lie "
                              "beyond the end of the %zu-byte file",
                              offset, length, imp_.file_size()));
      }
      *data = imp_.file_data() + offset;
      *size = size_t(length);
    }
    return Status();
  }

 private:
  static Status with_context_unsupported(const Status& s, const std::string& where) {
    return s.ok() ? s : Status(s.code(), where + ": " + s.message());
  }

  Importer& imp_;
  int index_;
  const tfl::Operator& op_;
  const std::string& name_;
};

// Verification steps:
//  1. the identifier and the FlatBuffers verifier (which bounds every table, vector and string);
//  2. buffers: external ones (offset/size) lie inside the file;
//  3. tensors: buffer index, dims, constant sizes, quantization;
//  4. operators: op code index, tensor indices, one writer per tensor, execution order;
//  5. graph inputs and outputs.
Status Importer::load(TfliteImportReport* report) {
  if (size_ < 8) {
    return invalid(format("not a TFLite model: the file has %zu bytes", size_));
  }
  if (!flatbuffers::BufferHasIdentifier(data_, kIdentifier)) {
    std::string id;
    for (int i = 4; i < 8; ++i) {
      const char c = char(data_[i]);
      id += (c >= 0x20 && c < 0x7f) ? std::string(1, c) : format("\\x%02x", data_[i]);
    }
    return invalid(format("not a TFLite model: file identifier is \"%s\", expected \"%s\"",
                          id.c_str(), kIdentifier));
  }
  // The FlatBuffer is at the start of the file; in files over 2 GB only the constants after it
  // reach further, and the verifier accepts at most that size.
  const size_t verify_size = std::min<size_t>(size_, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  // The default cap of a million tables would refuse a file just over edgert's operator or
  // tensor caps as "corrupt"; with the .ert verifier's cap, the count checks below say why.
  flatbuffers::Verifier::Options options;
  options.max_depth = 64;
  options.max_tables = 10 * 1000 * 1000;
  flatbuffers::Verifier verifier(data_, verify_size, options);
  if (!tfl::VerifyModelBuffer(verifier)) {
    return invalid("the TFLite FlatBuffer fails verification (truncated or corrupt file)");
  }
  model_ = tfl::GetModel(data_);
  if (model_->subgraphs() == nullptr || model_->subgraphs()->size() == 0) {
    return invalid("the TFLite model has no subgraph");
  }
  subgraph_ = model_->subgraphs()->Get(0);
  const size_t num_tensors = subgraph_->tensors() ? subgraph_->tensors()->size() : 0;
  const size_t num_ops = subgraph_->operators() ? subgraph_->operators()->size() : 0;
  report->subgraphs = model_->subgraphs()->size();
  report->tflite_tensors = num_tensors;
  report->tflite_operators = num_ops;
  if (num_tensors > rt::kMaxTensors) {
    return unsupported(
        format("%zu tensors, edgert takes at most %zu", num_tensors, rt::kMaxTensors));
  }
  if (num_ops > rt::kMaxOperators) {
    return unsupported(
        format("%zu operators, edgert takes at most %zu", num_ops, rt::kMaxOperators));
  }
  ERT_RETURN_IF_ERROR(check_buffers());
  tensors_.resize(num_tensors);
  for (size_t i = 0; i < num_tensors; ++i) ERT_RETURN_IF_ERROR(check_tensor(int(i)));
  return check_operators();
}

Status Importer::check_buffers() {
  const auto* buffers = model_->buffers();
  const size_t n = buffers ? buffers->size() : 0;
  buffers_.assign(n, {nullptr, 0});
  for (size_t i = 0; i < n; ++i) {
    const tfl::Buffer* b = buffers->Get(flatbuffers::uoffset_t(i));
    if (b->data() != nullptr && b->data()->size() > 0) {
      buffers_[i] = {b->data()->data(), b->data()->size()};
    } else if (b->offset() > 1) {
      // Stored after the FlatBuffer; TFLite marks such buffers with an offset above 1.
      const uint64_t offset = b->offset();
      const uint64_t length = b->size();
      if (offset > size_ || length > size_ - offset) {
        return invalid(format("buffer %zu: %" PRIu64 " bytes at offset %" PRIu64
                              " lie beyond the end of the %zu-byte file",
                              i, length, offset, size_));
      }
      if (length > 0) buffers_[i] = {data_ + offset, size_t(length)};
    }
  }
  return Status();
}

Status Importer::check_tensor(int index) {
  TensorInfo& info = tensors_[size_t(index)];
  const tfl::Tensor* t = subgraph_->tensors()->Get(flatbuffers::uoffset_t(index));
  info.tensor = t;
  info.name = t->name() ? t->name()->str() : std::string();
  info.type = t->type();
  info.sparse = t->sparsity() != nullptr;
  const std::string label = tensor_label(index, info);

  // The static shape; shape_signature only marks which of its dims may vary (-1), and edgert
  // plans for the static one.
  info.elements = 1;
  bool has_zero_dim = false;
  if (t->shape() != nullptr) {
    for (flatbuffers::uoffset_t d = 0; d < t->shape()->size(); ++d) {
      const int32_t dim = t->shape()->Get(d);
      if (dim < 0) {
        return invalid(format("%s: dimension %u of its shape is %d", label.c_str(), d, dim));
      }
      info.shape.push_back(dim);
      has_zero_dim = has_zero_dim || dim == 0;
      // Saturate: a count this large is rejected wherever it matters.
      info.elements = info.elements > (uint64_t(1) << 62) / (uint64_t(dim) + 1)
                          ? (uint64_t(1) << 62)
                          : info.elements * uint64_t(dim);
    }
  }
  if (has_zero_dim) info.elements = 0;

  const uint32_t buffer = t->buffer();
  if (buffer >= buffers_.size()) {
    // A file with no buffers at all may still use the "no data" index 0.
    if (!(buffer == 0 && buffers_.empty())) {
      return invalid(format("%s: buffer index %u out of range (the model has %zu buffers)",
                            label.c_str(), buffer, buffers_.size()));
    }
  } else if (buffers_[buffer].first != nullptr) {
    info.data = buffers_[buffer].first;
    info.bytes = buffers_[buffer].second;
    const size_t elem = type_size(info.type);
    if (!info.sparse && elem > 0) {
      // Counts below the 2^62 saturation still wrap 64 bits when multiplied by 8 or 16 bytes
      // (2^61 + 8 INT64 elements make 64 bytes): unchecked, a huge shape matched a small buffer.
      uint64_t want = 0;
      if (info.elements >= (uint64_t(1) << 62) ||
          __builtin_mul_overflow(info.elements, uint64_t(elem), &want)) {
        return invalid(
            format("%s: shape %s is too large", label.c_str(), shape_string(info.shape).c_str()));
      }
      if (want != info.bytes) {
        return invalid(format("%s: buffer %u holds %zu bytes, but shape %s of %s needs %" PRIu64,
                              label.c_str(), buffer, info.bytes, shape_string(info.shape).c_str(),
                              type_name(info.type), want));
      }
    }
  }

  // Quantization parameters must be consistent (converted lazily, checked for every tensor).
  const tfl::QuantizationParameters* q = t->quantization();
  if (q != nullptr && q->scale() != nullptr && q->scale()->size() > 0) {
    const size_t n = q->scale()->size();
    const size_t nz = q->zero_point() ? q->zero_point()->size() : 0;
    if (nz != n) {
      return invalid(
          format("%s: %zu quantization scales but %zu zero points", label.c_str(), n, nz));
    }
    if (n > 1) {
      const int32_t axis = q->quantized_dimension();
      if (axis < 0 || size_t(axis) >= info.shape.size() || size_t(info.shape[size_t(axis)]) != n) {
        return invalid(format("%s: %zu quantization scales along dimension %d of shape %s",
                              label.c_str(), n, axis, shape_string(info.shape).c_str()));
      }
    }
  }
  return Status();
}

Status Importer::check_operators() {
  const int num_tensors = int(tensors_.size());
  const size_t num_codes = model_->operator_codes() ? model_->operator_codes()->size() : 0;
  const auto* inputs = subgraph_->inputs();
  const auto* outputs = subgraph_->outputs();
  if (inputs != nullptr) {
    for (flatbuffers::uoffset_t i = 0; i < inputs->size(); ++i) {
      const int t = inputs->Get(i);
      if (t < 0 || t >= num_tensors) {
        return invalid(
            format("graph input %u is tensor %d, out of range (the subgraph has %d "
                   "tensors)",
                   i, t, num_tensors));
      }
      if (tensors_[size_t(t)].is_constant()) {
        return invalid(format("graph input %u is %s, a constant", i,
                              tensor_label(t, tensors_[size_t(t)]).c_str()));
      }
      tensors_[size_t(t)].graph_input = true;
    }
  }
  const auto* ops = subgraph_->operators();
  const size_t num_ops = ops ? ops->size() : 0;
  // Pass 1: indices, counts, and the single writer of every tensor.
  for (size_t i = 0; i < num_ops; ++i) {
    const tfl::Operator* op = ops->Get(flatbuffers::uoffset_t(i));
    if (op->opcode_index() >= num_codes) {
      return invalid(format("op %zu: op code index %u out of range (the model has %zu op codes)", i,
                            op->opcode_index(), num_codes));
    }
    const size_t n_in = op->inputs() ? op->inputs()->size() : 0;
    const size_t n_out = op->outputs() ? op->outputs()->size() : 0;
    if (n_in > rt::kMaxOpInputs || n_out > rt::kMaxOpOutputs) {
      return invalid(format("op %zu: %zu inputs and %zu outputs, at most %zu and %zu", i, n_in,
                            n_out, rt::kMaxOpInputs, rt::kMaxOpOutputs));
    }
    for (size_t k = 0; k < n_in; ++k) {
      const int t = op->inputs()->Get(flatbuffers::uoffset_t(k));
      if (t < -1 || t >= num_tensors) {
        return invalid(
            format("op %zu: input %zu is tensor %d, out of range (the subgraph has %d "
                   "tensors)",
                   i, k, t, num_tensors));
      }
    }
    for (size_t k = 0; k < n_out; ++k) {
      const int t = op->outputs()->Get(flatbuffers::uoffset_t(k));
      if (t < 0 || t >= num_tensors) {
        return invalid(
            format("op %zu: output %zu is tensor %d, out of range (the subgraph has "
                   "%d tensors)",
                   i, k, t, num_tensors));
      }
      TensorInfo& info = tensors_[size_t(t)];
      const std::string label = tensor_label(t, info);
      if (info.is_constant()) {
        return invalid(format("op %zu: output %zu is %s, a constant", i, k, label.c_str()));
      }
      if (info.graph_input) {
        return invalid(format("op %zu: output %zu is %s, a graph input", i, k, label.c_str()));
      }
      if (info.producer >= 0) {
        return invalid(format("op %zu: output %zu is %s, already written by op %d", i, k,
                              label.c_str(), info.producer));
      }
      info.producer = int(i);
    }
  }
  // Pass 2: every input exists by the time its op runs.
  for (size_t i = 0; i < num_ops; ++i) {
    const tfl::Operator* op = ops->Get(flatbuffers::uoffset_t(i));
    const size_t n_in = op->inputs() ? op->inputs()->size() : 0;
    for (size_t k = 0; k < n_in; ++k) {
      const int t = op->inputs()->Get(flatbuffers::uoffset_t(k));
      if (t < 0) continue;
      const TensorInfo& info = tensors_[size_t(t)];
      if (info.is_constant() || info.graph_input || info.tensor->is_variable()) continue;
      if (info.producer < 0) {
        return invalid(
            format("op %zu: input %zu is %s, which is not a constant, a graph input "
                   "or written by any op",
                   i, k, tensor_label(t, info).c_str()));
      }
      if (size_t(info.producer) >= i) {
        return invalid(format("op %zu: input %zu is %s, written only later by op %d", i, k,
                              tensor_label(t, info).c_str(), info.producer));
      }
    }
  }
  if (outputs != nullptr) {
    for (flatbuffers::uoffset_t i = 0; i < outputs->size(); ++i) {
      const int t = outputs->Get(i);
      if (t < 0 || t >= num_tensors) {
        return invalid(
            format("graph output %u is tensor %d, out of range (the subgraph has %d "
                   "tensors)",
                   i, t, num_tensors));
      }
      const TensorInfo& info = tensors_[size_t(t)];
      if (info.producer < 0 && !info.graph_input && !info.is_constant()) {
        return invalid(format("graph output %u is %s, which nothing writes", i,
                              tensor_label(t, info).c_str()));
      }
    }
  }
  return Status();
}

Status Importer::quantization_of(int index, std::unique_ptr<fb::QuantizationT>* out) {
  const TensorInfo& info = tensors_[size_t(index)];
  const tfl::QuantizationParameters* q = info.tensor->quantization();
  if (q == nullptr) return Status();
  if (q->details_type() != tfl::QuantizationDetails::NONE) {
    return unsupported(
        format("%s uses a custom quantization scheme", tensor_label(index, info).c_str()));
  }
  // Only min/max (calibration ranges) and no scale: not a quantized tensor.
  if (q->scale() == nullptr || q->scale()->size() == 0) return Status();
  auto quant = std::make_unique<fb::QuantizationT>();
  quant->scale.assign(q->scale()->begin(), q->scale()->end());
  quant->zero_point.assign(q->zero_point()->begin(), q->zero_point()->end());  // Same count.
  quant->axis = quant->scale.size() > 1 ? q->quantized_dimension() : -1;
  *out = std::move(quant);
  return Status();
}

// TFLite names need not be unique (or present); edgert's must be, for lookups by name.
std::string Importer::unique_name(int index) {
  const TensorInfo& info = tensors_[size_t(index)];
  std::string name = info.name.empty() ? format("tensor_%d", index) : info.name;
  while (!names_.insert(name).second) name += format("_%d", index);
  return name;
}

Status Importer::ert_tensor(int index, int* out) {
  TensorInfo& info = tensors_[size_t(index)];
  if (info.ert >= 0) {
    *out = info.ert;
    return Status();
  }
  const std::string label = tensor_label(index, info);
  fb::DType dtype;
  if (!to_ert_dtype(info.type, &dtype)) {
    return unsupported(
        format("%s has dtype %s, which edgert cannot hold", label.c_str(), type_name(info.type)));
  }
  if (info.shape.size() > size_t(rt::kMaxRank)) {
    return unsupported(format("%s has %zu dimensions, edgert takes at most %d", label.c_str(),
                              info.shape.size(), rt::kMaxRank));
  }
  if (info.tensor->is_variable()) {
    return unsupported(format("%s is a variable (state) tensor", label.c_str()));
  }
  if (info.is_constant() && info.sparse) {
    return unsupported(format("%s is a sparse constant (it needs DENSIFY)", label.c_str()));
  }
  std::unique_ptr<fb::QuantizationT> quant;
  ERT_RETURN_IF_ERROR(quantization_of(index, &quant));
  const std::string name = unique_name(index);
  if (info.is_constant()) {
    info.ert = out_->add_constant(name, dtype, info.shape, info.data, info.bytes, std::move(quant));
  } else {
    info.ert = out_->add_tensor(name, dtype, info.shape, std::move(quant));
  }
  *out = info.ert;
  return Status();
}

// ---- Op handlers: builtin ops edgert runs -------------------------------------------------------
// Each one: check the counts, read the options (TFLite's flags, never its op versions), turn the
// parameter tensors into edgert options, and emit the op on the data inputs.

template <fb::OpCode kCode>
Status import_unary(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  op.emit(kCode, {x}, {y});
  return Status();
}

// Binary ops with no options (MAXIMUM, MINIMUM) and PRELU (input, alpha).
template <fb::OpCode kCode>
Status import_binary_plain(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 2, 1));
  int a, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &a));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  op.emit(kCode, {a, b}, {y});
  return Status();
}

// ADD, SUB, MUL, DIV: options (optional) carry only the fused activation.
template <fb::OpCode kCode, typename TflOptions>
Status import_binary(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 2, 1));
  const TflOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::Activation act = fb::Activation::NONE;
  if (o != nullptr) ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  int a, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &a));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  op.emit(kCode, {a, b}, {y}, fb::OpOptionsUnion(), act);
  return Status();
}

Status import_conv2d(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 3, 1));
  const tfl::Conv2DOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::Conv2DOptionsT opts;
  fb::Activation act;
  ERT_RETURN_IF_ERROR(op.padding(o->padding(), &opts.padding));
  ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  opts.stride_h = o->stride_h();
  opts.stride_w = o->stride_w();
  opts.dilation_h = o->dilation_h_factor();
  opts.dilation_w = o->dilation_w_factor();
  int x, w, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &w));
  ERT_RETURN_IF_ERROR(op.data_input(2, true, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::CONV_2D, {x, w, b}, {y}, std::move(u), act);
  return Status();
}

Status import_depthwise_conv2d(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 3, 1));
  const tfl::DepthwiseConv2DOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::DepthwiseConv2DOptionsT opts;
  fb::Activation act;
  ERT_RETURN_IF_ERROR(op.padding(o->padding(), &opts.padding));
  ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  opts.stride_h = o->stride_h();
  opts.stride_w = o->stride_w();
  opts.dilation_h = o->dilation_h_factor();
  opts.dilation_w = o->dilation_w_factor();
  // TFLite derives the multiplier from the shapes and ignores the stored field (which older
  // converters sometimes left inconsistent); do the same when the shapes allow it.
  opts.depth_multiplier = o->depth_multiplier();
  const std::vector<int32_t>& in = op.input_info(0).shape;
  const std::vector<int32_t>& filter = op.input_info(1).shape;
  if (in.size() == 4 && filter.size() == 4 && in[3] > 0 && filter[3] % in[3] == 0) {
    opts.depth_multiplier = filter[3] / in[3];
  }
  int x, w, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &w));
  ERT_RETURN_IF_ERROR(op.data_input(2, true, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::DEPTHWISE_CONV_2D, {x, w, b}, {y}, std::move(u), act);
  return Status();
}

// TFLite: inputs (output_shape, filter, input, optional bias). edgert has no output-shape input:
// its size rule (SAME: in * stride; VALID: (in - 1) * stride + K) must give the same shape.
Status import_transpose_conv(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(3, 4, 1));
  const tfl::TransposeConvOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::TransposeConvOptionsT opts;
  fb::Activation act;
  ERT_RETURN_IF_ERROR(op.padding(o->padding(), &opts.padding));
  ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  opts.stride_h = o->stride_h();
  opts.stride_w = o->stride_w();
  std::vector<int32_t> out_shape;
  ERT_RETURN_IF_ERROR(op.int_param(0, "output shape", &out_shape));
  if (op.input_index(1) < 0 || op.input_index(2) < 0) {
    return invalid("the filter (input 1) or the input (input 2) is missing");
  }
  const std::vector<int32_t>& in = op.input_info(2).shape;
  const std::vector<int32_t>& filter = op.input_info(1).shape;
  if (in.size() != 4 || filter.size() != 4 || out_shape.size() != 4) {
    return invalid(format("input %s, filter %s and output shape %s must all be 4-D",
                          shape_string(in).c_str(), shape_string(filter).c_str(),
                          values_string(out_shape).c_str()));
  }
  if (opts.stride_h < 1 || opts.stride_w < 1) {
    return invalid(format("strides %dx%d must be at least 1", opts.stride_h, opts.stride_w));
  }
  const bool same = opts.padding == fb::Padding::SAME;
  auto extent = [same](int64_t in_size, int64_t stride, int64_t k) {
    return same ? in_size * stride : (in_size - 1) * stride + k;
  };
  const int64_t expected[4] = {in[0], extent(in[1], opts.stride_h, filter[1]),
                               extent(in[2], opts.stride_w, filter[2]), filter[0]};
  for (int d = 0; d < 4; ++d) {
    if (expected[d] != out_shape[size_t(d)]) {
      return unsupported(format("output shape %s differs from [%" PRId64 ",%" PRId64 ",%" PRId64
                                ",%" PRId64 "], the size edgert gives for %s padding",
                                values_string(out_shape).c_str(), expected[0], expected[1],
                                expected[2], expected[3], same ? "SAME" : "VALID"));
    }
  }
  int x, w, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(2, false, &x));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &w));
  ERT_RETURN_IF_ERROR(op.data_input(3, true, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::TRANSPOSE_CONV, {x, w, b}, {y}, std::move(u), act);
  return Status();
}

Status import_fully_connected(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 3, 1));
  const tfl::FullyConnectedOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::FullyConnectedOptionsT opts;
  fb::Activation act = fb::Activation::NONE;
  if (o != nullptr) {
    if (o->weights_format() != tfl::FullyConnectedOptionsWeightsFormat::DEFAULT) {
      return unsupported(
          format("weights format %s",
                 tfl::EnumNameFullyConnectedOptionsWeightsFormat(o->weights_format())));
    }
    ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
    opts.keep_num_dims = o->keep_num_dims();
  }
  int x, w, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &w));
  ERT_RETURN_IF_ERROR(op.data_input(2, true, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::FULLY_CONNECTED, {x, w, b}, {y}, std::move(u), act);
  return Status();
}

template <fb::OpCode kCode>
Status import_pool2d(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  const tfl::Pool2DOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::Pool2DOptionsT opts;
  fb::Activation act;
  ERT_RETURN_IF_ERROR(op.padding(o->padding(), &opts.padding));
  ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  opts.stride_h = o->stride_h();
  opts.stride_w = o->stride_w();
  opts.filter_h = o->filter_height();
  opts.filter_w = o->filter_width();
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(kCode, {x}, {y}, std::move(u), act);
  return Status();
}

Status import_mean(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 2, 1));
  const tfl::ReducerOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::ReduceOptionsT opts;
  ERT_RETURN_IF_ERROR(op.int_param(1, "axes", &opts.axes));
  opts.keep_dims = o != nullptr && o->keep_dims();
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::MEAN, {x}, {y}, std::move(u));
  return Status();
}

Status import_concatenation(OpImport& op) {
  if (op.num_inputs() < 1 || op.num_outputs() != 1) {
    return invalid(format("has %zu inputs and %zu outputs, needs at least 1 and exactly 1",
                          op.num_inputs(), op.num_outputs()));
  }
  const tfl::ConcatenationOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::ConcatenationOptionsT opts;
  fb::Activation act;
  ERT_RETURN_IF_ERROR(op.activation(o->fused_activation_function(), &act));
  opts.axis = o->axis();
  std::vector<int> inputs(op.num_inputs());
  for (size_t i = 0; i < inputs.size(); ++i) {
    ERT_RETURN_IF_ERROR(op.data_input(i, false, &inputs[i]));
  }
  int y;
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::CONCATENATION, inputs, {y}, std::move(u), act);
  return Status();
}

// PAD and PADV2: paddings (input 1) is [rank, 2], before and after per axis, which is also the
// order of edgert's flat list. PADV2's fill value (input 2) is a one-element constant.
Status import_pad(OpImport& op) {
  const bool v2 = op.num_inputs() == 3;
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 3, 1));
  fb::PadOptionsT opts;
  ERT_RETURN_IF_ERROR(op.int_param(1, "paddings", &opts.paddings));
  const std::vector<int32_t>& pshape = op.input_info(1).shape;
  if (pshape.size() != 2 || pshape[1] != 2) {
    return invalid(format("the paddings (input 1) have shape %s, expected [rank,2]",
                          shape_string(pshape).c_str()));
  }
  if (v2 && op.input_index(2) >= 0) {
    const TensorInfo& value = op.input_info(2);
    const TensorInfo& in = op.input_info(0);
    if (in.type != tfl::TensorType::FLOAT32 || value.type != tfl::TensorType::FLOAT32) {
      return unsupported(
          format("fill value of dtype %s on a %s input (edgert's PAD fills "
                 "float tensors only)",
                 type_name(value.type), type_name(in.type)));
    }
    if (!value.is_constant() || value.sparse || value.bytes != sizeof(float)) {
      return unsupported("the fill value (input 2) is not a one-element constant");
    }
    std::memcpy(&opts.constant_value, value.data, sizeof(float));
  }
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::PAD, {x}, {y}, std::move(u));
  return Status();
}

// TFLite's rule: a second input that is a 1-D INT32 tensor gives the shape; otherwise the
// options do, where the legacy value [0] means a scalar.
Status import_reshape(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 2, 1));
  fb::ReshapeOptionsT opts;
  const int shape_input = op.input_index(1);
  if (shape_input >= 0 && op.input_info(1).shape.size() == 1 &&
      op.input_info(1).type == tfl::TensorType::INT32) {
    ERT_RETURN_IF_ERROR(op.int_param(1, "shape", &opts.new_shape));
  } else {
    const tfl::ReshapeOptions* o;
    ERT_RETURN_IF_ERROR(op.options(&o, false));
    if (o != nullptr && o->new_shape() != nullptr) {
      opts.new_shape.assign(o->new_shape()->begin(), o->new_shape()->end());
    }
    if (opts.new_shape.size() == 1 && opts.new_shape[0] == 0) opts.new_shape.clear();
  }
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::RESHAPE, {x}, {y}, std::move(u));
  return Status();
}

Status import_slice(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(3, 3, 1));
  fb::SliceOptionsT opts;
  ERT_RETURN_IF_ERROR(op.int_param(1, "begin", &opts.begin));
  ERT_RETURN_IF_ERROR(op.int_param(2, "size", &opts.size));
  if (opts.begin.size() != opts.size.size()) {
    return invalid(
        format("begin has %zu values and size %zu", opts.begin.size(), opts.size.size()));
  }
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::SLICE, {x}, {y}, std::move(u));
  return Status();
}

Status import_strided_slice(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(4, 4, 1));
  const tfl::StridedSliceOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::StridedSliceOptionsT opts;
  ERT_RETURN_IF_ERROR(op.int_param(1, "begin", &opts.begin));
  ERT_RETURN_IF_ERROR(op.int_param(2, "end", &opts.end));
  ERT_RETURN_IF_ERROR(op.int_param(3, "strides", &opts.strides));
  if (opts.begin.size() != opts.end.size() || opts.begin.size() != opts.strides.size()) {
    return invalid(format("begin, end and strides have %zu, %zu and %zu values", opts.begin.size(),
                          opts.end.size(), opts.strides.size()));
  }
  if (o != nullptr) {
    if (o->ellipsis_mask() != 0) return unsupported(format("ellipsis_mask %d", o->ellipsis_mask()));
    if (o->new_axis_mask() != 0) return unsupported(format("new_axis_mask %d", o->new_axis_mask()));
    opts.begin_mask = o->begin_mask();
    opts.end_mask = o->end_mask();
    opts.shrink_axis_mask = o->shrink_axis_mask();
    opts.offset = o->offset();
  }
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::STRIDED_SLICE, {x}, {y}, std::move(u));
  return Status();
}

Status import_transpose(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 2, 1));
  fb::TransposeOptionsT opts;
  ERT_RETURN_IF_ERROR(op.int_param(1, "permutation", &opts.perm));
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::TRANSPOSE, {x}, {y}, std::move(u));
  return Status();
}

template <fb::OpCode kCode, typename TflOptions>
Status import_space_depth(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  const TflOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, true));
  fb::SpaceDepthOptionsT opts;
  opts.block_size = o->block_size();
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(kCode, {x}, {y}, std::move(u));
  return Status();
}

// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: the size is input 1 ([height, width]); the flags
// come from the options whatever the op version says (version 1 files may set half_pixel_centers).
template <fb::OpCode kCode, typename TflOptions>
Status import_resize(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(2, 2, 1));
  const TflOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  std::vector<int32_t> size;
  ERT_RETURN_IF_ERROR(op.int_param(1, "size", &size));
  if (size.size() != 2) {
    return invalid(format("the size (input 1) has %zu values, expected 2", size.size()));
  }
  fb::ResizeOptionsT opts;
  opts.new_height = size[0];
  opts.new_width = size[1];
  if (o != nullptr) {
    opts.align_corners = o->align_corners();
    opts.half_pixel_centers = o->half_pixel_centers();
  }
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(kCode, {x}, {y}, std::move(u));
  return Status();
}

// TFLite's SoftmaxOptions and LeakyReluOptions default to 0 (not edgert's 1 and 0.2), and an op
// without options runs with that 0: copy the value in every case.
Status import_softmax(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  const tfl::SoftmaxOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::SoftmaxOptionsT opts;
  opts.beta = o != nullptr ? o->beta() : 0.0f;
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::SOFTMAX, {x}, {y}, std::move(u));
  return Status();
}

Status import_leaky_relu(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  const tfl::LeakyReluOptions* o;
  ERT_RETURN_IF_ERROR(op.options(&o, false));
  fb::LeakyReluOptionsT opts;
  opts.alpha = o != nullptr ? o->alpha() : 0.0f;
  int x, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::LEAKY_RELU, {x}, {y}, std::move(u));
  return Status();
}

// ---- Op handlers: folded ops and custom ops ----------------------------------------------------

// Copies TFLite's sparsity description into densify's form, widening the index arrays.
Status read_sparse_indices(tfl::SparseIndexVector type, const void* table, const char* what,
                           size_t level, std::vector<int64_t>* out) {
  out->clear();
  switch (type) {
    case tfl::SparseIndexVector::Int32Vector: {
      const auto* v = static_cast<const tfl::Int32Vector*>(table)->values();
      if (v != nullptr) out->assign(v->begin(), v->end());
      return Status();
    }
    case tfl::SparseIndexVector::Uint16Vector: {
      const auto* v = static_cast<const tfl::Uint16Vector*>(table)->values();
      if (v != nullptr) out->assign(v->begin(), v->end());
      return Status();
    }
    case tfl::SparseIndexVector::Uint8Vector: {
      const auto* v = static_cast<const tfl::Uint8Vector*>(table)->values();
      if (v != nullptr) out->assign(v->begin(), v->end());
      return Status();
    }
    case tfl::SparseIndexVector::NONE:
      return invalid(format("level %zu is SPARSE_CSR but has no %s", level, what));
  }
  return invalid(format("level %zu: %s of unknown vector type %d", level, what, int(type)));
}

Status read_sparsity(const tfl::SparsityParameters& sp, SparseFormat* out) {
  if (sp.traversal_order() != nullptr) {
    out->traversal_order.assign(sp.traversal_order()->begin(), sp.traversal_order()->end());
  }
  if (sp.block_map() != nullptr) {
    out->block_map.assign(sp.block_map()->begin(), sp.block_map()->end());
  }
  const size_t levels = sp.dim_metadata() != nullptr ? sp.dim_metadata()->size() : 0;
  // More levels than any valid tensor has would only make densify() refuse them after copying.
  if (levels > size_t(2 * rt::kMaxRank)) {
    return unsupported(
        format("%zu sparse levels, edgert takes at most %d", levels, 2 * rt::kMaxRank));
  }
  out->levels.resize(levels);
  for (size_t l = 0; l < levels; ++l) {
    const tfl::DimensionMetadata* m = sp.dim_metadata()->Get(flatbuffers::uoffset_t(l));
    SparseLevel& level = out->levels[l];
    if (m->format() == tfl::DimensionType::DENSE) {
      level.dense_size = m->dense_size();
      continue;
    }
    if (m->format() != tfl::DimensionType::SPARSE_CSR) {
      return invalid(format("level %zu has unknown format %d", l, int(m->format())));
    }
    level.compressed = true;
    ERT_RETURN_IF_ERROR(read_sparse_indices(m->array_segments_type(), m->array_segments(),
                                            "array_segments", l, &level.segments));
    ERT_RETURN_IF_ERROR(read_sparse_indices(m->array_indices_type(), m->array_indices(),
                                            "array_indices", l, &level.indices));
  }
  return Status();
}

// DENSIFY expands a sparse constant at run time in TFLite (MediaPipe's sparse models densify
// their FP16 weights, then DEQUANTIZE them). Done here once, the ops that read the output see an
// ordinary dense constant and the op itself disappears.
Status import_densify(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(1, 1, 1));
  const int in = op.input_index(0);
  if (in < 0) return invalid("input 0 is missing");
  const TensorInfo& src = op.input_info(0);
  const std::string label = tensor_label(in, src);
  // TFLite's DENSIFY refuses anything but a sparse constant too.
  if (!src.is_constant() || src.tensor->sparsity() == nullptr) {
    return invalid(format("input 0 (%s) is not a sparse constant", label.c_str()));
  }
  const int out = op.output_index(0);
  const TensorInfo& dst = op.importer().tensor(out);
  if (dst.type != src.type || dst.shape != src.shape) {
    return invalid(format("output 0 is %s of shape %s, the input %s of shape %s",
                          type_name(dst.type), shape_string(dst.shape).c_str(), type_name(src.type),
                          shape_string(src.shape).c_str()));
  }
  const size_t element_size = type_size(src.type);
  if (element_size == 0) {
    return unsupported(format("input 0 (%s) has dtype %s", label.c_str(), type_name(src.type)));
  }
  SparseFormat sparse;
  std::vector<uint8_t> dense;
  Status s = read_sparsity(*src.tensor->sparsity(), &sparse);
  if (s.ok()) s = densify(src.shape, sparse, src.data, src.bytes, element_size, &dense);
  if (!s.ok()) return Status(s.code(), format("input 0 (%s): ", label.c_str()) + s.message());
  return op.set_output_value(0, std::move(dense));
}

int32_t read_le_i32(const uint8_t* p) {
  const uint32_t v =
      uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  int32_t out;
  std::memcpy(&out, &v, 4);
  return out;
}

// MediaPipe's Convolution2DTransposeBias: a transposed convolution with a bias input, inputs
// (input [N,H,W,Ci], weights [Co,KH,KW,Ci], bias [Co]), options a raw TfLiteTransposeConvParams:
// padding, stride_width, stride_height as little-endian int32. The padding is TfLitePadding
// (0 unknown, 1 SAME, 2 VALID), not the schema's Padding; MediaPipe pads for SAME only.
//
// MediaPipe sizes its output as stride * (in - 1) + K - pad with pad = max(0, K - (in - 1) %
// stride - 1) for SAME and 0 otherwise, and crops pad / 2 first. Whenever that size equals
// edgert's (SAME: in * stride; VALID: (in - 1) * stride + K), the crops are equal too (for
// SAME it takes in % stride == 0 and K >= stride, and both crop (K - stride) / 2 first); other
// sizes cannot be converted.
Status import_transpose_conv_bias(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(3, 3, 1));
  const uint8_t* data;
  size_t size;
  ERT_RETURN_IF_ERROR(op.custom_options(&data, &size));
  if (size < 12) {
    return invalid(
        format("custom options hold %zu bytes, need 12 (padding, stride_width, "
               "stride_height as int32)",
               size));
  }
  const int32_t padding = read_le_i32(data);
  fb::TransposeConvOptionsT opts;
  opts.stride_w = read_le_i32(data + 4);
  opts.stride_h = read_le_i32(data + 8);
  if (padding < 0 || padding > 2) return invalid(format("unknown padding %d", padding));
  const bool same = padding == 1;
  opts.padding = same ? fb::Padding::SAME : fb::Padding::VALID;
  if (opts.stride_h < 1 || opts.stride_w < 1) {
    return invalid(format("strides %dx%d must be at least 1", opts.stride_h, opts.stride_w));
  }
  const std::vector<int32_t>& in = op.input_info(0).shape;
  const std::vector<int32_t>& filter = op.input_info(1).shape;
  const int y_index = op.output_index(0);
  const std::vector<int32_t>& out_shape = op.importer().tensor(y_index).shape;
  if (in.size() != 4 || filter.size() != 4 || out_shape.size() != 4) {
    return invalid(format("input %s, weights %s and output %s must all be 4-D",
                          shape_string(in).c_str(), shape_string(filter).c_str(),
                          shape_string(out_shape).c_str()));
  }
  if (in[1] < 1 || in[2] < 1) {
    return invalid(format("input %s has an empty spatial dimension", shape_string(in).c_str()));
  }
  auto mediapipe_extent = [same](int64_t in_size, int64_t stride, int64_t k) {
    const int64_t pad = same ? std::max<int64_t>(0, k - (in_size - 1) % stride - 1) : 0;
    return stride * (in_size - 1) + k - pad;
  };
  auto edgert_extent = [same](int64_t in_size, int64_t stride, int64_t k) {
    return same ? in_size * stride : (in_size - 1) * stride + k;
  };
  const int64_t mediapipe[4] = {in[0], mediapipe_extent(in[1], opts.stride_h, filter[1]),
                                mediapipe_extent(in[2], opts.stride_w, filter[2]), filter[0]};
  const int64_t edgert[4] = {in[0], edgert_extent(in[1], opts.stride_h, filter[1]),
                             edgert_extent(in[2], opts.stride_w, filter[2]), filter[0]};
  for (int d = 0; d < 4; ++d) {
    if (mediapipe[d] != edgert[d]) {
      return unsupported(format("MediaPipe's output size [%" PRId64 ",%" PRId64 ",%" PRId64
                                ",%" PRId64 "] differs from [%" PRId64 ",%" PRId64 ",%" PRId64
                                ",%" PRId64 "], the size edgert gives for %s padding",
                                mediapipe[0], mediapipe[1], mediapipe[2], mediapipe[3], edgert[0],
                                edgert[1], edgert[2], edgert[3], same ? "SAME" : "VALID"));
    }
  }
  for (int d = 0; d < 4; ++d) {
    if (edgert[d] != out_shape[size_t(d)]) {
      return invalid(format("output shape %s differs from [%" PRId64 ",%" PRId64 ",%" PRId64
                            ",%" PRId64 "], the size the op computes",
                            shape_string(out_shape).c_str(), edgert[0], edgert[1], edgert[2],
                            edgert[3]));
    }
  }
  int x, w, b, y;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &x));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &w));
  ERT_RETURN_IF_ERROR(op.data_input(2, false, &b));
  ERT_RETURN_IF_ERROR(op.output(0, &y));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::TRANSPOSE_CONV, {x, w, b}, {y}, std::move(u));
  return Status();
}

// TFLite_Detection_PostProcess (SSD decoding and NMS). Its options are a FlexBuffer map, read the
// way TFLite's kernel reads it: a missing detections_per_class is 100, a missing use_regular_nms
// false, and any other missing key 0. TFLite sizes the four outputs when it prepares the op (the
// file gives them shape []); edgert needs them in the model, so they are set here from the
// options: boxes [1,D,4], classes [1,D], scores [1,D], count [1], all FLOAT32, with
// D = max_detections * max_classes_per_detection. Everything else is checked by the op.
Status import_detection_postprocess(OpImport& op) {
  ERT_RETURN_IF_ERROR(op.expect_counts(3, 3, 4));
  const uint8_t* data;
  size_t size;
  ERT_RETURN_IF_ERROR(op.custom_options(&data, &size));
  if (size == 0) return invalid("has no custom options");
  // The FlexBuffer verifier asserts on sizes beyond FlatBuffers' limit: refuse them first. Its
  // reuse tracker (one byte per buffer byte) checks each shared vector or key once, which keeps a
  // hostile buffer of many references to one large vector from taking quadratic time.
  std::vector<uint8_t> verified;
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE || !flexbuffers::VerifyBuffer(data, size, &verified)) {
    return invalid(format("custom options (%zu bytes) are not a valid FlexBuffer", size));
  }
  const flexbuffers::Reference root = flexbuffers::GetRoot(data, size);
  if (!root.IsMap()) return invalid("custom options are not a FlexBuffer map");
  const flexbuffers::Map map = root.AsMap();
  fb::DetectionPostprocessOptionsT opts;
  opts.max_detections = map["max_detections"].AsInt32();
  opts.max_classes_per_detection = map["max_classes_per_detection"].AsInt32();
  const flexbuffers::Reference per_class = map["detections_per_class"];
  opts.detections_per_class = per_class.IsNull() ? 100 : per_class.AsInt32();
  const flexbuffers::Reference regular = map["use_regular_nms"];
  opts.use_regular_nms = regular.IsNull() ? false : regular.AsBool();
  opts.num_classes = map["num_classes"].AsInt32();
  opts.nms_score_threshold = map["nms_score_threshold"].AsFloat();
  opts.nms_iou_threshold = map["nms_iou_threshold"].AsFloat();
  opts.y_scale = map["y_scale"].AsFloat();
  opts.x_scale = map["x_scale"].AsFloat();
  opts.h_scale = map["h_scale"].AsFloat();
  opts.w_scale = map["w_scale"].AsFloat();
  // TFLite would size the outputs with 0 (its kernel then refuses to run fast NMS, and regular
  // NMS writes beyond them): a missing or non-positive count is an invalid model.
  if (opts.max_detections < 1 || opts.max_classes_per_detection < 1) {
    return invalid(
        format("max_detections %d and max_classes_per_detection %d must be at least "
               "1 (a missing key reads as 0)",
               opts.max_detections, opts.max_classes_per_detection));
  }
  const int64_t slots = int64_t(opts.max_detections) * opts.max_classes_per_detection;
  if (slots > rt::kMaxDim || slots * 4 > rt::kMaxElements) {
    return unsupported(format("max_detections %d * max_classes_per_detection %d = %" PRId64
                              " detections, beyond edgert's limits",
                              opts.max_detections, opts.max_classes_per_detection, slots));
  }
  const int32_t d = int32_t(slots);
  const std::vector<int32_t> shapes[4] = {{1, d, 4}, {1, d}, {1, d}, {1}};
  for (size_t i = 0; i < 4; ++i) {
    const int t = op.output_index(i);
    TensorInfo& info = op.importer().tensor(t);
    // Written only by this op and read only after it: nothing has created it yet.
    if (info.ert >= 0) return invalid(format("output %zu is in use before the op", i));
    info.type = tfl::TensorType::FLOAT32;
    info.shape = shapes[i];
    info.elements = 1;
    for (int32_t dim : shapes[i]) info.elements *= uint64_t(dim);
  }
  int boxes, scores, anchors;
  ERT_RETURN_IF_ERROR(op.data_input(0, false, &boxes));
  ERT_RETURN_IF_ERROR(op.data_input(1, false, &scores));
  ERT_RETURN_IF_ERROR(op.data_input(2, false, &anchors));
  std::vector<int> outputs(4);
  for (size_t i = 0; i < 4; ++i) ERT_RETURN_IF_ERROR(op.output(i, &outputs[i]));
  fb::OpOptionsUnion u;
  u.Set(std::move(opts));
  op.emit(fb::OpCode::DETECTION_POSTPROCESS, {boxes, scores, anchors}, outputs, std::move(u));
  return Status();
}

// ---- The handler tables -------------------------------------------------------------------------

struct BuiltinHandler {
  tfl::BuiltinOperator code;
  OpHandler handler;
};

constexpr BuiltinHandler kBuiltinHandlers[] = {
    {tfl::BuiltinOperator::ADD, import_binary<fb::OpCode::ADD, tfl::AddOptions>},
    {tfl::BuiltinOperator::SUB, import_binary<fb::OpCode::SUB, tfl::SubOptions>},
    {tfl::BuiltinOperator::MUL, import_binary<fb::OpCode::MUL, tfl::MulOptions>},
    {tfl::BuiltinOperator::DIV, import_binary<fb::OpCode::DIV, tfl::DivOptions>},
    {tfl::BuiltinOperator::MAXIMUM, import_binary_plain<fb::OpCode::MAXIMUM>},
    {tfl::BuiltinOperator::MINIMUM, import_binary_plain<fb::OpCode::MINIMUM>},
    {tfl::BuiltinOperator::CONV_2D, import_conv2d},
    {tfl::BuiltinOperator::DEPTHWISE_CONV_2D, import_depthwise_conv2d},
    {tfl::BuiltinOperator::TRANSPOSE_CONV, import_transpose_conv},
    {tfl::BuiltinOperator::FULLY_CONNECTED, import_fully_connected},
    {tfl::BuiltinOperator::AVERAGE_POOL_2D, import_pool2d<fb::OpCode::AVERAGE_POOL_2D>},
    {tfl::BuiltinOperator::MAX_POOL_2D, import_pool2d<fb::OpCode::MAX_POOL_2D>},
    {tfl::BuiltinOperator::MEAN, import_mean},
    {tfl::BuiltinOperator::CONCATENATION, import_concatenation},
    {tfl::BuiltinOperator::PAD, import_pad},
    {tfl::BuiltinOperator::PADV2, import_pad},
    {tfl::BuiltinOperator::RESHAPE, import_reshape},
    {tfl::BuiltinOperator::SLICE, import_slice},
    {tfl::BuiltinOperator::STRIDED_SLICE, import_strided_slice},
    {tfl::BuiltinOperator::TRANSPOSE, import_transpose},
    {tfl::BuiltinOperator::DEPTH_TO_SPACE,
     import_space_depth<fb::OpCode::DEPTH_TO_SPACE, tfl::DepthToSpaceOptions>},
    {tfl::BuiltinOperator::SPACE_TO_DEPTH,
     import_space_depth<fb::OpCode::SPACE_TO_DEPTH, tfl::SpaceToDepthOptions>},
    {tfl::BuiltinOperator::RESIZE_BILINEAR,
     import_resize<fb::OpCode::RESIZE_BILINEAR, tfl::ResizeBilinearOptions>},
    {tfl::BuiltinOperator::RESIZE_NEAREST_NEIGHBOR,
     import_resize<fb::OpCode::RESIZE_NEAREST_NEIGHBOR, tfl::ResizeNearestNeighborOptions>},
    {tfl::BuiltinOperator::SOFTMAX, import_softmax},
    {tfl::BuiltinOperator::LOGISTIC, import_unary<fb::OpCode::LOGISTIC>},
    {tfl::BuiltinOperator::TANH, import_unary<fb::OpCode::TANH>},
    {tfl::BuiltinOperator::RELU, import_unary<fb::OpCode::RELU>},
    {tfl::BuiltinOperator::RELU6, import_unary<fb::OpCode::RELU6>},
    {tfl::BuiltinOperator::HARD_SWISH, import_unary<fb::OpCode::HARD_SWISH>},
    {tfl::BuiltinOperator::PRELU, import_binary_plain<fb::OpCode::PRELU>},
    {tfl::BuiltinOperator::LEAKY_RELU, import_leaky_relu},
    {tfl::BuiltinOperator::DEQUANTIZE, import_unary<fb::OpCode::DEQUANTIZE>},
    {tfl::BuiltinOperator::DENSIFY, import_densify},
    {tfl::BuiltinOperator::QUANTIZE, import_unary<fb::OpCode::QUANTIZE>},
};

struct CustomHandler {
  const char* name;
  OpHandler handler;
};

constexpr CustomHandler kCustomHandlers[] = {
    {"Convolution2DTransposeBias", import_transpose_conv_bias},
    {"TFLite_Detection_PostProcess", import_detection_postprocess},
};

Status no_handler(OpImport&) { return unsupported("no edgert op"); }
Status unknown_custom(OpImport&) { return unsupported("unknown custom op"); }

// The handler and the display name of an op code entry. The code is the larger of the two code
// fields: older writers set only the byte one, newer ones both (or only the int one, for codes
// beyond 127).
OpHandler find_handler(const tfl::OperatorCode& oc, std::string* name) {
  const int32_t code = std::max<int32_t>(int32_t(oc.builtin_code()), oc.deprecated_builtin_code());
  if (code == int32_t(tfl::BuiltinOperator::CUSTOM)) {
    const std::string custom = oc.custom_code() ? oc.custom_code()->str() : std::string();
    *name = "CUSTOM '" + custom + "'";
    for (const CustomHandler& h : kCustomHandlers) {
      if (custom == h.name) return h.handler;
    }
    return unknown_custom;
  }
  const char* builtin = tfl::EnumNameBuiltinOperator(tfl::BuiltinOperator(code));
  *name = builtin[0] != '\0' ? std::string(builtin) : format("BUILTIN_%d", code);
  for (const BuiltinHandler& h : kBuiltinHandlers) {
    if (int32_t(h.code) == code) return h.handler;
  }
  return no_handler;
}

Status Importer::import(std::vector<TfliteUnsupported>* issues) {
  const auto* graph_inputs = subgraph_->inputs();
  for (flatbuffers::uoffset_t i = 0; graph_inputs && i < graph_inputs->size(); ++i) {
    int t;
    const Status s = ert_tensor(graph_inputs->Get(i), &t);
    if (s.code() == ERT_UNSUPPORTED) {
      issues->push_back({-1, format("graph input %u", i), s.message()});
    } else if (!s.ok()) {
      return s;
    } else {
      out_->model().inputs.push_back(t);
    }
  }

  const auto* ops = subgraph_->operators();
  for (flatbuffers::uoffset_t i = 0; ops && i < ops->size(); ++i) {
    const tfl::Operator* op = ops->Get(i);
    std::string name;
    const OpHandler handler =
        find_handler(*model_->operator_codes()->Get(op->opcode_index()), &name);
    OpImport ctx(*this, int(i), *op, name);
    const Status s = handler(ctx);
    if (s.code() == ERT_UNSUPPORTED) {
      issues->push_back({int(i), name, s.message()});
    } else if (!s.ok()) {
      return Status(s.code(), format("op %u (%s): ", i, name.c_str()) + s.message());
    }
  }

  const auto* graph_outputs = subgraph_->outputs();
  for (flatbuffers::uoffset_t i = 0; graph_outputs && i < graph_outputs->size(); ++i) {
    int t;
    const Status s = ert_tensor(graph_outputs->Get(i), &t);
    if (s.code() == ERT_UNSUPPORTED) {
      issues->push_back({-1, format("graph output %u", i), s.message()});
    } else if (!s.ok()) {
      return s;
    } else {
      out_->add_output(t);
    }
  }
  return Status();
}

// "3 ops cannot be converted (2 DEQUANTIZE, 1 CUSTOM 'X'): op 12 DEQUANTIZE (reason); ...". The
// summary comes first so that a message cut short (the C API keeps 512 bytes) still says it all.
std::string unsupported_message(const std::vector<TfliteUnsupported>& issues) {
  size_t ops = 0;
  std::vector<std::pair<std::string, size_t>> by_name;
  for (const TfliteUnsupported& u : issues) {
    if (u.op_index < 0) continue;
    ++ops;
    auto it = std::find_if(by_name.begin(), by_name.end(),
                           [&](const auto& e) { return e.first == u.op_name; });
    if (it == by_name.end())
      by_name.emplace_back(u.op_name, 1);
    else
      ++it->second;
  }
  const size_t others = issues.size() - ops;
  std::string s = format("%zu op%s", ops, ops == 1 ? "" : "s");
  if (others > 0)
    s += format(" and %zu graph input%s/output%s", others, others == 1 ? "" : "s",
                others == 1 ? "" : "s");
  s += " cannot be converted";
  if (!by_name.empty()) {
    s += " (";
    for (size_t i = 0; i < by_name.size(); ++i) {
      s += format("%s%zu %s", i ? ", " : "", by_name[i].second, by_name[i].first.c_str());
    }
    s += ")";
  }
  s += ":";
  for (size_t i = 0; i < issues.size(); ++i) {
    const TfliteUnsupported& u = issues[i];
    s += i ? "; " : " ";
    if (u.op_index >= 0) s += format("op %d ", u.op_index);
    s += u.op_name + " (" + u.reason + ")";
  }
  return s;
}

}  // namespace

Status import_tflite(const uint8_t* data, size_t size, const std::string& source_name,
                     ModelBuilder* out, TfliteImportReport* report) {
  if (data == nullptr || out == nullptr) {
    return Status(ERT_INVALID_ARGUMENT, "import_tflite: null data or builder");
  }
  TfliteImportReport local;
  if (report == nullptr) report = &local;
  *report = TfliteImportReport();
  Importer importer(data, size, out);
  ERT_RETURN_IF_ERROR(importer.load(report));
  ERT_RETURN_IF_ERROR(importer.import(&report->unsupported));
  out->set_metadata("source_file", source_name);
  out->set_metadata("source_sha256", sha256_hex(data, size));
  if (!report->unsupported.empty()) {
    return Status(ERT_UNSUPPORTED, unsupported_message(report->unsupported));
  }
  return Status();
}

}  // namespace ert::cvt
