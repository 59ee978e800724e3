// Mutations that know nothing of the format: bit flips, truncation, and a hostile word written
// over four or eight bytes. Most of a model file is weights, where a flip only changes a
// number; flips aim at the rest (the FlatBuffer's tables, vectors and offsets) most of the time.
#ifndef ERT_TESTS_MUTATION_BYTE_MUTATIONS_H_
#define ERT_TESTS_MUTATION_BYTE_MUTATIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/mutation/hostile_values.h"

namespace ert::mutation {

/// A byte range [begin, end) of a model image.
struct Region {
  size_t begin = 0;
  size_t end = 0;
};

/// Flips 1 to 8 random bits; each lands outside `bulk` (weights) 9 times in 10.
std::string flip_bits(std::vector<uint8_t>* bytes, const std::vector<Region>& bulk, Rng& rng);

/// Cuts the image short: inside the first `structure_end` bytes (the FlatBuffer) half the time,
/// anywhere otherwise.
std::string truncate(std::vector<uint8_t>* bytes, size_t structure_end, Rng& rng);

/// Writes a hostile 32- or 64-bit value at a 4-byte aligned position outside `bulk`, where
/// FlatBuffers keeps its offsets, lengths and scalars.
std::string overwrite_word(std::vector<uint8_t>* bytes, const std::vector<Region>& bulk,
                           Rng& rng);

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_BYTE_MUTATIONS_H_
