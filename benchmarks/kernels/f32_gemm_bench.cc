// f32 GEMM micro-benchmarks: edgert's own kernels (every one this CPU runs, through the
// ert::cpu::f32_gemm driver) against XNNPACK's f32 fully connected operator, whose GEMM is the
// same as its 1x1 convolution's, on the 1x1 convolution and fully connected shapes of the shared
// models (model_shapes.h) plus a few more GEMM-shaped layers listed below.
//
// Each benchmark is named f32_gemm/<impl>/<layer>/m<M>_k<K>_n<N>/t<threads> and reports
//   GFLOPS  2*m*n*k per second, in units of 10^9;
//   peak%   that rate as a share of the measured 1-thread FMA peak (ert_bench_fma_peak_gflops,
//           times the thread count), when the tool knows the peak.
// One thread is timed in CPU time, like the peak (so a busy machine's waits do not count); two
// threads in wall time, since the pool's worker is not on the caller's clock.
// The operands stay in cache between iterations, as they mostly do between layers of a model.
// The machine is noisy: compare medians of interleaved repetitions, e.g. run ert_kernel_bench
// with --benchmark_filter=f32_gemm --benchmark_repetitions=9
// --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <pthreadpool.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#if ERT_WITH_XNNPACK
#include <xnnpack.h>
#endif

#include "benchmarks/fma_peak.h"
#include "benchmarks/kernels/model_shapes.h"
#include "kernels/f32_gemm.h"
#include "src/cpu/f32_gemm.h"

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct GemmShape {
  std::string layer;
  size_t m, k, n;
};

// GEMM-shaped layers that model_shapes.h does not pick, by model: mostly 1x1 convolutions
// (m = output pixels, k = input channels, n = output channels).
const GemmShape kExtraShapes[] = {
    {"face_landmark_head_3x3x128to1404", 1, 1152, 1404},  // 3x3 VALID conv on 3x3 = an FC.
    {"palm_24x24x128to128", 576, 128, 128},
    {"palm_96x96x32to32", 9216, 32, 32},
    {"hand_7x7x112to672", 49, 112, 672},
    {"hand_7x7x672to112", 49, 672, 112},
    {"pose_16x16x56to336", 256, 56, 336},
    {"pose_256x256x8to8", 65536, 8, 8},
    {"selfie_128x128x16to16", 16384, 16, 16},
    {"face_detection_64x64x24to28", 4096, 24, 28},
    {"mobilenet_v2_7x7x960to320", 49, 960, 320},  // Layers measured in the XNNPACK notes.
    {"mobilenet_v2_56x56x144to24", 3136, 144, 24},
    {"mobilenet_v2_fc_1280to1000", 1, 1280, 1000},
};

// The 1x1 stride-1 unpadded convolutions and the fully connected layers of model_shapes.h, then
// the extra shapes, without repeats.
std::vector<GemmShape> gemm_shapes() {
  std::vector<GemmShape> shapes;
  auto add = [&](GemmShape s) {
    for (const GemmShape& t : shapes) {
      if (t.m == s.m && t.k == s.k && t.n == s.n) return;
    }
    shapes.push_back(std::move(s));
  };
  for (const ert::bench::LayerShape& l : ert::bench::kModelShapes) {
    const bool pointwise = l.kind == ert::bench::LayerKind::kConv && l.k_h == 1 && l.k_w == 1 &&
                           l.stride_h == 1 && l.stride_w == 1 && l.pad_top == 0 &&
                           l.pad_left == 0 && l.pad_bottom == 0 && l.pad_right == 0;
    if (pointwise || l.kind == ert::bench::LayerKind::kFullyConnected) {
      add({l.name, size_t(l.n) * size_t(l.out_h) * size_t(l.out_w), size_t(l.in_c),
           size_t(l.out_c)});
    }
  }
  for (const GemmShape& s : kExtraShapes) add(s);
  return shapes;
}

// Inputs of one shape: A [m][k], weights [n][k], bias [n], output [m][n], random in [-1, 1].
struct Operands {
  std::vector<float> a, w, bias, c;
  explicit Operands(const GemmShape& s) : a(s.m * s.k), w(s.n * s.k), bias(s.n), c(s.m * s.n) {
    std::mt19937 rng(uint32_t(s.m * 131 + s.k * 7 + s.n));
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (auto* v : {&a, &w, &bias}) {
      for (float& x : *v) x = dist(rng);
    }
  }
};

