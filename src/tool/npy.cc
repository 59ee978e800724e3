#include "src/tool/npy.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "src/runtime/status.h"
#include "src/runtime/tensor.h"

namespace ert::tool {

namespace {

struct DescrMap {
  const char* descr;
  ert_dtype dtype;
};
constexpr DescrMap kDescrs[] = {{"<f4", ERT_F32}, {"<f2", ERT_F16}, {"|i1", ERT_I8},
                                {"|u1", ERT_U8},  {"<i4", ERT_I32}, {"<i8", ERT_I64},
                                {"|b1", ERT_BOOL}};

// Finds `'key': ` in the header dict and returns what follows, or npos.
size_t find_value(const std::string& header, const char* key) {
  const std::string k = std::string("'") + key + "'";
  size_t p = header.find(k);
  if (p == std::string::npos) return p;
  p = header.find(':', p + k.size());
  if (p == std::string::npos) return p;
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  return p;
}

}  // namespace

Status read_npy(const std::string& path, NpyArray* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return rt::make_status(ERT_IO_ERROR, "%s: cannot open", path.c_str());
  char magic[8];
  if (!f.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: not a .npy file", path.c_str());
  }
  const int major = magic[6];
  uint32_t header_len = 0;
  if (major == 1) {
    unsigned char b[2];
    if (!f.read(reinterpret_cast<char*>(b), 2)) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: truncated header", path.c_str());
    }
    header_len = uint32_t(b[0]) | uint32_t(b[1]) << 8;
  } else if (major == 2 || major == 3) {
    unsigned char b[4];
    if (!f.read(reinterpret_cast<char*>(b), 4)) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: truncated header", path.c_str());
    }
    header_len = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  } else {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: .npy version %d is not supported",
                           path.c_str(), major);
  }
  if (header_len > (1u << 20)) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: header of %u bytes is too long",
                           path.c_str(), header_len);
  }
  std::string header(header_len, '\0');
  if (!f.read(&header[0], header_len)) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: truncated header", path.c_str());
  }
  size_t p = find_value(header, "descr");
  if (p == std::string::npos || header[p] != '\'') {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: header has no descr", path.c_str());
  }
  const std::string descr = header.substr(p + 1, header.find('\'', p + 1) - p - 1);
  bool known = false;
  for (const DescrMap& d : kDescrs) {
    if (descr == d.descr || (descr.size() == 3 && descr[0] == '=' && descr.substr(1) == d.descr + 1)) {
      out->dtype = d.dtype;
      known = true;
    }
  }
  if (!known) {
    return rt::make_status(ERT_INVALID_ARGUMENT,
                           "%s: dtype '%s' is not supported (float32, float16, int8, uint8, "
                           "int32, int64, bool; little-endian)",
                           path.c_str(), descr.c_str());
  }
  p = find_value(header, "fortran_order");
  if (p == std::string::npos || header.compare(p, 5, "False") != 0) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: Fortran-order arrays are not supported",
                           path.c_str());
  }
  p = find_value(header, "shape");
  if (p == std::string::npos || header[p] != '(') {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: header has no shape", path.c_str());
  }
  const size_t close = header.find(')', p);
  if (close == std::string::npos) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: malformed shape", path.c_str());
  }
  std::stringstream dims(header.substr(p + 1, close - p - 1));
  out->shape.clear();
  uint64_t count = 1;
  for (std::string item; std::getline(dims, item, ',');) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    const long long d = std::atoll(item.c_str());
    if (d < 0 || d > (1ll << 31)) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: dimension %lld out of range",
                             path.c_str(), d);
    }
    out->shape.push_back(d);
    count *= uint64_t(d);
    if (count > (1ull << 32)) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: array too large", path.c_str());
    }
  }
  const size_t bytes = size_t(count) * rt::dtype_size(out->dtype);
  out->data.resize(bytes);
  if (bytes > 0 && !f.read(reinterpret_cast<char*>(out->data.data()), std::streamsize(bytes))) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: data is shorter than the shape needs (%zu bytes)",
                           path.c_str(), bytes);
  }
  return Status();
}

Status write_npy(const std::string& path, ert_dtype dtype, const std::vector<int64_t>& shape,
                 const void* data, size_t bytes) {
  const char* descr = nullptr;
  for (const DescrMap& d : kDescrs) {
    if (d.dtype == dtype) descr = d.descr;
  }
  if (descr == nullptr) return rt::make_status(ERT_INVALID_ARGUMENT, "%s: unknown dtype", path.c_str());
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ",";
    if (i + 1 < shape.size()) dict += " ";
  }
  dict += "), }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes; end with a newline.
  const size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::ofstream f(path, std::ios::binary);
  if (!f) return rt::make_status(ERT_IO_ERROR, "%s: cannot create", path.c_str());
  const uint16_t len = uint16_t(dict.size());
  const char head[10] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0, char(len & 0xff), char(len >> 8)};
  f.write(head, 10);
  f.write(dict.data(), std::streamsize(dict.size()));
  f.write(static_cast<const char*>(data), std::streamsize(bytes));
  if (!f) return rt::make_status(ERT_IO_ERROR, "%s: write failed", path.c_str());
  return Status();
}

}  // namespace ert::tool
