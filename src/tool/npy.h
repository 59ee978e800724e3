// Reading and writing NumPy .npy files (format version 1.0 and 2.0, little-endian, C order),
// the exchange format of `ert run` and the conformance scripts.
#ifndef ERT_TOOL_NPY_H_
#define ERT_TOOL_NPY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ert/ert.hpp"

namespace ert::tool {

struct NpyArray {
  ert_dtype dtype = ERT_F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // Raw little-endian elements.
};

/// Reads `path`. Fails (naming the file) on a bad header, a big-endian or Fortran-order array,
/// a dtype edgert has no equivalent for, or a size that does not match the shape.
Status read_npy(const std::string& path, NpyArray* out);

/// Writes an array; the shape's product times the dtype size must equal `bytes`.
Status write_npy(const std::string& path, ert_dtype dtype, const std::vector<int64_t>& shape,
                 const void* data, size_t bytes);

}  // namespace ert::tool

#endif  // ERT_TOOL_NPY_H_
