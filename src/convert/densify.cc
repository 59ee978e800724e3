// Densifying a sparse constant:
//   1. Check the description: level count, traversal order (original dimensions first, then the
//      block dimensions, each a permutation), block map, block sizes (dense, dividing their
//      dimension), and each level's extent.
//   2. Walk the levels top-down counting positions: a DENSE level multiplies them by its extent;
//      a CSR level needs a segment per position, in order and within its indices, and every
//      coordinate it lists in range; its entries become the next level's positions. The last
//      count must equal the number of stored values.
//   3. Only then allocate the zeroed result and walk the tree depth-first, writing each stored
//      value at the element its coordinates name.
#include "src/convert/densify.h"

#include <cstring>
#include <new>

#include "src/runtime/limits.h"
#include "src/runtime/status.h"

namespace ert::cvt {

namespace {

using rt::make_status;

constexpr int kMaxLevels = 2 * rt::kMaxRank;

// The checked description, as the walk uses it.
struct Plan {
  int rank = 0;
  int levels = 0;
  int32_t order[kMaxLevels] = {};        // traversal_order.
  int64_t extent[kMaxLevels] = {};       // Coordinates per level.
  int32_t block_dim[rt::kMaxRank] = {};  // Original dimension of each block.
  int64_t block_size[rt::kMaxRank] = {};
  int64_t stride[rt::kMaxRank] = {};  // Row-major element strides of the dense tensor.
};

class Writer {
 public:
  Writer(const Plan& plan, const SparseFormat& format, const uint8_t* values, size_t count,
         size_t element_size, uint8_t* out)
      : plan_(plan),
        format_(format),
        values_(values),
        count_(count),
        element_size_(element_size),
        out_(out) {}

  // Visits every stored position below `position` of the level above `level`. The recursion is
  // at most kMaxLevels deep.
  void visit(int level, int64_t position) {
    if (level == plan_.levels) {
      leaf();
      return;
    }
    const SparseLevel& meta = format_.levels[size_t(level)];
    if (!meta.compressed) {
      const int64_t extent = plan_.extent[level];
      for (int64_t c = 0; c < extent; ++c) {
        coord_[level] = c;
        visit(level + 1, position * extent + c);
      }
      return;
    }
    const int64_t begin = meta.segments[size_t(position)];
    const int64_t end = meta.segments[size_t(position) + 1];
    for (int64_t entry = begin; entry < end; ++entry) {
      coord_[level] = meta.indices[size_t(entry)];
      visit(level + 1, entry);
    }
  }

 private:
  // Maps the coordinates of the levels to the element they name and stores the next value.
  void leaf() {
    if (next_ >= count_) return;  // Unreachable after the checks; kept as a guard.
    // Validation bounded every level count and index; these unsigned bounds restate that for
    // the compiler (and any later change), so nothing can index outside the arrays.
    const unsigned rank = unsigned(plan_.rank);
    const unsigned levels = unsigned(plan_.levels);
    if (rank > unsigned(rt::kMaxRank) || levels > unsigned(kMaxLevels) || levels < rank) return;
    int64_t index[rt::kMaxRank] = {};
    for (unsigned l = 0; l < rank; ++l) {
      const unsigned d = unsigned(plan_.order[l]);
      if (d < unsigned(rt::kMaxRank)) index[d] = coord_[l];
    }
    for (unsigned l = rank; l < levels; ++l) {
      const unsigned b = unsigned(plan_.order[l] - plan_.rank);
      if (b >= unsigned(rt::kMaxRank)) continue;
      const unsigned d = unsigned(plan_.block_dim[b]);
      if (d >= unsigned(rt::kMaxRank)) continue;
      index[d] = index[d] * plan_.block_size[b] + coord_[l];
    }
    int64_t flat = 0;
    for (int d = 0; d < plan_.rank; ++d) flat += index[d] * plan_.stride[d];
    std::memcpy(out_ + size_t(flat) * element_size_, values_ + next_ * element_size_,
                element_size_);
    ++next_;
  }

