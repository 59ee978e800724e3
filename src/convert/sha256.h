// SHA-256 (FIPS 180-4), used to record the digest of a converted model's source file in the
// .ert metadata so that a deployed file can be traced back to the exact input.
#ifndef ERT_CONVERT_SHA256_H_
#define ERT_CONVERT_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ert::cvt {

/// Incremental SHA-256: update() any number of times, then finish() once.
class Sha256 {
 public:
  Sha256();
  /// Adds `size` bytes (data may be null when size is 0).
  void update(const void* data, size_t size);
  /// Pads, returns the 32-byte digest, and leaves the object to be discarded.
  std::array<uint8_t, 32> finish();

 private:
  void compress(const uint8_t block[64]);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t block_used_ = 0;
  uint64_t total_bytes_ = 0;
};

/// SHA-256 of a byte range as 64 lowercase hex digits.
std::string sha256_hex(const void* data, size_t size);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_SHA256_H_
