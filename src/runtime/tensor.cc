#include "src/runtime/tensor.h"

#include <cstdio>

namespace ert::rt {

size_t dtype_size(ert_dtype dtype) {
  switch (dtype) {
    case ERT_F32: return 4;
    case ERT_F16: return 2;
    case ERT_I8: return 1;
    case ERT_U8: return 1;
    case ERT_I32: return 4;
    case ERT_I64: return 8;
    case ERT_BOOL: return 1;
  }
  return 0;
}

const char* dtype_name(ert_dtype dtype) {
  switch (dtype) {
    case ERT_F32: return "f32";
    case ERT_F16: return "f16";
    case ERT_I8: return "i8";
    case ERT_U8: return "u8";
    case ERT_I32: return "i32";
    case ERT_I64: return "i64";
    case ERT_BOOL: return "bool";
  }
  return "unknown";
}

const char* shape_string(const kernels::Shape& shape, char* buf, size_t size) {
  if (size == 0) return buf;
  size_t used = 0;
  auto append = [&](const char* text) {
    while (*text != '\0' && used + 1 < size) buf[used++] = *text++;
  };
  append("[");
  for (int i = 0; i < shape.rank; ++i) {
    char number[16];
    std::snprintf(number, sizeof(number), i == 0 ? "%d" : ",%d", int(shape.dims[i]));
    append(number);
  }
  append("]");
  buf[used] = '\0';
  return buf;
}

float Tensor::scale() const {
  if (quant == nullptr || quant->scale() == nullptr || quant->scale()->size() == 0) return 0.0f;
  return quant->scale()->Get(0);
}

int64_t Tensor::zero_point() const {
  if (quant == nullptr || quant->zero_point() == nullptr || quant->zero_point()->size() == 0) {
    return 0;
  }
  return quant->zero_point()->Get(0);
}

}  // namespace ert::rt
