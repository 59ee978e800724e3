#include "src/convert/model_builder.h"

#include <cstring>

#include "src/runtime/status.h"

namespace ert::cvt {

#ifndef ERT_VERSION_STRING
#define ERT_VERSION_STRING "0.0.0"
#endif

ModelBuilder::ModelBuilder() {
  model_.metadata = std::make_unique<fb::MetadataT>();
  model_.metadata->producer = "edgert ModelBuilder";
  model_.metadata->producer_version = ERT_VERSION_STRING;
}

int ModelBuilder::add_tensor(const std::string& name, fb::DType dtype,
                             const std::vector<int32_t>& shape,
                             std::unique_ptr<fb::QuantizationT> quant) {
  auto t = std::make_unique<fb::TensorT>();
  t->name = name;
  t->dtype = dtype;
  t->shape = shape;
  t->quantization = std::move(quant);
  model_.tensors.push_back(std::move(t));
  return int(model_.tensors.size()) - 1;
}

int ModelBuilder::add_input(const std::string& name, fb::DType dtype,
                            const std::vector<int32_t>& shape) {
  const int t = add_tensor(name, dtype, shape);
  model_.inputs.push_back(t);
  return t;
}

int ModelBuilder::add_constant(const std::string& name, fb::DType dtype,
                               const std::vector<int32_t>& shape, const void* data, size_t bytes,
                               std::unique_ptr<fb::QuantizationT> quant) {
  const int t = add_tensor(name, dtype, shape, std::move(quant));
  const auto* p = static_cast<const uint8_t*>(data);
  segments_.emplace_back(p, p + bytes);
  model_.tensors[size_t(t)]->segment = int(segments_.size()) - 1;
  return t;
}

int ModelBuilder::add_constant_f32(const std::string& name, const std::vector<int32_t>& shape,
                                   const std::vector<float>& values) {
  return add_constant(name, fb::DType::F32, shape, values.data(), values.size() * sizeof(float));
}

void ModelBuilder::add_output(int tensor) { model_.outputs.push_back(tensor); }

int ModelBuilder::add_op(fb::OpCode code, const std::vector<int>& inputs,
                         const std::vector<int>& outputs, fb::OpOptionsUnion options,
                         fb::Activation activation) {
  auto op = std::make_unique<fb::OperatorT>();
  op->code = code;
  op->inputs = inputs;
  op->outputs = outputs;
  op->options = std::move(options);
  op->activation = activation;
  model_.operators.push_back(std::move(op));
  return int(model_.operators.size()) - 1;
}

void ModelBuilder::set_metadata(const std::string& key, const std::string& value) {
  fb::MetadataT& m = *model_.metadata;
  if (key == "producer") m.producer = value;
  else if (key == "producer_version") m.producer_version = value;
  else if (key == "source_file") m.source_file = value;
  else if (key == "source_sha256") m.source_sha256 = value;
  else if (key == "model_version") m.model_version = value;
  else {
    auto kv = std::make_unique<fb::KeyValueT>();
    kv->key = key;
    kv->value = value;
    m.entries.push_back(std::move(kv));
  }
}

Status ModelBuilder::finish(std::vector<uint8_t>* out, rt::PlanStats* stats) {
  ERT_RETURN_IF_ERROR(plan_model(&model_, stats));
  return finish_as_is(out);
}

Status ModelBuilder::finish_as_is(std::vector<uint8_t>* out) {
  // write_model takes the model by value; copy through the object API's pack/unpack.
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Model::Pack(fbb, &model_));
  fb::ModelT copy;
  flatbuffers::GetRoot<fb::Model>(fbb.GetBufferPointer())->UnPackTo(&copy);
  return write_model(std::move(copy), segments_, out);
}

}  // namespace ert::cvt
