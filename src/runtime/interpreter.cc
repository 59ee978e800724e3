#include "src/runtime/interpreter.h"

#include <cstring>
#include <new>

#include <fp16.h>

#include "src/runtime/limits.h"

namespace ert::rt {

namespace {
// Bytes past the end of the arena that kernels may read (never write), as XNNPACK does.
constexpr size_t kArenaSlack = ERT_ARENA_SLACK_BYTES;
static_assert(kArenaSlack >= 16, "XNNPACK reads up to XNN_EXTRA_BYTES (16) past a tensor");
}  // namespace

Interpreter::~Interpreter() = default;

Status Interpreter::create(const Model& model, const InterpreterOptions& options,
                           std::unique_ptr<Interpreter>* out) {
  std::unique_ptr<Interpreter> interp(new (std::nothrow) Interpreter(model));
  if (!interp) return make_status(ERT_OUT_OF_MEMORY, "cannot allocate the interpreter");
  ERT_RETURN_IF_ERROR(interp->init(options));
  *out = std::move(interp);
  return Status();
}

Status Interpreter::init(const InterpreterOptions& options) {
  if (options.num_threads < 1) {
    return make_status(ERT_INVALID_ARGUMENT, "num_threads is %d, must be at least 1",
                       options.num_threads);
  }
  if (options.arena != nullptr) {
    if (reinterpret_cast<uintptr_t>(options.arena) % kTensorAlignment != 0) {
      return make_status(ERT_INVALID_ARGUMENT, "the caller's arena at %p is not 64-byte aligned",
                         options.arena);
    }
    caller_arena_ = true;
    arena_ = static_cast<uint8_t*>(options.arena);
    arena_capacity_ = options.arena_bytes;
  }
  max_arena_bytes_ = options.max_arena_bytes;
  if (options.num_threads > 1) {
    threadpool_.reset(pthreadpool_create(size_t(options.num_threads)));
    if (!threadpool_) {
      return make_status(ERT_OUT_OF_MEMORY, "cannot create a pool of %d threads",
                         options.num_threads);
    }
  }
  KernelChoice choice;
  choice.fast_path = options.fast_path;

  const auto& descs = model_.tensors();
  tensors_.resize(descs.size());
  for (size_t i = 0; i < descs.size(); ++i) {
    Tensor& t = tensors_[i];
    const TensorDesc& d = descs[i];
    t.index = int(i);
    t.name = d.name;
    t.dtype = d.dtype;
    t.shape = d.shape;
    t.quant = d.quant;
    t.is_constant = d.constant != nullptr;
    t.data = const_cast<uint8_t*>(d.constant);  // Constants are never written.
    t.bytes = d.bytes;
  }

  ERT_RETURN_IF_ERROR(widen_fp16_constants());

  const auto& ops = *model_.flatbuffer().operators();
  const GraphLayout& layout = model_.layout();
  size_t io_count = 0;
  for (const auto& io : layout.ops) io_count += io.inputs.size() + io.outputs.size();
  io_.reserve(io_count);
  ops_.reserve(ops.size());
  contexts_.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const fb::Operator* op = ops.Get(flatbuffers::uoffset_t(i));
    std::unique_ptr<Op> impl;
    const Status s = create_op(op->code(), choice, &impl);
    if (!s.ok()) return make_status(s.code(), "op %zu: %s", i, s.message().c_str());
    ops_.push_back(std::move(impl));
    const auto& io = layout.ops[i];
    Tensor* const* in = io_.data() + io_.size();
    for (int t : io.inputs) io_.push_back(t >= 0 ? &tensors_[size_t(t)] : nullptr);
    Tensor* const* out = io_.data() + io_.size();
    for (int t : io.outputs) io_.push_back(&tensors_[size_t(t)]);
    contexts_.emplace_back(int(i), op, in, int(io.inputs.size()), out, int(io.outputs.size()),
                           threadpool_.get());
  }
  ERT_RETURN_IF_ERROR(prepare_all(/*check_declared=*/true));
  ERT_RETURN_IF_ERROR(plan_and_bind(/*use_stored_plan=*/true));
  release_packed_constants();
  ready_ = true;
  return Status();
}

