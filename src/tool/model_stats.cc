#include "src/tool/model_stats.h"

namespace ert::tool {

int64_t op_macs(const rt::Model& model, size_t op_index) {
  const fb::Operator* op = model.flatbuffer().operators()->Get(flatbuffers::uoffset_t(op_index));
  const auto& io = model.layout().ops[op_index];
  if (io.inputs.size() < 2 || io.inputs[0] < 0 || io.inputs[1] < 0 || io.outputs.empty()) return 0;
  const auto& tensors = model.tensors();
  const kernels::Shape& in = tensors[size_t(io.inputs[0])].shape;
  const kernels::Shape& w = tensors[size_t(io.inputs[1])].shape;
  const kernels::Shape& out = tensors[size_t(io.outputs[0])].shape;
  switch (op->code()) {
    case fb::OpCode::CONV_2D:  // Each output element: KH*KW*Ci(per group) products.
      return w.rank == 4 ? out.num_elements() * w.count(1, 4) : 0;
    case fb::OpCode::DEPTHWISE_CONV_2D:  // Each output element: KH*KW products.
      return w.rank == 4 ? out.num_elements() * w[1] * w[2] : 0;
    case fb::OpCode::TRANSPOSE_CONV:  // Each input pixel scatters KH*KW*Co*Ci products.
      return (w.rank == 4 && in.rank == 4) ? in.num_elements() * w.count(0, 3) : 0;
    case fb::OpCode::FULLY_CONNECTED:  // Each output element: K products.
      return w.rank == 2 ? out.num_elements() * w[1] : 0;
    default:
      return 0;
  }
}

ModelStats compute_stats(const rt::Model& model) {
  ModelStats s;
  const auto& ops = *model.flatbuffer().operators();
  for (size_t i = 0; i < ops.size(); ++i) {
    s.ops_by_type[fb::EnumNameOpCode(ops.Get(flatbuffers::uoffset_t(i))->code())]++;
    s.macs_per_op.push_back(op_macs(model, i));
    s.total_macs += s.macs_per_op.back();
  }
  const rt::PlanStats bounds = rt::plan_bounds(model.assignment().groups);
  s.weights_bytes = model.weights_bytes();
  s.arena_bytes = model.arena_bytes();
  s.arena_lower_bound = bounds.lower_bound;
  s.arena_naive_bytes = bounds.naive_bytes;
  s.file_bytes = model.file_bytes();
  return s;
}

}  // namespace ert::tool
