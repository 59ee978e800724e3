// Mutations of .ert images aimed at fields: the image is unpacked with the generated object API
// (ert_generated.h's *T types), one to three fields get hostile values (indices, dims, ranks,
// dtypes, quantization, segment offsets and sizes, op codes, options, plan offsets, counts),
// and the image is packed again with its segments' bytes.
#ifndef ERT_TESTS_MUTATION_ERT_MUTATIONS_H_
#define ERT_TESTS_MUTATION_ERT_MUTATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/mutation/byte_mutations.h"
#include "tests/mutation/hostile_values.h"

namespace ert::mutation {

/// The weights of a well-formed .ert image (its segments) and where its FlatBuffer ends.
void ert_layout(const std::vector<uint8_t>& file, std::vector<Region>* bulk,
                size_t* structure_end);

/// Writes into *out a copy of the well-formed .ert image `file` with one to three fields
/// changed, and returns what was changed.
std::string mutate_ert_fields(const std::vector<uint8_t>& file, Rng& rng,
                              std::vector<uint8_t>* out);

/// Unpacks and packs `file` with no change (to check that the round trip keeps a model valid).
void repack_ert(const std::vector<uint8_t>& file, std::vector<uint8_t>* out);

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_ERT_MUTATIONS_H_
