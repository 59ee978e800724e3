#include "tests/mutation/byte_mutations.h"

#include <cstring>

#include "tests/mutation/field_picker.h"

namespace ert::mutation {

namespace {

bool inside(const std::vector<Region>& regions, size_t pos) {
  for (const Region& r : regions) {
    if (pos >= r.begin && pos < r.end) return true;
  }
  return false;
}

// A position in [0, size): outside `bulk` when `avoid_bulk` and a few tries find one.
size_t pick_position(size_t size, const std::vector<Region>& bulk, bool avoid_bulk, Rng& rng) {
  size_t pos = rng.below(size);
  for (int attempt = 0; avoid_bulk && attempt < 64 && inside(bulk, pos); ++attempt) {
    pos = rng.below(size);
  }
  return pos;
}

}  // namespace

std::string flip_bits(std::vector<uint8_t>* bytes, const std::vector<Region>& bulk, Rng& rng) {
  if (bytes->empty()) return "no bytes to flip";
  const size_t flips = 1 + rng.below(8);
  const bool avoid_bulk = !rng.one_in(10);
  std::string what = strprintf("flip %zu bit%s at", flips, flips == 1 ? "" : "s");
  for (size_t i = 0; i < flips; ++i) {
    const size_t pos = pick_position(bytes->size(), bulk, avoid_bulk, rng);
    const int bit = int(rng.below(8));
    (*bytes)[pos] ^= uint8_t(1u << bit);
    what += strprintf(" %zu.%d", pos, bit);
  }
  return what;
}

std::string truncate(std::vector<uint8_t>* bytes, size_t structure_end, Rng& rng) {
  const size_t size = bytes->size();
  const size_t limit = rng.one_in(2) && structure_end > 0 && structure_end < size ? structure_end
                                                                                 : size;
  const size_t cut = rng.below(limit);
  bytes->resize(cut);
  return strprintf("truncate %zu bytes to %zu", size, cut);
}

std::string overwrite_word(std::vector<uint8_t>* bytes, const std::vector<Region>& bulk,
                           Rng& rng) {
  if (bytes->size() < 8) return "no word to overwrite";
  const size_t pos = pick_position(bytes->size() - 8, bulk, true, rng) & ~size_t(3);
  if (rng.one_in(3)) {
    uint64_t current;
    std::memcpy(&current, bytes->data() + pos, 8);
    const uint64_t value = hostile_u64(rng, current, bytes->size());
    std::memcpy(bytes->data() + pos, &value, 8);
    return strprintf("u64 at %zu: %llu -> %llu", pos, static_cast<unsigned long long>(current),
                     static_cast<unsigned long long>(value));
  }
  int32_t current;
  std::memcpy(&current, bytes->data() + pos, 4);
  const int32_t value = hostile_i32(rng, current, int64_t(bytes->size()));
  std::memcpy(bytes->data() + pos, &value, 4);
  return strprintf("i32 at %zu: %d -> %d", pos, current, value);
}

}  // namespace ert::mutation
