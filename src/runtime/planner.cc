#include "src/runtime/planner.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace ert::rt {

bool align_size(size_t bytes, size_t* aligned) {
  if (bytes > SIZE_MAX - (kTensorAlignment - 1)) return false;
  *aligned = (bytes + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  return true;
}

namespace {
bool lifetimes_overlap(const PlanBuffer& a, const PlanBuffer& b) {
  return a.first <= b.last && b.first <= a.last;
}
}  // namespace

bool plan_buffers(const std::vector<PlanBuffer>& buffers, std::vector<size_t>* offsets,
                  size_t* arena_bytes) {
  const size_t n = buffers.size();
  std::vector<size_t> aligned(n);
  for (size_t i = 0; i < n; ++i) {
    if (!align_size(buffers[i].bytes, &aligned[i])) return false;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (aligned[a] != aligned[b]) return aligned[a] > aligned[b];
    return buffers[a].first < buffers[b].first;
  });

  offsets->assign(n, 0);
  std::vector<size_t> placed;  // Indices already placed.
  std::vector<size_t> neighbours;
  size_t arena = 0;
  for (size_t idx : order) {
    const size_t size = aligned[idx];
    neighbours.clear();
    for (size_t p : placed) {
      if (lifetimes_overlap(buffers[idx], buffers[p])) neighbours.push_back(p);
    }
    std::sort(neighbours.begin(), neighbours.end(),
              [&](size_t a, size_t b) { return (*offsets)[a] < (*offsets)[b]; });
    size_t best_offset = SIZE_MAX;
    size_t best_gap = SIZE_MAX;
    size_t cursor = 0;  // End of the highest buffer seen so far in the walk.
    for (size_t p : neighbours) {
      const size_t start = (*offsets)[p];
      if (start > cursor) {
        const size_t gap = start - cursor;
        if (gap >= size && gap < best_gap) {
          best_gap = gap;
          best_offset = cursor;
        }
      }
      cursor = std::max(cursor, start + aligned[p]);
    }
    if (best_offset == SIZE_MAX) best_offset = cursor;
    if (best_offset > SIZE_MAX - size) return false;
    (*offsets)[idx] = best_offset;
    arena = std::max(arena, best_offset + size);
    placed.push_back(idx);
  }
  *arena_bytes = arena;
  return true;
}

PlanStats plan_bounds(const std::vector<PlanBuffer>& buffers) {
  PlanStats stats;
  // Sweep over steps with +size at first and -size after last.
  std::map<int, long double> delta;
  for (const PlanBuffer& b : buffers) {
    size_t a = 0;
    if (!align_size(b.bytes, &a)) a = b.bytes;
    // Saturates: on a 32-bit target a few large tensors would wrap the sum.
    stats.naive_bytes = a > SIZE_MAX - stats.naive_bytes ? SIZE_MAX : stats.naive_bytes + a;
    delta[b.first] += static_cast<long double>(a);
    delta[b.last + 1] -= static_cast<long double>(a);
  }
  long double alive = 0;
  long double peak = 0;
  for (const auto& [step, d] : delta) {
    alive += d;
    peak = std::max(peak, alive);
  }
  stats.lower_bound = static_cast<size_t>(peak);
  return stats;
}

bool check_plan(const std::vector<PlanBuffer>& buffers, const std::vector<size_t>& offsets,
                size_t arena_bytes, int* bad_a, int* bad_b) {
  const size_t n = buffers.size();
  for (size_t i = 0; i < n; ++i) {
    if (offsets[i] > arena_bytes || buffers[i].bytes > arena_bytes - offsets[i]) {
      *bad_a = int(i);
      *bad_b = -1;
      return false;
    }
  }
  // Sweep over steps. `alive` maps start offset -> buffer index of the buffers alive now; as
  // they never overlap one another, a new buffer needs checking only against its neighbours.
  std::vector<size_t> by_first(n), by_last(n);
  std::iota(by_first.begin(), by_first.end(), size_t(0));
  std::iota(by_last.begin(), by_last.end(), size_t(0));
  std::sort(by_first.begin(), by_first.end(),
            [&](size_t a, size_t b) { return buffers[a].first < buffers[b].first; });
  std::sort(by_last.begin(), by_last.end(),
            [&](size_t a, size_t b) { return buffers[a].last < buffers[b].last; });
  std::multimap<size_t, size_t> alive;
  size_t next_end = 0;
  auto end_of = [&](size_t i) { return offsets[i] + buffers[i].bytes; };
  for (size_t k = 0; k < n; ++k) {
    const size_t idx = by_first[k];
    // Retire buffers whose last step is before this one's first step.
    while (next_end < n && buffers[by_last[next_end]].last < buffers[idx].first) {
      const size_t r = by_last[next_end++];
      auto range = alive.equal_range(offsets[r]);
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second == r) {
          alive.erase(it);
          break;
        }
      }
    }
    if (buffers[idx].bytes == 0) continue;
    auto next = alive.lower_bound(offsets[idx]);
    if (next != alive.end() && next->first < end_of(idx)) {
      *bad_a = int(idx);
      *bad_b = int(next->second);
      return false;
    }
    if (next != alive.begin()) {
      auto prev = std::prev(next);
      if (end_of(prev->second) > offsets[idx]) {
        *bad_a = int(idx);
        *bad_b = int(prev->second);
        return false;
      }
    }
    alive.emplace(offsets[idx], idx);
  }
  return true;
}

}  // namespace ert::rt
