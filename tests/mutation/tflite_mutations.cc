#include "tests/mutation/tflite_mutations.h"

#include <algorithm>
#include <cstring>

#include "tests/mutation/field_picker.h"
#include "tflite_mutation_schema_generated.h"

namespace ert::mutation {

namespace {

namespace tm = ::ert::tflite_mutation;

// ---- Options ------------------------------------------------------------------------------------

constexpr int64_t kPaddingMax = int64_t(tm::Padding::MAX);
constexpr int64_t kActivationMax = int64_t(tm::ActivationFunctionType::MAX);

void list_option_fields(tm::BuiltinOptionsUnion& u, FieldPicker* p) {
  switch (u.type) {
    case tm::BuiltinOptions::Conv2DOptions: {
      auto* o = u.AsConv2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("stride_h", &o->stride_h);
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      p->add_int("dilation_w_factor", &o->dilation_w_factor);
      p->add_int("dilation_h_factor", &o->dilation_h_factor);
      break;
    }
    case tm::BuiltinOptions::DepthwiseConv2DOptions: {
      auto* o = u.AsDepthwiseConv2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("depth_multiplier", &o->depth_multiplier);
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      p->add_int("dilation_w_factor", &o->dilation_w_factor);
      p->add_int("dilation_h_factor", &o->dilation_h_factor);
      break;
    }
    case tm::BuiltinOptions::Pool2DOptions: {
      auto* o = u.AsPool2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("filter_width", &o->filter_width);
      p->add_int("filter_height", &o->filter_height);
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      break;
    }
    case tm::BuiltinOptions::FullyConnectedOptions: {
      auto* o = u.AsFullyConnectedOptions();
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      p->add_enum("weights_format", &o->weights_format,
                  int64_t(tm::FullyConnectedOptionsWeightsFormat::MAX));
      p->add_bool("keep_num_dims", &o->keep_num_dims);
      break;
    }
    case tm::BuiltinOptions::SoftmaxOptions:
      p->add_float("beta", &u.AsSoftmaxOptions()->beta);
      break;
    case tm::BuiltinOptions::ConcatenationOptions: {
      auto* o = u.AsConcatenationOptions();
      p->add_int("axis", &o->axis, 4);
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      break;
    }
    case tm::BuiltinOptions::AddOptions:
      p->add_enum("fused_activation_function", &u.AsAddOptions()->fused_activation_function,
                  kActivationMax);
      break;
    case tm::BuiltinOptions::MulOptions:
      p->add_enum("fused_activation_function", &u.AsMulOptions()->fused_activation_function,
                  kActivationMax);
      break;
    case tm::BuiltinOptions::SubOptions:
      p->add_enum("fused_activation_function", &u.AsSubOptions()->fused_activation_function,
                  kActivationMax);
      break;
    case tm::BuiltinOptions::DivOptions:
      p->add_enum("fused_activation_function", &u.AsDivOptions()->fused_activation_function,
                  kActivationMax);
      break;
    case tm::BuiltinOptions::ResizeBilinearOptions: {
      auto* o = u.AsResizeBilinearOptions();
      p->add_bool("align_corners", &o->align_corners);
      p->add_bool("half_pixel_centers", &o->half_pixel_centers);
      break;
    }
    case tm::BuiltinOptions::ResizeNearestNeighborOptions: {
      auto* o = u.AsResizeNearestNeighborOptions();
      p->add_bool("align_corners", &o->align_corners);
      p->add_bool("half_pixel_centers", &o->half_pixel_centers);
      break;
    }
    case tm::BuiltinOptions::ReshapeOptions:
      p->add_int_vector("new_shape", &u.AsReshapeOptions()->new_shape);
      break;
    case tm::BuiltinOptions::SpaceToDepthOptions:
      p->add_int("block_size", &u.AsSpaceToDepthOptions()->block_size);
      break;
    case tm::BuiltinOptions::DepthToSpaceOptions:
      p->add_int("block_size", &u.AsDepthToSpaceOptions()->block_size);
      break;
    case tm::BuiltinOptions::ReducerOptions:
      p->add_bool("keep_dims", &u.AsReducerOptions()->keep_dims);
      break;
    case tm::BuiltinOptions::StridedSliceOptions: {
      auto* o = u.AsStridedSliceOptions();
      p->add_int("begin_mask", &o->begin_mask);
      p->add_int("end_mask", &o->end_mask);
      p->add_int("ellipsis_mask", &o->ellipsis_mask);
      p->add_int("new_axis_mask", &o->new_axis_mask);
      p->add_int("shrink_axis_mask", &o->shrink_axis_mask);
      p->add_bool("offset", &o->offset);
      break;
    }
    case tm::BuiltinOptions::TransposeConvOptions: {
      auto* o = u.AsTransposeConvOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("stride_h", &o->stride_h);
      p->add_enum("fused_activation_function", &o->fused_activation_function, kActivationMax);
      break;
    }
    case tm::BuiltinOptions::LeakyReluOptions:
      p->add_float("alpha", &u.AsLeakyReluOptions()->alpha);
      break;
    default:
      break;
  }
}

// Replaces the options with a default table of another type (or none): the importer must
// notice that the type does not match the op.
std::string replace_options(tm::BuiltinOptionsUnion* u, Rng& rng) {
  u->Reset();
  switch (rng.below(8)) {
    case 0: u->Set(tm::Conv2DOptionsT()); return "Conv2DOptions";
    case 1: u->Set(tm::Pool2DOptionsT()); return "Pool2DOptions";
    case 2: u->Set(tm::SoftmaxOptionsT()); return "SoftmaxOptions";
    case 3: u->Set(tm::ConcatenationOptionsT()); return "ConcatenationOptions";
    case 4: u->Set(tm::ReshapeOptionsT()); return "ReshapeOptions";
    case 5: u->Set(tm::StridedSliceOptionsT()); return "StridedSliceOptions";
    case 6: u->Set(tm::TransposeConvOptionsT()); return "TransposeConvOptions";
    default: return "none";
  }
}

// ---- Tensors and buffers ------------------------------------------------------------------------

std::string mutate_quantization(tm::TensorT& t, Rng& rng) {
  if (!t.quantization || rng.one_in(6)) {
    if (t.quantization && rng.one_in(2)) {
      t.quantization.reset();
      return "quantization removed";
    }
    t.quantization = std::make_unique<tm::QuantizationParametersT>();
    const size_t n = rng.one_in(2) ? 1 : 1 + rng.below(8);
    t.quantization->scale.assign(n, 0.5f);
    t.quantization->zero_point.assign(n, 0);
    t.quantization->quantized_dimension = int32_t(rng.below(t.shape.size() + 1));
    return strprintf("quantization added with %zu scales on dimension %d", n,
                     t.quantization->quantized_dimension);
  }
  tm::QuantizationParametersT& q = *t.quantization;
  switch (rng.below(7)) {
    case 0: {
      const int32_t before = q.quantized_dimension;
      q.quantized_dimension = hostile_i32(rng, before, int64_t(t.shape.size()));
      return strprintf("quantized_dimension %d -> %d", before, q.quantized_dimension);
    }
    case 1:
      if (q.scale.empty()) return "no scale";
      q.scale[rng.below(q.scale.size())] = hostile_f32(rng);
      return "one scale made hostile";
    case 2:
      if (q.zero_point.empty()) return "no zero point";
      q.zero_point[rng.below(q.zero_point.size())] = hostile_i64(rng);
      return "one zero point made hostile";
    case 3:
      q.scale.push_back(0.25f);
      return strprintf("one more scale (%zu)", q.scale.size());
    case 4:
      if (!q.zero_point.empty()) q.zero_point.pop_back();
      return strprintf("one zero point fewer (%zu)", q.zero_point.size());
    case 5: {
      tm::CustomQuantizationT custom;
      custom.custom.assign(16, 0xab);
      q.details.Set(std::move(custom));
      return "custom quantization details added";
    }
    default:
      q.scale.clear();
      return "scales cleared";
  }
}

std::string mutate_tensor(tm::ModelT& m, tm::SubGraphT& g, Rng& rng) {
  if (g.tensors.empty()) return "no tensor";
  const size_t i = rng.below(g.tensors.size());
  tm::TensorT& t = *g.tensors[i];
  const std::string where = strprintf("tensor %zu '%s' ", i, t.name.c_str());
  switch (rng.below(9)) {
    case 0:
    case 1: {
      FieldPicker picker;
      picker.add_int_vector("shape", &t.shape, int64_t(t.shape.size()));
      return where + picker.mutate(rng);
    }
    case 2: {
      const std::vector<int32_t> shapes[] = {
          {1 << 20, 1 << 18}, {65536, 65536, 65536, 3}, {46341, 46341},
          // 2^61 + 8 elements: times 8 bytes it wraps 64 bits to 64 bytes.
          {8, 536903681, 536838145}};
      t.shape = shapes[rng.below(4)];
      return where + strprintf("shape of %zu huge dims", t.shape.size());
    }
    case 3: {
      FieldPicker picker;
      picker.add_enum("type", &t.type, int64_t(tm::TensorType::MAX));
      return where + picker.mutate(rng);
    }
    case 4: {
      const uint32_t before = t.buffer;
      t.buffer = rng.one_in(2) ? uint32_t(rng.below(m.buffers.size() + 1))
                               : uint32_t(hostile_i32(rng, before, int64_t(m.buffers.size())));
      return where + strprintf("buffer %u -> %u", before, t.buffer);
    }
    case 5:
    case 6:
      return where + mutate_quantization(t, rng);
    case 7:
      t.is_variable = !t.is_variable;
      return where + (t.is_variable ? "made a variable" : "no longer a variable");
    default: {
      FieldPicker picker;
      picker.add_int_vector("shape_signature", &t.shape_signature, int64_t(t.shape.size()));
      return where + picker.mutate(rng);
    }
  }
}

std::string mutate_buffer(tm::ModelT& m, uint64_t file_size, Rng& rng) {
  if (m.buffers.empty()) return "no buffer";
  // Buffers with data are the interesting ones; a few tries find one.
  size_t b = rng.below(m.buffers.size());
  for (int attempt = 0; attempt < 16 && m.buffers[b]->data.empty(); ++attempt) {
    b = rng.below(m.buffers.size());
  }
  tm::BufferT& buf = *m.buffers[b];
  const size_t size = buf.data.size();
  switch (rng.below(6)) {
    case 0:
      if (size > 0) buf.data.pop_back();
      return strprintf("buffer %zu: one byte fewer (%zu)", b, buf.data.size());
    case 1:
      buf.data.resize(size / 2);
      return strprintf("buffer %zu: cut to %zu bytes", b, buf.data.size());
    case 2:
      buf.data.resize(size + 1 + rng.below(64), 0x5a);
      return strprintf("buffer %zu: grown to %zu bytes", b, buf.data.size());
    case 3:
      buf.data.clear();
      return strprintf("buffer %zu: emptied", b);
    default: {
      // Out of the FlatBuffer: offset and size point after it (or anywhere).
      buf.data.clear();
      buf.offset = hostile_u64(rng, file_size / 2, file_size);
      buf.size = hostile_u64(rng, size, file_size);
      return strprintf("buffer %zu: external at %llu, %llu bytes", b,
                       static_cast<unsigned long long>(buf.offset),
                       static_cast<unsigned long long>(buf.size));
    }
  }
}

// A small INT32 or INT64 constant is almost always an op parameter (a RESHAPE shape, PAD
// paddings, a TRANSPOSE permutation, MEAN axes, a RESIZE size, SLICE begin and size, a
// TRANSPOSE_CONV output shape): one of its values becomes hostile.
std::string mutate_parameter(tm::ModelT& m, tm::SubGraphT& g, Rng& rng) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const tm::TensorT& t = *g.tensors[i];
    if (t.type != tm::TensorType::INT32 && t.type != tm::TensorType::INT64) continue;
    if (t.buffer == 0 || t.buffer >= m.buffers.size()) continue;
    const size_t bytes = m.buffers[t.buffer]->data.size();
    if (bytes > 0 && bytes <= 256) candidates.push_back(i);
  }
  if (candidates.empty()) return "no parameter constant";
  const size_t i = candidates[rng.below(candidates.size())];
  const tm::TensorT& t = *g.tensors[i];
  std::vector<uint8_t>& data = m.buffers[t.buffer]->data;
  const size_t width = t.type == tm::TensorType::INT32 ? 4 : 8;
  const size_t count = data.size() / width;
  if (count == 0) return "parameter too short";
  const size_t k = rng.below(count);
  int64_t before = 0;
  std::memcpy(&before, data.data() + k * width, width == 4 ? 4 : 8);
  if (width == 4) before = int32_t(uint32_t(before));
  const int32_t value = hostile_i32(rng, before, int64_t(count));
  if (width == 4) {
    std::memcpy(data.data() + k * width, &value, 4);
  } else {
    const int64_t wide = rng.one_in(4) ? (int64_t(1) << 40) : int64_t(value);
    std::memcpy(data.data() + k * width, &wide, 8);
  }
  return strprintf("parameter tensor %zu '%s' value %zu: %lld -> %d", i, t.name.c_str(), k,
                   static_cast<long long>(before), value);
}

