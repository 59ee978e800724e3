// The interpreter: create, inputs/outputs by index and name, invoke, resize, caller arenas and
// caps, and one model shared by interpreters on several threads.
#include <doctest/doctest.h>

#include <cstring>
#include <thread>

#include "src/runtime/interpreter.h"
#include "tests/support/test_models.h"

using ert::Status;
using ert::rt::Interpreter;
using ert::rt::InterpreterOptions;
using ert::rt::Model;
using ert::rt::Tensor;
using ert::testing::AlignedBuffer;
namespace fb = ert::fb;

namespace {

struct Loaded {
  AlignedBuffer buffer;
  std::unique_ptr<Model> model;
};

Loaded load(const std::vector<uint8_t>& bytes) {
  Loaded l;
  l.buffer.assign(bytes);
  const Status s = Model::load_buffer(l.buffer.data(), l.buffer.size(), &l.model);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  return l;
}

void fill(Tensor* t, float start, float step) {
  float* p = t->data_as<float>();
  for (int64_t i = 0; i < t->shape.num_elements(); ++i) p[i] = start + step * float(i);
}

// Expected output of the relu chain: clamp(x, 0, 6).
float relu6(float v) { return v < 0 ? 0 : (v > 6 ? 6 : v); }

}  // namespace

TEST_CASE("interpreter: runs the relu chain and finds tensors by name") {
  Loaded l = load(ert::testing::relu_chain_model());
  std::unique_ptr<Interpreter> it;
  REQUIRE(Interpreter::create(*l.model, {}, &it).ok());
  CHECK(it->input_count() == 1);
  CHECK(it->output_count() == 1);
  CHECK(it->input_by_name("x") == it->input(0));
  CHECK(it->output_by_name("y") == it->output(0));
  CHECK(it->input_by_name("y") == nullptr);
  CHECK(it->input(1) == nullptr);
  // x, a and y each need a buffer: x stays alive to the end (the caller may invoke again on it).
  CHECK(it->arena_bytes() == 576);
  CHECK(reinterpret_cast<uintptr_t>(it->input(0)->data) % 64 == 0);
  fill(it->input(0), -10.0f, 0.5f);
  REQUIRE(it->invoke().ok());
  const float* y = it->output(0)->data_as<const float>();
  for (int i = 0; i < 48; ++i) CHECK(y[i] == relu6(-10.0f + 0.5f * float(i)));
  // The input is left as it was set, so a second invoke gives the same outputs.
  const float* x = it->input(0)->data_as<const float>();
  for (int i = 0; i < 48; ++i) CHECK(x[i] == -10.0f + 0.5f * float(i));
  REQUIRE(it->invoke().ok());
  for (int i = 0; i < 48; ++i) CHECK(y[i] == relu6(-10.0f + 0.5f * float(i)));
  const ert::rt::PlanStats s = it->plan_stats();
  CHECK(s.naive_bytes == 3 * 192);
  CHECK(s.lower_bound == 576);
}

TEST_CASE("interpreter: resize propagates shapes and plans memory again") {
  Loaded l = load(ert::testing::relu_chain_model());
  std::unique_ptr<Interpreter> it;
  REQUIRE(Interpreter::create(*l.model, {}, &it).ok());
  REQUIRE(it->resize_input(0, {2, 8, 8, 3}).ok());
  CHECK(it->output(0)->shape == ert::kernels::Shape{2, 8, 8, 3});
  CHECK(it->arena_bytes() == 3 * 1536);
  fill(it->input(0), -100.0f, 0.25f);
  REQUIRE(it->invoke().ok());
  const float* y = it->output(0)->data_as<const float>();
  for (int i = 0; i < 384; ++i) CHECK(y[i] == relu6(-100.0f + 0.25f * float(i)));
  // Back to a smaller shape: still correct.
  REQUIRE(it->resize_input(0, {1, 1, 1, 3}).ok());
  fill(it->input(0), -1.0f, 3.0f);
  REQUIRE(it->invoke().ok());
  CHECK(it->output(0)->data_as<float>()[2] == 5.0f);
}

