// Writes the test models to a folder, for tests that run outside the doctest binary (the C API
// example, the ert tool's command-line tests). Usage: write_test_models DIR
#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/test_models.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_test_models DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::pair<const char*, ert::Status (*)(std::vector<uint8_t>*)> models[] = {
      {"relu_chain.ert", ert::testing::make_relu_chain_model},
      {"all_ops.ert", ert::testing::make_all_ops_model},
  };
  for (const auto& [name, make] : models) {
    std::vector<uint8_t> bytes;
    const ert::Status s = make(&bytes);
    if (!s.ok()) {
      std::fprintf(stderr, "write_test_models: %s: %s\n", name, s.to_string().c_str());
      return 1;
    }
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!f) {
      std::fprintf(stderr, "write_test_models: cannot write %s/%s\n", dir.c_str(), name);
      return 1;
    }
  }
  return 0;
}
