// Loading and verification: good files load (from a file and from memory), and every kind of
// damage a file can carry is rejected with the right status and a message that says where.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "src/runtime/limits.h"
#include "src/runtime/model.h"
#include "tests/support/test_models.h"

using ert::Status;
using ert::rt::Model;
using ert::testing::AlignedBuffer;
using ert::testing::mutate_model;
using ert::testing::relu_chain_model;
namespace fb = ert::fb;

namespace {

Status load(const std::vector<uint8_t>& bytes, std::unique_ptr<Model>* model = nullptr) {
  AlignedBuffer buf(bytes);
  std::unique_ptr<Model> m;
  Status s = Model::load_buffer(buf.data(), buf.size(), &m);
  if (model != nullptr) *model = std::move(m);
  return s;
}

bool contains(const Status& s, const char* text) {
  return s.message().find(text) != std::string::npos;
}

// Expects a rejection with `code` and a message containing `text`.
void expect_rejected(const std::vector<uint8_t>& bytes, ert_status code, const char* text) {
  const Status s = load(bytes);
  CAPTURE(s.to_string());
  CHECK(s.code() == code);
  CHECK(contains(s, text));
}

}  // namespace

TEST_CASE("model: a good file loads from disk and from memory, with its plan and metadata") {
  const std::vector<uint8_t> bytes = relu_chain_model();
  const std::string path = ert::testing::write_temp_file("relu_chain.ert", bytes);
  std::unique_ptr<Model> m;
  REQUIRE(Model::load_file(path.c_str(), &m).ok());
  CHECK(m->inputs().size() == 1);
  CHECK(m->outputs().size() == 1);
  CHECK(m->num_operators() == 2);
  CHECK(m->weights_bytes() == 48);
  // x, a and y (192 bytes each): x stays alive to the end (a caller may invoke again on it), so
  // all three are alive together at step 1: three 192-byte slots.
  CHECK(m->arena_bytes() == 576);
  CHECK(std::string(m->metadata("producer")) == "edgert ModelBuilder");
  CHECK(m->metadata("no such key") == nullptr);
  // The constant is used in place: its pointer lies inside the buffer.
  std::unique_ptr<Model> from_memory;
  AlignedBuffer buf(bytes);
  REQUIRE(Model::load_buffer(buf.data(), buf.size(), &from_memory).ok());
  const uint8_t* c = from_memory->tensors()[1].constant;
  CHECK(c >= buf.data());
  CHECK(c + 48 <= buf.data() + buf.size());
  CHECK(reinterpret_cast<uintptr_t>(c) % 64 == 0);
}

TEST_CASE("model: files that cannot be read give I/O errors naming the file") {
  std::unique_ptr<Model> m;
  Status s = Model::load_file("/nonexistent/dir/model.ert", &m);
  CHECK(s.code() == ERT_IO_ERROR);
  CHECK(contains(s, "/nonexistent/dir/model.ert"));
  s = Model::load_file(ERT_TEST_TMP_DIR, &m);  // A directory.
  CHECK(s.code() == ERT_IO_ERROR);
  const std::string empty = ert::testing::write_temp_file("empty.ert", {});
  s = Model::load_file(empty.c_str(), &m);
  CHECK(s.code() == ERT_INVALID_MODEL);
  CHECK(contains(s, "empty"));
}

TEST_CASE("model: a misaligned caller buffer is refused") {
  const std::vector<uint8_t> bytes = relu_chain_model();
  std::vector<uint8_t> storage(bytes.size() + 64);
  uint8_t* p = storage.data();
  while (reinterpret_cast<uintptr_t>(p) % 16 != 1) ++p;
  std::memcpy(p, bytes.data(), bytes.size());
  std::unique_ptr<Model> m;
  const Status s = Model::load_buffer(p, bytes.size(), &m);
  CHECK(s.code() == ERT_INVALID_ARGUMENT);
  CHECK(contains(s, "aligned"));
}

