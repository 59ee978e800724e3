#include "src/runtime/lifetimes.h"

#include <algorithm>

namespace ert::rt {

BufferAssignment assign_buffers(const GraphLayout& graph) {
  const size_t num_tensors = graph.is_constant.size();
  const int end_step = int(graph.ops.size());
  BufferAssignment out;
  out.group_of_tensor.assign(num_tensors, -1);

  auto new_group = [&](int tensor, int first) {
    out.group_of_tensor[size_t(tensor)] = int(out.groups.size());
    PlanBuffer b;
    b.bytes = graph.bytes[size_t(tensor)];
    b.first = first;
    b.last = first;
    out.groups.push_back(b);
  };
  auto touch = [&](int tensor, int step) {
    const int g = out.group_of_tensor[size_t(tensor)];
    if (g < 0) return;
    out.groups[size_t(g)].last = std::max(out.groups[size_t(g)].last, step);
  };

  for (int t : graph.inputs) {
    if (!graph.is_constant[size_t(t)] && out.group_of_tensor[size_t(t)] < 0) new_group(t, 0);
  }
  for (int step = 0; step < end_step; ++step) {
    const GraphLayout::OpIO& op = graph.ops[size_t(step)];
    for (int t : op.inputs) {
      if (t >= 0) touch(t, step);
    }
    for (size_t k = 0; k < op.outputs.size(); ++k) {
      const int t = op.outputs[k];
      if (graph.is_constant[size_t(t)] || out.group_of_tensor[size_t(t)] >= 0) continue;
      const int src = op.inputs.empty() ? -1 : op.inputs[0];
      const bool alias = k == 0 && op.may_alias && src >= 0 &&
                         out.group_of_tensor[size_t(src)] >= 0 &&
                         graph.bytes[size_t(src)] == graph.bytes[size_t(t)];
      if (alias) {
        out.group_of_tensor[size_t(t)] = out.group_of_tensor[size_t(src)];
        touch(t, step);
      } else {
        new_group(t, step);
      }
    }
  }
  // Tensors nobody writes or reads (dangling) still get a buffer so every arena tensor has one.
  for (size_t t = 0; t < num_tensors; ++t) {
    if (!graph.is_constant[t] && out.group_of_tensor[t] < 0) new_group(int(t), 0);
  }
  // Inputs and outputs stay alive past the last op: the caller reads the outputs after invoke,
  // and may invoke again on the inputs it set, so no intermediate may reuse their memory.
  for (int t : graph.inputs) touch(t, end_step);
  for (int t : graph.outputs) touch(t, end_step);
  return out;
}

}  // namespace ert::rt
