// The converter's entry point: a foreign model file in, an .ert image out.
//
//   1. Read the file and import it (TFLite today) into a ModelBuilder.
//   2. Run the graph passes.
//   3. Plan memory and write the .ert image with metadata.
#ifndef ERT_CONVERT_CONVERTER_H_
#define ERT_CONVERT_CONVERTER_H_

#include <string>
#include <vector>

#include "src/convert/passes.h"
#include "src/runtime/planner.h"

namespace ert::cvt {

struct ConvertReport {
  size_t source_bytes = 0;
  size_t source_ops = 0;     // Ops in the source model.
  size_t ops = 0;            // Ops in the .ert.
  PassReport passes;
  rt::PlanStats plan;        // Arena, lower bound and naive sum.
  double seconds = 0;        // Wall time of the whole conversion.
};

/// Converts the .tflite file at `path` into an .ert image in *out. Errors name the file.
Status convert_file(const std::string& path, const PassOptions& options,
                    std::vector<uint8_t>* out, ConvertReport* report = nullptr);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_CONVERTER_H_
