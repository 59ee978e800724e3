// Hostile .tflite files: the limits that protect a device converting a model in memory (a
// 2^40-byte tensor, a rank of 1000, a billion operators are refused with a clear status before
// anything large is allocated), and regressions for what the mutation test
// (tests/mutation/mutate_models.cc) found in the importer.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "src/convert/model_builder.h"
#include "src/convert/passes.h"
#include "src/convert/tflite_importer.h"
#include "src/runtime/limits.h"
#include "tests/sanitizers/allocation_watch.h"
#include "tflite_schema_generated.h"

namespace {

namespace tfl = ert::tflite;
using ert::Status;
using ert::testing::run_with_allocation_bound;
using ert::testing::WatchedRun;

constexpr size_t kBound = size_t(16) << 20;

struct TensorSpec {
  std::string name;
  tfl::TensorType type;
  std::vector<int32_t> shape;
  uint32_t buffer = 0;  // 0: no data.
};

// A one-op TFLite file: y = OP(x, c), with the tensors and buffers given; the operators vector
// holds `op_entries` references to that one op (FlatBuffers lets them share a table).
struct TfliteSpec {
  std::vector<TensorSpec> tensors;
  std::vector<std::vector<uint8_t>> buffers{{}};  // Buffer 0 is the empty one.
  std::vector<int32_t> inputs{0};
  std::vector<int32_t> outputs{2};
  tfl::BuiltinOperator code = tfl::BuiltinOperator::ADD;
  std::vector<int32_t> op_inputs{0, 1};
  std::vector<int32_t> op_outputs{2};
  size_t op_entries = 1;

  std::vector<uint8_t> write() const {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<tfl::Buffer>> buffer_offsets;
    for (const auto& b : buffers) {
      flatbuffers::Offset<flatbuffers::Vector<uint8_t>> data = 0;
      if (!b.empty()) {
        fbb.ForceVectorAlignment(b.size(), 1, 16);
        data = fbb.CreateVector(b);
      }
      buffer_offsets.push_back(tfl::CreateBuffer(fbb, data));
    }
    std::vector<flatbuffers::Offset<tfl::Tensor>> tensor_offsets;
    for (const TensorSpec& t : tensors) {
      tensor_offsets.push_back(tfl::CreateTensor(fbb, fbb.CreateVector(t.shape), t.type, t.buffer,
                                                 fbb.CreateString(t.name)));
    }
    const auto op = tfl::CreateOperator(fbb, 0, fbb.CreateVector(op_inputs),
                                        fbb.CreateVector(op_outputs));
    const std::vector<flatbuffers::Offset<tfl::Operator>> ops(op_entries, op);
    const auto subgraph =
        tfl::CreateSubGraph(fbb, fbb.CreateVector(tensor_offsets), fbb.CreateVector(inputs),
                            fbb.CreateVector(outputs), fbb.CreateVector(ops));
    const auto op_code = tfl::CreateOperatorCode(fbb, int8_t(code), 0, 1, code);
    const auto model = tfl::CreateModel(fbb, 3, fbb.CreateVector(&op_code, 1),
                                        fbb.CreateVector(&subgraph, 1), 0,
                                        fbb.CreateVector(buffer_offsets));
    fbb.Finish(model, "TFL3");
    return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }
};

// y [1,4] = ADD(x [1,4], c [4]), c a constant: a model that converts.
TfliteSpec add_model() {
  TfliteSpec s;
  s.tensors = {{"x", tfl::TensorType::FLOAT32, {1, 4}},
               {"c", tfl::TensorType::FLOAT32, {4}, 1},
               {"y", tfl::TensorType::FLOAT32, {1, 4}}};
  s.buffers.push_back(std::vector<uint8_t>(16, 0));
  return s;
}

// The whole conversion (import, passes, planning and writing) under the allocation bound.
WatchedRun convert_watched(const std::vector<uint8_t>& file) {
  return run_with_allocation_bound(kBound, [&] {
    ert::cvt::ModelBuilder builder;
    Status s = ert::cvt::import_tflite(file.data(), file.size(), "hostile.tflite", &builder);
    ert::cvt::PassReport passes;
    if (s.ok()) s = ert::cvt::run_passes(&builder, ert::cvt::PassOptions(), &passes);
    std::vector<uint8_t> out;
    if (s.ok()) s = builder.finish(&out);
    return s;
  });
}

void expect_refused_within_bound(const WatchedRun& run, ert_status code, const char* text) {
  CAPTURE(run.method);
  CAPTURE(run.detail);
  CAPTURE(run.allocated);
  CAPTURE(run.status.to_string());
  REQUIRE(run.completed);
  CHECK(run.within_bound);
  CHECK(run.status.code() == code);
  CHECK(run.status.message().find(text) != std::string::npos);
}

}  // namespace

