// The per-ISA loops behind ert_bench_fma_peak_gflops (benchmarks/fma_peak.h). Each lives in its
// own file, compiled with that ISA's flags, and is called only once the CPU is known to have it.
#ifndef ERT_BENCHMARKS_FMA_PEAK_ISA_H_
#define ERT_BENCHMARKS_FMA_PEAK_ISA_H_

#include <cstdint>

namespace ert::bench {

// Independent accumulator chains per loop: enough to cover the FMA latency (4 to 5 cycles) on
// two pipes, and few enough to stay in registers (16 on AVX2, 32 on AArch64).
constexpr int kFmaChains = 12;

#if defined(__x86_64__) || defined(_M_X64)
/// Runs `iterations` rounds of kFmaChains dependent 8-lane FMAs; returns a value that depends
/// on every chain so the compiler keeps them all. Needs AVX2 and FMA3.
float fma_chains_avx2(int64_t iterations);
constexpr int kAvx2Lanes = 8;
#endif

#if defined(__aarch64__) || defined(__arm__)
/// Runs `iterations` rounds of kFmaChains dependent 4-lane FMAs (vfmaq_f32); returns a value
/// that depends on every chain. Needs NEON with FMA (VFPv4 on 32-bit ARM).
float fma_chains_neon(int64_t iterations);
constexpr int kNeonLanes = 4;
#endif

}  // namespace ert::bench

#endif  // ERT_BENCHMARKS_FMA_PEAK_ISA_H_
