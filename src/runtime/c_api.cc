// The C API: a thin layer that converts between C handles and the C++ runtime. Nothing here
// throws; every failure becomes an ert_status plus a message in the caller's ert_error.
#include <cstring>
#include <new>

#include "ert/ert.h"
#include "src/runtime/interpreter.h"
#include "src/runtime/model.h"

struct ert_model {
  std::unique_ptr<ert::rt::Model> impl;
};

struct ert_interpreter {
  std::unique_ptr<ert::rt::Interpreter> impl;
  ert_log_fn log = nullptr;
  void* log_user_data = nullptr;
};

namespace {

using ert::rt::Tensor;

ert_status report(const ert::Status& s, ert_error* error, ert_log_fn log = nullptr,
                  void* log_user_data = nullptr) {
  if (error != nullptr) {
    error->status = s.code();
    std::strncpy(error->message, s.message().c_str(), ERT_ERROR_MESSAGE_CAPACITY - 1);
    error->message[ERT_ERROR_MESSAGE_CAPACITY - 1] = '\0';
  }
  if (!s.ok() && log != nullptr) log(log_user_data, s.code(), s.message().c_str());
  return s.code();
}

ert_status invalid(ert_error* error, const char* what) {
  return report(ert::Status(ERT_INVALID_ARGUMENT, what), error);
}

const Tensor* cast(const ert_tensor* t) { return reinterpret_cast<const Tensor*>(t); }
Tensor* cast(ert_tensor* t) { return reinterpret_cast<Tensor*>(t); }
ert_tensor* handle(Tensor* t) { return reinterpret_cast<ert_tensor*>(t); }

ert_status finish_model(const ert::Status& s, std::unique_ptr<ert::rt::Model> model,
                        ert_model** out_model, ert_error* error) {
  if (!s.ok()) return report(s, error);
  ert_model* m = new (std::nothrow) ert_model();
  if (m == nullptr) return report(ert::Status(ERT_OUT_OF_MEMORY, "cannot allocate the model handle"), error);
  m->impl = std::move(model);
  *out_model = m;
  return report(ert::Status(), error);
}

}  // namespace

extern "C" {

ert_status ert_model_create_from_file(const char* path, ert_model** out_model, ert_error* error) {
  if (out_model == nullptr) return invalid(error, "out_model is null");
  *out_model = nullptr;
  std::unique_ptr<ert::rt::Model> model;
  const ert::Status s = ert::rt::Model::load_file(path, &model);
  return finish_model(s, std::move(model), out_model, error);
}

ert_status ert_model_create_from_buffer(const void* data, size_t size, ert_model** out_model,
                                        ert_error* error) {
  if (out_model == nullptr) return invalid(error, "out_model is null");
  *out_model = nullptr;
  std::unique_ptr<ert::rt::Model> model;
  const ert::Status s = ert::rt::Model::load_buffer(data, size, &model);
  return finish_model(s, std::move(model), out_model, error);
}

void ert_model_delete(ert_model* model) { delete model; }

size_t ert_model_input_count(const ert_model* model) {
  return model ? model->impl->inputs().size() : 0;
}

size_t ert_model_output_count(const ert_model* model) {
  return model ? model->impl->outputs().size() : 0;
}

size_t ert_model_arena_bytes(const ert_model* model) {
  return model ? model->impl->arena_bytes() : 0;
}

const char* ert_model_metadata(const ert_model* model, const char* key) {
  return model ? model->impl->metadata(key) : nullptr;
}

void ert_interpreter_options_init(ert_interpreter_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof(*options));
  options->num_threads = 1;
}

ert_status ert_interpreter_create(const ert_model* model, const ert_interpreter_options* options,
                                  ert_interpreter** out_interpreter, ert_error* error) {
  if (out_interpreter == nullptr) return invalid(error, "out_interpreter is null");
  *out_interpreter = nullptr;
  if (model == nullptr) return invalid(error, "model is null");
  ert_interpreter_options defaults;
  ert_interpreter_options_init(&defaults);
  const ert_interpreter_options& o = options ? *options : defaults;
  ert::rt::InterpreterOptions ro;
  ro.num_threads = o.num_threads;
  ro.arena = o.arena;
  ro.arena_bytes = o.arena_bytes;
  ro.max_arena_bytes = o.max_arena_bytes;
  ro.fast_path = o.reference_kernels == 0;
  std::unique_ptr<ert::rt::Interpreter> impl;
  const ert::Status s = ert::rt::Interpreter::create(*model->impl, ro, &impl);
  if (!s.ok()) return report(s, error, o.log, o.log_user_data);
  ert_interpreter* it = new (std::nothrow) ert_interpreter();
  if (it == nullptr) {
    return report(ert::Status(ERT_OUT_OF_MEMORY, "cannot allocate the interpreter handle"), error);
  }
  it->impl = std::move(impl);
  it->log = o.log;
  it->log_user_data = o.log_user_data;
  *out_interpreter = it;
  return report(ert::Status(), error);
}

