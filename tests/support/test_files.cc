// The doctest-facing helpers of test_models.h: models that fail the test when they cannot be
// built, mutation of .ert images, and temporary files.
#include <cstring>
#include <fstream>

#include <doctest/doctest.h>

#include "tests/support/test_models.h"

namespace ert::testing {

std::vector<uint8_t> relu_chain_model() {
  std::vector<uint8_t> file;
  const Status s = make_relu_chain_model(&file);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  return file;
}

std::vector<uint8_t> all_ops_model() {
  std::vector<uint8_t> file;
  const Status s = make_all_ops_model(&file);
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
