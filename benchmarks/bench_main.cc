// main() of ert_kernel_bench: measures this machine's FMA peak before any benchmark runs (so
// that every kernel's share of it uses one figure, taken on a quiet core), records it in the
// output's context, then runs the benchmarks that benchmarks/kernels/*.cc registered.
// Files in benchmarks/kernels/ must therefore not define main (no BENCHMARK_MAIN).
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks/fma_peak.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const double peak = ert_bench_fma_peak_gflops();
  char text[32] = "unknown";
  if (peak > 0) std::snprintf(text, sizeof(text), "%.1f", peak);
  benchmark::AddCustomContext("fma_peak_gflops_1_thread", text);
  benchmark::AddCustomContext("fma_peak_method", ert_bench_fma_peak_method());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
