#include "tests/support/test_models.h"

#include <cstring>
#include <fstream>

#include <doctest/doctest.h>

namespace ert::testing {

void AlignedBuffer::assign(const std::vector<uint8_t>& bytes) {
  storage_.assign(bytes.size() + 64, 0);
  const uintptr_t raw = reinterpret_cast<uintptr_t>(storage_.data());
  data_ = storage_.data() + ((64 - raw % 64) % 64);
  size_ = bytes.size();
  if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
}

std::vector<uint8_t> relu_chain_model() {
  cvt::ModelBuilder b;
  const int x = b.add_input("x", fb::DType::F32, {1, 4, 4, 3});
  const std::vector<float> bias(12, 0.5f);
  b.add_constant_f32("bias", {12}, bias);
  const int a = b.add_tensor("a", fb::DType::F32, {1, 4, 4, 3});
  const int y = b.add_tensor("y", fb::DType::F32, {1, 4, 4, 3});
  b.add_op(fb::OpCode::RELU, {x}, {a});
  b.add_op(fb::OpCode::RELU6, {a}, {y});
  b.add_output(y);
  std::vector<uint8_t> file;
  const Status s = b.finish(&file);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  return file;
}

std::vector<uint8_t> mutate_model(const std::vector<uint8_t>& file,
                                  const std::function<void(fb::ModelT&)>& mutate) {
  const fb::Model* root = fb::GetModel(file.data());
  fb::ModelT model;
  root->UnPackTo(&model);
  size_t fb_limit = file.size();
  for (const fb::Segment& s : model.segments) fb_limit = std::min<size_t>(fb_limit, s.offset());
  mutate(model);
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Model::Pack(fbb, &model), fb::ModelIdentifier());
  REQUIRE_MESSAGE(fbb.GetSize() <= fb_limit, "mutated FlatBuffer no longer fits before segments");
  std::vector<uint8_t> out = file;
  std::memset(out.data(), 0, fb_limit);
  std::memcpy(out.data(), fbb.GetBufferPointer(), fbb.GetSize());
  if (out.size() < fbb.GetSize()) out.resize(fbb.GetSize());
  return out;
}

std::string write_temp_file(const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = std::string(ERT_TEST_TMP_DIR) + "/" + name;
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return path;
}

}  // namespace ert::testing
