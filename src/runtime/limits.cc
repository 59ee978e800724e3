#include "src/runtime/limits.h"

#include "src/runtime/tensor.h"

namespace ert::rt {

bool tensor_bytes(ert_dtype dtype, const kernels::Shape& shape, size_t* bytes, const char** why) {
  const size_t elem = dtype_size(dtype);
  if (elem == 0) {
    *why = "unknown dtype";
    return false;
  }
  if (shape.rank < 0 || shape.rank > kMaxRank) {
    *why = "rank out of range";
    return false;
  }
  int64_t count = 1;
  for (int i = 0; i < shape.rank; ++i) {
    const int64_t d = shape.dims[i];
    if (d < 0) {
      *why = "negative dimension";
      return false;
    }
    if (d > kMaxDim) {
      *why = "dimension too large";
      return false;
    }
    count *= d;  // Cannot overflow: count <= kMaxElements and d <= 2^30 before the check.
    if (count > kMaxElements) {
      *why = "more than 2^31-1 elements";
      return false;
    }
  }
  // In 64 bits: count * elem is at most (2^31-1) * 8 < 2^34, which wraps a 32-bit size_t (armv7,
  // i686: an i64 tensor of 2^29 elements would come out as 0 bytes).
  const uint64_t total = uint64_t(count) * uint64_t(elem);
  if (total > uint64_t(SIZE_MAX)) {
    *why = "more bytes than this platform's address space holds";
    return false;
  }
  *bytes = size_t(total);
  return true;
}

}  // namespace ert::rt
