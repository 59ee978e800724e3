// Verification of a .ert image before anything in it is used.
//
//   1. Size and file identifier, then the FlatBuffers verifier (every table, vector and string
//      lies inside the buffer), then the format version.
//   2. Tensors: dtype, rank and dims within the caps, byte size without overflow, quantization
//      consistent with the shape, constant segments inside the file, aligned and of the exact size.
//   3. Graph: input/output/op indices in range; each arena tensor written by one op at most; no op
//      reads a tensor before it exists; graph inputs are not constants and are not written.
//   4. Plan: one 64-byte aligned offset per arena tensor; shared buffers (RESHAPE aliasing) at
//      one offset; no two buffers alive at the same step overlap; everything fits in arena_bytes,
//      which may not exceed the sum of all tensors.
// Every failure names the file and the tensor, op or field, and what is wrong.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "src/runtime/limits.h"
#include "src/runtime/model.h"
#include "src/runtime/tensor.h"

namespace ert::rt {

namespace {
constexpr size_t kSegmentAlignment = 64;

// True when the elements of a vector of structs (null counts as aligned) sit at their type's
// alignment.
template <typename T>
bool struct_vector_aligned(const flatbuffers::Vector<const T*>* v) {
  return v == nullptr || reinterpret_cast<uintptr_t>(v->Data()) % alignof(T) == 0;
}
}  // namespace

Status Model::verify() {
  const char* file = origin_.c_str();
  if (size_ < 8) {
    return make_status(ERT_INVALID_MODEL, "%s: %zu bytes is too small for an .ert file", file,
                       size_);
  }
  if (!fb::ModelBufferHasIdentifier(data_)) {
    char id[5] = {};
    for (int i = 0; i < 4; ++i) {
      const char c = char(data_[4 + i]);
      id[i] = (c >= 32 && c < 127) ? c : '?';
    }
    return make_status(ERT_INVALID_MODEL,
                       "%s: not an .ert file: file identifier is '%s', expected 'ERT1'", file, id);
  }
  // Depth and table caps stop pathological nesting; the size cap is the FlatBuffers maximum.
  flatbuffers::Verifier::Options options;
  options.max_depth = 64;
  options.max_tables = 10 * 1000 * 1000;
  options.check_alignment = true;
  flatbuffers::Verifier verifier(data_, size_, options);
  if (!fb::VerifyModelBuffer(verifier)) {
    return make_status(ERT_INVALID_MODEL,
                       "%s: the FlatBuffer is malformed (an offset, vector or string lies outside "
                       "the %zu-byte file, or a table is misaligned)",
                       file, size_);
  }
  root_ = fb::GetModel(data_);
  if (root_->format_version() != 1) {
    return make_status(ERT_UNSUPPORTED, "%s: format version %u; this edgert reads version 1",
                       file, root_->format_version());
  }
  if (root_->tensors() == nullptr || root_->operators() == nullptr ||
      root_->inputs() == nullptr || root_->outputs() == nullptr || root_->plan() == nullptr) {
    return make_status(ERT_INVALID_MODEL,
                       "%s: a required field is missing (tensors, operators, inputs, outputs, "
                       "plan)",
                       file);
  }
  // The FlatBuffers verifier checks a vector's length word only at 4 bytes, but Segment and
  // Allocation hold 64-bit fields: reading them misaligned is undefined behaviour (and faults
  // on some ARM cores). The writer aligns them; a file that does not is malformed.
  if (!struct_vector_aligned(root_->segments())) {
    return make_status(ERT_INVALID_MODEL, "%s: the segment table is not 8-byte aligned", file);
  }
  if (!struct_vector_aligned(root_->plan()->allocations())) {
    return make_status(ERT_INVALID_MODEL, "%s: the plan's allocation table is not 8-byte aligned",
                       file);
  }
  ERT_RETURN_IF_ERROR(verify_tensors());
  ERT_RETURN_IF_ERROR(verify_graph());
  return verify_plan();
}

Status Model::verify_tensors() {
  const char* file = origin_.c_str();
  const auto& tensors = *root_->tensors();
  if (tensors.size() > kMaxTensors) {
    return make_status(ERT_INVALID_MODEL, "%s: %u tensors, at most %zu", file, tensors.size(),
                       kMaxTensors);
  }
  const auto* segments = root_->segments();
  const size_t num_segments = segments ? segments->size() : 0;
  for (size_t s = 0; s < num_segments; ++s) {
    const fb::Segment* seg = segments->Get(flatbuffers::uoffset_t(s));
    if (seg->offset() % kSegmentAlignment != 0) {
      return make_status(ERT_INVALID_MODEL, "%s: segment %zu: offset %llu is not 64-byte aligned",
                         file, s, static_cast<unsigned long long>(seg->offset()));
    }
    if (seg->offset() > size_ || seg->size() > size_ - seg->offset()) {
      return make_status(ERT_INVALID_MODEL,
                         "%s: segment %zu: bytes [%llu, +%llu) run past the end of the %zu-byte "
                         "file",
                         file, s, static_cast<unsigned long long>(seg->offset()),
                         static_cast<unsigned long long>(seg->size()), size_);
    }
  }

  tensors_.resize(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const fb::Tensor* t = tensors.Get(flatbuffers::uoffset_t(i));
    TensorDesc& d = tensors_[i];
    d.name = t->name() ? t->name()->c_str() : "";
    const int dtype = int(t->dtype());
    if (dtype < int(fb::DType::MIN) || dtype > int(fb::DType::MAX)) {
      return make_status(ERT_INVALID_MODEL, "%s: tensor %zu '%s': dtype %d is not known", file, i,
                         d.name, dtype);
    }
    d.dtype = static_cast<ert_dtype>(dtype);
    const auto* shape = t->shape();
    const size_t rank = shape ? shape->size() : 0;
    if (rank > size_t(kMaxRank)) {
      return make_status(ERT_INVALID_MODEL, "%s: tensor %zu '%s': shape has %zu dims, at most %d",
                         file, i, d.name, rank, kMaxRank);
    }
    d.shape.rank = int(rank);
    for (size_t k = 0; k < rank; ++k) d.shape.dims[k] = shape->Get(flatbuffers::uoffset_t(k));
    const char* why = "";
    if (!tensor_bytes(d.dtype, d.shape, &d.bytes, &why)) {
      char dims[96];
      return make_status(ERT_INVALID_MODEL, "%s: tensor %zu '%s': shape %s: %s", file, i, d.name,
                         shape_string(d.shape, dims, sizeof(dims)), why);
    }
    if (const fb::Quantization* q = t->quantization()) {
      const size_t ns = q->scale() ? q->scale()->size() : 0;
      const size_t nz = q->zero_point() ? q->zero_point()->size() : 0;
      if (ns == 0 || ns != nz) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: tensor %zu '%s': quantization has %zu scales and %zu zero points",
                           file, i, d.name, ns, nz);
      }
      if (q->axis() == -1) {
        if (ns != 1) {
          return make_status(ERT_INVALID_MODEL,
                             "%s: tensor %zu '%s': per-tensor quantization has %zu scales", file,
                             i, d.name, ns);
        }
      } else if (q->axis() < 0 || q->axis() >= d.shape.rank ||
                 ns != size_t(d.shape.dims[q->axis()])) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: tensor %zu '%s': per-channel quantization on axis %d with %zu "
                           "scales does not fit the shape",
                           file, i, d.name, q->axis(), ns);
      }
      for (size_t k = 0; k < ns; ++k) {
        const float s = q->scale()->Get(flatbuffers::uoffset_t(k));
        if (!(s > 0.0f) || !std::isfinite(s)) {
          return make_status(ERT_INVALID_MODEL, "%s: tensor %zu '%s': scale %zu is %g, must be > 0",
                             file, i, d.name, k, double(s));
        }
      }
      d.quant = q;
    }
    const int seg = t->segment();
    if (seg != -1) {
      if (seg < 0 || size_t(seg) >= num_segments) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: tensor %zu '%s': segment %d out of range (%zu segments)", file, i,
                           d.name, seg, num_segments);
      }
      const fb::Segment* s = segments->Get(flatbuffers::uoffset_t(seg));
      if (s->size() != d.bytes) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: tensor %zu '%s': segment %d has %llu bytes, the shape needs %zu",
                           file, i, d.name, seg, static_cast<unsigned long long>(s->size()),
                           d.bytes);
      }
      d.constant = data_ + s->offset();
      weights_bytes_ += d.bytes;
    }
  }
  return Status();
}

