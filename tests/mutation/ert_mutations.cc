#include "tests/mutation/ert_mutations.h"

#include <algorithm>
#include <cstring>

#include "ert_generated.h"
#include "tests/mutation/field_picker.h"

namespace ert::mutation {

namespace {

constexpr size_t kSegmentAlignment = 64;

size_t align_up(size_t v) { return (v + kSegmentAlignment - 1) / kSegmentAlignment * kSegmentAlignment; }

// What one mutation works on: the unpacked model, and which segment entries it changed (those
// keep their values when the FlatBuffer grows and the others move).
struct Target {
  fb::ModelT& m;
  uint64_t file_size;
  std::vector<bool> segment_touched;
};

// Shapes whose byte size no device has, or that overflow 32 or 64 bits when multiplied out.
std::vector<int32_t> huge_shape(Rng& rng) {
  switch (rng.below(5)) {
    case 0:
      return {1 << 20, 1 << 18};  // 2^38 elements: 2^40 bytes of f32.
    case 1:
      return {65536, 65536, 65536, 3};
    case 2:
      return {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    case 3:
      return {1 << 30, 2};
    default:
      return {46341, 46341};  // Just above 2^31 elements.
  }
}

// ---- Options ------------------------------------------------------------------------------------

// Lists the fields of an op's options table.
void list_option_fields(fb::OpOptionsUnion& u, FieldPicker* p) {
  const int64_t kPaddingMax = int64_t(fb::Padding::MAX);
  switch (u.type) {
    case fb::OpOptions::Conv2DOptions: {
      auto* o = u.AsConv2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("dilation_h", &o->dilation_h);
      p->add_int("dilation_w", &o->dilation_w);
      break;
    }
    case fb::OpOptions::DepthwiseConv2DOptions: {
      auto* o = u.AsDepthwiseConv2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("dilation_h", &o->dilation_h);
      p->add_int("dilation_w", &o->dilation_w);
      p->add_int("depth_multiplier", &o->depth_multiplier);
      break;
    }
    case fb::OpOptions::TransposeConvOptions: {
      auto* o = u.AsTransposeConvOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("stride_w", &o->stride_w);
      break;
    }
    case fb::OpOptions::FullyConnectedOptions:
      p->add_bool("keep_num_dims", &u.AsFullyConnectedOptions()->keep_num_dims);
      break;
    case fb::OpOptions::Pool2DOptions: {
      auto* o = u.AsPool2DOptions();
      p->add_enum("padding", &o->padding, kPaddingMax);
      p->add_int("stride_h", &o->stride_h);
      p->add_int("stride_w", &o->stride_w);
      p->add_int("filter_h", &o->filter_h);
      p->add_int("filter_w", &o->filter_w);
      break;
    }
    case fb::OpOptions::ReduceOptions: {
      auto* o = u.AsReduceOptions();
      p->add_int_vector("axes", &o->axes, 4);
      p->add_bool("keep_dims", &o->keep_dims);
      break;
    }
    case fb::OpOptions::ConcatenationOptions:
      p->add_int("axis", &u.AsConcatenationOptions()->axis, 4);
      break;
    case fb::OpOptions::PadOptions: {
      auto* o = u.AsPadOptions();
      p->add_int_vector("paddings", &o->paddings, 8);
      p->add_float("constant_value", &o->constant_value);
      break;
    }
    case fb::OpOptions::ReshapeOptions:
      p->add_int_vector("new_shape", &u.AsReshapeOptions()->new_shape);
      break;
    case fb::OpOptions::SliceOptions: {
      auto* o = u.AsSliceOptions();
      p->add_int_vector("begin", &o->begin);
      p->add_int_vector("size", &o->size);
      break;
    }
    case fb::OpOptions::StridedSliceOptions: {
      auto* o = u.AsStridedSliceOptions();
      p->add_int_vector("begin", &o->begin);
      p->add_int_vector("end", &o->end);
      p->add_int_vector("strides", &o->strides);
      p->add_int("begin_mask", &o->begin_mask);
      p->add_int("end_mask", &o->end_mask);
      p->add_int("ellipsis_mask", &o->ellipsis_mask);
      p->add_int("new_axis_mask", &o->new_axis_mask);
      p->add_int("shrink_axis_mask", &o->shrink_axis_mask);
      p->add_bool("offset", &o->offset);
      break;
    }
    case fb::OpOptions::TransposeOptions:
      p->add_int_vector("perm", &u.AsTransposeOptions()->perm, 4);
      break;
    case fb::OpOptions::SpaceDepthOptions:
      p->add_int("block_size", &u.AsSpaceDepthOptions()->block_size);
      break;
    case fb::OpOptions::ResizeOptions: {
      auto* o = u.AsResizeOptions();
      p->add_int("new_height", &o->new_height);
      p->add_int("new_width", &o->new_width);
      p->add_bool("align_corners", &o->align_corners);
      p->add_bool("half_pixel_centers", &o->half_pixel_centers);
      break;
    }
    case fb::OpOptions::SoftmaxOptions:
      p->add_float("beta", &u.AsSoftmaxOptions()->beta);
      break;
    case fb::OpOptions::LeakyReluOptions:
      p->add_float("alpha", &u.AsLeakyReluOptions()->alpha);
      break;
    case fb::OpOptions::DetectionPostprocessOptions: {
      auto* o = u.AsDetectionPostprocessOptions();
      p->add_int("max_detections", &o->max_detections);
      p->add_int("max_classes_per_detection", &o->max_classes_per_detection);
      p->add_int("detections_per_class", &o->detections_per_class);
      p->add_int("num_classes", &o->num_classes);
      p->add_float("nms_score_threshold", &o->nms_score_threshold);
      p->add_float("nms_iou_threshold", &o->nms_iou_threshold);
      p->add_float("y_scale", &o->y_scale);
      p->add_float("x_scale", &o->x_scale);
      p->add_float("h_scale", &o->h_scale);
      p->add_float("w_scale", &o->w_scale);
      p->add_bool("use_regular_nms", &o->use_regular_nms);
      break;
    }
    default:
      break;
  }
}

// The explicit padding struct of the options that have one, or null.
std::unique_ptr<fb::ExplicitPadding>* explicit_padding_of(fb::OpOptionsUnion& u) {
  switch (u.type) {
    case fb::OpOptions::Conv2DOptions:
      return &u.AsConv2DOptions()->explicit_padding;
    case fb::OpOptions::DepthwiseConv2DOptions:
      return &u.AsDepthwiseConv2DOptions()->explicit_padding;
    case fb::OpOptions::TransposeConvOptions:
      return &u.AsTransposeConvOptions()->explicit_padding;
    case fb::OpOptions::Pool2DOptions:
      return &u.AsPool2DOptions()->explicit_padding;
    default:
      return nullptr;
  }
}

// Replaces the options with a default table of the given type (NONE clears them).
void set_default_options(fb::OpOptionsUnion* u, fb::OpOptions type) {
  u->Reset();
  switch (type) {
    case fb::OpOptions::Conv2DOptions: u->Set(fb::Conv2DOptionsT()); break;
    case fb::OpOptions::DepthwiseConv2DOptions: u->Set(fb::DepthwiseConv2DOptionsT()); break;
    case fb::OpOptions::TransposeConvOptions: u->Set(fb::TransposeConvOptionsT()); break;
    case fb::OpOptions::FullyConnectedOptions: u->Set(fb::FullyConnectedOptionsT()); break;
    case fb::OpOptions::Pool2DOptions: u->Set(fb::Pool2DOptionsT()); break;
    case fb::OpOptions::ReduceOptions: u->Set(fb::ReduceOptionsT()); break;
    case fb::OpOptions::ConcatenationOptions: u->Set(fb::ConcatenationOptionsT()); break;
    case fb::OpOptions::PadOptions: u->Set(fb::PadOptionsT()); break;
    case fb::OpOptions::ReshapeOptions: u->Set(fb::ReshapeOptionsT()); break;
    case fb::OpOptions::SliceOptions: u->Set(fb::SliceOptionsT()); break;
    case fb::OpOptions::StridedSliceOptions: u->Set(fb::StridedSliceOptionsT()); break;
    case fb::OpOptions::TransposeOptions: u->Set(fb::TransposeOptionsT()); break;
    case fb::OpOptions::SpaceDepthOptions: u->Set(fb::SpaceDepthOptionsT()); break;
    case fb::OpOptions::ResizeOptions: u->Set(fb::ResizeOptionsT()); break;
    case fb::OpOptions::SoftmaxOptions: u->Set(fb::SoftmaxOptionsT()); break;
    case fb::OpOptions::LeakyReluOptions: u->Set(fb::LeakyReluOptionsT()); break;
    case fb::OpOptions::DetectionPostprocessOptions:
      u->Set(fb::DetectionPostprocessOptionsT());
      break;
    default:
      break;
  }
}

std::string mutate_options(fb::OperatorT& op, size_t index, Rng& rng) {
  const std::string where = strprintf("op %zu options ", index);
  if (rng.one_in(5)) {
    const auto type = fb::OpOptions(rng.below(size_t(fb::OpOptions::MAX) + 1));
    set_default_options(&op.options, type);
    return where + strprintf("replaced by a default table of type %d (%s)", int(type),
                             fb::EnumNameOpOptions(type));
  }
  std::unique_ptr<fb::ExplicitPadding>* pad = explicit_padding_of(op.options);
  if (pad != nullptr && rng.one_in(4)) {
    if (!*pad) *pad = std::make_unique<fb::ExplicitPadding>(0, 0, 0, 0);
    fb::ExplicitPadding& e = **pad;
    const int32_t v = hostile_i32(rng, 0, 0);
    const char* names[] = {"top", "bottom", "left", "right"};
    const size_t which = rng.below(4);
    if (which == 0) e.mutate_top(v);
    if (which == 1) e.mutate_bottom(v);
    if (which == 2) e.mutate_left(v);
    if (which == 3) e.mutate_right(v);
    return where + strprintf("explicit_padding.%s = %d", names[which], v);
  }
  FieldPicker picker;
  list_option_fields(op.options, &picker);
  if (picker.empty()) {
    const auto type = fb::OpOptions(rng.below(size_t(fb::OpOptions::MAX) + 1));
    set_default_options(&op.options, type);
    return where + strprintf("(none) replaced by a default table of type %d", int(type));
  }
  return where + picker.mutate(rng);
}

// ---- Tensors ------------------------------------------------------------------------------------

std::string mutate_quantization(fb::TensorT& t, size_t index, Rng& rng) {
  const std::string where = strprintf("tensor %zu quantization ", index);
  if (!t.quantization || rng.one_in(6)) {
    if (t.quantization && rng.one_in(2)) {
      t.quantization.reset();
      return where + "removed";
    }
    t.quantization = std::make_unique<fb::QuantizationT>();
    const size_t n = rng.one_in(2) ? 1 : 1 + rng.below(8);
    t.quantization->scale.assign(n, 0.5f);
    t.quantization->zero_point.assign(n, 0);
    t.quantization->axis = n == 1 ? -1 : int32_t(rng.below(t.shape.size() + 1));
    return where + strprintf("added with %zu scales on axis %d", n, t.quantization->axis);
  }
  fb::QuantizationT& q = *t.quantization;
  switch (rng.below(7)) {
    case 0: {
      const int32_t before = q.axis;
      q.axis = hostile_i32(rng, before, int64_t(t.shape.size()));
      return where + strprintf("axis %d -> %d", before, q.axis);
    }
    case 1:
      if (!q.scale.empty()) {
        const size_t i = rng.below(q.scale.size());
        q.scale[i] = hostile_f32(rng);
        return where + strprintf("scale[%zu] = %g", i, double(q.scale[i]));
      }
      return where + "no scale to change";
    case 2:
      if (!q.zero_point.empty()) {
        const size_t i = rng.below(q.zero_point.size());
        q.zero_point[i] = hostile_i64(rng);
        return where + strprintf("zero_point[%zu] = %lld", i,
                                 static_cast<long long>(q.zero_point[i]));
      }
      return where + "no zero point to change";
    case 3:
      q.scale.push_back(1.0f);
      return where + strprintf("one more scale (%zu)", q.scale.size());
    case 4:
      if (!q.scale.empty()) q.scale.pop_back();
      return where + strprintf("one scale fewer (%zu)", q.scale.size());
    case 5:
      if (!q.zero_point.empty()) q.zero_point.pop_back();
      return where + strprintf("one zero point fewer (%zu)", q.zero_point.size());
    default:
      q.scale.clear();
      q.zero_point.clear();
      return where + "emptied";
  }
}

std::string mutate_tensor(Target& target, Rng& rng) {
  fb::ModelT& m = target.m;
  if (m.tensors.empty()) return "no tensor";
  const size_t i = rng.below(m.tensors.size());
  fb::TensorT& t = *m.tensors[i];
  const std::string where = strprintf("tensor %zu '%s' ", i, t.name.c_str());
  switch (rng.below(8)) {
    case 0:
    case 1: {
      FieldPicker picker;
      picker.add_int_vector("shape", &t.shape, int64_t(t.shape.size()));
      return where + picker.mutate(rng);
    }
    case 2:
      t.shape = huge_shape(rng);
      return where + strprintf("shape of %zu huge dims, first %d", t.shape.size(), t.shape[0]);
    case 3: {
      FieldPicker picker;
      picker.add_enum("dtype", &t.dtype, int64_t(fb::DType::MAX));
      return where + picker.mutate(rng);
    }
    case 4: {
      const int32_t before = t.segment;
      t.segment = hostile_i32(rng, before, int64_t(m.segments.size()));
      return where + strprintf("segment %d -> %d", before, t.segment);
    }
    case 5:
    case 6:
      return mutate_quantization(t, i, rng);
    default:
      switch (rng.below(3)) {
        case 0:
          t.name.clear();
          return where + "name emptied";
        case 1:
          t.name = m.tensors[rng.below(m.tensors.size())]->name;
          return where + "name = " + t.name;
        default:
          t.name.assign(4096, 'n');
          return where + "name of 4096 bytes";
      }
  }
}

// ---- Operators ----------------------------------------------------------------------------------

std::string mutate_op_index(std::vector<int32_t>& list, const char* what, size_t op,
                            size_t num_tensors, Rng& rng) {
  const std::string where = strprintf("op %zu %s ", op, what);
  if (list.empty() || rng.one_in(4)) {
    FieldPicker picker;
    picker.add_int_vector(what, &list, int64_t(num_tensors));
    return where + picker.mutate(rng);
  }
  const size_t k = rng.below(list.size());
  const int32_t before = list[k];
  // A valid index of the wrong tensor reaches the ops' own shape and dtype checks.
  list[k] = rng.one_in(2) ? int32_t(rng.below(num_tensors)) : hostile_i32(rng, before,
                                                                          int64_t(num_tensors));
  return where + strprintf("[%zu]: %d -> %d", k, before, list[k]);
}

std::string mutate_operator(Target& target, Rng& rng) {
  fb::ModelT& m = target.m;
  if (m.operators.empty()) return "no operator";
  const size_t i = rng.below(m.operators.size());
  fb::OperatorT& op = *m.operators[i];
  switch (rng.below(9)) {
    case 0:
    case 1:
      return mutate_op_index(op.inputs, "inputs", i, m.tensors.size(), rng);
    case 2:
      return mutate_op_index(op.outputs, "outputs", i, m.tensors.size(), rng);
    case 3: {
      FieldPicker picker;
      picker.add_enum("code", &op.code, int64_t(fb::OpCode::MAX));
      return strprintf("op %zu ", i) + picker.mutate(rng);
    }
    case 4: {
      FieldPicker picker;
      picker.add_enum("activation", &op.activation, int64_t(fb::Activation::MAX));
      picker.add_int("version", &op.version);
      return strprintf("op %zu ", i) + picker.mutate(rng);
    }
    default:
      return mutate_options(op, i, rng);
  }
}

// ---- Graph, segments, plan ----------------------------------------------------------------------

std::string mutate_graph(Target& target, Rng& rng) {
  fb::ModelT& m = target.m;
  const size_t n = m.tensors.size();
  switch (rng.below(7)) {
    case 0: {
      FieldPicker picker;
      picker.add_int_vector("model inputs", &m.inputs, int64_t(n));
      return picker.mutate(rng);
    }
    case 1: {
      FieldPicker picker;
      picker.add_int_vector("model outputs", &m.outputs, int64_t(n));
      return picker.mutate(rng);
    }
    case 2:
      if (m.operators.size() >= 2) {
        const size_t a = rng.below(m.operators.size());
        const size_t b = rng.below(m.operators.size());
        std::swap(m.operators[a], m.operators[b]);
        return strprintf("ops %zu and %zu swapped", a, b);
      }
      return "too few ops to swap";
    case 3:
      if (!m.operators.empty()) {
        const size_t a = rng.below(m.operators.size());
        m.operators.erase(m.operators.begin() + long(a));
        return strprintf("op %zu removed", a);
      }
      return "no op to remove";
    case 4:
      if (!m.tensors.empty()) {
        m.tensors.pop_back();
        return strprintf("last tensor removed (%zu left)", m.tensors.size());
      }
      return "no tensor to remove";
    case 5: {
      const uint32_t before = m.format_version;
      m.format_version = uint32_t(hostile_i32(rng, before, 0));
      return strprintf("format_version %u -> %u", before, m.format_version);
    }
    default:
      if (!m.operators.empty()) {
        const size_t a = rng.below(m.operators.size());
        auto copy = std::make_unique<fb::OperatorT>(*m.operators[a]);
        m.operators.insert(m.operators.begin() + long(rng.below(m.operators.size() + 1)),
                           std::move(copy));
        return strprintf("op %zu duplicated", a);
      }
      return "no op to duplicate";
  }
}

std::string mutate_segments(Target& target, Rng& rng) {
  fb::ModelT& m = target.m;
  if (m.segments.empty() || rng.one_in(8)) {
    m.segments.emplace_back(hostile_u64(rng, 0, target.file_size),
                            hostile_u64(rng, 64, target.file_size));
    target.segment_touched.push_back(true);
    return strprintf("segment %zu added at %llu, %llu bytes", m.segments.size() - 1,
                     static_cast<unsigned long long>(m.segments.back().offset()),
                     static_cast<unsigned long long>(m.segments.back().size()));
  }
  const size_t s = rng.below(m.segments.size());
  if (rng.one_in(8)) {
    m.segments.erase(m.segments.begin() + long(s));
    target.segment_touched.erase(target.segment_touched.begin() + long(s));
    return strprintf("segment %zu removed", s);
  }
  fb::Segment& seg = m.segments[s];
  target.segment_touched[s] = true;
  if (rng.one_in(2)) {
    const uint64_t before = seg.offset();
    seg.mutate_offset(hostile_u64(rng, before, target.file_size));
    return strprintf("segment %zu offset %llu -> %llu", s, static_cast<unsigned long long>(before),
                     static_cast<unsigned long long>(seg.offset()));
  }
  const uint64_t before = seg.size();
  seg.mutate_size(hostile_u64(rng, before, target.file_size));
  return strprintf("segment %zu size %llu -> %llu", s, static_cast<unsigned long long>(before),
                   static_cast<unsigned long long>(seg.size()));
}

std::string mutate_plan(Target& target, Rng& rng) {
  fb::ModelT& m = target.m;
  if (!m.plan) return "no plan";
  fb::MemoryPlanT& plan = *m.plan;
  auto& allocs = plan.allocations;
  switch (rng.below(7)) {
    case 0: {
      const uint64_t before = plan.arena_bytes;
      plan.arena_bytes = hostile_u64(rng, before, target.file_size);
      return strprintf("plan arena_bytes %llu -> %llu", static_cast<unsigned long long>(before),
                       static_cast<unsigned long long>(plan.arena_bytes));
    }
    case 1:
      m.plan.reset();
      return "plan removed";
    case 2:
      if (!allocs.empty()) {
        allocs.erase(allocs.begin() + long(rng.below(allocs.size())));
        return "one allocation removed";
      }
      return "no allocation to remove";
    case 3:
      if (!allocs.empty()) {
        allocs.push_back(allocs[rng.below(allocs.size())]);
        return "one allocation duplicated";
      }
      return "no allocation to duplicate";
    case 4:
      if (!allocs.empty()) {
        const size_t a = rng.below(allocs.size());
        const uint32_t before = allocs[a].tensor();
        allocs[a].mutate_tensor(uint32_t(hostile_i32(rng, before, int64_t(m.tensors.size()))));
        return strprintf("allocation %zu tensor %u -> %u", a, before, allocs[a].tensor());
      }
      return "no allocation";
    case 5:
      if (allocs.size() >= 2) {
        // Two tensors at one offset: an overlap the verifier must find when both are alive.
        const size_t a = rng.below(allocs.size());
        const size_t b = rng.below(allocs.size());
        allocs[a].mutate_offset(allocs[b].offset());
        return strprintf("allocation %zu placed at allocation %zu's offset", a, b);
      }
      return "too few allocations";
    default:
      if (!allocs.empty()) {
        const size_t a = rng.below(allocs.size());
        const uint64_t before = allocs[a].offset();
        allocs[a].mutate_offset(hostile_u64(rng, before, plan.arena_bytes));
        return strprintf("allocation %zu offset %llu -> %llu", a,
                         static_cast<unsigned long long>(before),
                         static_cast<unsigned long long>(allocs[a].offset()));
      }
      return "no allocation";
  }
}

// Where the FlatBuffer ends: the first segment's offset (the file size when there is none).
size_t structure_end_of(const fb::Model& root, size_t file_size) {
  size_t end = file_size;
  if (root.segments() != nullptr) {
    for (const fb::Segment* s : *root.segments()) end = std::min<size_t>(end, s->offset());
  }
  return end;
}

// Steps: pack; when it fits before the old first segment, write it there; otherwise move every
// segment the mutation did not touch by the growth rounded to 64 bytes, pack again (structs have
// fixed sizes, so the size stays), and put the old tail (the segments' bytes) after it.
void pack(Target& target, const std::vector<uint8_t>& file, size_t region_end,
          std::vector<uint8_t>* out) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Model::Pack(fbb, &target.m), fb::ModelIdentifier());
  size_t shift = 0;
  if (fbb.GetSize() > region_end) {
    shift = align_up(fbb.GetSize() - region_end);
    for (size_t s = 0; s < target.m.segments.size(); ++s) {
      if (target.segment_touched[s]) continue;
      target.m.segments[s].mutate_offset(target.m.segments[s].offset() + shift);
    }
    fbb.Clear();
    fbb.Finish(fb::Model::Pack(fbb, &target.m), fb::ModelIdentifier());
  }
  out->assign(std::max(file.size() + shift, size_t(fbb.GetSize())), 0);
  std::memcpy(out->data(), fbb.GetBufferPointer(), fbb.GetSize());
  if (file.size() > region_end) {
    std::memcpy(out->data() + region_end + shift, file.data() + region_end,
                file.size() - region_end);
  }
}

}  // namespace