// ---- Operators and op codes ---------------------------------------------------------------------

std::string mutate_custom_options(tm::OperatorT& op, uint64_t file_size, Rng& rng) {
  std::vector<uint8_t>& c = op.custom_options;
  switch (rng.below(5)) {
    case 0:
    case 1: {
      if (c.empty()) return "no custom options to flip";
      std::vector<Region> none;
      return "custom options: " + flip_bits(&c, none, rng);
    }
    case 2:
      return "custom options: " + truncate(&c, c.size(), rng);
    case 3:
      return "custom options: " + overwrite_word(&c, {}, rng);
    default:
      c.clear();
      op.large_custom_options_offset = hostile_u64(rng, file_size / 2, file_size);
      op.large_custom_options_size = hostile_u64(rng, 16, file_size);
      return strprintf("custom options moved to offset %llu, %llu bytes",
                       static_cast<unsigned long long>(op.large_custom_options_offset),
                       static_cast<unsigned long long>(op.large_custom_options_size));
  }
}

std::string mutate_operator(tm::ModelT& m, tm::SubGraphT& g, uint64_t file_size, Rng& rng) {
  if (g.operators.empty()) return "no operator";
  const size_t i = rng.below(g.operators.size());
  tm::OperatorT& op = *g.operators[i];
  const std::string where = strprintf("op %zu ", i);
  const int64_t n = int64_t(g.tensors.size());
  switch (rng.below(10)) {
    case 0: {
      const uint32_t before = op.opcode_index;
      op.opcode_index = rng.one_in(2) ? uint32_t(rng.below(m.operator_codes.size() + 1))
                                      : uint32_t(hostile_i32(rng, before,
                                                             int64_t(m.operator_codes.size())));
      return where + strprintf("opcode_index %u -> %u", before, op.opcode_index);
    }
    case 1:
    case 2:
    case 3: {
      std::vector<int32_t>& list = rng.one_in(3) ? op.outputs : op.inputs;
      if (!list.empty() && rng.one_in(2)) {
        const size_t k = rng.below(list.size());
        const int32_t before = list[k];
        list[k] = int32_t(rng.below(size_t(n))) - (rng.one_in(8) ? 1 : 0);
        return where + strprintf("tensor index [%zu]: %d -> %d", k, before, list[k]);
      }
      FieldPicker picker;
      picker.add_int_vector(&list == &op.inputs ? "inputs" : "outputs", &list, n);
      return where + picker.mutate(rng);
    }
    case 4:
      return where + "options replaced by " + replace_options(&op.builtin_options, rng);
    case 5:
    case 6: {
      if (!op.custom_options.empty() || rng.one_in(4)) {
        return where + mutate_custom_options(op, file_size, rng);
      }
      FieldPicker picker;
      list_option_fields(op.builtin_options, &picker);
      if (picker.empty()) return where + "options replaced by " +
                                 replace_options(&op.builtin_options, rng);
      return where + picker.mutate(rng);
    }
    default: {
      FieldPicker picker;
      list_option_fields(op.builtin_options, &picker);
      if (picker.empty()) return where + mutate_custom_options(op, file_size, rng);
      return where + picker.mutate(rng);
    }
  }
}

