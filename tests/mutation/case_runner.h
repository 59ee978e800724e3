// Runs one (mutated) model image the way an application would, step by step, and says where it
// stopped and with which status:
//
//   .tflite: import (src/convert/tflite_importer.h) -> graph passes -> plan and write the .ert,
//            the steps of cvt::convert_file on a buffer, then what an .ert goes through;
//   .ert:    load and verify (ert::Model::from_buffer) -> create an interpreter with the arena
//            capped (ert::Interpreter::create) -> fill the inputs -> invoke; sometimes resize an
//            input and invoke again.
//
// The random source varies what an application may choose: reference kernels or the fast path,
// one or two threads, its own arena (also one too small), fp16 weights in the converter, and
// inputs with NaN and infinities.
#ifndef ERT_TESTS_MUTATION_CASE_RUNNER_H_
#define ERT_TESTS_MUTATION_CASE_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ert/ert.h"
#include "tests/mutation/hostile_values.h"

namespace ert::mutation {

enum class Step { kImport, kPasses, kWrite, kLoad, kCreate, kResize, kInvoke, kCount };

const char* step_name(Step step);

/// How far one image got.
struct Outcome {
  bool ok = true;             // Every step it took succeeded.
  bool invoked = false;       // It got as far as invoking.
  Step step = Step::kInvoke;  // The step that failed, when !ok.
  ert_status code = ERT_OK;
  std::string message;
};

struct RunLimits {
  size_t max_arena_bytes = size_t(64) << 20;  // The cap an application on a device would set.
  // Invoking a large model under the sanitizers takes seconds (the Coral SSD: 3 s); a case
  // that got through create invokes with this probability, so that the time budget covers
  // more cases of the steps before.
  double invoke_probability = 1.0;
  bool may_resize = true;  // Sometimes resize input 0 and invoke again.
};

/// Runs a .tflite image through the converter, then the result as run_ert does.
Outcome run_tflite(const std::vector<uint8_t>& bytes, const RunLimits& limits, Rng& rng);

/// Runs an .ert image. The bytes are copied into a block of exactly `size` bytes, 64-byte
/// aligned, so that the sanitizers see any read past the end of the file.
Outcome run_ert(const uint8_t* data, size_t size, const RunLimits& limits, Rng& rng);

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_CASE_RUNNER_H_
