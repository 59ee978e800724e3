// A loaded, verified .ert model. Immutable after loading; shared by interpreters on any thread.
#ifndef ERT_RUNTIME_MODEL_H_
#define ERT_RUNTIME_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ert_generated.h"
#include "kernels/shape.h"
#include "src/runtime/lifetimes.h"
#include "src/runtime/status.h"

namespace ert::rt {

/// What the verifier established about one tensor.
struct TensorDesc {
  const char* name = "";
  ert_dtype dtype = ERT_F32;
  kernels::Shape shape;                     // Declared shape.
  size_t bytes = 0;                         // For that shape.
  const fb::Quantization* quant = nullptr;  // Null when absent.
  const uint8_t* constant = nullptr;        // Segment data of a constant; null otherwise.
  size_t plan_offset = 0;                   // Arena offset in the stored plan (arena tensors).
};

class Model {
 public:
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  /// Maps `path` read-only and verifies it.
  static Status load_file(const char* path, std::unique_ptr<Model>* out);
  /// Verifies a caller's buffer (16-byte aligned) and uses it in place.
  static Status load_buffer(const void* data, size_t size, std::unique_ptr<Model>* out);

  const fb::Model& flatbuffer() const { return *root_; }
  const std::vector<TensorDesc>& tensors() const { return tensors_; }
  const std::vector<int>& inputs() const { return inputs_; }
  const std::vector<int>& outputs() const { return outputs_; }
  size_t num_operators() const { return root_->operators()->size(); }
  /// Arena bytes of the stored plan.
  size_t arena_bytes() const { return arena_bytes_; }
  /// The graph as the planner sees it for the declared shapes, and its buffer groups.
  const GraphLayout& layout() const { return layout_; }
  const BufferAssignment& assignment() const { return assignment_; }
  /// Metadata value by key, or null.
  const char* metadata(const char* key) const;
  /// Bytes of all constant segments.
  size_t weights_bytes() const { return weights_bytes_; }
  size_t file_bytes() const { return size_; }
  /// Lets the OS drop the resident pages of constant data that no kernel reads any more (weights
  /// packed into a kernel's own layout). The data stays valid: a mapped file's pages are read
  /// again on the next access. Does nothing for a model loaded from a caller's buffer.
  void release_pages(const uint8_t* data, size_t bytes) const;

 private:
  Model() = default;
  Status verify();
  Status verify_tensors();
  Status verify_graph();
  Status verify_plan();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;  // Non-null when this object owns an mmap.
  size_t mapping_size_ = 0;
  std::string origin_;       // File name or "buffer", for messages.
  const fb::Model* root_ = nullptr;
  std::vector<TensorDesc> tensors_;
  std::vector<int> inputs_;
  std::vector<int> outputs_;
  GraphLayout layout_;
  BufferAssignment assignment_;
  size_t arena_bytes_ = 0;
  size_t weights_bytes_ = 0;
};

}  // namespace ert::rt

#endif  // ERT_RUNTIME_MODEL_H_