void Interpreter::release_packed_constants() {
  // A constant that every reader has copied into its kernel's layout is not read again unless
  // a resize re-creates a kernel, and then the mapped file pages come back on access.
  std::vector<int> readers(tensors_.size(), 0);
  std::vector<int> readers_at_run(tensors_.size(), 0);
  for (size_t i = 0; i < ops_.size(); ++i) {
    const OpContext& ctx = contexts_[i];
    for (int k = 0; k < ctx.num_inputs(); ++k) {
      const Tensor* t = ctx.input(k);
      if (t == nullptr || !t->is_constant) continue;
      ++readers[size_t(t->index)];
      if (ops_[i]->reads_input_at_run(k)) ++readers_at_run[size_t(t->index)];
    }
  }
  for (const Tensor& t : tensors_) {
    const size_t i = size_t(t.index);
    if (t.is_constant && readers[i] > 0 && readers_at_run[i] == 0) {
      model_.release_pages(t.data, t.bytes);
    }
  }
}

Status Interpreter::widen_fp16_constants() {
  // Ops compute in fp32 on fp16-stored weights (CPUs without fp16 arithmetic); only DEQUANTIZE
  // reads fp16 itself. The mapped fp16 bytes stay untouched.
  std::vector<bool> read_as_fp16(tensors_.size(), false);
  const auto& ops = *model_.flatbuffer().operators();
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops.Get(flatbuffers::uoffset_t(i))->code() != fb::OpCode::DEQUANTIZE) continue;
    for (int t : model_.layout().ops[i].inputs) {
      if (t >= 0) read_as_fp16[size_t(t)] = true;
    }
  }
  for (Tensor& t : tensors_) {
    if (!t.is_constant || t.dtype != ERT_F16 || read_as_fp16[size_t(t.index)]) continue;
    const size_t count = t.bytes / 2;
    std::unique_ptr<float[]> wide(new (std::nothrow) float[count == 0 ? 1 : count]);
    if (!wide) {
      return make_status(ERT_OUT_OF_MEMORY, "tensor %d '%s': cannot widen %zu fp16 values", t.index,
                         t.name, count);
    }
    for (size_t k = 0; k < count; ++k) {
      uint16_t h;
      std::memcpy(&h, t.data + 2 * k, 2);
      wide[k] = fp16_ieee_to_fp32_value(h);
    }
    t.dtype = ERT_F32;
    t.data = reinterpret_cast<uint8_t*>(wide.get());
    t.bytes = count * sizeof(float);
    widened_.push_back(std::move(wide));
  }
  return Status();
}

Status Interpreter::prepare_all(bool check_declared) {
  for (size_t i = 0; i < ops_.size(); ++i) {
    const OpContext& ctx = contexts_[i];
    ERT_RETURN_IF_ERROR(ops_[i]->prepare(ctx));
    for (int k = 0; k < ctx.num_outputs(); ++k) {
      Tensor& t = *ctx.output(k);
      const char* why = "";
      if (!tensor_bytes(t.dtype, t.shape, &t.bytes, &why)) {
        char dims[96];
        return ctx.fail(ERT_INVALID_MODEL, "output %d (tensor %d '%s') would have shape %s: %s", k,
                        t.index, t.name, shape_string(t.shape, dims, sizeof(dims)), why);
      }
      const TensorDesc& d = model_.tensors()[size_t(t.index)];
      if (check_declared && t.shape != d.shape) {
        char got[96], want[96];
        return ctx.fail(ERT_INVALID_MODEL,
                        "computes shape %s for output %d (tensor %d '%s'), the file declares %s",
                        shape_string(t.shape, got, sizeof(got)), k, t.index, t.name,
                        shape_string(d.shape, want, sizeof(want)));
      }
    }
  }
  return Status();
}

