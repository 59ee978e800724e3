#include "src/convert/model_writer.h"

#include <cstring>

#include "src/runtime/lifetimes.h"
#include "src/runtime/limits.h"
#include "src/runtime/status.h"

namespace ert::cvt {

namespace {
constexpr size_t kSegmentAlignment = 64;

size_t align_up(size_t v) { return (v + kSegmentAlignment - 1) / kSegmentAlignment * kSegmentAlignment; }
}  // namespace

Status plan_model(fb::ModelT* model, rt::PlanStats* stats) {
  const size_t n = model->tensors.size();
  rt::GraphLayout graph;
  graph.is_constant.resize(n);
  graph.bytes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const fb::TensorT& t = *model->tensors[i];
    graph.is_constant[i] = t.segment >= 0;
    kernels::Shape shape;
    if (t.shape.size() > size_t(rt::kMaxRank)) {
      return rt::make_status(ERT_INVALID_MODEL, "tensor %zu '%s': %zu dims, at most %d", i,
                             t.name.c_str(), t.shape.size(), rt::kMaxRank);
    }
    shape.rank = int(t.shape.size());
    for (int d = 0; d < shape.rank; ++d) shape.dims[d] = t.shape[size_t(d)];
    const char* why = "";
    if (!rt::tensor_bytes(static_cast<ert_dtype>(t.dtype), shape, &graph.bytes[i], &why)) {
      return rt::make_status(ERT_INVALID_MODEL, "tensor %zu '%s': %s", i, t.name.c_str(), why);
    }
  }
  for (const auto& op : model->operators) {
    rt::GraphLayout::OpIO io;
    io.inputs = op->inputs;
    io.outputs = op->outputs;
    io.may_alias = op->code == fb::OpCode::RESHAPE;
    for (int t : io.inputs) {
      if (t >= int(n)) return rt::make_status(ERT_INVALID_MODEL, "op input %d out of range", t);
    }
    for (int t : io.outputs) {
      if (t < 0 || t >= int(n)) return rt::make_status(ERT_INVALID_MODEL, "op output %d out of range", t);
    }
    graph.ops.push_back(std::move(io));
  }
  graph.inputs = model->inputs;
  graph.outputs = model->outputs;
  const rt::BufferAssignment assignment = rt::assign_buffers(graph);
  std::vector<size_t> offsets;
  size_t arena = 0;
  if (!rt::plan_buffers(assignment.groups, &offsets, &arena)) {
    return rt::make_status(ERT_OUT_OF_MEMORY, "memory plan overflows the address space");
  }
  auto plan = std::make_unique<fb::MemoryPlanT>();
  plan->arena_bytes = arena;
  for (size_t i = 0; i < n; ++i) {
    const int g = assignment.group_of_tensor[i];
    if (g >= 0) plan->allocations.emplace_back(uint32_t(i), uint64_t(offsets[size_t(g)]));
  }
  model->plan = std::move(plan);
  if (stats != nullptr) {
    *stats = rt::plan_bounds(assignment.groups);
    stats->arena_bytes = arena;
  }
  return Status();
}

Status write_model(fb::ModelT model, const SegmentData& segments, std::vector<uint8_t>* out) {
  // Pass 1 packs with placeholder offsets to learn the FlatBuffer's size; the offsets live in a
  // vector of fixed-size structs, so pass 2 with the real values has exactly the same size.
  model.segments.assign(segments.size(), fb::Segment(0, 0));
  auto pack = [&](flatbuffers::FlatBufferBuilder* fbb) {
    fbb->ForceDefaults(false);
    fbb->Finish(fb::Model::Pack(*fbb, &model), fb::ModelIdentifier());
  };
  flatbuffers::FlatBufferBuilder first;
  pack(&first);
  size_t offset = align_up(first.GetSize());
  size_t end = first.GetSize();  // The file ends with the last segment: no trailing padding.
  for (size_t i = 0; i < segments.size(); ++i) {
    model.segments[i] = fb::Segment(offset, segments[i].size());
    end = offset + segments[i].size();
    offset = align_up(end);
  }
  flatbuffers::FlatBufferBuilder second;
  pack(&second);
  if (second.GetSize() != first.GetSize()) {
    return rt::make_status(ERT_BACKEND_ERROR, "writer: FlatBuffer size changed between passes");
  }
  const size_t total = end;
  out->assign(total, 0);
  std::memcpy(out->data(), second.GetBufferPointer(), second.GetSize());
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].empty()) {
      std::memcpy(out->data() + model.segments[i].offset(), segments[i].data(), segments[i].size());
    }
  }
  return Status();
}

}  // namespace ert::cvt
