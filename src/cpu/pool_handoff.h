// Tells ThreadSanitizer about the ordering that pthreadpool gives edgert's own task callbacks.
//
// pthreadpool is Debian's uninstrumented library: the atomics and futexes with which it hands a
// task's context to a worker, and waits for the workers to finish, are invisible to TSan, which
// then reports the worker's reads of the context (and the caller's reads of the outputs) as
// races. Each parallel loop therefore marks the hand-over on the context's address:
//   1. the caller releases before pthreadpool_parallelize_*;
//   2. every task acquires at its start and releases at its end;
//   3. the caller acquires after the loop returns.
// Outside TSan builds these are empty inline functions.
#ifndef ERT_CPU_POOL_HANDOFF_H_
#define ERT_CPU_POOL_HANDOFF_H_

#if defined(__SANITIZE_THREAD__)
#define ERT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ERT_TSAN 1
#endif
#endif

#if defined(ERT_TSAN)
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace ert::cpu {

inline void pool_handoff_release(const void* context) {
#if defined(ERT_TSAN)
  __tsan_release(const_cast<void*>(context));
#else
  (void)context;
#endif
}

inline void pool_handoff_acquire(const void* context) {
#if defined(ERT_TSAN)
  __tsan_acquire(const_cast<void*>(context));
#else
  (void)context;
#endif
}

}  // namespace ert::cpu

#endif  // ERT_CPU_POOL_HANDOFF_H_
