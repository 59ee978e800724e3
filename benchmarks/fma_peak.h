// This machine's single-thread f32 multiply-add peak, measured by the benchmark tool itself, so
// that a kernel benchmark can report its share of what the core can do.
#ifndef ERT_BENCHMARKS_FMA_PEAK_H_
#define ERT_BENCHMARKS_FMA_PEAK_H_

/// Peak f32 GFLOP/s of one thread, counting a fused multiply-add as two operations, per second
/// of that thread's CPU time (time spent waiting for a core does not count). Measured on the
/// first call (about 0.4 CPU seconds, on the calling thread) and cached for the life of the
/// process; thread-safe. Returns 0 when the peak is unknown: the CPU has no FMA unit this tool
/// drives (x86-64 without AVX2+FMA3, ARM without NEON FMA) or the build is for another
/// architecture.
double ert_bench_fma_peak_gflops();

/// How the peak was measured, e.g. "avx2+fma3, 12 chains, best of 30 windows of 10 CPU ms", or
/// why it is unknown. Valid for the life of the process.
const char* ert_bench_fma_peak_method();

#endif  // ERT_BENCHMARKS_FMA_PEAK_H_
