// Limits that protect the device: an .ert file that claims a 2^40-byte tensor, a rank of 1000, a
// billion operators or a million tensors is refused with a clear status before anything large
// is allocated, and an arena cap set by the caller gives a clear status when a model needs more.
// Each check runs under an allocation bound (tests/sanitizers/allocation_watch.h), and the first
// test shows that the bound does catch a large allocation.
#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ert/ert.hpp"
#include "src/runtime/interpreter.h"
#include "src/runtime/limits.h"
#include "src/runtime/model.h"
// This file holds the test binary's counting operator new (see allocation_watch.h).
#define ERT_ALLOCATION_WATCH_DEFINE_NEW
#include "tests/sanitizers/allocation_watch.h"
#include "tests/support/test_models.h"

using ert::Status;
using ert::testing::AlignedBuffer;
using ert::testing::run_with_allocation_bound;
using ert::testing::WatchedRun;
namespace fb = ert::fb;
namespace rt = ert::rt;

namespace {

// What loading a hostile file may allocate at most: its tables of a few tensors and ops.
constexpr size_t kBound = size_t(16) << 20;

// x [shape] -> RELU -> y, with no constants (so that its FlatBuffer may grow in place).
std::vector<uint8_t> relu_model(const std::vector<int32_t>& shape) {
  ert::cvt::ModelBuilder b;
  const int x = b.add_input("x", fb::DType::F32, shape);
  const int y = b.add_tensor("y", fb::DType::F32, shape);
  b.add_op(fb::OpCode::RELU, {x}, {y});
  b.add_output(y);
  std::vector<uint8_t> file;
  const Status s = b.finish(&file);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  return file;
}

// Loads `bytes` under the allocation bound.
WatchedRun load_watched(const std::vector<uint8_t>& bytes) {
  const AlignedBuffer buffer(bytes);
  return run_with_allocation_bound(kBound, [&] {
    std::unique_ptr<rt::Model> model;
    return rt::Model::load_buffer(buffer.data(), buffer.size(), &model);
  });
}

// Expects a refusal with `code`, a message containing `text`, and nothing large allocated.
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

// Packs `m` with its operators vector made of `count` references to operator 0 (and its tensors
// vector of `tensor_count` references to tensor 0, when not 0): FlatBuffers lets entries share
// one table, so a file of a few MB can claim a million of them.
std::vector<uint8_t> pack_with_repeats(const fb::ModelT& m, size_t count, size_t tensor_count) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  if (tensor_count > 0) {
    tensors.assign(tensor_count, fb::CreateTensor(fbb, m.tensors[0].get()));
  } else {
    for (const auto& t : m.tensors) tensors.push_back(fb::CreateTensor(fbb, t.get()));
  }
  const auto op = fb::CreateOperator(fbb, m.operators[0].get());
  const std::vector<flatbuffers::Offset<fb::Operator>> ops(count, op);
  const auto tensors_vec = fbb.CreateVector(tensors);
  const auto ops_vec = fbb.CreateVector(ops);
  const auto inputs = fbb.CreateVector(m.inputs);
  const auto outputs = fbb.CreateVector(m.outputs);
  const auto plan = fb::CreateMemoryPlan(fbb, m.plan.get());
  fbb.Finish(fb::CreateModel(fbb, 1, tensors_vec, ops_vec, inputs, outputs, 0, plan),
             fb::ModelIdentifier());
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

fb::ModelT unpack(const std::vector<uint8_t>& file) {
  fb::ModelT m;
  fb::GetModel(file.data())->UnPackTo(&m);
  return m;
}

// Packs a model without constants (nothing follows its FlatBuffer).
std::vector<uint8_t> pack(const fb::ModelT& m) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Model::Pack(fbb, &m), fb::ModelIdentifier());
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace

TEST_CASE("hostile files: the allocation bound catches a large allocation, not a small one") {
  // Without this, the checks below could not fail.
  // The block goes through a volatile pointer: the compiler may not leave the allocation out.
  const WatchedRun large = run_with_allocation_bound(kBound, [] {
    char* volatile block = new char[4 * kBound];
    block[0] = 1;
    delete[] block;
    return Status();
  });
  CAPTURE(large.method);
  CHECK_FALSE(large.within_bound);
  const WatchedRun small = run_with_allocation_bound(kBound, [] {
    char* volatile block = new char[1024];
    block[0] = 1;
    delete[] block;
    return Status();
  });
  CAPTURE(small.detail);
  CHECK(small.completed);
  CHECK(small.within_bound);
}

TEST_CASE("hostile files: a tensor of 2^40 bytes is refused at load") {
  // 2^20 x 2^18 f32: each dim is allowed, the product is 2^38 elements.
  fb::ModelT m = unpack(relu_model({1, 4}));
  m.tensors[1]->shape = {1 << 20, 1 << 18};
  std::vector<uint8_t> bytes = pack(m);
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL,
                              "tensor 1 'y': shape [1048576,262144]: more than 2^31-1 elements");
  // A constant whose segment claims 2^40 bytes.
  bytes = ert::testing::relu_chain_model();
  bytes = ert::testing::mutate_model(
      bytes, [](fb::ModelT& m) { m.segments[0].mutate_size(uint64_t(1) << 40); });
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL,
                              "segment 0: bytes [");
}