TEST_CASE("model: wrong identifier and truncated files") {
  std::vector<uint8_t> bytes = relu_chain_model();
  std::vector<uint8_t> wrong = bytes;
  std::memcpy(wrong.data() + 4, "TFL3", 4);
  expect_rejected(wrong, ERT_INVALID_MODEL, "file identifier is 'TFL3', expected 'ERT1'");
  expect_rejected(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 4), ERT_INVALID_MODEL,
                  "too small");
  // Every truncation point fails cleanly: inside the FlatBuffer, or cutting a segment off.
  for (size_t cut = 8; cut < bytes.size(); cut += 7) {
    CAPTURE(cut);
    const Status s = load(std::vector<uint8_t>(bytes.begin(), bytes.begin() + long(cut)));
    CHECK(s.code() == ERT_INVALID_MODEL);
    CHECK(!s.message().empty());
  }
}

TEST_CASE("model: flipped bytes never crash; a failure always has a status and a message") {
  const std::vector<uint8_t> bytes = relu_chain_model();
  std::mt19937 rng(42);
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bad = bytes;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= uint8_t(1u << (rng() % 8));
    const Status s = load(bad);
    if (!s.ok()) {
      ++rejected;
      CHECK((s.code() == ERT_INVALID_MODEL || s.code() == ERT_UNSUPPORTED));
      CHECK(!s.message().empty());
    }
  }
  // Most flips land in the FlatBuffer's structure; some only change weights (still valid).
  CHECK(rejected > 1000);
}

TEST_CASE("model: out-of-range and negative indices") {
  const std::vector<uint8_t> good = relu_chain_model();
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.inputs[0] = 99; }), ERT_INVALID_MODEL,
                  "model input: tensor index 99 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.outputs[0] = -3; }), ERT_INVALID_MODEL,
                  "model output: tensor index -3 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[1]->inputs[0] = 1000; }),
                  ERT_INVALID_MODEL, "op 1 (RELU6): input 0: tensor index 1000 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[0]->inputs[0] = -2; }),
                  ERT_INVALID_MODEL, "op 0 (RELU): input 0: tensor index -2 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[0]->outputs[0] = -1; }),
                  ERT_INVALID_MODEL, "op 0 (RELU): output 0: tensor index -1 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[1]->segment = 7; }),
                  ERT_INVALID_MODEL, "tensor 1 'bias': segment 7 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[1]->segment = -5; }),
                  ERT_INVALID_MODEL, "tensor 1 'bias': segment -5 out of range");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.plan->allocations[0].mutate_tensor(77); }),
                  ERT_INVALID_MODEL, "plan: tensor index 77 out of range");
}

TEST_CASE("model: negative, huge and too many dims") {
  const std::vector<uint8_t> good = relu_chain_model();
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[2]->shape[1] = -4; }),
                  ERT_INVALID_MODEL, "tensor 2 'a': shape [1,-4,4,3]: negative dimension");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[2]->shape[1] = 2000000000; }),
                  ERT_INVALID_MODEL, "dimension too large");
  // Each dim is allowed but the product overflows 2^31 elements (CVE-2022-23558's shape).
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    m.tensors[2]->shape = {65536, 65536, 65536, 3};
                  }),
                  ERT_INVALID_MODEL, "more than 2^31-1 elements");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[0]->shape.assign(7, 1); }),
                  ERT_INVALID_MODEL, "tensor 0 'x': shape has 7 dims, at most 6");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.tensors[1]->shape = {13}; }),
                  ERT_INVALID_MODEL, "tensor 1 'bias': segment 0 has 48 bytes, the shape needs 52");
}

TEST_CASE("model: segments past the end or misaligned") {
  const std::vector<uint8_t> good = relu_chain_model();
  expect_rejected(mutate_model(good, [&](fb::ModelT& m) {
                    m.segments[0].mutate_offset((uint64_t(good.size()) / 64 + 100) * 64);
                  }),
                  ERT_INVALID_MODEL, "segment 0: bytes");
  expect_rejected(mutate_model(good, [&](fb::ModelT& m) {
                    m.segments[0].mutate_size(~uint64_t(0) - 10);
                  }),
                  ERT_INVALID_MODEL, "run past the end");
  expect_rejected(mutate_model(good, [&](fb::ModelT& m) {
                    m.segments[0].mutate_offset(m.segments[0].offset() + 4);
                  }),
                  ERT_INVALID_MODEL, "segment 0: offset");
}

