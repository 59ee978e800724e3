// The FMA peak as a benchmark of its own, so that it shows in the table next to the kernels
// that are measured against it: the value ert_bench_fma_peak_gflops() measured at start.
// (Timing the chain loop again here would give the same figure less carefully.)
#include <benchmark/benchmark.h>

#include "benchmarks/fma_peak.h"

namespace {

void bm_fma_peak(benchmark::State& state) {
  const double peak = ert_bench_fma_peak_gflops();
  for (auto _ : state) benchmark::DoNotOptimize(peak);
  if (peak <= 0) {
    state.SkipWithError(ert_bench_fma_peak_method());
    return;
  }
  state.counters["GFLOP/s"] = peak;
  state.SetLabel(ert_bench_fma_peak_method());
}

BENCHMARK(bm_fma_peak)->Name("fma_peak/measured_at_start")->Iterations(1);

}  // namespace
