// Removes RESHAPE ops that do not change the shape: readers of the output read the input.
#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

Status drop_identity_reshapes(ModelBuilder* builder, PassReport* report) {
  fb::ModelT& m = builder->model();
  std::vector<bool> remove(m.operators.size(), false);
  for (size_t i = 0; i < m.operators.size(); ++i) {
    const fb::OperatorT& op = *m.operators[i];
    if (op.code != fb::OpCode::RESHAPE || op.inputs.size() != 1 || op.outputs.size() != 1) continue;
    const fb::TensorT& in = *m.tensors[size_t(op.inputs[0])];
    const fb::TensorT& out = *m.tensors[size_t(op.outputs[0])];
    if (in.shape != out.shape || in.dtype != out.dtype || !same_quantization(in, out) ||
        is_graph_output(m, op.outputs[0])) {
      continue;
    }
    redirect_uses(&m, op.outputs[0], op.inputs[0]);
    remove[i] = true;
    ++report->reshapes_dropped;
  }
  erase_ops(&m, remove);
  return Status();
}

}  // namespace ert::cvt
