// Imports a TensorFlow Lite model (.tflite FlatBuffer) into a ModelBuilder.
//
//   ModelBuilder builder;
//   TfliteImportReport report;
//   Status s = import_tflite(bytes.data(), bytes.size(), "model.tflite", &builder, &report);
//   if (s.ok()) s = builder.finish(&ert_file);
//
// The file is hostile input: it is verified with the FlatBuffers verifier and every index, buffer,
// offset and size in it is checked before use. Only subgraph 0 is imported.
//
// What the import does:
//  * tensors keep their dtype, shape and quantization; constants (data inside the FlatBuffer, or
//    after it at the buffer's offset/size) become ModelBuilder constants;
//  * each operator is mapped by a handler (src/convert/tflite_importer.cc) onto an edgert op;
//    TFLite's constant parameter tensors (PAD paddings, RESHAPE shape, MEAN axes, SLICE and
//    STRIDED_SLICE begin/end/strides, TRANSPOSE perm, RESIZE size) become edgert op options and
//    are not edgert inputs; tensors nothing uses are left out;
//  * DEQUANTIZE and QUANTIZE map to edgert's ops (a pass folds fp16 weights later); DENSIFY of
//    sparse constants is computed here (src/convert/densify.h); the custom ops
//    Convolution2DTransposeBias (MediaPipe) and TFLite_Detection_PostProcess map to
//    TRANSPOSE_CONV with bias and DETECTION_POSTPROCESS;
//  * anything else edgert cannot run is collected; the import then fails once, with
//    ERT_UNSUPPORTED and a message that lists every such op.
#ifndef ERT_CONVERT_TFLITE_IMPORTER_H_
#define ERT_CONVERT_TFLITE_IMPORTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ert/ert.hpp"
#include "src/convert/model_builder.h"

namespace ert::cvt {

/// One operator (or graph input/output) of a TFLite model that cannot be converted.
struct TfliteUnsupported {
  int op_index = -1;    ///< Operator index in subgraph 0; -1 for a graph input or output.
  std::string op_name;  ///< "DEQUANTIZE", "CUSTOM 'Convolution2DTransposeBias'", "graph input 0".
  std::string reason;   ///< Why, in a few words.
};

/// What import_tflite saw. Filled as far as the import got, also when it fails.
struct TfliteImportReport {
  size_t subgraphs = 0;         ///< Subgraphs in the file; only the first one is imported.
  size_t tflite_operators = 0;  ///< Operators of subgraph 0.
  size_t tflite_tensors = 0;    ///< Tensors of subgraph 0.
  std::vector<TfliteUnsupported> unsupported;  ///< Everything that blocks the conversion.
};

/// Reads the TFLite model in data[0, size) into *out, which should be a fresh builder, and sets
/// its metadata source_file (= source_name) and source_sha256 (of the whole file). The bytes are
/// only read during the call (constants are copied); a 16-byte aligned buffer is best.
/// Returns ERT_INVALID_ARGUMENT (null data or out), ERT_INVALID_MODEL (not a TFLite file, fails
/// verification, or is inconsistent: the message says what and where), or ERT_UNSUPPORTED (valid,
/// but some ops or tensors cannot be converted: the message lists them all, report->unsupported
/// too). After a failure *out holds a partial model and must be discarded.
Status import_tflite(const uint8_t* data, size_t size, const std::string& source_name,
                     ModelBuilder* out, TfliteImportReport* report = nullptr);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_TFLITE_IMPORTER_H_
