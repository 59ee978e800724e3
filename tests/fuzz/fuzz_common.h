// Shared by the fuzz targets: runs a model image through the runtime the way an application
// would (load, create with a capped arena, zero inputs, invoke). Every failure is a Status; the
// fuzzer only looks for crashes, sanitizer reports, leaks and hangs.
#ifndef ERT_TESTS_FUZZ_FUZZ_COMMON_H_
#define ERT_TESTS_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "src/runtime/interpreter.h"
#include "src/runtime/model.h"

namespace ert::fuzz {

// Large enough for the shared models, small enough that a hostile plan cannot exhaust the
// fuzzer's RSS limit.
constexpr size_t kMaxArenaBytes = size_t(64) << 20;

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

// Steps:
// 1. Copy the bytes into a 64-byte aligned buffer, as the loader uses weights in place, and
//    so that ASan sees the exact end of the image (reads past it are reported).
// 2. Load (verify); stop on failure.
// 3. Create an interpreter with the arena capped; stop on failure.
// 4. Zero every input and invoke.
inline void run_model_image(const uint8_t* data, size_t size) {
  // aligned_alloc needs a multiple of the alignment; a zero-size image still gets one block.
  const size_t rounded = (size + 63) / 64 * 64;
  std::unique_ptr<uint8_t, FreeDeleter> buffer(
      static_cast<uint8_t*>(std::aligned_alloc(64, rounded == 0 ? 64 : rounded)));
  if (!buffer) return;
  if (size > 0) std::memcpy(buffer.get(), data, size);

  std::unique_ptr<rt::Model> model;
  if (!rt::Model::load_buffer(buffer.get(), size, &model).ok()) return;

  rt::InterpreterOptions options;
  options.max_arena_bytes = kMaxArenaBytes;
  std::unique_ptr<rt::Interpreter> interpreter;
  if (!rt::Interpreter::create(*model, options, &interpreter).ok()) return;

  for (size_t i = 0; i < interpreter->input_count(); ++i) {
    rt::Tensor* t = interpreter->input(i);
    if (t != nullptr && t->data != nullptr && t->bytes > 0) std::memset(t->data, 0, t->bytes);
  }
  (void)interpreter->invoke();
}

}  // namespace ert::fuzz

#endif  // ERT_TESTS_FUZZ_FUZZ_COMMON_H_