TEST_CASE("model: broken graphs") {
  const std::vector<uint8_t> good = relu_chain_model();
  // Op 0 reads the tensor op 1 writes: read before written.
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[0]->inputs[0] = 3; }),
                  ERT_INVALID_MODEL, "op 0 (RELU): input 0 reads tensor 3 'y' before any op writes it");
  // Two ops write one tensor.
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[1]->outputs[0] = 2; }),
                  ERT_INVALID_MODEL, "op 1 (RELU6): output 0 writes tensor 2 'a'");
  // An op writes a constant.
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[1]->outputs[0] = 1; }),
                  ERT_INVALID_MODEL, "which is a constant");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.operators[0]->code = fb::OpCode(999); }),
                  ERT_UNSUPPORTED, "op 0: op code 999 is not known");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.outputs.push_back(1); }),
                  ERT_INVALID_MODEL, "model output: tensor 1 'bias' is a constant");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.format_version = 2; }), ERT_UNSUPPORTED,
                  "format version 2");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    m.tensors[2]->quantization = std::make_unique<fb::QuantizationT>();
                    m.tensors[2]->quantization->scale = {0.5f, 0.5f};
                    m.tensors[2]->quantization->zero_point = {0};
                  }),
                  ERT_INVALID_MODEL, "tensor 2 'a': quantization has 2 scales and 1 zero points");
}

TEST_CASE("model: plans that overlap, do not fit, or miss a tensor") {
  const std::vector<uint8_t> good = relu_chain_model();
  // x and a are alive together at step 0; put them on the same bytes.
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    for (auto& a : m.plan->allocations) a.mutate_offset(0);
                  }),
                  ERT_INVALID_MODEL, "overlap in memory while both are alive");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    m.plan->allocations[0].mutate_offset(64 * 1000);
                  }),
                  ERT_INVALID_MODEL, "does not fit in the 576-byte arena");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.plan->allocations.pop_back(); }),
                  ERT_INVALID_MODEL, "has no place in the arena");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    m.plan->allocations.push_back(m.plan->allocations[0]);
                  }),
                  ERT_INVALID_MODEL, "is placed twice");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.plan->allocations[1].mutate_offset(32); }),
                  ERT_INVALID_MODEL, "is not 64-byte aligned");
  expect_rejected(mutate_model(good, [](fb::ModelT& m) { m.plan->arena_bytes = uint64_t(1) << 50; }),
                  ERT_INVALID_MODEL, "exceeds the");
  // Every offset moved up by 2^32: a 32-bit target that cast the offsets to size_t before
  // checking them would see the good plan again and accept the file.
  expect_rejected(mutate_model(good, [](fb::ModelT& m) {
                    for (auto& a : m.plan->allocations) {
                      a.mutate_offset(a.offset() + (uint64_t(1) << 32));
                    }
                  }),
                  ERT_INVALID_MODEL, "does not fit in the 576-byte arena");
}

TEST_CASE("model: tensor sizes are exact in 64 bits or refused, never wrapped in a 32-bit size_t") {
  // i64 [2^29]: 2^32 bytes, and f32 [2^30 - 1, 2]: 2^33 - 8 bytes. Both fit a 64-bit size_t; a
  // 32-bit one would wrap them to 0 and to 2^32 - 8.
  const struct {
    ert_dtype dtype;
    ert::kernels::Shape shape;
    uint64_t bytes;
  } cases[] = {
      {ERT_I64, {1 << 29}, uint64_t(1) << 32},
      {ERT_F32, {(1 << 30) - 1, 2}, ((uint64_t(1) << 31) - 2) * 4},
      {ERT_U8, {1 << 30, 1}, uint64_t(1) << 30},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    size_t bytes = 12345;
    const char* why = "";
    const bool ok = ert::rt::tensor_bytes(c.dtype, c.shape, &bytes, &why);
    if (c.bytes <= uint64_t(SIZE_MAX)) {
      CHECK(ok);
      CHECK(uint64_t(bytes) == c.bytes);
    } else {
      CHECK_FALSE(ok);
      CHECK(std::string(why) == "more bytes than this platform's address space holds");
      CHECK(bytes == 12345);
    }
  }
  // The same shape as a tensor of a model: the load fails cleanly on 32 bits, and on 64 bits it
  // fails only because the file's segment and plan do not hold 4 GiB.
  const std::vector<uint8_t> good = relu_chain_model();
  const Status s = load(mutate_model(good, [](fb::ModelT& m) {
    m.tensors[2]->dtype = fb::DType::I64;
    m.tensors[2]->shape = {1 << 29};
  }));
  CHECK(s.code() == ERT_INVALID_MODEL);
}