TEST_CASE("hostile files: a rank of 1000 is refused at load") {
  fb::ModelT m = unpack(relu_model({1, 4}));
  m.tensors[0]->shape.assign(1000, 1);
  const std::vector<uint8_t> bytes = pack(m);
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL,
                              "tensor 0 'x': shape has 1000 dims, at most 6");
}

TEST_CASE("hostile files: a billion operators or a million tensors are refused at load") {
  const fb::ModelT m = unpack(relu_model({1, 4}));
  // A file that claims 10^9 operators: the vector's length word says so, its bytes are absent.
  std::vector<uint8_t> bytes = pack_with_repeats(m, 1, 0);
  const fb::Model* root = fb::GetModel(bytes.data());
  // As integers: the compiler would otherwise take the write below as one into the vector.
  const size_t length_at = size_t(reinterpret_cast<uintptr_t>(root->operators()) -
                                  reinterpret_cast<uintptr_t>(bytes.data()));
  const uint32_t billion = 1000 * 1000 * 1000;
  std::memcpy(bytes.data() + length_at, &billion, 4);
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL, "FlatBuffer is malformed");

  // One more operator than the cap, all sharing one table: a well-formed 4 MB file.
  bytes = pack_with_repeats(m, rt::kMaxOperators + 1, 0);
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL,
                              "1048577 operators, at most 1048576");

  // One more tensor than the cap.
  bytes = pack_with_repeats(m, 1, rt::kMaxTensors + 1);
  expect_refused_within_bound(load_watched(bytes), ERT_INVALID_MODEL,
                              "1048577 tensors, at most 1048576");
}

TEST_CASE("hostile files: the arena cap refuses a model that needs more, before allocating") {
  // Two f32 tensors alive together: a valid file whose plan needs twice a tensor's bytes. It
  // loads (nothing is allocated for it) but cannot run under a 1 GiB cap. A tensor is 2 x
  // (2^30 - 1) elements (8 GiB, a 16 GiB arena) on a 64-bit target; on a 32-bit one (armhf) 8 GiB
  // is more than size_t holds and the load refuses it (model_test), so there it is 2^28
  // elements (1 GiB, a 2 GiB arena). Before sizes were checked in 64 bits, armhf wrapped the
  // 8 GiB to 4 GiB - 8 and `size_t(16) << 30` to 0, and this case passed for the wrong reason.
  const bool wide = sizeof(size_t) >= 8;
  const std::vector<uint8_t> bytes =
      relu_model(wide ? std::vector<int32_t>{2, (1 << 30) - 1} : std::vector<int32_t>{1 << 28});
  const AlignedBuffer buffer(bytes);
  std::unique_ptr<rt::Model> model;
  REQUIRE(rt::Model::load_buffer(buffer.data(), buffer.size(), &model).ok());
  const size_t needed = model->arena_bytes();
  CHECK(uint64_t(needed) >= (wide ? uint64_t(16) << 30 : uint64_t(2) << 30));
  const WatchedRun run = run_with_allocation_bound(kBound, [&] {
    rt::InterpreterOptions options;
    options.max_arena_bytes = size_t(1) << 30;
    std::unique_ptr<rt::Interpreter> interp;
    return rt::Interpreter::create(*model, options, &interp);
  });
  expect_refused_within_bound(run, ERT_OUT_OF_MEMORY,
                              ("the model needs a " + std::to_string(needed) +
                               "-byte arena, the cap is 1073741824 bytes")
                                  .c_str());

  // Through the public API, as an application sets it.
  ert::Result<ert::Model> pub = ert::Model::from_buffer(buffer.data(), buffer.size());
  REQUIRE(pub.ok());
  ert::InterpreterOptions options;
  options.max_arena_bytes = size_t(1) << 30;
  const ert::Result<ert::Interpreter> interp = ert::Interpreter::create(*pub, options);
  CHECK(interp.status().code() == ERT_OUT_OF_MEMORY);
  CHECK(interp.status().message().find("cap") != std::string::npos);
}

TEST_CASE("hostile files: the arena cap is exact, and also holds when an input grows") {
  const std::vector<uint8_t> bytes = ert::testing::all_ops_model();
  const AlignedBuffer buffer(bytes);
  ert::Result<ert::Model> model = ert::Model::from_buffer(buffer.data(), buffer.size());
  REQUIRE(model.ok());
  const size_t needed = model->arena_bytes();
  REQUIRE(needed > 0);

  ert::InterpreterOptions options;
  options.max_arena_bytes = needed - 1;
  const ert::Result<ert::Interpreter> refused = ert::Interpreter::create(*model, options);
  CHECK(refused.status().code() == ERT_OUT_OF_MEMORY);
  CHECK(refused.status().message().find("needs a " + std::to_string(needed) + "-byte arena") !=
        std::string::npos);

  options.max_arena_bytes = needed;
  ert::Result<ert::Interpreter> interp = ert::Interpreter::create(*model, options);
  REQUIRE_MESSAGE(interp.ok(), interp.status().to_string());
  CHECK(interp->invoke().ok());
  // An input 64 times larger needs a larger arena: refused, and the interpreter then says so.
  const Status resized = interp->resize_input(0, {1, 64, 64, 4});
  CHECK(resized.code() == ERT_OUT_OF_MEMORY);
  CHECK(resized.message().find("cap") != std::string::npos);
  CHECK(interp->invoke().code() == ERT_INVALID_STATE);
  // Back to the declared shape, it runs again within the cap.
  CHECK(interp->resize_input(0, {1, 8, 8, 4}).ok());
  CHECK(interp->invoke().ok());
}
