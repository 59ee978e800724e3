// Small models written with ModelBuilder, and tools to corrupt .ert images on purpose.
#ifndef ERT_TESTS_SUPPORT_TEST_MODELS_H_
#define ERT_TESTS_SUPPORT_TEST_MODELS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "src/convert/model_builder.h"

namespace ert::testing {

/// An .ert image in memory, 64-byte aligned (as a mapped file would be).
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(const std::vector<uint8_t>& bytes) { assign(bytes); }
  void assign(const std::vector<uint8_t>& bytes);
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  std::vector<uint8_t> storage_;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

/// x [1,4,4,3] -> RELU -> a -> RELU6 -> y, plus one unused 48-byte constant "bias" (so the file
/// has a segment). Inputs/outputs named "x" and "y".
Status make_relu_chain_model(std::vector<uint8_t>* out);
/// The same, for doctest tests: fails the calling test when the builder fails.
std::vector<uint8_t> relu_chain_model();

/// One graph that uses each of the 31 reference ops once or more: input "x" [1,8,8,4],
/// outputs "y" [1,10] (softmax of a fully connected layer) and "mean" [1,8]. Weights come from a
/// fixed seed.
Status make_all_ops_model(std::vector<uint8_t>* out);
std::vector<uint8_t> all_ops_model();

/// Wraps an options table for ModelBuilder::add_op.
template <typename T>
fb::OpOptionsUnion options(T table) {
  fb::OpOptionsUnion u;
  u.Set(std::move(table));
  return u;
}

/// Unpacks `file`, lets `mutate` change the model, packs it again in place of the original
/// FlatBuffer (segments keep their offsets). Fails the calling test when the new FlatBuffer
/// would not fit before the first segment.
std::vector<uint8_t> mutate_model(const std::vector<uint8_t>& file,
                                  const std::function<void(fb::ModelT&)>& mutate);

/// Writes bytes to a file under the test temp dir and returns its path.
std::string write_temp_file(const std::string& name, const std::vector<uint8_t>& bytes);

}  // namespace ert::testing

#endif  // ERT_TESTS_SUPPORT_TEST_MODELS_H_
