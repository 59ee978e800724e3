// edgert C++ API: header-only RAII over the C API in ert.h. C++17. No exceptions are thrown:
// every fallible call returns ert::Status or ert::Result<T>.
#ifndef ERT_ERT_HPP_
#define ERT_ERT_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ert/ert.h"

namespace ert {

/// The outcome of a call: a code and, on failure, a message naming what is wrong and where.
class Status {
 public:
  Status() = default;
  Status(ert_status code, std::string message) : code_(code), message_(std::move(message)) {}
  /// Takes the code and message of a C API call's ert_error.
  static Status from(ert_status code, const ert_error& error) {
    return code == ERT_OK ? Status() : Status(code, error.message);
  }
  bool ok() const { return code_ == ERT_OK; }
  explicit operator bool() const { return ok(); }
  ert_status code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "ERT_INVALID_MODEL: tensor 3: ..." or "ERT_OK".
  std::string to_string() const {
    std::string s = ert_status_name(code_);
    if (!message_.empty()) s += ": " + message_;
    return s;
  }

 private:
  ert_status code_ = ERT_OK;
  std::string message_;
};

/// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {}    // NOLINT: implicit by design.
  bool ok() const { return status_.ok(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }
  /// The value; only meaningful when ok().
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() & { return value_; }

 private:
  Status status_;
  T value_{};
};

/// A borrowed view of one tensor of an Interpreter. Valid while the interpreter lives; its data
/// pointer changes when an input is resized.
class TensorView {
 public:
  explicit TensorView(const ert_tensor* t = nullptr) : t_(t) {}
  bool valid() const { return t_ != nullptr; }
  std::string name() const { return ert_tensor_name(t_); }
  ert_dtype dtype() const { return ert_tensor_dtype(t_); }
  std::vector<int32_t> shape() const {
    std::vector<int32_t> dims(ert_tensor_rank(t_));
    for (size_t i = 0; i < dims.size(); ++i) dims[i] = ert_tensor_dim(t_, i);
    return dims;
  }
  size_t byte_size() const { return ert_tensor_byte_size(t_); }
  float scale() const { return ert_tensor_scale(t_); }
  int64_t zero_point() const { return ert_tensor_zero_point(t_); }
  /// Typed data pointer; the caller picks T to match dtype().
  template <typename T>
  T* data() const {
    return static_cast<T*>(const_cast<void*>(ert_tensor_data_const(t_)));
  }
  size_t num_elements() const {
    const size_t elem = ert_dtype_size(dtype());
    return elem == 0 ? 0 : byte_size() / elem;
  }
  Status copy_from(const void* src, size_t size) {
    ert_error e;
    const ert_status s = ert_tensor_copy_from(const_cast<ert_tensor*>(t_), src, size, &e);
    return Status::from(s, e);
  }
  Status copy_to(void* dst, size_t size) const {
    ert_error e;
    const ert_status s = ert_tensor_copy_to(t_, dst, size, &e);
    return Status::from(s, e);
  }

 private:
  const ert_tensor* t_;
};

/// A loaded, verified model. Movable, not copyable. Shared by interpreters (it must outlive them).
class Model {
 public:
  Model() = default;
  Model(Model&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  Model& operator=(Model&& o) noexcept {
    if (this != &o) {
      ert_model_delete(m_);
      m_ = std::exchange(o.m_, nullptr);
    }
    return *this;
  }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() { ert_model_delete(m_); }

  /// Maps and verifies a .ert file.
  static Result<Model> from_file(const std::string& path) {
    Model m;
    ert_error e;
    const ert_status s = ert_model_create_from_file(path.c_str(), &m.m_, &e);
    if (s != ERT_OK) return Status::from(s, e);
    return m;
  }
  /// Verifies a .ert image in memory, used in place: `data` must outlive the model.
  static Result<Model> from_buffer(const void* data, size_t size) {
    Model m;
    ert_error e;
    const ert_status s = ert_model_create_from_buffer(data, size, &m.m_, &e);
    if (s != ERT_OK) return Status::from(s, e);
    return m;
  }
  const ert_model* get() const { return m_; }
  size_t input_count() const { return ert_model_input_count(m_); }
  size_t output_count() const { return ert_model_output_count(m_); }
  size_t arena_bytes() const { return ert_model_arena_bytes(m_); }
  /// Metadata value, or an empty string.
  std::string metadata(const std::string& key) const {
    const char* v = ert_model_metadata(m_, key.c_str());
    return v ? v : "";
  }

 private:
  ert_model* m_ = nullptr;
};

/// Options for Interpreter::create (see ert_interpreter_options).
struct InterpreterOptions {
  int num_threads = 1;
  void* arena = nullptr;
  size_t arena_bytes = 0;
  size_t max_arena_bytes = 0;
  bool reference_kernels = false;  // True: portable reference kernels only.
};

/// Runs a Model. Movable, not copyable. Not to be used from two threads at once.
/// Threads: give each thread its own Interpreter; one Model may be shared by all of them.
class Interpreter {
 public:
  Interpreter() = default;
  Interpreter(Interpreter&& o) noexcept : i_(std::exchange(o.i_, nullptr)) {}
  Interpreter& operator=(Interpreter&& o) noexcept {
    if (this != &o) {
      ert_interpreter_delete(i_);
      i_ = std::exchange(o.i_, nullptr);
    }
    return *this;
  }
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;
  ~Interpreter() { ert_interpreter_delete(i_); }

  static Result<Interpreter> create(const Model& model, const InterpreterOptions& options = {}) {
    ert_interpreter_options o;
    ert_interpreter_options_init(&o);
    o.num_threads = options.num_threads;
    o.arena = options.arena;
    o.arena_bytes = options.arena_bytes;
    o.max_arena_bytes = options.max_arena_bytes;
    o.reference_kernels = options.reference_kernels ? 1 : 0;
    Interpreter it;
    ert_error e;
    const ert_status s = ert_interpreter_create(model.get(), &o, &it.i_, &e);
    if (s != ERT_OK) return Status::from(s, e);
    return it;
  }
  size_t input_count() const { return ert_interpreter_input_count(i_); }
  size_t output_count() const { return ert_interpreter_output_count(i_); }
  size_t arena_bytes() const { return ert_interpreter_arena_bytes(i_); }
  TensorView input(size_t index) const { return TensorView(ert_interpreter_input(i_, index)); }
  TensorView output(size_t index) const { return TensorView(ert_interpreter_output(i_, index)); }
  TensorView input(const std::string& name) const {
    return TensorView(ert_interpreter_input_by_name(i_, name.c_str()));
  }
  TensorView output(const std::string& name) const {
    return TensorView(ert_interpreter_output_by_name(i_, name.c_str()));
  }
  Status resize_input(size_t index, const std::vector<int32_t>& dims) {
    ert_error e;
    const ert_status s = ert_interpreter_resize_input(i_, index, dims.data(), dims.size(), &e);
    return Status::from(s, e);
  }
  Status invoke() {
    ert_error e;
    const ert_status s = ert_interpreter_invoke(i_, &e);
    return Status::from(s, e);
  }
  ert_interpreter* get() const { return i_; }

 private:
  ert_interpreter* i_ = nullptr;
};

}  // namespace ert

#endif  // ERT_ERT_HPP_