std::string mutate_op_code(tm::ModelT& m, Rng& rng) {
  if (m.operator_codes.empty()) return "no op code";
  const size_t i = rng.below(m.operator_codes.size());
  tm::OperatorCodeT& oc = *m.operator_codes[i];
  const std::string where = strprintf("operator_codes[%zu] ", i);
  switch (rng.below(4)) {
    case 0: {
      FieldPicker picker;
      picker.add_enum("builtin_code", &oc.builtin_code, int64_t(tm::BuiltinOperator::MAX));
      return where + picker.mutate(rng);
    }
    case 1: {
      const int8_t before = oc.deprecated_builtin_code;
      oc.deprecated_builtin_code = int8_t(hostile_i32(rng, before, 127));
      return where + strprintf("deprecated_builtin_code %d -> %d", before,
                               oc.deprecated_builtin_code);
    }
    case 2: {
      const char* names[] = {"TFLite_Detection_PostProcess", "Convolution2DTransposeBias", "",
                             "NoSuchOp"};
      oc.builtin_code = tm::BuiltinOperator::CUSTOM;
      oc.custom_code = names[rng.below(4)];
      return where + "custom_code = '" + oc.custom_code + "'";
    }
    default: {
      const int32_t before = oc.version;
      oc.version = hostile_i32(rng, before, 0);
      return where + strprintf("version %d -> %d", before, oc.version);
    }
  }
}

