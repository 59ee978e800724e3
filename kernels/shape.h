// Shapes as the kernels see them: a small fixed-capacity array of dimensions.
#ifndef ERT_KERNELS_SHAPE_H_
#define ERT_KERNELS_SHAPE_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace ert::kernels {

/// Most dimensions any kernel handles (matches ERT_MAX_RANK in ert.h).
constexpr int kMaxRank = 6;

/// Dimensions of a tensor, outermost first. Rank 0 is a scalar (one element).
struct Shape {
  int rank = 0;
  int32_t dims[kMaxRank] = {};

  Shape() = default;
  Shape(std::initializer_list<int32_t> d) {
    for (int32_t v : d) {
      if (rank < kMaxRank) dims[rank++] = v;
    }
  }
  int32_t operator[](int axis) const { return dims[axis]; }
  int32_t& operator[](int axis) { return dims[axis]; }
  /// Product of all dimensions (1 for a scalar). Callers check dims are valid first.
  int64_t num_elements() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  /// Product of dimensions [begin, end).
  int64_t count(int begin, int end) const {
    int64_t n = 1;
    for (int i = begin; i < end; ++i) n *= dims[i];
    return n;
  }
  bool operator==(const Shape& o) const {
    if (rank != o.rank) return false;
    for (int i = 0; i < rank; ++i) {
      if (dims[i] != o.dims[i]) return false;
    }
    return true;
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

}  // namespace ert::kernels

#endif  // ERT_KERNELS_SHAPE_H_
