// Runs a piece of code and tells whether it allocated more than a bound, so that a test can show
// a hostile file is refused before anything large is allocated. One method per kind of build:
//
//  * under ASan or TSan, the sanitizer's malloc hook counts every block allocated while the code
//    runs (the total, so a bound on it also bounds the peak);
//  * otherwise the code runs in a forked child whose address space may grow by the bound and no
//    more (RLIMIT_AS): a larger allocation fails there, and the code then returns another status
//    than the test expects, or throws std::bad_alloc, or dies. The child sends the status back
//    through a pipe.
//
// Header-only: the test binary compiles every *_test.cc and nothing else from these folders.
#ifndef ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_
#define ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_

#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
  size_t allocated = 0;       ///< Bytes allocated in all (hook method only).
  const char* method = "";    ///< "sanitizer malloc hook" or "RLIMIT_AS in a child".
  std::string detail;         ///< Why it did not complete, when it did not.
};

namespace allocation_watch_internal {

#ifdef ERT_ALLOCATION_WATCH_HOOKS
inline std::atomic<bool> g_counting{false};
inline std::atomic<size_t> g_bytes{0};

inline void on_malloc(const volatile void*, size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_bytes.fetch_add(size);
}
inline void on_free(const volatile void*) {}
#endif

// Bytes of address space the process has now (VmSize), or 0 if unknown.
inline size_t address_space_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  const int n = std::fscanf(f, "%lu", &pages);
  std::fclose(f);
  return n == 1 ? size_t(pages) * size_t(sysconf(_SC_PAGESIZE)) : 0;
}

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
#else
  run.method = "RLIMIT_AS in a child";
  const size_t now = in::address_space_bytes();
  int fds[2];
  if (now == 0 || pipe(fds) != 0) {
    run.detail = "cannot measure the address space or make a pipe";
    return run;
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    run.detail = "fork failed";
    return run;
  }
  if (pid == 0) {
    close(fds[0]);
    struct rlimit limit;
    limit.rlim_cur = limit.rlim_max = rlim_t(now + bound);
    int code_value = -1;
    std::string message;
    if (setrlimit(RLIMIT_AS, &limit) == 0) {
      try {
        const Status s = code();
        code_value = int(s.code());
        message = s.message();
      } catch (const std::exception& e) {
        code_value = -2;
        message = std::string("threw ") + e.what();
      }
    } else {
      message = "setrlimit failed";
    }
    const std::string out = std::to_string(code_value) + "\n" + message;
    const ssize_t written = write(fds[1], out.data(), out.size());
    (void)written;
    _exit(0);
  }
  close(fds[1]);
  std::string received;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) received.append(buf, size_t(n));
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  const size_t newline = received.find('\n');
  if (!WIFEXITED(wstatus) || newline == std::string::npos) {
    run.detail = "the child died (signal " +
                 std::to_string(WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0) + ")";
    return run;
  }
  const int code_value = std::stoi(received.substr(0, newline));
  if (code_value < 0) {
    run.detail = received.substr(newline + 1);
    return run;
  }
  run.status = code_value == ERT_OK ? Status()
                                    : Status(ert_status(code_value), received.substr(newline + 1));
  run.completed = true;
  run.within_bound = true;  // The limit held: nothing beyond it could have been allocated.
  return run;
#endif
}

}  // namespace ert::testing

#endif  // ERT_TESTS_SANITIZERS_ALLOCATION_WATCH_H_