std::string mutate_graph(tm::ModelT& m, tm::SubGraphT& g, Rng& rng) {
  const int64_t n = int64_t(g.tensors.size());
  switch (rng.below(9)) {
    case 0: {
      FieldPicker picker;
      picker.add_int_vector("subgraph inputs", &g.inputs, n);
      return picker.mutate(rng);
    }
    case 1: {
      FieldPicker picker;
      picker.add_int_vector("subgraph outputs", &g.outputs, n);
      return picker.mutate(rng);
    }
    case 2:
      if (g.operators.size() >= 2) {
        const size_t a = rng.below(g.operators.size());
        const size_t b = rng.below(g.operators.size());
        std::swap(g.operators[a], g.operators[b]);
        return strprintf("ops %zu and %zu swapped", a, b);
      }
      return "too few ops";
    case 3:
      if (!g.operators.empty()) {
        const size_t a = rng.below(g.operators.size());
        g.operators.erase(g.operators.begin() + long(a));
        return strprintf("op %zu removed", a);
      }
      return "no op";
    case 4:
      if (!g.tensors.empty()) g.tensors.pop_back();
      return strprintf("last tensor removed (%zu left)", g.tensors.size());
    case 5:
      if (!m.buffers.empty()) m.buffers.pop_back();
      return strprintf("last buffer removed (%zu left)", m.buffers.size());
    case 6:
      if (!m.operator_codes.empty()) m.operator_codes.pop_back();
      return strprintf("last op code removed (%zu left)", m.operator_codes.size());
    case 7:
      if (!g.operators.empty()) {
        const size_t a = rng.below(g.operators.size());
        g.operators.insert(g.operators.begin() + long(rng.below(g.operators.size() + 1)),
                           std::make_unique<tm::OperatorT>(*g.operators[a]));
        return strprintf("op %zu duplicated", a);
      }
      return "no op";
    default:
      m.subgraphs.clear();
      return "subgraphs removed";
  }
}

