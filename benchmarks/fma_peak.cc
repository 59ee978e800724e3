// Measures the single-thread f32 FMA peak once and caches it (see benchmarks/fma_peak.h).
//
//  1. Pick the chain loop this CPU runs (benchmarks/fma_peak_isa.h): AVX2+FMA3 on x86-64, NEON
//     FMA on ARM; with neither, the peak is unknown (0).
//  2. Calibrate: grow the iteration count until one call takes about kWindowSeconds.
//  3. Warm up for kWarmupSeconds so that the core reaches its boost clock.
//  4. Time kWindows calls in this thread's CPU time (so that time spent waiting for a core on
//     a shared machine does not count); the fastest one gives the peak, because interference
//     (caches, the core's other hardware thread, interrupts) only ever makes a window slower.
#include "benchmarks/fma_peak.h"

#include <cpuinfo.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "benchmarks/fma_peak_isa.h"

namespace {

constexpr double kWindowSeconds = 0.01;
constexpr double kWarmupSeconds = 0.05;
constexpr int kWindows = 30;

// A chain loop and the floating-point operations one of its iterations does.
struct ChainLoop {
  float (*run)(int64_t iterations) = nullptr;
  double flops_per_iteration = 0;
  const char* name = "";
};

struct Peak {
  double gflops = 0;
  std::string method;
};

// Keeps the loops' results alive so the compiler cannot drop the work.
volatile float g_sink = 0.0f;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double seconds_of(const ChainLoop& loop, int64_t iterations) {
  const double t0 = thread_cpu_seconds();
  g_sink = g_sink + loop.run(iterations);
  return thread_cpu_seconds() - t0;
}

// Step 1: what this CPU can run, or an empty loop and the reason.
ChainLoop pick_loop(std::string* why_not) {
  ChainLoop loop;
  if (!cpuinfo_initialize()) {
    *why_not = "unknown: cpuinfo could not read this CPU's features";
    return loop;
  }
#if defined(__x86_64__) || defined(_M_X64)
  if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3()) {
    loop.run = ert::bench::fma_chains_avx2;
    loop.flops_per_iteration = 2.0 * ert::bench::kFmaChains * ert::bench::kAvx2Lanes;
    loop.name = "avx2+fma3";
    return loop;
  }
  *why_not = "unknown: this x86-64 CPU lacks AVX2 or FMA3";
#elif defined(__aarch64__) || defined(__arm__)
  if (cpuinfo_has_arm_neon_fma()) {
    loop.run = ert::bench::fma_chains_neon;
    loop.flops_per_iteration = 2.0 * ert::bench::kFmaChains * ert::bench::kNeonLanes;
    loop.name = "neon vfmaq_f32";
    return loop;
  }
  *why_not = "unknown: this ARM CPU has no NEON FMA";
#else
  *why_not = "unknown: no FMA loop for this architecture";
#endif
  return loop;
}

Peak measure() {
  Peak peak;
  const ChainLoop loop = pick_loop(&peak.method);
  if (loop.run == nullptr) return peak;
  // Step 2: calibrate the window.
  int64_t iterations = 1000;
  while (seconds_of(loop, iterations) < kWindowSeconds / 4 && iterations < (int64_t(1) << 40)) {
    iterations *= 2;
  }
  const double probe = seconds_of(loop, iterations);
  if (probe > 0) {
    iterations = std::max<int64_t>(1000, int64_t(double(iterations) * kWindowSeconds / probe));
  }
  // Step 3: warm up.
  for (double warm = 0; warm < kWarmupSeconds;) warm += seconds_of(loop, iterations);
  // Step 4: the best window.
  double best = 0;
  for (int w = 0; w < kWindows; ++w) {
    const double secs = seconds_of(loop, iterations);
    if (secs > 0) best = std::max(best, loop.flops_per_iteration * double(iterations) / secs);
  }
  peak.gflops = best / 1e9;
  char text[160];
  std::snprintf(text, sizeof(text), "%s, %d chains, best of %d windows of %.0f CPU ms", loop.name,
                ert::bench::kFmaChains, kWindows, kWindowSeconds * 1000.0);
  peak.method = text;
  return peak;
}

const Peak& cached_peak() {
  // A function-local static is initialized once, thread-safely, on first use.
  static const Peak peak = measure();
  return peak;
}

}  // namespace

double ert_bench_fma_peak_gflops() { return cached_peak().gflops; }

const char* ert_bench_fma_peak_method() { return cached_peak().method.c_str(); }
