// Figures about a model that `ert inspect` and `ert bench` report: ops by type, multiply-
// accumulates per op, weights and arena bytes against the plan's bounds.
#ifndef ERT_TOOL_MODEL_STATS_H_
#define ERT_TOOL_MODEL_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/runtime/model.h"

namespace ert::tool {

struct ModelStats {
  std::map<std::string, int> ops_by_type;
  std::vector<int64_t> macs_per_op;  // 0 for ops that do no multiply-accumulate work.
  int64_t total_macs = 0;
  size_t weights_bytes = 0;
  size_t arena_bytes = 0;
  size_t arena_lower_bound = 0;
  size_t arena_naive_bytes = 0;
  size_t file_bytes = 0;
};

/// Computes the figures from the declared shapes.
ModelStats compute_stats(const rt::Model& model);

/// MACs of one op from its input/output shapes (conv family and fully connected; 0 otherwise).
int64_t op_macs(const rt::Model& model, size_t op_index);

}  // namespace ert::tool

#endif  // ERT_TOOL_MODEL_STATS_H_