  const Plan& plan_;
  const SparseFormat& format_;
  const uint8_t* values_;
  size_t count_;
  size_t element_size_;
  uint8_t* out_;
  size_t next_ = 0;
  int64_t coord_[kMaxLevels] = {};
};

// Step 1: everything but the index arrays.
Status check_structure(const std::vector<int32_t>& shape, const SparseFormat& format, Plan* plan) {
  const size_t n = shape.size();
  const size_t k = format.block_map.size();
  if (n > size_t(rt::kMaxRank)) {
    return make_status(ERT_UNSUPPORTED, "sparse tensor of rank %zu; edgert takes at most %d", n,
                       rt::kMaxRank);
  }
  if (k > n) {
    return make_status(ERT_INVALID_MODEL, "block_map has %zu entries for a rank-%zu tensor", k, n);
  }
  if (format.traversal_order.size() != n + k || format.levels.size() != n + k) {
    return make_status(ERT_INVALID_MODEL,
                       "traversal_order has %zu entries and dim_metadata %zu; a rank-%zu tensor "
                       "with %zu blocked dimensions needs %zu of each",
                       format.traversal_order.size(), format.levels.size(), n, k, n + k);
  }
  plan->rank = int(n);
  plan->levels = int(n + k);

  // The first n levels walk the original dimensions, the last k the blocks: two permutations.
  bool seen[kMaxLevels] = {};
  for (size_t l = 0; l < n + k; ++l) {
    const int32_t v = format.traversal_order[l];
    const bool block_level = l >= n;
    const int32_t lo = block_level ? int32_t(n) : 0;
    const int32_t hi = block_level ? int32_t(n + k) : int32_t(n);
    if (v < lo || v >= hi || seen[v]) {
      return make_status(ERT_INVALID_MODEL,
                         "traversal_order entry %zu is %d; entries 0..%zu must be a permutation of "
                         "0..%zu and the rest of %zu..%zu",
                         l, int(v), n - 1, n - 1, n, n + k - 1);
    }
    seen[v] = true;
    plan->order[l] = v;
  }

  // Each blocked dimension once, in increasing order (what TFLite's reader assumes).
  for (size_t b = 0; b < k; ++b) {
    const int32_t d = format.block_map[b];
    if (d < 0 || size_t(d) >= n) {
      return make_status(ERT_INVALID_MODEL,
                         "block_map entry %zu is %d, not a dimension of a "
                         "rank-%zu tensor",
                         b, int(d), n);
    }
    if (b > 0 && d <= format.block_map[b - 1]) {
      return make_status(ERT_UNSUPPORTED,
                         "block_map %d after %d: blocked dimensions must be listed once each, in "
                         "increasing order",
                         int(d), int(format.block_map[b - 1]));
    }
    plan->block_dim[b] = d;
  }
  for (size_t l = n; l < n + k; ++l) {
    const size_t b = size_t(plan->order[l]) - n;
    const SparseLevel& meta = format.levels[l];
    if (meta.compressed) {
      return make_status(ERT_UNSUPPORTED,
                         "level %zu (block %zu) is SPARSE_CSR; blocks must be "
                         "DENSE",
                         l, b);
    }
    const int64_t dim = shape[size_t(plan->block_dim[b])];
    if (meta.dense_size < 1 || dim % meta.dense_size != 0) {
      return make_status(ERT_INVALID_MODEL,
                         "level %zu: block size %lld does not divide dimension %d (size %lld)", l,
                         (long long)meta.dense_size, int(plan->block_dim[b]), (long long)dim);
    }
    plan->block_size[b] = meta.dense_size;
    plan->extent[l] = meta.dense_size;
  }
  for (size_t l = 0; l < n; ++l) {
    const int32_t d = plan->order[l];
    int64_t extent = shape[size_t(d)];
    for (size_t b = 0; b < k; ++b) {
      if (plan->block_dim[b] == d) extent /= plan->block_size[b];
    }
    plan->extent[l] = extent;
    const SparseLevel& meta = format.levels[l];
    if (!meta.compressed && meta.dense_size != extent) {
      return make_status(ERT_INVALID_MODEL,
                         "level %zu (dimension %d) is DENSE with size %lld, but the shape gives "
                         "%lld",
                         l, int(d), (long long)meta.dense_size, (long long)extent);
    }
  }
  int64_t stride = 1;
  for (size_t d = n; d-- > 0;) {
    plan->stride[d] = stride;
    stride *= shape[d];  // The caller checked the element count first: no overflow.
  }
  return Status();
}

// Step 2: the index arrays and the number of stored positions.
Status count_positions(const SparseFormat& format, const Plan& plan, uint64_t* positions) {
  uint64_t count = 1;  // Positions of the level above the first: the root.
  for (int l = 0; l < plan.levels; ++l) {
    const SparseLevel& meta = format.levels[size_t(l)];
    if (!meta.compressed) {
      if (__builtin_mul_overflow(count, uint64_t(plan.extent[l]), &count)) {
        return make_status(ERT_INVALID_MODEL, "level %d: too many positions", l);
      }
      continue;
    }
    const std::vector<int64_t>& seg = meta.segments;
    if (seg.size() <= count) {
      return make_status(ERT_INVALID_MODEL,
                         "level %d is SPARSE_CSR with %zu segment entries; the %llu positions "
                         "above it need %llu",
                         l, seg.size(), (unsigned long long)count, (unsigned long long)count + 1);
    }
    if (seg[0] != 0) {
      return make_status(ERT_INVALID_MODEL, "level %d: array_segments starts at %lld, not 0", l,
                         (long long)seg[0]);
    }
    for (uint64_t p = 0; p < count; ++p) {
      if (seg[p + 1] < seg[p]) {
        return make_status(ERT_INVALID_MODEL,
                           "level %d: array_segments decreases from %lld to %lld at entry %llu", l,
                           (long long)seg[p], (long long)seg[p + 1], (unsigned long long)p + 1);
      }
    }
    const int64_t entries = seg[count];
    if (uint64_t(entries) > meta.indices.size()) {
      return make_status(ERT_INVALID_MODEL,
                         "level %d: array_segments reaches %lld, beyond the %zu array_indices", l,
                         (long long)entries, meta.indices.size());
    }
    for (int64_t e = 0; e < entries; ++e) {
      const int64_t c = meta.indices[size_t(e)];
      if (c < 0 || c >= plan.extent[l]) {
        return make_status(ERT_INVALID_MODEL,
                           "level %d: array_indices entry %lld is %lld, outside 0..%lld", l,
                           (long long)e, (long long)c, (long long)plan.extent[l] - 1);
      }
    }
    count = uint64_t(entries);
  }
  *positions = count;
  return Status();
}

}  // namespace

Status densify(const std::vector<int32_t>& shape, const SparseFormat& format, const uint8_t* values,
               size_t value_bytes, size_t element_size, std::vector<uint8_t>* dense) {
  if (dense == nullptr || element_size == 0 || (values == nullptr && value_bytes > 0)) {
    return make_status(ERT_INVALID_ARGUMENT, "densify: null output or values, or element size 0");
  }
  dense->clear();
  uint64_t elements = 1;
  for (int32_t dim : shape) {
    if (dim < 0) return make_status(ERT_INVALID_MODEL, "shape has a dimension of %d", int(dim));
    elements *= uint64_t(dim);  // At most kMaxRank dims of < 2^31 each are checked below.
    if (elements > uint64_t(rt::kMaxElements)) elements = uint64_t(rt::kMaxElements) + 1;
  }
  size_t bytes = 0;
  if (elements > uint64_t(rt::kMaxElements) ||
      !rt::checked_mul(size_t(elements), element_size, &bytes) || bytes > kMaxDenseBytes) {
    return make_status(ERT_UNSUPPORTED, "the dense tensor would exceed %zu bytes", kMaxDenseBytes);
  }
  Plan plan;
  ERT_RETURN_IF_ERROR(check_structure(shape, format, &plan));
  uint64_t positions = 0;
  ERT_RETURN_IF_ERROR(count_positions(format, plan, &positions));
  if (value_bytes % element_size != 0) {
    return make_status(ERT_INVALID_MODEL,
                       "%zu value bytes are not a whole number of %zu-byte "
                       "elements",
                       value_bytes, element_size);
  }
  const size_t count = value_bytes / element_size;
  if (positions != count) {
    return make_status(ERT_INVALID_MODEL,
                       "the sparsity metadata stores %llu values, the buffer holds %zu",
                       (unsigned long long)positions, count);
  }

  std::vector<uint8_t> out;
  out.resize(bytes, 0);
  Writer writer(plan, format, values, count, element_size, out.data());
  writer.visit(0, 0);
  *dense = std::move(out);
  return Status();
}

}  // namespace ert::cvt
