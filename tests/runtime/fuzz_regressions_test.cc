// Inputs the fuzzers (tests/fuzz) once crashed on, replayed through the same path as the fuzz
// target: load, create with a capped arena, zero inputs, invoke. Each must fail cleanly with
// the status and message recorded here (under the sanitizer builds, a regression is a report).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_common.h"

namespace {

std::vector<uint8_t> read_regression(const char* name) {
  const std::string path = std::string(ERT_TEST_DATA_DIR) + "/../../fuzz/regressions/" + name;
  std::ifstream f(path, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "cannot open " << path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("fuzz regression: .ert whose segment table is misaligned is rejected") {
  // Found by fuzz_load_ert: the Segment vector (64-bit fields) started 4 bytes off its 8-byte
  // alignment; the FlatBuffers verifier passed it and the loader read it misaligned (UBSan).
  const std::vector<uint8_t> bytes = read_regression("ert_misaligned_segment_table.ert");
  REQUIRE(bytes.size() > 8);
  alignas(64) static uint8_t buffer[4096];
  REQUIRE(bytes.size() <= sizeof(buffer));
  std::memcpy(buffer, bytes.data(), bytes.size());
  std::unique_ptr<ert::rt::Model> model;
  const ert::Status s = ert::rt::Model::load_buffer(buffer, bytes.size(), &model);
  CHECK(s.code() == ERT_INVALID_MODEL);
  CHECK(s.to_string().find("segment table is not 8-byte aligned") != std::string::npos);
  // And the whole fuzz path on it returns without a report.
  ert::fuzz::run_model_image(bytes.data(), bytes.size());
}
