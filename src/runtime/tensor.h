// The runtime's view of one tensor: type, current shape, quantization and where its bytes are.
#ifndef ERT_RUNTIME_TENSOR_H_
#define ERT_RUNTIME_TENSOR_H_

#include <cstddef>
#include <cstdint>

#include "ert/ert.h"
#include "ert_generated.h"
#include "kernels/shape.h"

namespace ert::rt {

/// Size in bytes of one element of a dtype; 0 for values outside the enum.
size_t dtype_size(ert_dtype dtype);

/// Name of a dtype for messages ("f32").
const char* dtype_name(ert_dtype dtype);

/// Writes "[1,224,224,3]" into buf (truncated to size) and returns buf.
const char* shape_string(const kernels::Shape& shape, char* buf, size_t size);

struct Tensor {
  int index = -1;                             // Index in the model's tensor list.
  const char* name = "";                      // Owned by the model.
  ert_dtype dtype = ERT_F32;
  kernels::Shape shape;                       // Current shape (changes on resize).
  const fb::Quantization* quant = nullptr;    // Owned by the model; null when not quantized.
  bool is_constant = false;                   // Data lives in a model segment; never written.
  uint8_t* data = nullptr;                    // Arena or segment bytes.
  size_t bytes = 0;                           // Size of data.

  template <typename T>
  T* data_as() const {
    return reinterpret_cast<T*>(data);
  }
  /// Per-tensor scale and zero point (the first entries), or 0 when not quantized.
  float scale() const;
  int64_t zero_point() const;
};

}  // namespace ert::rt

#endif  // ERT_RUNTIME_TENSOR_H_