Status Model::verify_graph() {
  const char* file = origin_.c_str();
  const size_t n = tensors_.size();
  const auto& ops = *root_->operators();
  if (ops.size() > kMaxOperators) {
    return make_status(ERT_INVALID_MODEL, "%s: %u operators, at most %zu", file, ops.size(),
                       kMaxOperators);
  }
  // exists[t]: a graph input, a constant, or written by an op seen so far.
  std::vector<char> exists(n, 0);
  std::vector<char> is_graph_input(n, 0);
  for (size_t t = 0; t < n; ++t) exists[t] = tensors_[t].constant != nullptr;

  auto check_io_list = [&](const flatbuffers::Vector<int32_t>& list, const char* what,
                           std::vector<int>* out) -> Status {
    for (int32_t t : list) {
      if (t < 0 || size_t(t) >= n) {
        return make_status(ERT_INVALID_MODEL, "%s: model %s: tensor index %d out of range (%zu tensors)",
                           file, what, t, n);
      }
      if (tensors_[size_t(t)].constant != nullptr) {
        return make_status(ERT_INVALID_MODEL, "%s: model %s: tensor %d '%s' is a constant", file,
                           what, t, tensors_[size_t(t)].name);
      }
      if (std::find(out->begin(), out->end(), t) != out->end()) {
        return make_status(ERT_INVALID_MODEL, "%s: model %s: tensor %d '%s' is listed twice", file,
                           what, t, tensors_[size_t(t)].name);
      }
      out->push_back(t);
    }
    return Status();
  };
  ERT_RETURN_IF_ERROR(check_io_list(*root_->inputs(), "input", &inputs_));
  ERT_RETURN_IF_ERROR(check_io_list(*root_->outputs(), "output", &outputs_));
  for (int t : inputs_) {
    exists[size_t(t)] = 1;
    is_graph_input[size_t(t)] = 1;
  }

  layout_.is_constant.resize(n);
  layout_.bytes.resize(n);
  for (size_t t = 0; t < n; ++t) {
    layout_.is_constant[t] = tensors_[t].constant != nullptr;
    layout_.bytes[t] = tensors_[t].bytes;
  }
  layout_.inputs = inputs_;
  layout_.outputs = outputs_;
  layout_.ops.resize(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const fb::Operator* op = ops.Get(flatbuffers::uoffset_t(i));
    const int code = int(op->code());
    const char* name = (code >= int(fb::OpCode::MIN) && code <= int(fb::OpCode::MAX))
                           ? fb::EnumNameOpCode(op->code())
                           : "";
    if (name == nullptr || *name == '\0') {
      return make_status(ERT_UNSUPPORTED, "%s: op %zu: op code %d is not known to this edgert",
                         file, i, code);
    }
    const int act = int(op->activation());
    if (act < int(fb::Activation::MIN) || act > int(fb::Activation::MAX)) {
      return make_status(ERT_INVALID_MODEL, "%s: op %zu (%s): fused activation %d is not known",
                         file, i, name, act);
    }
    const auto* in = op->inputs();
    const auto* out = op->outputs();
    if (out == nullptr || out->size() == 0) {
      return make_status(ERT_INVALID_MODEL, "%s: op %zu (%s): has no outputs", file, i, name);
    }
    const size_t num_in = in ? in->size() : 0;
    if (num_in > kMaxOpInputs || out->size() > kMaxOpOutputs) {
      return make_status(ERT_INVALID_MODEL, "%s: op %zu (%s): %zu inputs and %u outputs exceed the caps",
                         file, i, name, num_in, out->size());
    }
    GraphLayout::OpIO& io = layout_.ops[i];
    io.may_alias = op->code() == fb::OpCode::RESHAPE;
    for (size_t k = 0; k < num_in; ++k) {
      const int32_t t = in->Get(flatbuffers::uoffset_t(k));
      if (t == -1) {
        io.inputs.push_back(-1);
        continue;
      }
      if (t < 0 || size_t(t) >= n) {
        return make_status(ERT_INVALID_MODEL, "%s: op %zu (%s): input %zu: tensor index %d out of range (%zu tensors)",
                           file, i, name, k, t, n);
      }
      if (!exists[size_t(t)]) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: op %zu (%s): input %zu reads tensor %d '%s' before any op writes it",
                           file, i, name, k, t, tensors_[size_t(t)].name);
      }
      io.inputs.push_back(t);
    }
    for (size_t k = 0; k < out->size(); ++k) {
      const int32_t t = out->Get(flatbuffers::uoffset_t(k));
      if (t < 0 || size_t(t) >= n) {
        return make_status(ERT_INVALID_MODEL, "%s: op %zu (%s): output %zu: tensor index %d out of range (%zu tensors)",
                           file, i, name, k, t, n);
      }
      const TensorDesc& d = tensors_[size_t(t)];
      if (d.constant != nullptr || is_graph_input[size_t(t)] || exists[size_t(t)]) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: op %zu (%s): output %zu writes tensor %d '%s', which is a constant, "
                           "a graph input or written earlier",
                           file, i, name, k, t, d.name);
      }
      exists[size_t(t)] = 1;
      io.outputs.push_back(t);
    }
  }
  for (int t : outputs_) {
    if (!exists[size_t(t)]) {
      return make_status(ERT_INVALID_MODEL, "%s: model output tensor %d '%s' is never written",
                         file, t, tensors_[size_t(t)].name);
    }
  }
  return Status();
}

