// What the layer benchmarks (convolution, depthwise and fully connected on the models' shapes,
// benchmarks/kernels/model_shapes.h) share: seeded random data, the kernels' view of a shape,
// a timed loop that reports GFLOP/s and the share of this machine's FMA peak, and the check
// that an optimized path computes what the reference kernel does.
#ifndef ERT_BENCHMARKS_KERNELS_LAYER_BENCH_H_
#define ERT_BENCHMARKS_KERNELS_LAYER_BENCH_H_

#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/fma_peak.h"
#include "benchmarks/kernels/model_shapes.h"
#include "kernels/conv_params.h"
#include "kernels/shape.h"

namespace ert::bench {

/// n floats uniform in [-1, 1) from a fixed seed, so every run and every implementation sees
/// the same data.
inline std::vector<float> random_floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

/// Element counts of a layer's tensors. A depthwise filter is [1, KH, KW, C]; a fully
/// connected layer is a 1x1 convolution over in_w rows.
inline int64_t input_elements(const LayerShape& s) {
  return int64_t(s.n) * s.in_h * s.in_w * s.in_c;
}
inline int64_t output_elements(const LayerShape& s) {
  return int64_t(s.n) * s.out_h * s.out_w * s.out_c;
}
inline int64_t filter_elements(const LayerShape& s) {
  if (s.kind == LayerKind::kDepthwise) return int64_t(s.k_h) * s.k_w * s.out_c;
  return int64_t(s.out_c) * s.k_h * s.k_w * s.in_c;
}

/// The reference kernels' geometry for a shape, with no fused activation.
inline kernels::ConvParams conv_params(const LayerShape& s) {
  kernels::ConvParams p;
  p.stride_h = s.stride_h;
  p.stride_w = s.stride_w;
  p.dilation_h = s.dilation_h;
  p.dilation_w = s.dilation_w;
  p.padding_h = {s.pad_top, s.pad_bottom};
  p.padding_w = {s.pad_left, s.pad_right};
  return p;
}

/// Name a benchmark registers under: "<op>/<implementation>/<shape>".
inline std::string bench_name(const char* op, const char* implementation, const LayerShape& s) {
  return std::string(op) + "/" + implementation + "/" + s.name;
}

/// CPU seconds used by the calling thread so far: the clock of Google Benchmark's CPU column
/// (by default), which ignores other threads of the process, such as an idle pool's workers
/// left spinning by an earlier benchmark.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// Runs `body` (one layer, on the calling thread) in the benchmark loop, then sets the counters
/// GFLOP/s (two operations per MAC, per CPU second, as the CPU column) and, when the machine's
/// peak is known, peak% (that over ert_bench_fma_peak_gflops(), also per CPU second). CPU time
/// rather than wall time, because on a shared machine the wall clock also counts the time the
/// thread waited for a core; the caches and the core's other hardware thread are shared still.
template <typename Body>
void run_layer(benchmark::State& state, const LayerShape& s, Body&& body) {
  const double t0 = thread_cpu_seconds();
  for (auto _ : state) {
    body();
    benchmark::ClobberMemory();
  }
  const double secs = thread_cpu_seconds() - t0;
  if (secs <= 0 || state.iterations() == 0) return;
  const double gflops = 2.0 * double(s.macs) * double(state.iterations()) / secs / 1e9;
  state.counters["GFLOP/s"] = gflops;
  const double peak = ert_bench_fma_peak_gflops();
  if (peak > 0) state.counters["peak%"] = 100.0 * gflops / peak;
  state.SetLabel(std::string(s.reason) + "; " + s.models);
}

/// Largest |ref - out| over max(1, largest |ref|): a scale-free error that is about 1e-6 when
/// two summation orders differ, and near 1 when a layout is wrong.
inline double scaled_max_error(const std::vector<float>& ref, const std::vector<float>& out) {
  double err = 0;
  double scale = 1;
  for (size_t i = 0; i < ref.size() && i < out.size(); ++i) {
    err = std::max(err, double(std::fabs(ref[i] - out[i])));
    scale = std::max(scale, double(std::fabs(ref[i])));
  }
  return ref.size() == out.size() ? err / scale : INFINITY;
}

/// The bound for scaled_max_error beyond which an optimized result is wrong, not reordered.
constexpr double kMaxScaledError = 1e-4;

}  // namespace ert::bench

#endif  // ERT_BENCHMARKS_KERNELS_LAYER_BENCH_H_
