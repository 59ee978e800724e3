// libFuzzer target: arbitrary bytes as an .ert file. The verifier must reject every malformed
// image with a Status, and whatever it accepts must create and invoke without a memory error.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ert::fuzz::run_model_image(data, size);
  return 0;
}