Status Model::verify_plan() {
  const char* file = origin_.c_str();
  const size_t n = tensors_.size();
  const fb::MemoryPlan& plan = *root_->plan();
  const auto* allocations = plan.allocations();
  std::vector<char> placed(n, 0);
  if (allocations != nullptr) {
    for (const fb::Allocation* a : *allocations) {
      const uint32_t t = a->tensor();
      if (t >= n) {
        return make_status(ERT_INVALID_MODEL, "%s: plan: tensor index %u out of range (%zu tensors)",
                           file, t, n);
      }
      TensorDesc& d = tensors_[t];
      if (d.constant != nullptr) {
        return make_status(ERT_INVALID_MODEL, "%s: plan: tensor %u '%s' is a constant", file, t,
                           d.name);
      }
      if (placed[t]) {
        return make_status(ERT_INVALID_MODEL, "%s: plan: tensor %u '%s' is placed twice", file, t,
                           d.name);
      }
      if (a->offset() % kTensorAlignment != 0) {
        return make_status(ERT_INVALID_MODEL, "%s: plan: tensor %u '%s': offset %llu is not 64-byte aligned",
                           file, t, d.name, static_cast<unsigned long long>(a->offset()));
      }
      // Compared in 64 bits before the offset becomes a size_t: on a 32-bit target the cast
      // alone would turn 2^32 + 64 into 64, a place the file never asked for.
      if (a->offset() > plan.arena_bytes()) {
        return make_status(ERT_INVALID_MODEL,
                           "%s: plan: tensor %u '%s' (offset %llu) does not fit in the %llu-byte "
                           "arena",
                           file, t, d.name, static_cast<unsigned long long>(a->offset()),
                           static_cast<unsigned long long>(plan.arena_bytes()));
      }
      placed[t] = 1;
      d.plan_offset = size_t(a->offset());
    }
  }
  for (size_t t = 0; t < n; ++t) {
    if (tensors_[t].constant == nullptr && !placed[t]) {
      return make_status(ERT_INVALID_MODEL, "%s: plan: tensor %zu '%s' has no place in the arena",
                         file, t, tensors_[t].name);
    }
  }

  assignment_ = assign_buffers(layout_);
  const size_t groups = assignment_.groups.size();
  std::vector<size_t> offsets(groups, SIZE_MAX);
  std::vector<int> first_tensor(groups, -1);
  for (size_t t = 0; t < n; ++t) {
    const int g = assignment_.group_of_tensor[t];
    if (g < 0) continue;
    if (offsets[size_t(g)] == SIZE_MAX) {
      offsets[size_t(g)] = tensors_[t].plan_offset;
      first_tensor[size_t(g)] = int(t);
    } else if (offsets[size_t(g)] != tensors_[t].plan_offset) {
      return make_status(ERT_INVALID_MODEL,
                         "%s: plan: tensor %zu '%s' shares the buffer of tensor %d '%s' (RESHAPE) "
                         "but is placed at another offset",
                         file, t, tensors_[t].name, first_tensor[size_t(g)],
                         tensors_[size_t(first_tensor[size_t(g)])].name);
    }
  }
  const PlanStats bounds = plan_bounds(assignment_.groups);
  if (plan.arena_bytes() > bounds.naive_bytes) {
    return make_status(ERT_INVALID_MODEL,
                       "%s: plan: arena_bytes %llu exceeds the %zu bytes of all tensors together",
                       file, static_cast<unsigned long long>(plan.arena_bytes()), bounds.naive_bytes);
  }
  arena_bytes_ = size_t(plan.arena_bytes());
  int bad_a = -1, bad_b = -1;
  if (!check_plan(assignment_.groups, offsets, arena_bytes_, &bad_a, &bad_b)) {
    const int ta = first_tensor[size_t(bad_a)];
    if (bad_b < 0) {
      return make_status(ERT_INVALID_MODEL,
                         "%s: plan: tensor %d '%s' (%zu bytes at offset %zu) does not fit in the "
                         "%zu-byte arena",
                         file, ta, tensors_[size_t(ta)].name, tensors_[size_t(ta)].bytes,
                         offsets[size_t(bad_a)], arena_bytes_);
    }
    const int tb = first_tensor[size_t(bad_b)];
    return make_status(ERT_INVALID_MODEL,
                       "%s: plan: tensors %d '%s' and %d '%s' overlap in memory while both are "
                       "alive",
                       file, ta, tensors_[size_t(ta)].name, tb, tensors_[size_t(tb)].name);
  }
  return Status();
}

}  // namespace ert::rt
