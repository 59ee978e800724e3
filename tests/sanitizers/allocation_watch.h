// Runs a piece of code and tells whether it allocated more than a bound, so that a test can show
// a hostile file is refused before anything large is allocated. One method per kind of build:
//
//  * under ASan or TSan, the sanitizer's malloc hook counts every block allocated while the code
//    runs (the total, so a bound on it also bounds the peak);
//  * otherwise the test binary's own global operator new counts the same way: exactly one file
//    defines ERT_ALLOCATION_WATCH_DEFINE_NEW before including this header, which then replaces
//    operator new and delete. The library allocates with new (its std::vectors and arenas), so
//    everything it could allocate for a file is counted. (An address-space limit, RLIMIT_AS,
//    was used before: under qemu-user the guest's heap lives in space qemu reserved up front,
//    so the limit never bit there.)
//
// Header-only: the test binary compiles every *_test.cc and nothing else from these folders.
#ifndef ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_
#define ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_

#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <cstdlib>
#include <new>

#include "ert/ert.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ERT_ALLOCATION_WATCH_HOOKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ERT_ALLOCATION_WATCH_HOOKS 1
#endif
#endif

#ifdef ERT_ALLOCATION_WATCH_HOOKS
// From the sanitizers' allocator interface (not every compiler ships its header).
extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void*, size_t), void (*free_hook)(const volatile void*));
#endif

namespace ert::testing {

/// What run_with_allocation_bound saw.
struct WatchedRun {
  bool completed = false;     ///< The code returned a status (did not throw or die).
  bool within_bound = false;  ///< Completed, and allocated no more than the bound.
  Status status;              ///< What the code returned.
  size_t allocated = 0;       ///< Bytes allocated in all while the code ran.
  const char* method = "";    ///< "sanitizer malloc hook" or "counting operator new".
  std::string detail;         ///< Why it did not complete, when it did not.
};

namespace allocation_watch_internal {

inline std::atomic<bool> g_counting{false};
inline std::atomic<size_t> g_bytes{0};
inline std::atomic<long> g_new_calls{0};  // Calls of the replacement operator new, if defined.

inline void on_malloc(const volatile void*, size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_bytes.fetch_add(size);
}
inline void on_free(const volatile void*) {}

}  // namespace allocation_watch_internal

/// Runs `code` and reports whether it stayed within `bound` bytes of allocations.
inline WatchedRun run_with_allocation_bound(size_t bound, const std::function<Status()>& code) {
  namespace in = allocation_watch_internal;
  WatchedRun run;
#ifdef ERT_ALLOCATION_WATCH_HOOKS
  static const bool installed =
      __sanitizer_install_malloc_and_free_hooks(in::on_malloc, in::on_free) != 0;
  run.method = "sanitizer malloc hook";
  if (!installed) {
    run.detail = "the sanitizer refused the malloc hook";
    return run;
  }
#else
  run.method = "counting operator new";
#endif
  in::g_bytes.store(0);
  in::g_counting.store(true);
  try {
    run.status = code();
    run.completed = true;
  } catch (const std::exception& e) {
    run.detail = std::string("threw ") + e.what();
  }
  in::g_counting.store(false);
  run.allocated = in::g_bytes.load();
  run.within_bound = run.completed && run.allocated <= bound;
  return run;
}

}  // namespace ert::testing

// The replacement operators, in the one file of a binary that asks for them. They count calls
// always (tests/invoke_alloc uses that, sanitizers or not) and bytes for the watch when no
// sanitizer hook does. GCC sees free() after an inlined operator new and warns of a mismatch
// that is not there: the pair is malloc and free on both sides.
#if defined(ERT_ALLOCATION_WATCH_DEFINE_NEW)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
inline void ert_allocation_watch_count(std::size_t size) {
  ert::testing::allocation_watch_internal::g_new_calls.fetch_add(1, std::memory_order_relaxed);
#ifndef ERT_ALLOCATION_WATCH_HOOKS
  ert::testing::allocation_watch_internal::on_malloc(nullptr, size);
#else
  (void)size;
#endif
}
void* operator new(std::size_t size) {
  ert_allocation_watch_count(size);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ert_allocation_watch_count(size);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

#endif  // ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_
