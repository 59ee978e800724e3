// The random source of the mutation test and the hostile values it writes into fields.
//
// The generator is SplitMix64, written out here rather than taken from <random>, so that a case
// seed printed on one machine replays the same mutation on any other (the standard
// distributions differ between standard libraries).
#ifndef ERT_TESTS_MUTATION_HOSTILE_VALUES_H_
#define ERT_TESTS_MUTATION_HOSTILE_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <limits>

namespace ert::mutation {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); 0 when n is 0. The modulo bias is irrelevant here.
  size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }
  /// True with probability 1/n.
  bool one_in(size_t n) { return below(n) == 0; }

 private:
  uint64_t state_;
};

/// Mixes a base seed, a model index and a case index into the seed of one case.
inline uint64_t case_seed(uint64_t base, uint64_t model, uint64_t index) {
  Rng r(base ^ (model * 0xd1b54a32d192ed03ull) ^ (index * 0x8cb92ba72f3d8dd7ull));
  return r.next();
}

/// A value for a signed 32-bit field (an index, a dim, a count, a stride, an axis): the edges of
/// the type, off-by-one around `current` and around `count` (the size of the container the
/// field indexes, 0 when there is none), and values a little or a lot out of range.
inline int32_t hostile_i32(Rng& rng, int64_t current, int64_t count) {
  const int64_t choices[] = {
      -1,
      -2,
      0,
      1,
      std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int32_t>::max(),
      std::numeric_limits<int32_t>::max() - 1,
      count,
      count + 1,
      count - 1,
      current + 1,
      current - 1,
      current * 2,
      -current,
      int64_t(1) << 16,
      int64_t(1) << 20,
      int64_t(1) << 30,
      (int64_t(1) << 31) - 1,
      int64_t(rng.below(2001)) - 1000,
      int64_t(rng.below(64)),
  };
  const int64_t v = choices[rng.below(sizeof(choices) / sizeof(choices[0]))];
  // Values outside int32 wrap to it, as a file would store them.
  return int32_t(uint32_t(uint64_t(v)));
}

/// A value for an unsigned 64-bit field (an offset or size in a file or an arena): the edges,
/// the file size and its neighbours, misalignments, and sizes no device has.
inline uint64_t hostile_u64(Rng& rng, uint64_t current, uint64_t file_size) {
  const uint64_t choices[] = {
      0,
      1,
      63,
      64,
      current + 1,
      current - 1,
      current + 64,
      current - 64,
      current * 2,
      file_size,
      file_size - 1,
      file_size + 64,
      uint64_t(1) << 31,
      uint64_t(1) << 32,
      uint64_t(1) << 40,
      uint64_t(1) << 63,
      std::numeric_limits<uint64_t>::max(),
      std::numeric_limits<uint64_t>::max() - 63,
      rng.next(),
      (rng.below(1u << 16)) * 64,
  };
  return choices[rng.below(sizeof(choices) / sizeof(choices[0]))];
}

/// A value for a float field (a scale, a threshold, an alpha, a beta).
inline float hostile_f32(Rng& rng) {
  const float choices[] = {
      0.0f,
      -0.0f,
      -1.0f,
      1e-45f,  // The smallest denormal.
      1e-38f,
      3.4e38f,
      -3.4e38f,
      std::numeric_limits<float>::infinity(),
      -std::numeric_limits<float>::infinity(),
      std::numeric_limits<float>::quiet_NaN(),
      1e10f,
      0.5f,
  };
  return choices[rng.below(sizeof(choices) / sizeof(choices[0]))];
}

/// A value for a 64-bit integer field (a zero point).
inline int64_t hostile_i64(Rng& rng) {
  const int64_t choices[] = {
      std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), -129, 128, 256,
      -1, 255, int64_t(1) << 40, int64_t(rng.next()),
  };
  return choices[rng.below(sizeof(choices) / sizeof(choices[0]))];
}

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_HOSTILE_VALUES_H_
