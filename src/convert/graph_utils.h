// Small queries and edits on a model being converted (ModelBuilder's object form), shared by
// the passes.
#ifndef ERT_CONVERT_GRAPH_UTILS_H_
#define ERT_CONVERT_GRAPH_UTILS_H_

#include <vector>

#include "ert_generated.h"

namespace ert::cvt {

/// Indices of the ops that read `tensor` (an op appears once per input slot that reads it).
std::vector<int> consumers_of(const fb::ModelT& model, int tensor);

/// Index of the op that writes `tensor`, or -1.
int producer_of(const fb::ModelT& model, int tensor);

bool is_graph_output(const fb::ModelT& model, int tensor);
bool is_graph_input(const fb::ModelT& model, int tensor);

/// Makes every op input that reads `from` read `to` instead.
void redirect_uses(fb::ModelT* model, int from, int to);

/// Removes the ops marked true, keeping the order of the rest.
void erase_ops(fb::ModelT* model, const std::vector<bool>& remove);

/// True when the two tensors carry the same quantization (or both none).
bool same_quantization(const fb::TensorT& a, const fb::TensorT& b);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_GRAPH_UTILS_H_
