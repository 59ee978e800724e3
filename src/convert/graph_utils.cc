#include "src/convert/graph_utils.h"

#include <algorithm>

namespace ert::cvt {

std::vector<int> consumers_of(const fb::ModelT& model, int tensor) {
  std::vector<int> ops;
  for (size_t i = 0; i < model.operators.size(); ++i) {
    for (int t : model.operators[i]->inputs) {
      if (t == tensor) ops.push_back(int(i));
    }
  }
  return ops;
}

int producer_of(const fb::ModelT& model, int tensor) {
  for (size_t i = 0; i < model.operators.size(); ++i) {
    const auto& outs = model.operators[i]->outputs;
    if (std::find(outs.begin(), outs.end(), tensor) != outs.end()) return int(i);
  }
  return -1;
}

bool is_graph_output(const fb::ModelT& model, int tensor) {
  return std::find(model.outputs.begin(), model.outputs.end(), tensor) != model.outputs.end();
}

bool is_graph_input(const fb::ModelT& model, int tensor) {
  return std::find(model.inputs.begin(), model.inputs.end(), tensor) != model.inputs.end();
}

void redirect_uses(fb::ModelT* model, int from, int to) {
  for (auto& op : model->operators) {
    for (int& t : op->inputs) {
      if (t == from) t = to;
    }
  }
}

void erase_ops(fb::ModelT* model, const std::vector<bool>& remove) {
  size_t kept = 0;
  for (size_t i = 0; i < model->operators.size(); ++i) {
    if (remove[i]) continue;
    if (kept != i) model->operators[kept] = std::move(model->operators[i]);
    ++kept;
  }
  model->operators.resize(kept);
}

bool same_quantization(const fb::TensorT& a, const fb::TensorT& b) {
  const fb::QuantizationT* qa = a.quantization.get();
  const fb::QuantizationT* qb = b.quantization.get();
  const bool empty_a = qa == nullptr || qa->scale.empty();
  const bool empty_b = qb == nullptr || qb->scale.empty();
  if (empty_a || empty_b) return empty_a == empty_b;
  return qa->scale == qb->scale && qa->zero_point == qb->zero_point && qa->axis == qb->axis;
}

}  // namespace ert::cvt
