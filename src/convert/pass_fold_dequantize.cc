// Folds DEQUANTIZE of constant f16 weights (how MediaPipe stores its float models): the op's
// output becomes an f32 constant and the op goes away.
//
//   1. Find DEQUANTIZE ops whose input is a constant of dtype F16.
//   2. Convert the data to f32 into a new segment and make the output tensor that constant.
//   3. Remove the op; the f16 constant becomes dead when nothing else reads it.
#include <cstring>

#include <fp16.h>

#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

Status fold_dequantize(ModelBuilder* builder, PassReport* report) {
  fb::ModelT& m = builder->model();
  std::vector<bool> remove(m.operators.size(), false);
  for (size_t i = 0; i < m.operators.size(); ++i) {
    const fb::OperatorT& op = *m.operators[i];
    if (op.code != fb::OpCode::DEQUANTIZE || op.inputs.size() != 1 || op.outputs.size() != 1) {
      continue;
    }
    const fb::TensorT& in = *m.tensors[size_t(op.inputs[0])];
    fb::TensorT& out = *m.tensors[size_t(op.outputs[0])];
    if (in.segment < 0 || in.dtype != fb::DType::F16 || out.dtype != fb::DType::F32 ||
        is_graph_output(m, op.outputs[0])) {
      continue;
    }
    const std::vector<uint8_t>& half = builder->segments()[size_t(in.segment)];
    const size_t count = half.size() / 2;
    std::vector<uint8_t> full(count * sizeof(float));
    for (size_t k = 0; k < count; ++k) {
      uint16_t h;
      std::memcpy(&h, half.data() + 2 * k, 2);
      const float f = fp16_ieee_to_fp32_value(h);
      std::memcpy(full.data() + 4 * k, &f, 4);
    }
    builder->segments().push_back(std::move(full));
    out.segment = int(builder->segments().size()) - 1;
    remove[i] = true;
    ++report->dequantize_folded;
  }
  erase_ops(&m, remove);
  return Status();
}

}  // namespace ert::cvt