// One pool per thread count, kept for the whole run (null for one thread).
pthreadpool_t pool_for(size_t threads) {
  static pthreadpool_t two = pthreadpool_create(2);
  return threads == 2 ? two : nullptr;
}

void set_counters(benchmark::State& state, const GemmShape& s, size_t threads) {
  const double flops = 2.0 * double(s.m) * double(s.n) * double(s.k);
  state.counters["GFLOPS"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  const double peak = ert_bench_fma_peak_gflops() * 1e9 * double(threads);
  if (peak > 0) {
    state.counters["peak%"] =
        benchmark::Counter(flops / peak * 100.0, benchmark::Counter::kIsIterationInvariantRate);
  }
}

void bench_ert(benchmark::State& state, const ert::cpu::GemmKernel* kernel, GemmShape s,
               size_t threads) {
  Operands ops(s);
  std::vector<float> packed(ert::kernels::f32_gemm_packed_size(s.n, s.k, kernel->nr));
  ert::kernels::f32_gemm_pack(s.n, s.k, kernel->nr, ops.w.data(), ops.bias.data(),
                              packed.data());
  pthreadpool_t pool = pool_for(threads);
  for (auto _ : state) {
    ert::cpu::f32_gemm(*kernel, s.m, s.n, s.k, ops.a.data(), s.k, packed.data(), ops.c.data(),
                       s.n, -kInf, kInf, pool);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, threads);
}

#if ERT_WITH_XNNPACK
void bench_xnnpack(benchmark::State& state, GemmShape s, size_t threads) {
  static const bool initialized = xnn_initialize(nullptr) == xnn_status_success;
  if (!initialized) {
    state.SkipWithError("xnn_initialize failed");
    return;
  }
  Operands ops(s);
  xnn_operator_t op = nullptr;
  if (xnn_create_fully_connected_nc_f32(s.k, s.n, s.k, s.n, ops.w.data(), ops.bias.data(), -kInf,
                                        kInf, 0, &op) != xnn_status_success) {
    state.SkipWithError("xnn_create_fully_connected_nc_f32 failed");
    return;
  }
  // Setup with the pool the operator runs on: setup decides the tiling from its thread count.
  pthreadpool_t pool = pool_for(threads);
  if (xnn_setup_fully_connected_nc_f32(op, s.m, ops.a.data(), ops.c.data(), pool) !=
      xnn_status_success) {
    xnn_delete_operator(op);
    state.SkipWithError("xnn_setup_fully_connected_nc_f32 failed");
    return;
  }
  for (auto _ : state) {
    xnn_run_operator(op, pool);
    benchmark::ClobberMemory();
  }
  xnn_delete_operator(op);
  set_counters(state, s, threads);
}
#endif

std::string bench_name(const std::string& impl, const GemmShape& s, size_t threads) {
  return "f32_gemm/" + impl + "/" + s.layer + "/m" + std::to_string(s.m) + "_k" +
         std::to_string(s.k) + "_n" + std::to_string(s.n) + "/t" + std::to_string(threads);
}

void timing(benchmark::internal::Benchmark* b, size_t threads) {
  if (threads > 1) b->UseRealTime();
}

// Registers every (shape, implementation, thread count) at start-up, so that the list follows
// the kernels this CPU runs.
[[maybe_unused]] const bool kRegistered = [] {
  const ert::cpu::GemmKernelList kernels = ert::cpu::f32_gemm_kernels();
  for (const GemmShape& s : gemm_shapes()) {
    for (size_t threads : {size_t(1), size_t(2)}) {
      for (size_t i = 0; i < kernels.count; ++i) {
        const ert::cpu::GemmKernel* kernel = kernels.items[i];
        timing(benchmark::RegisterBenchmark(bench_name(kernel->name, s, threads).c_str(),
                                            bench_ert, kernel, s, threads),
               threads);
      }
#if ERT_WITH_XNNPACK
      timing(benchmark::RegisterBenchmark(
                 bench_name("xnnpack_fully_connected_nc_f32", s, threads).c_str(), bench_xnnpack,
                 s, threads),
             threads);
#endif
    }
  }
  return true;
}();

}  // namespace