// ---- Sparsity -----------------------------------------------------------------------------------

std::vector<int32_t>* index_values(tm::SparseIndexVectorUnion& u) {
  if (u.type == tm::SparseIndexVector::Int32Vector) return &u.AsInt32Vector()->values;
  return nullptr;
}

std::string mutate_sparsity(tm::SubGraphT& g, Rng& rng) {
  std::vector<size_t> sparse;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (g.tensors[i]->sparsity) sparse.push_back(i);
  }
  if (sparse.empty()) return "no sparse tensor";
  const size_t i = sparse[rng.below(sparse.size())];
  tm::SparsityParametersT& sp = *g.tensors[i]->sparsity;
  const std::string where = strprintf("tensor %zu sparsity ", i);
  FieldPicker picker;
  picker.add_int_vector("traversal_order", &sp.traversal_order, 4);
  picker.add_int_vector("block_map", &sp.block_map, 4);
  for (size_t l = 0; l < sp.dim_metadata.size(); ++l) {
    tm::DimensionMetadataT& d = *sp.dim_metadata[l];
    picker.add_int(strprintf("dim %zu dense_size", l), &d.dense_size);
    picker.add_enum(strprintf("dim %zu format", l), &d.format, int64_t(tm::DimensionType::MAX));
    if (auto* v = index_values(d.array_segments)) {
      picker.add_int_vector(strprintf("dim %zu array_segments", l), v, int64_t(v->size()));
    }
    if (auto* v = index_values(d.array_indices)) {
      picker.add_int_vector(strprintf("dim %zu array_indices", l), v, 64);
    }
  }
  if (rng.one_in(6) && !sp.dim_metadata.empty()) {
    sp.dim_metadata.pop_back();
    return where + strprintf("one level fewer (%zu)", sp.dim_metadata.size());
  }
  // Uint16/Uint8 index vectors are changed through their bytes: a value past the end.
  for (auto& d : sp.dim_metadata) {
    if (d->array_indices.type == tm::SparseIndexVector::Uint16Vector && rng.one_in(4) &&
        !d->array_indices.AsUint16Vector()->values.empty()) {
      auto& v = d->array_indices.AsUint16Vector()->values;
      v[rng.below(v.size())] = 0xffff;
      return where + "a uint16 index set to 65535";
    }
    if (d->array_segments.type == tm::SparseIndexVector::Uint8Vector && rng.one_in(4) &&
        !d->array_segments.AsUint8Vector()->values.empty()) {
      auto& v = d->array_segments.AsUint8Vector()->values;
      v[rng.below(v.size())] = 0xff;
      return where + "a uint8 segment set to 255";
    }
  }
  return where + picker.mutate(rng);
}

