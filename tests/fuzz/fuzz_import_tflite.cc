// libFuzzer target: arbitrary bytes as a .tflite file, through the whole conversion (import,
// passes, finish) and then the runtime on the result. A hostile TFLite file must end in a Status
// at some step, never in a crash, and a model the converter writes must be one the runtime runs.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "src/convert/model_builder.h"
#include "src/convert/passes.h"
#include "src/convert/tflite_importer.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ert::cvt::ModelBuilder builder;
  ert::cvt::TfliteImportReport report;
  if (!ert::cvt::import_tflite(data, size, "fuzz.tflite", &builder, &report).ok()) return 0;

  ert::cvt::PassReport passes;
  if (!ert::cvt::run_passes(&builder, ert::cvt::PassOptions{}, &passes).ok()) return 0;

  std::vector<uint8_t> file;
  if (!builder.finish(&file).ok()) return 0;
  ert::fuzz::run_model_image(file.data(), file.size());
  return 0;
}