void ert_layout(const std::vector<uint8_t>& file, std::vector<Region>* bulk,
                size_t* structure_end) {
  const fb::Model* root = fb::GetModel(file.data());
  bulk->clear();
  if (root->segments() != nullptr) {
    for (const fb::Segment* s : *root->segments()) {
      bulk->push_back({size_t(s->offset()), size_t(s->offset() + s->size())});
    }
  }
  *structure_end = structure_end_of(*root, file.size());
}

std::string mutate_ert_fields(const std::vector<uint8_t>& file, Rng& rng,
                              std::vector<uint8_t>* out) {
  const fb::Model* root = fb::GetModel(file.data());
  fb::ModelT m;
  root->UnPackTo(&m);
  Target target{m, file.size(), std::vector<bool>(m.segments.size(), false)};
  const size_t changes = rng.one_in(5) ? 2 + rng.below(2) : 1;
  std::string what;
  for (size_t c = 0; c < changes; ++c) {
    const size_t kind = rng.below(100);
    std::string one;
    if (kind < 30) {
      one = mutate_tensor(target, rng);
    } else if (kind < 65) {
      one = mutate_operator(target, rng);
    } else if (kind < 75) {
      one = mutate_graph(target, rng);
    } else if (kind < 83) {
      one = mutate_segments(target, rng);
    } else {
      one = mutate_plan(target, rng);
    }
    what += (c ? "; " : "") + one;
  }
  pack(target, file, structure_end_of(*root, file.size()), out);
  return what;
}

void repack_ert(const std::vector<uint8_t>& file, std::vector<uint8_t>* out) {
  const fb::Model* root = fb::GetModel(file.data());
  fb::ModelT m;
  root->UnPackTo(&m);
  Target target{m, file.size(), std::vector<bool>(m.segments.size(), false)};
  pack(target, file, structure_end_of(*root, file.size()), out);
}

}  // namespace ert::mutation