// The first bytes of the constant data (buffers over 64 bytes): what lies before is structure.
size_t structure_end_of(const std::vector<Region>& bulk, size_t file_size) {
  size_t end = file_size;
  for (const Region& r : bulk) end = std::min(end, r.begin);
  return end;
}

void pack(tm::ModelT& m, std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tm::Model::Pack(fbb, &m), tm::ModelIdentifier());
  out->assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace

void tflite_layout(const std::vector<uint8_t>& file, std::vector<Region>* bulk,
                   size_t* structure_end) {
  const tm::Model* root = tm::GetModel(file.data());
  bulk->clear();
  if (root->buffers() != nullptr) {
    for (const tm::Buffer* b : *root->buffers()) {
      if (b->data() == nullptr || b->data()->size() <= 64) continue;
      const size_t begin = size_t(b->data()->data() - file.data());
      bulk->push_back({begin, begin + b->data()->size()});
    }
  }
  *structure_end = structure_end_of(*bulk, file.size());
}

std::string mutate_tflite_fields(const std::vector<uint8_t>& file, Rng& rng,
                                 std::vector<uint8_t>* out) {
  tm::ModelT m;
  tm::GetModel(file.data())->UnPackTo(&m);
  const size_t changes = rng.one_in(5) ? 2 + rng.below(2) : 1;
  std::string what;
  for (size_t c = 0; c < changes; ++c) {
    std::string one;
    if (m.subgraphs.empty()) {
      one = "no subgraph left";
    } else {
      tm::SubGraphT& g = *m.subgraphs[0];
      const size_t kind = rng.below(100);
      if (kind < 24) {
        one = mutate_tensor(m, g, rng);
      } else if (kind < 34) {
        one = mutate_buffer(m, file.size(), rng);
      } else if (kind < 46) {
        one = mutate_parameter(m, g, rng);
      } else if (kind < 76) {
        one = mutate_operator(m, g, file.size(), rng);
      } else if (kind < 83) {
        one = mutate_op_code(m, rng);
      } else if (kind < 94) {
        one = mutate_graph(m, g, rng);
      } else {
        one = mutate_sparsity(g, rng);
      }
    }
    what += (c ? "; " : "") + one;
  }
  pack(m, out);
  return what;
}

void repack_tflite(const std::vector<uint8_t>& file, std::vector<uint8_t>* out) {
  tm::ModelT m;
  tm::GetModel(file.data())->UnPackTo(&m);
  pack(m, out);
}

}  // namespace ert::mutation
