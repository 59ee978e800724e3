// The static memory planner: places every activation buffer at an offset in one arena.
//
// Algorithm (TFLite's ArenaPlanner "greedy by size"):
//   1. Sort buffers by size, largest first (ties: earlier first use, then index).
//   2. For each buffer, collect the already placed buffers whose lifetimes overlap its own,
//      ordered by offset.
//   3. Walk the gaps between them and take the smallest gap that fits (best fit); if none
//      fits, place it after the last one.
//   4. The arena size is the largest end offset.
// Offsets are multiples of kTensorAlignment; sizes are rounded up to it.
#ifndef ERT_RUNTIME_PLANNER_H_
#define ERT_RUNTIME_PLANNER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ert::rt {

/// Alignment of every arena tensor (a cache line; also what SIMD loads want).
constexpr size_t kTensorAlignment = 64;

/// Rounds up to kTensorAlignment. Returns false on overflow.
bool align_size(size_t bytes, size_t* aligned);

/// One buffer to place: `bytes` needed from step `first` to step `last`, both inclusive.
struct PlanBuffer {
  size_t bytes = 0;
  int first = 0;
  int last = 0;
};

/// Summary figures of a plan.
struct PlanStats {
  size_t arena_bytes = 0;   // What the plan uses.
  size_t naive_bytes = 0;   // Sum of all (aligned) buffers: no reuse at all.
  size_t lower_bound = 0;   // Largest total of (aligned) buffers alive at one step.
};

/// Places the buffers. offsets[i] is where buffer i starts. Returns false on size overflow.
bool plan_buffers(const std::vector<PlanBuffer>& buffers, std::vector<size_t>* offsets,
                  size_t* arena_bytes);

/// Naive sum and lower bound of a set of buffers (arena_bytes left 0).
PlanStats plan_bounds(const std::vector<PlanBuffer>& buffers);

/// Checks that no two buffers alive at a common step overlap in memory, and that all fit in
/// arena_bytes. On failure returns false and sets *bad_a / *bad_b to the buffers at fault
/// (*bad_b = -1 when buffer *bad_a alone does not fit). O(n log n).
bool check_plan(const std::vector<PlanBuffer>& buffers, const std::vector<size_t>& offsets,
                size_t arena_bytes, int* bad_a, int* bad_b);

}  // namespace ert::rt

#endif  // ERT_RUNTIME_PLANNER_H_
