// Removes what nothing needs.
//
//   1. Walking ops from last to first, an op is dead when none of its outputs is a graph output
//      or read by a live op.
//   2. A tensor is kept when a live op or the graph's inputs/outputs refer to it; a segment
//      when a kept tensor uses it.
//   3. Tensors and segments are renumbered and every index is rewritten.
#include <algorithm>

#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

Status remove_dead_tensors(ModelBuilder* builder, PassReport* report) {
  fb::ModelT& m = builder->model();
  const size_t num_tensors = m.tensors.size();
  std::vector<bool> needed(num_tensors, false);
  for (int t : m.outputs) needed[size_t(t)] = true;
  std::vector<bool> dead_op(m.operators.size(), false);
  for (size_t k = m.operators.size(); k-- > 0;) {
    const fb::OperatorT& op = *m.operators[k];
    const bool live = std::any_of(op.outputs.begin(), op.outputs.end(),
                                  [&](int t) { return t >= 0 && needed[size_t(t)]; });
    if (!live) {
      dead_op[k] = true;
      continue;
    }
    for (int t : op.inputs) {
      if (t >= 0) needed[size_t(t)] = true;
    }
  }
  erase_ops(&m, dead_op);

  std::vector<bool> keep(num_tensors, false);
  for (int t : m.inputs) keep[size_t(t)] = true;
  for (int t : m.outputs) keep[size_t(t)] = true;
  for (const auto& op : m.operators) {
    for (int t : op->inputs) {
      if (t >= 0) keep[size_t(t)] = true;
    }
    for (int t : op->outputs) keep[size_t(t)] = true;
  }
  std::vector<int> new_index(num_tensors, -1);
  std::vector<bool> segment_used(builder->segments().size(), false);
  size_t kept = 0;
  for (size_t t = 0; t < num_tensors; ++t) {
    if (!keep[t]) continue;
    new_index[t] = int(kept);
    if (m.tensors[t]->segment >= 0) segment_used[size_t(m.tensors[t]->segment)] = true;
    if (kept != t) m.tensors[kept] = std::move(m.tensors[t]);  // Self-move would empty it.
    ++kept;
  }
  report->tensors_removed += int(num_tensors - kept);
  m.tensors.resize(kept);
  auto remap = [&](std::vector<int>& list) {
    for (int& t : list) {
      if (t >= 0) t = new_index[size_t(t)];
    }
  };
  remap(m.inputs);
  remap(m.outputs);
  for (auto& op : m.operators) {
    remap(op->inputs);
    remap(op->outputs);
  }

  SegmentData& segments = builder->segments();
  std::vector<int> new_segment(segments.size(), -1);
  size_t kept_segments = 0;
  for (size_t s = 0; s < segments.size(); ++s) {
    if (!segment_used[s]) continue;
    new_segment[s] = int(kept_segments);
    if (kept_segments != s) segments[kept_segments] = std::move(segments[s]);
    ++kept_segments;
  }
  report->segments_removed += int(segments.size() - kept_segments);
  segments.resize(kept_segments);
  for (auto& t : m.tensors) {
    if (t->segment >= 0) t->segment = new_segment[size_t(t->segment)];
  }
  m.plan.reset();  // Indices changed; the writer plans again.
  return Status();
}



}  // namespace ert::cvt
