// Caps that protect the device from hostile files, and overflow-checked size arithmetic.
#ifndef ERT_RUNTIME_LIMITS_H_
#define ERT_RUNTIME_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "ert/ert.h"
#include "kernels/shape.h"

namespace ert::rt {

constexpr int kMaxRank = kernels::kMaxRank;
constexpr int64_t kMaxDim = int64_t(1) << 30;             // One dimension.
constexpr int64_t kMaxElements = (int64_t(1) << 31) - 1;  // One tensor (int32 indexing).
constexpr size_t kMaxTensors = size_t(1) << 20;
constexpr size_t kMaxOperators = size_t(1) << 20;
constexpr size_t kMaxOpInputs = 1024;                     // CONCATENATION of many tensors.
constexpr size_t kMaxOpOutputs = 64;

/// Multiplies with overflow detection. Returns false on overflow.
inline bool checked_mul(size_t a, size_t b, size_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}
inline bool checked_add(size_t a, size_t b, size_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

/// Bytes of a tensor of this dtype and shape. Fails (returning a reason in *why, a static
/// string) for a negative or too large dimension, too many elements or an unknown dtype.
bool tensor_bytes(ert_dtype dtype, const kernels::Shape& shape, size_t* bytes, const char** why);

}  // namespace ert::rt

#endif  // ERT_RUNTIME_LIMITS_H_