TEST_CASE("interpreter: bad resizes are refused and invoke says so until a good one") {
  Loaded l = load(ert::testing::relu_chain_model());
  std::unique_ptr<Interpreter> it;
  REQUIRE(Interpreter::create(*l.model, {}, &it).ok());
  Status s = it->resize_input(3, {1});
  CHECK(s.code() == ERT_INVALID_ARGUMENT);
  s = it->resize_input(0, {1, -2, 3});
  CHECK(s.code() == ERT_INVALID_ARGUMENT);
  CHECK(s.message().find("negative dimension") != std::string::npos);
  InterpreterOptions capped;
  capped.max_arena_bytes = 1000;
  std::unique_ptr<Interpreter> small;
  REQUIRE(Interpreter::create(*l.model, capped, &small).ok());
  s = small->resize_input(0, {1, 100, 100, 3});
  CHECK(s.code() == ERT_OUT_OF_MEMORY);
  CHECK(s.message().find("cap is 1000 bytes") != std::string::npos);
  s = small->invoke();
  CHECK(s.code() == ERT_INVALID_STATE);
  REQUIRE(small->resize_input(0, {1, 2, 2, 3}).ok());
  CHECK(small->invoke().ok());
}

TEST_CASE("interpreter: a caller's arena is used as given, and a small one is refused") {
  Loaded l = load(ert::testing::relu_chain_model());
  alignas(64) static uint8_t arena[640];
  InterpreterOptions o;
  o.arena = arena;
  o.arena_bytes = sizeof(arena);
  std::unique_ptr<Interpreter> it;
  REQUIRE(Interpreter::create(*l.model, o, &it).ok());
  CHECK(it->input(0)->data >= arena);
  CHECK(it->output(0)->data + it->output(0)->bytes <= arena + sizeof(arena));
  fill(it->input(0), 1.0f, 1.0f);
  REQUIRE(it->invoke().ok());
  CHECK(it->output(0)->data_as<float>()[0] == 1.0f);

  o.arena_bytes = 100;
  const Status s = Interpreter::create(*l.model, o, &it);
  CHECK(s.code() == ERT_OUT_OF_MEMORY);
  CHECK(s.message().find("the caller's arena has 100 bytes, the model needs 640") !=
        std::string::npos);
  // The plan alone (576 bytes) is not enough: kernels may read 64 bytes past the last tensor.
  o.arena_bytes = 576;
  CHECK(Interpreter::create(*l.model, o, &it).code() == ERT_OUT_OF_MEMORY);
  o.arena_bytes = 576 + ERT_ARENA_SLACK_BYTES;
  CHECK(Interpreter::create(*l.model, o, &it).ok());
  o.arena = arena + 8;
  CHECK(Interpreter::create(*l.model, o, &it).code() == ERT_INVALID_ARGUMENT);
  InterpreterOptions zero_threads;
  zero_threads.num_threads = 0;
  CHECK(Interpreter::create(*l.model, zero_threads, &it).code() == ERT_INVALID_ARGUMENT);
}

TEST_CASE("interpreter: a declared shape the ops do not compute is an invalid model") {
  const std::vector<uint8_t> bad = ert::testing::mutate_model(
      ert::testing::relu_chain_model(), [](fb::ModelT& m) {
        m.tensors[2]->shape = {1, 4, 3, 4};  // a: RELU of a [1,4,4,3] input cannot be [1,4,3,4].
        m.tensors[2]->shape.shrink_to_fit();
      });
  // The same number of bytes fits the stored plan, so only the interpreter can catch it.
  AlignedBuffer buf(bad);
  std::unique_ptr<Model> model;
  REQUIRE(Model::load_buffer(buf.data(), buf.size(), &model).ok());
  std::unique_ptr<Interpreter> it;
  const Status s = Interpreter::create(*model, {}, &it);
  CHECK(s.code() == ERT_INVALID_MODEL);
  CHECK(s.message().find("op 0 (RELU): computes shape [1,4,4,3] for output 0 (tensor 2 'a'), the "
                         "file declares [1,4,3,4]") != std::string::npos);
}

TEST_CASE("interpreter: one model shared by interpreters on 8 threads gives identical results") {
  Loaded l = load(ert::testing::relu_chain_model());
  std::unique_ptr<Interpreter> ref;
  REQUIRE(Interpreter::create(*l.model, {}, &ref).ok());
  fill(ref->input(0), -7.0f, 0.3f);
  REQUIRE(ref->invoke().ok());
  const std::vector<uint8_t> expected(ref->output(0)->data, ref->output(0)->data + 192);
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<Interpreter> it;
      if (!Interpreter::create(*l.model, {}, &it).ok()) {
        mismatches[size_t(t)] = -1;
        return;
      }
      for (int run = 0; run < 200; ++run) {
        fill(it->input(0), -7.0f, 0.3f);
        if (!it->invoke().ok() || std::memcmp(it->output(0)->data, expected.data(), 192) != 0) {
          ++mismatches[size_t(t)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}
