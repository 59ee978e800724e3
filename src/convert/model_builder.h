// Builds .ert models in code: tests use it to write a model of any op and shape without an
// importer, and importers use it to emit what they read.
//
//   ModelBuilder b;
//   int x = b.add_input("x", fb::DType::F32, {1, 8, 8, 3});
//   int w = b.add_constant_f32("w", {4, 3, 3, 3}, weights);
//   int y = b.add_tensor("y", fb::DType::F32, {1, 8, 8, 4});
//   b.add_op(fb::OpCode::CONV_2D, {x, w, -1}, {y}, conv_options);
//   b.add_output(y);
//   std::vector<uint8_t> file;
//   Status s = b.finish(&file);
#ifndef ERT_CONVERT_MODEL_BUILDER_H_
#define ERT_CONVERT_MODEL_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "src/convert/model_writer.h"

namespace ert::cvt {

class ModelBuilder {
 public:
  ModelBuilder();

  /// Adds an arena tensor (an activation). Returns its index.
  int add_tensor(const std::string& name, fb::DType dtype, const std::vector<int32_t>& shape,
                 std::unique_ptr<fb::QuantizationT> quant = nullptr);
  /// Adds an arena tensor and marks it a graph input.
  int add_input(const std::string& name, fb::DType dtype, const std::vector<int32_t>& shape);
  /// Adds a constant whose bytes go into a segment.
  int add_constant(const std::string& name, fb::DType dtype, const std::vector<int32_t>& shape,
                   const void* data, size_t bytes,
                   std::unique_ptr<fb::QuantizationT> quant = nullptr);
  int add_constant_f32(const std::string& name, const std::vector<int32_t>& shape,
                       const std::vector<float>& values);
  /// Marks a tensor a graph output.
  void add_output(int tensor);
  /// Appends an operator (execution order is the order of calls). Returns its index.
  int add_op(fb::OpCode code, const std::vector<int>& inputs, const std::vector<int>& outputs,
             fb::OpOptionsUnion options = fb::OpOptionsUnion(),
             fb::Activation activation = fb::Activation::NONE);
  void set_metadata(const std::string& key, const std::string& value);

  /// The model as built so far; tests may break it on purpose before finish_as_is().
  fb::ModelT& model() { return model_; }
  SegmentData& segments() { return segments_; }

  /// Plans memory and writes the file image. stats (optional) receives the plan's figures.
  Status finish(std::vector<uint8_t>* out, rt::PlanStats* stats = nullptr);
  /// Writes model() as it is, with whatever plan it holds (for tests of the verifier).
  Status finish_as_is(std::vector<uint8_t>* out);

 private:
  fb::ModelT model_;
  SegmentData segments_;
};

}  // namespace ert::cvt

#endif  // ERT_CONVERT_MODEL_BUILDER_H_