Status Interpreter::plan_and_bind(bool use_stored_plan) {
  const size_t n = tensors_.size();
  size_t needed = 0;
  offsets_.assign(n, 0);
  if (use_stored_plan) {
    assignment_ = model_.assignment();
    needed = model_.arena_bytes();
    for (size_t t = 0; t < n; ++t) offsets_[t] = model_.tensors()[t].plan_offset;
  } else {
    GraphLayout layout = model_.layout();
    for (size_t t = 0; t < n; ++t) layout.bytes[t] = tensors_[t].bytes;
    assignment_ = assign_buffers(layout);
    std::vector<size_t> group_offsets;
    if (!plan_buffers(assignment_.groups, &group_offsets, &needed)) {
      return make_status(ERT_OUT_OF_MEMORY, "the memory plan overflows the address space");
    }
    for (size_t t = 0; t < n; ++t) {
      const int g = assignment_.group_of_tensor[t];
      if (g >= 0) offsets_[t] = group_offsets[size_t(g)];
    }
  }
  if (max_arena_bytes_ != 0 && needed > max_arena_bytes_) {
    return make_status(ERT_OUT_OF_MEMORY, "the model needs a %zu-byte arena, the cap is %zu bytes",
                       needed, max_arena_bytes_);
  }
  if (caller_arena_) {
    if (needed > arena_capacity_ || arena_capacity_ - needed < kArenaSlack) {
      return make_status(ERT_OUT_OF_MEMORY,
                         "the caller's arena has %zu bytes, the model needs %zu (%zu for the plan "
                         "and %zu of slack that kernels may read past the last tensor)",
                         arena_capacity_, needed + kArenaSlack, needed, kArenaSlack);
    }
  } else if (needed > arena_capacity_ || !owned_arena_) {
    // Allocate once (again only when a resize needs more); aligned by hand inside the block.
    size_t total = 0;
    if (!checked_add(needed, kTensorAlignment + kArenaSlack, &total)) {
      return make_status(ERT_OUT_OF_MEMORY, "arena of %zu bytes is too large", needed);
    }
    owned_arena_.reset(new (std::nothrow) uint8_t[total]);
    if (!owned_arena_) {
      return make_status(ERT_OUT_OF_MEMORY, "cannot allocate a %zu-byte arena", needed);
    }
    const uintptr_t raw = reinterpret_cast<uintptr_t>(owned_arena_.get());
    arena_ = reinterpret_cast<uint8_t*>((raw + kTensorAlignment - 1) & ~uintptr_t(kTensorAlignment - 1));
    arena_capacity_ = needed;
    std::memset(arena_, 0, needed + kArenaSlack);
  }
  arena_bytes_ = needed;
  for (size_t t = 0; t < n; ++t) {
    if (!tensors_[t].is_constant) tensors_[t].data = arena_ + offsets_[t];
  }
  for (size_t i = 0; i < ops_.size(); ++i) ERT_RETURN_IF_ERROR(ops_[i]->bind(contexts_[i]));
  return Status();
}

PlanStats Interpreter::plan_stats() const {
  PlanStats s = plan_bounds(assignment_.groups);
  s.arena_bytes = arena_bytes_;
  return s;
}

Tensor* Interpreter::input_by_name(const char* name) {
  if (name == nullptr) return nullptr;
  for (int t : model_.inputs()) {
    if (std::strcmp(tensors_[size_t(t)].name, name) == 0) return &tensors_[size_t(t)];
  }
  return nullptr;
}

Tensor* Interpreter::output_by_name(const char* name) {
  if (name == nullptr) return nullptr;
  for (int t : model_.outputs()) {
    if (std::strcmp(tensors_[size_t(t)].name, name) == 0) return &tensors_[size_t(t)];
  }
  return nullptr;
}

Status Interpreter::resize_input(size_t index, const kernels::Shape& shape) {
  if (index >= input_count()) {
    return make_status(ERT_INVALID_ARGUMENT, "input index %zu out of range (%zu inputs)", index,
                       input_count());
  }
  Tensor& t = tensors_[size_t(model_.inputs()[index])];
  const char* why = "";
  size_t bytes = 0;
  if (!tensor_bytes(t.dtype, shape, &bytes, &why)) {
    char dims[96];
    return make_status(ERT_INVALID_ARGUMENT, "input %zu '%s': shape %s: %s", index, t.name,
                       shape_string(shape, dims, sizeof(dims)), why);
  }
  t.shape = shape;
  t.bytes = bytes;
  ready_ = false;
  ERT_RETURN_IF_ERROR(prepare_all(/*check_declared=*/false));
  ERT_RETURN_IF_ERROR(plan_and_bind(/*use_stored_plan=*/false));
  ready_ = true;
  return Status();
}

Status Interpreter::invoke() {
  if (!ready_) {
    return make_status(ERT_INVALID_STATE, "invoke after a failed resize; resize the input again");
  }
  for (size_t i = 0; i < ops_.size(); ++i) {
    const Status s = ops_[i]->run(contexts_[i]);
    if (!s.ok()) return s;
  }
  if (threadpool_) {
    // Between ops the pool's workers spin, which keeps hand-offs fast; after the inference they
    // must sleep, or they burn cores the app needs until the next invoke (and, on a busy
    // machine, steal the time slices the next inference's own threads wait for).
    pthreadpool_parallelize_1d(threadpool_.get(), [](void*, size_t) {}, nullptr,
                               pthreadpool_get_threads_count(threadpool_.get()),
                               PTHREADPOOL_FLAG_YIELD_WORKERS);
  }
  return Status();
}

Status Interpreter::invoke_op(size_t i) {
  if (!ready_) return make_status(ERT_INVALID_STATE, "op run after a failed resize");
  if (i >= ops_.size()) return make_status(ERT_INVALID_ARGUMENT, "op %zu out of range", i);
  return ops_[i]->run(contexts_[i]);
}

}  // namespace ert::rt
