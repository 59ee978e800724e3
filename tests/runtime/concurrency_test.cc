// One model shared by many threads, each with its own interpreter: the outputs must be the same,
// bit for bit, as those of the same inputs run on one thread, and the TSan build must see no
// race. (One interpreter used from two threads at once is not allowed: include/ert/ert.h.)
//
//   1. Make the inputs: two per thread, from seeds, different for every thread.
//   2. Reference: one interpreter on this thread runs every input and keeps both outputs.
//   3. N threads each create an interpreter on the shared model and invoke it R times,
//      alternating their two inputs (so a stale output cannot pass), comparing each output
//      with the reference with memcmp.
//   4. The counts of failed calls and differing outputs must be 0.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "ert/ert.hpp"
#include "tests/support/test_models.h"

namespace {

constexpr int kVariants = 2;  // Inputs per thread, alternated.

struct Outputs {
  std::vector<uint8_t> y;
  std::vector<uint8_t> mean;
};

std::vector<float> seeded_input(size_t count, uint32_t seed) {
  std::vector<float> v(count);
  uint32_t state = seed * 2654435761u + 1;
  for (float& x : v) {
    state = state * 1664525u + 1013904223u;
    x = float(state >> 8) / float(1u << 24) * 4.0f - 2.0f;
  }
  return v;
}

// Copies `input` in, invokes, copies both outputs out. Returns the failed call's message, or "".
std::string run_once(ert::Interpreter& interp, const std::vector<float>& input, Outputs* out) {
  ert::Status s = interp.input("x").copy_from(input.data(), input.size() * sizeof(float));
  if (s.ok()) s = interp.invoke();
  if (!s.ok()) return s.to_string();
  const ert::TensorView y = interp.output("y");
  const ert::TensorView mean = interp.output("mean");
  out->y.resize(y.byte_size());
  out->mean.resize(mean.byte_size());
  s = y.copy_to(out->y.data(), out->y.size());
  if (s.ok()) s = mean.copy_to(out->mean.data(), out->mean.size());
  return s.ok() ? std::string() : s.to_string();
}

struct ThreadResult {
  int invokes = 0;
  int failures = 0;     // Calls that returned an error.
  int differences = 0;  // Outputs that differ from the single-threaded reference.
  std::string first_error;
};

// Steps 1 to 4 for `threads` threads of `runs` invokes, each interpreter with `pool_threads`.
void check_shared_model(int threads, int runs, int pool_threads) {
  const std::vector<uint8_t> bytes = ert::testing::all_ops_model();
  const ert::testing::AlignedBuffer buffer(bytes);
  ert::Result<ert::Model> model = ert::Model::from_buffer(buffer.data(), buffer.size());
  REQUIRE_MESSAGE(model.ok(), model.status().to_string());
  ert::InterpreterOptions options;
  options.num_threads = pool_threads;

  // Step 1 and 2.
  ert::Result<ert::Interpreter> single = ert::Interpreter::create(*model, options);
  REQUIRE_MESSAGE(single.ok(), single.status().to_string());
  const size_t count = single->input("x").num_elements();
  REQUIRE(count == 8 * 8 * 4);
  std::vector<std::vector<float>> inputs;
  std::vector<Outputs> reference;
  for (int t = 0; t < threads; ++t) {
    for (int v = 0; v < kVariants; ++v) {
      inputs.push_back(seeded_input(count, uint32_t(100 * t + v)));
      Outputs out;
      const std::string error = run_once(*single, inputs.back(), &out);
      REQUIRE_MESSAGE(error.empty(), error);
      reference.push_back(std::move(out));
    }
  }
  // The inputs differ, and so do the outputs: otherwise the comparison below would prove little.
  CHECK(reference[0].y != reference[1].y);
  CHECK(reference[0].y != reference[size_t(kVariants)].y);

  // Step 3.
  std::vector<ThreadResult> results(static_cast<size_t>(threads));
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ThreadResult& r = results[size_t(t)];
      ert::Result<ert::Interpreter> interp = ert::Interpreter::create(*model, options);
      ready.fetch_add(1);
      // Start together, so that the invokes of all threads overlap.
      while (ready.load() < threads) std::this_thread::yield();
      if (!interp.ok()) {
        r.failures = runs;
        r.first_error = interp.status().to_string();
        return;
      }
      Outputs out;
      for (int k = 0; k < runs; ++k) {
        const size_t which = size_t(t * kVariants + k % kVariants);
        const std::string error = run_once(*interp, inputs[which], &out);
        ++r.invokes;
        if (!error.empty()) {
          if (r.failures++ == 0) r.first_error = error;
          continue;
        }
        if (out.y != reference[which].y || out.mean != reference[which].mean) ++r.differences;
      }
    });
  }
  for (std::thread& th : pool) th.join();

  // Step 4.
  int invokes = 0;
  for (int t = 0; t < threads; ++t) {
    const ThreadResult& r = results[size_t(t)];
    CAPTURE(t);
    CAPTURE(r.first_error);
    CHECK(r.failures == 0);
    CHECK(r.differences == 0);
    invokes += r.invokes;
  }
  CHECK(invokes == threads * runs);
}

}  // namespace

TEST_CASE("concurrency: one model, 8 threads with their own interpreters, 1000 invokes each") {
  check_shared_model(/*threads=*/8, /*runs=*/1000, /*pool_threads=*/1);
}

TEST_CASE("concurrency: one model, 2 threads whose interpreters have a pool of 2 threads") {
  // Fewer runs: with 4 spinning threads on a small machine each op may wait a scheduler tick.
  check_shared_model(/*threads=*/2, /*runs=*/50, /*pool_threads=*/2);
}
