// Mutations of .tflite files aimed at fields: the file is unpacked with an object API generated
// from the project's own TFLite schema (src/convert/tflite_schema.fbs, put in the namespace
// ert::tflite_mutation so that it cannot clash with the importer's generated code), one to
// three fields get hostile values (tensor shapes, types and buffer indices, buffer sizes and
// offsets, constant parameters such as RESHAPE shapes and PAD paddings, quantization, op code
// indices, op inputs and outputs, options, custom options bytes, sparsity, graph lists), and the
// model is packed again.
#ifndef ERT_TESTS_MUTATION_TFLITE_MUTATIONS_H_
#define ERT_TESTS_MUTATION_TFLITE_MUTATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/mutation/byte_mutations.h"
#include "tests/mutation/hostile_values.h"

namespace ert::mutation {

/// The bulk constant data of a well-formed .tflite file (buffers over 64 bytes) and where the
/// part before them ends.
void tflite_layout(const std::vector<uint8_t>& file, std::vector<Region>* bulk,
                   size_t* structure_end);

/// Writes into *out a copy of the well-formed .tflite file `file` with one to three fields
/// changed, and returns what was changed.
std::string mutate_tflite_fields(const std::vector<uint8_t>& file, Rng& rng,
                                 std::vector<uint8_t>* out);

/// Unpacks and packs `file` with no change (to check that the round trip keeps a model valid).
void repack_tflite(const std::vector<uint8_t>& file, std::vector<uint8_t>* out);

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_TFLITE_MUTATIONS_H_
