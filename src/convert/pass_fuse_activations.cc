// Fuses a standalone RELU or RELU6 into the op that produces its input.
//
//   1. For each RELU/RELU6 op, find the producer of its input.
//   2. Fuse when the producer takes a fused activation and has none, the intermediate tensor is
//      read by this op alone and is not a graph output, and both tensors share quantization.
//   3. The producer then writes the activation's output; the activation op goes away.
#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

namespace {

bool takes_fused_activation(fb::OpCode code) {
  switch (code) {
    case fb::OpCode::CONV_2D:
    case fb::OpCode::DEPTHWISE_CONV_2D:
    case fb::OpCode::TRANSPOSE_CONV:
    case fb::OpCode::FULLY_CONNECTED:
    case fb::OpCode::ADD:
    case fb::OpCode::SUB:
    case fb::OpCode::MUL:
    case fb::OpCode::DIV:
    case fb::OpCode::AVERAGE_POOL_2D:
    case fb::OpCode::MAX_POOL_2D:
    case fb::OpCode::CONCATENATION:
      return true;
    default:
      return false;
  }
}

}  // namespace

Status fuse_activations(ModelBuilder* builder, PassReport* report) {
  fb::ModelT& m = builder->model();
  std::vector<bool> remove(m.operators.size(), false);
  for (size_t i = 0; i < m.operators.size(); ++i) {
    const fb::OperatorT& act = *m.operators[i];
    fb::Activation fused;
    if (act.code == fb::OpCode::RELU) {
      fused = fb::Activation::RELU;
    } else if (act.code == fb::OpCode::RELU6) {
      fused = fb::Activation::RELU6;
    } else {
      continue;
    }
    if (act.inputs.size() != 1 || act.outputs.size() != 1 || act.activation != fb::Activation::NONE) {
      continue;
    }
    const int mid = act.inputs[0];
    const int p = producer_of(m, mid);
    if (p < 0 || remove[size_t(p)]) continue;
    fb::OperatorT& producer = *m.operators[size_t(p)];
    if (!takes_fused_activation(producer.code) || producer.activation != fb::Activation::NONE ||
        producer.outputs.size() != 1 || consumers_of(m, mid).size() != 1 ||
        is_graph_output(m, mid) ||
        !same_quantization(*m.tensors[size_t(mid)], *m.tensors[size_t(act.outputs[0])])) {
      continue;
    }
    producer.activation = fused;
    producer.outputs[0] = act.outputs[0];
    remove[i] = true;
    ++report->activations_fused;
  }
  erase_ops(&m, remove);
  return Status();
}

}  // namespace ert::cvt
