// Which arena buffer each tensor uses and when that buffer is alive, from the execution order.
//
//   1. A graph input is alive from step 0; a tensor an op writes is alive from that op's step.
//   2. A tensor is alive until the last op that reads it; a graph input or output until the end
//      (the caller reads outputs after invoke and may invoke again on the inputs it set).
//   3. An op that only reinterprets its input (RESHAPE of an arena tensor into one of the same
//      size) shares the input's buffer: the two tensors form one group whose lifetime is the
//      union of theirs.
// Steps: op i runs at step i; the end of the graph is step num_ops. An op's inputs and outputs
// are alive at the same step, so they never share memory unless aliased.
#ifndef ERT_RUNTIME_LIFETIMES_H_
#define ERT_RUNTIME_LIFETIMES_H_

#include <cstddef>
#include <vector>

#include "src/runtime/planner.h"

namespace ert::rt {

/// The graph as the planner needs it. Indices are assumed valid (the verifier checked them).
struct GraphLayout {
  struct OpIO {
    std::vector<int> inputs;    // -1 entries (absent inputs) are skipped.
    std::vector<int> outputs;
    bool may_alias = false;     // Output 0 may share input 0's buffer (RESHAPE).
  };
  std::vector<bool> is_constant;   // Per tensor.
  std::vector<size_t> bytes;       // Per tensor (ignored for constants).
  std::vector<OpIO> ops;           // In execution order.
  std::vector<int> inputs;         // Graph inputs.
  std::vector<int> outputs;        // Graph outputs.
};

struct BufferAssignment {
  std::vector<int> group_of_tensor;   // Buffer group per tensor; -1 for constants.
  std::vector<PlanBuffer> groups;     // Size and lifetime of each group.
};

/// Computes groups and lifetimes (see the steps at the top of this file).
BufferAssignment assign_buffers(const GraphLayout& graph);

}  // namespace ert::rt

#endif  // ERT_RUNTIME_LIFETIMES_H_