void ert_interpreter_delete(ert_interpreter* interpreter) { delete interpreter; }

size_t ert_interpreter_arena_bytes(const ert_interpreter* interpreter) {
  return interpreter ? interpreter->impl->arena_bytes() : 0;
}

size_t ert_interpreter_input_count(const ert_interpreter* interpreter) {
  return interpreter ? interpreter->impl->input_count() : 0;
}

size_t ert_interpreter_output_count(const ert_interpreter* interpreter) {
  return interpreter ? interpreter->impl->output_count() : 0;
}

ert_tensor* ert_interpreter_input(ert_interpreter* interpreter, size_t index) {
  return interpreter ? handle(interpreter->impl->input(index)) : nullptr;
}

const ert_tensor* ert_interpreter_output(const ert_interpreter* interpreter, size_t index) {
  return interpreter ? handle(interpreter->impl->output(index)) : nullptr;
}

ert_tensor* ert_interpreter_input_by_name(ert_interpreter* interpreter, const char* name) {
  return interpreter ? handle(interpreter->impl->input_by_name(name)) : nullptr;
}

const ert_tensor* ert_interpreter_output_by_name(const ert_interpreter* interpreter,
                                                 const char* name) {
  return interpreter ? handle(interpreter->impl->output_by_name(name)) : nullptr;
}

ert_status ert_interpreter_resize_input(ert_interpreter* interpreter, size_t index,
                                        const int32_t* dims, size_t rank, ert_error* error) {
  if (interpreter == nullptr) return invalid(error, "interpreter is null");
  if (rank > ERT_MAX_RANK) return invalid(error, "rank is larger than ERT_MAX_RANK");
  if (dims == nullptr && rank > 0) return invalid(error, "dims is null");
  ert::kernels::Shape shape;
  shape.rank = int(rank);
  for (size_t i = 0; i < rank; ++i) shape.dims[i] = dims[i];
  const ert::Status s = interpreter->impl->resize_input(index, shape);
  return report(s, error, interpreter->log, interpreter->log_user_data);
}

ert_status ert_interpreter_invoke(ert_interpreter* interpreter, ert_error* error) {
  if (interpreter == nullptr) return invalid(error, "interpreter is null");
  const ert::Status s = interpreter->impl->invoke();
  return report(s, error, interpreter->log, interpreter->log_user_data);
}

const char* ert_tensor_name(const ert_tensor* tensor) { return tensor ? cast(tensor)->name : ""; }

ert_dtype ert_tensor_dtype(const ert_tensor* tensor) {
  return tensor ? cast(tensor)->dtype : ERT_F32;
}

size_t ert_tensor_rank(const ert_tensor* tensor) {
  return tensor ? size_t(cast(tensor)->shape.rank) : 0;
}

int32_t ert_tensor_dim(const ert_tensor* tensor, size_t axis) {
  if (tensor == nullptr || axis >= size_t(cast(tensor)->shape.rank)) return -1;
  return cast(tensor)->shape.dims[axis];
}

size_t ert_tensor_byte_size(const ert_tensor* tensor) { return tensor ? cast(tensor)->bytes : 0; }

float ert_tensor_scale(const ert_tensor* tensor) { return tensor ? cast(tensor)->scale() : 0.0f; }

int64_t ert_tensor_zero_point(const ert_tensor* tensor) {
  return tensor ? cast(tensor)->zero_point() : 0;
}

void* ert_tensor_data(ert_tensor* tensor) {
  if (tensor == nullptr || cast(tensor)->is_constant) return nullptr;
  return cast(tensor)->data;
}

const void* ert_tensor_data_const(const ert_tensor* tensor) {
  return tensor ? cast(tensor)->data : nullptr;
}

ert_status ert_tensor_copy_from(ert_tensor* tensor, const void* data, size_t size,
                                ert_error* error) {
  if (tensor == nullptr || (data == nullptr && size > 0)) return invalid(error, "tensor or data is null");
  Tensor* t = cast(tensor);
  if (t->is_constant) return invalid(error, "tensor is a constant");
  if (size != t->bytes) {
    return report(ert::rt::make_status(ERT_INVALID_ARGUMENT,
                                       "tensor '%s' holds %zu bytes, %zu were given", t->name,
                                       t->bytes, size),
                  error);
  }
  if (size > 0) std::memcpy(t->data, data, size);
  return report(ert::Status(), error);
}

ert_status ert_tensor_copy_to(const ert_tensor* tensor, void* data, size_t size,
                              ert_error* error) {
  if (tensor == nullptr || (data == nullptr && size > 0)) return invalid(error, "tensor or data is null");
  const Tensor* t = cast(tensor);
  if (size != t->bytes) {
    return report(ert::rt::make_status(ERT_INVALID_ARGUMENT,
                                       "tensor '%s' holds %zu bytes, %zu were asked for", t->name,
                                       t->bytes, size),
                  error);
  }
  if (size > 0) std::memcpy(data, t->data, size);
  return report(ert::Status(), error);
}

}  // extern "C"
