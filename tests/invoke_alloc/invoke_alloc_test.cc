// Invoke must allocate nothing. This binary replaces the global operator new/delete with
// counting versions and also watches glibc's heap counters (mallinfo2), so allocations made
// through malloc directly are caught too.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <malloc.h>


#include "ert/ert.h"
#include "tests/support/test_models.h"

// The counting operator new and delete (tests/sanitizers/allocation_watch.h) live in this binary.
#define ERT_ALLOCATION_WATCH_DEFINE_NEW
#include "tests/sanitizers/allocation_watch.h"

namespace {

struct HeapSnapshot {
  long news;
  size_t in_use;
  size_t mmapped;
};

HeapSnapshot snapshot() {
  const struct mallinfo2 mi = mallinfo2();
  return {ert::testing::allocation_watch_internal::g_new_calls.load(), mi.uordblks, mi.hblkhd};
}

// Invokes `runs` times through the C API and returns how many allocations happened meanwhile.
void check_invoke_allocates_nothing(const std::vector<uint8_t>& bytes, int num_threads) {
  ert::testing::AlignedBuffer buf(bytes);
  ert_model* model = nullptr;
  ert_error err;
  REQUIRE(ert_model_create_from_buffer(buf.data(), buf.size(), &model, &err) == ERT_OK);
  ert_interpreter_options options;
  ert_interpreter_options_init(&options);
  options.num_threads = num_threads;
  ert_interpreter* interp = nullptr;
  REQUIRE_MESSAGE(ert_interpreter_create(model, &options, &interp, &err) == ERT_OK, err.message);
  ert_tensor* in = ert_interpreter_input(interp, 0);
  float* data = static_cast<float*>(ert_tensor_data(in));
  for (size_t i = 0; i < ert_tensor_byte_size(in) / sizeof(float); ++i) data[i] = float(i % 7) - 3;
  REQUIRE(ert_interpreter_invoke(interp, &err) == ERT_OK);  // Warm-up.

  const HeapSnapshot before = snapshot();
  for (int run = 0; run < 100; ++run) {
    if (ert_interpreter_invoke(interp, &err) != ERT_OK) break;
  }
  const HeapSnapshot after = snapshot();
  CHECK(err.status == ERT_OK);
  CHECK(after.news == before.news);
  CHECK(after.in_use == before.in_use);
  CHECK(after.mmapped == before.mmapped);

  // The counters do see allocations: a resize plans memory again and allocates.
  ert_tensor* input = ert_interpreter_input(interp, 0);
  int32_t dims[ERT_MAX_RANK];
  const size_t rank = ert_tensor_rank(input);
  for (size_t i = 0; i < rank; ++i) dims[i] = ert_tensor_dim(input, i);
  dims[0] *= 2;
  const long news_before_resize = ert::testing::allocation_watch_internal::g_new_calls.load();
  REQUIRE(ert_interpreter_resize_input(interp, 0, dims, rank, &err) == ERT_OK);
  CHECK(ert::testing::allocation_watch_internal::g_new_calls.load() > news_before_resize);

  ert_interpreter_delete(interp);
  ert_model_delete(model);
}

}  // namespace

TEST_CASE("invoke allocates nothing: relu chain") {
  check_invoke_allocates_nothing(ert::testing::relu_chain_model(), 1);
}

TEST_CASE("invoke allocates nothing: a model with every reference op") {
  check_invoke_allocates_nothing(ert::testing::all_ops_model(), 1);
}