TEST_CASE("hostile tflite: the unchanged test model converts (the cases below change one thing)") {
  const WatchedRun run = convert_watched(add_model().write());
  CAPTURE(run.detail);
  CAPTURE(run.status.to_string());
  CHECK(run.completed);
  CHECK(run.within_bound);
  CHECK(run.status.ok());
}

TEST_CASE("hostile tflite: a tensor of 2^40 bytes is refused") {
  TfliteSpec s = add_model();
  // An activation: the importer keeps the shape; planning the .ert refuses it.
  s.tensors[2].shape = {1 << 20, 1 << 18};
  expect_refused_within_bound(convert_watched(s.write()), ERT_INVALID_MODEL,
                              "more than 2^31-1 elements");
  // A constant whose 16-byte buffer is said to hold it.
  s = add_model();
  s.tensors[1].shape = {1 << 20, 1 << 18};
  expect_refused_within_bound(convert_watched(s.write()), ERT_INVALID_MODEL,
                              "tensor 1 'c': buffer 1 holds 16 bytes, but shape [1048576,262144]");
}

TEST_CASE("hostile tflite: a rank of 1000 is refused") {
  TfliteSpec s = add_model();
  s.tensors[0].shape.assign(1000, 1);
  expect_refused_within_bound(convert_watched(s.write()), ERT_UNSUPPORTED,
                              "tensor 0 'x' has 1000 dimensions, edgert takes at most 6");
}

TEST_CASE("hostile tflite: a billion operators, or one more than the cap, are refused") {
  TfliteSpec s = add_model();
  std::vector<uint8_t> file = s.write();
  // The operators vector's length word claims 10^9 entries.
  const auto* model = tfl::GetModel(file.data());
  const auto* ops = model->subgraphs()->Get(0)->operators();
  // As integers: the compiler would otherwise take the write below as one into the vector.
  const size_t length_at = size_t(reinterpret_cast<uintptr_t>(ops) -
                                  reinterpret_cast<uintptr_t>(file.data()));
  const uint32_t billion = 1000 * 1000 * 1000;
  std::memcpy(file.data() + length_at, &billion, 4);
  expect_refused_within_bound(convert_watched(file), ERT_INVALID_MODEL, "fails verification");

  // Regression: the FlatBuffers verifier's default cap of 10^6 tables refused this well-formed
  // file as "truncated or corrupt" before the count check could say what is wrong.
  s.op_entries = ert::rt::kMaxOperators + 1;
  expect_refused_within_bound(convert_watched(s.write()), ERT_UNSUPPORTED,
                              "1048577 operators, edgert takes at most 1048576");
}

TEST_CASE("hostile tflite regression: an element count that wraps 64 bits is refused") {
  // Found while writing the mutation test. 8 * 536903681 * 536838145 = 2^61 + 8 elements of
  // INT64: times 8 bytes that is 2^64 + 64, which wrapped to 64, so a 64-byte buffer passed the
  // size check and the importer took the tensor as a 64-byte constant of that shape.
  TfliteSpec s = add_model();
  s.tensors[0].type = tfl::TensorType::INT64;
  s.tensors[2].type = tfl::TensorType::INT64;
  s.tensors[1] = {"c", tfl::TensorType::INT64, {8, 536903681, 536838145}, 1};
  s.buffers[1].assign(64, 0);
  ert::cvt::ModelBuilder builder;
  const std::vector<uint8_t> file = s.write();
  const Status status = ert::cvt::import_tflite(file.data(), file.size(), "wrap.tflite", &builder);
  CAPTURE(status.to_string());
  CHECK(status.code() == ERT_INVALID_MODEL);
  CHECK(status.message().find("tensor 1 'c': shape [8,536903681,536838145] is too large") !=
        std::string::npos);
}
