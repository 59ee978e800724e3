// Kernel micro-benchmarks on the models' own layer shapes (benchmarks/kernels/model_shapes.h):
// every convolution, depthwise and fully connected shape there, on edgert's reference kernel
// and on XNNPACK's f32 operator, one thread, with GFLOP/s and the share of the FMA peak.
//
// Per benchmark:
//  1. Make the input, filter and bias from fixed seeds, the same for both implementations.
//  2. XNNPACK only: create and set up the operator (weight packing is not timed), run it once
//     and compare with the reference kernel's output (once per shape per process); a mismatch
//     skips the benchmark with an error rather than timing a wrong computation.
//  3. Time the layer in Google Benchmark's loop (layer_bench.h sets the counters).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/kernels/layer_bench.h"
#include "benchmarks/kernels/model_shapes.h"
#include "benchmarks/kernels/reference_layer.h"
#if ERT_WITH_XNNPACK
#include "benchmarks/kernels/xnn_layer.h"
#endif

namespace ert::bench {
namespace {

// XNNPACK may read up to 16 bytes past the end of an input (XNN_EXTRA_BYTES in its sources);
// every input gets that much slack so that no implementation reads outside its buffer.
constexpr size_t kInputSlackFloats = 16 / sizeof(float);

// Step 1: one layer's tensors.
struct LayerData {
  std::vector<float> input;
  std::vector<float> filter;
  std::vector<float> bias;
  std::vector<float> output;

  explicit LayerData(const LayerShape& s)
      : input(random_floats(size_t(input_elements(s)) + kInputSlackFloats, 1)),
        filter(random_floats(size_t(filter_elements(s)), 2)),
        bias(random_floats(size_t(s.out_c), 3)),
        output(size_t(output_elements(s))) {}
};

const char* op_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv2d";
    case LayerKind::kDepthwise:
      return "depthwise_conv2d";
    case LayerKind::kFullyConnected:
      return "fully_connected";
  }
  return "unknown";
}

void bm_reference(benchmark::State& state, const LayerShape* s) {
  LayerData d(*s);
  run_layer(state, *s, [&] {
    run_reference_layer(*s, d.input.data(), d.filter.data(), d.bias.data(), d.output.data());
    benchmark::DoNotOptimize(d.output.data());
  });
}

#if ERT_WITH_XNNPACK
// Step 2's comparison, computed once per shape: Google Benchmark calls a benchmark function
// several times while it picks the iteration count, and the reference kernel is slow.
double xnnpack_error(const LayerShape& s, XnnLayer& layer, const LayerData& d) {
  static std::map<const LayerShape*, double> cache;
  auto it = cache.find(&s);
  if (it != cache.end()) return it->second;
  std::vector<float> ref(d.output.size());
  run_reference_layer(s, d.input.data(), d.filter.data(), d.bias.data(), ref.data());
  const double err = layer.run() ? scaled_max_error(ref, d.output) : INFINITY;
  cache.emplace(&s, err);
  return err;
}

void bm_xnnpack(benchmark::State& state, const LayerShape* s) {
  LayerData d(*s);
  XnnLayer layer;
  const std::string failure =
      layer.create(*s, d.filter.data(), d.bias.data(), d.input.data(), d.output.data());
  if (!failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }
  const double err = xnnpack_error(*s, layer, d);
  if (!(err <= kMaxScaledError)) {
    char text[96];
    std::snprintf(text, sizeof(text), "XNNPACK differs from the reference kernel (%.3g)", err);
    state.SkipWithError(text);
    return;
  }
  bool ok = true;
  run_layer(state, *s, [&] { ok = layer.run() && ok; });
  if (!ok) state.SkipWithError("xnn_run_operator failed");
}
#endif

// Registered at start-up, before main parses the filters.
int register_layers() {
  for (const LayerShape& s : kModelShapes) {
    benchmark::RegisterBenchmark(bench_name(op_name(s.kind), "reference", s).c_str(), bm_reference,
                                 &s)
        ->Unit(benchmark::kMicrosecond);
#if ERT_WITH_XNNPACK
    benchmark::RegisterBenchmark(bench_name(op_name(s.kind), "xnnpack", s).c_str(), bm_xnnpack, &s)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
  return 0;
}

const int registered_layers = register_layers();

}  // namespace
}  // namespace ert::bench
