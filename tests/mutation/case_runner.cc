#include "tests/mutation/case_runner.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

#include "ert/ert.hpp"
#include "src/convert/model_builder.h"
#include "src/convert/passes.h"
#include "src/convert/tflite_importer.h"

namespace ert::mutation {

namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBlock = std::unique_ptr<uint8_t, FreeDeleter>;

// A block of exactly `size` bytes (at least one), aligned to 64.
AlignedBlock aligned_block(size_t size) {
  void* p = nullptr;
  if (posix_memalign(&p, 64, size == 0 ? 1 : size) != 0) return AlignedBlock();
  return AlignedBlock(static_cast<uint8_t*>(p));
}

Outcome failed(Step step, const Status& s) {
  Outcome o;
  o.ok = false;
  o.step = step;
  o.code = s.code();
  o.message = s.message();
  return o;
}

// Random data of the tensor's type; with `extremes`, one float in about a hundred is NaN, an
// infinity or huge. Booleans get 0 or 1 only (any other byte is not a bool).
void fill_input(const TensorView& t, bool extremes, Rng& rng) {
  uint8_t* data = t.data<uint8_t>();
  const size_t bytes = t.byte_size();
  if (data == nullptr || bytes == 0) return;
  if (t.dtype() == ERT_F32) {
    float* f = t.data<float>();
    const float special[] = {std::numeric_limits<float>::quiet_NaN(),
                             std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(), 3e38f, -3e38f};
    for (size_t i = 0; i < bytes / sizeof(float); ++i) {
      f[i] = extremes && rng.one_in(100) ? special[rng.below(5)]
                                         : float(int64_t(rng.below(2001)) - 1000) / 1000.0f;
    }
  } else if (t.dtype() == ERT_BOOL) {
    for (size_t i = 0; i < bytes; ++i) data[i] = uint8_t(rng.below(2));
  } else {
    for (size_t i = 0; i < bytes; ++i) data[i] = uint8_t(rng.next());
  }
}

// A different but plausible shape for input 0: the batch doubled, or a dim other than the last
// (the channels, which weights fix) one larger.
std::vector<int32_t> resized_shape(const TensorView& t, Rng& rng) {
  std::vector<int32_t> dims = t.shape();
  if (dims.empty()) return dims;
  const size_t axis = rng.below(dims.size() > 1 ? dims.size() - 1 : 1);
  dims[axis] = axis == 0 && dims[axis] < (1 << 29) ? dims[axis] * 2 : dims[axis] + 1;
  return dims;
}

}  // namespace

const char* step_name(Step step) {
  switch (step) {
    case Step::kImport: return "import";
    case Step::kPasses: return "passes";
    case Step::kWrite: return "write";
    case Step::kLoad: return "load";
    case Step::kCreate: return "create";
    case Step::kResize: return "resize";
    case Step::kInvoke: return "invoke";
    case Step::kCount: break;
  }
  return "?";
}

Outcome run_tflite(const std::vector<uint8_t>& bytes, const RunLimits& limits, Rng& rng) {
  cvt::ModelBuilder builder;
  cvt::TfliteImportReport report;
  Status s = cvt::import_tflite(bytes.data(), bytes.size(), "mutated.tflite", &builder, &report);
  if (!s.ok()) return failed(Step::kImport, s);
  cvt::PassOptions options;
  options.fp16_weights = rng.one_in(4);
  cvt::PassReport passes;
  s = cvt::run_passes(&builder, options, &passes);
  if (!s.ok()) return failed(Step::kPasses, s);
  std::vector<uint8_t> file;
  s = builder.finish(&file);
  if (!s.ok()) return failed(Step::kWrite, s);
  return run_ert(file.data(), file.size(), limits, rng);
}

Outcome run_ert(const uint8_t* data, size_t size, const RunLimits& limits, Rng& rng) {
  AlignedBlock image = aligned_block(size);
  if (!image) return failed(Step::kLoad, Status(ERT_OUT_OF_MEMORY, "no memory for the image"));
  if (size > 0) std::memcpy(image.get(), data, size);
  Result<Model> model = Model::from_buffer(image.get(), size);
  if (!model.ok()) return failed(Step::kLoad, model.status());

  InterpreterOptions options;
  options.num_threads = rng.one_in(16) ? 2 : 1;
  options.reference_kernels = rng.one_in(4);
  options.max_arena_bytes = limits.max_arena_bytes;
  // Sometimes the application brings its own arena: the exact size, or one 64 bytes short.
  AlignedBlock arena;
  const size_t planned = model->arena_bytes();
  if (rng.one_in(8) && planned <= limits.max_arena_bytes) {
    const size_t bytes = planned + ERT_ARENA_SLACK_BYTES - (rng.one_in(3) ? 64 : 0);
    arena = aligned_block(bytes);
    options.arena = arena.get();
    options.arena_bytes = bytes;
  }
  Result<Interpreter> interp = Interpreter::create(*model, options);
  if (!interp.ok()) return failed(Step::kCreate, interp.status());
  // Drawn whatever the probability, so that a replay (which always invokes) sees the same
  // random sequence as the run it replays.
  if (double(rng.below(1000000)) >= limits.invoke_probability * 1e6) return Outcome();

  const bool extremes = rng.one_in(8);
  for (size_t i = 0; i < interp->input_count(); ++i) fill_input(interp->input(i), extremes, rng);
  // From here on every outcome has invoked.
  auto after_invoke = [](Step step, const Status& status) {
    Outcome o = status.ok() ? Outcome() : failed(step, status);
    o.invoked = true;
    return o;
  };
  Status s = interp->invoke();
  if (!s.ok()) return after_invoke(Step::kInvoke, s);

  // A resize plans again without the stored plan; only with an interpreter-owned arena.
  if (limits.may_resize && options.arena == nullptr && interp->input_count() > 0 &&
      rng.one_in(16)) {
    s = interp->resize_input(0, resized_shape(interp->input(0), rng));
    if (!s.ok()) return after_invoke(Step::kResize, s);
    for (size_t i = 0; i < interp->input_count(); ++i) fill_input(interp->input(i), extremes, rng);
    s = interp->invoke();
  }
  return after_invoke(Step::kInvoke, s);
}

}  // namespace ert::mutation
