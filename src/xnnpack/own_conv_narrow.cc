#include "src/xnnpack/own_conv_narrow.h"

#include <cpuinfo.h>

#include "src/cpu/pool_handoff.h"
#include "src/xnnpack/own_conv_narrow_isa.h"

namespace ert::rt::xnn {
namespace {

struct PortableTag {};
void rows_portable(const kernels::NarrowConvParams& p, int32_t n, int32_t row_begin,
                   int32_t row_end, const float* input, const float* filter, const float* bias,
                   float* output) {
  kernels::f32_conv_narrow_rows<PortableTag>(p, n, row_begin, row_end, input, filter, bias,
                                             output);
}

bool use_avx2() {
#if defined(__x86_64__) || defined(_M_X64)
  static const bool yes = cpuinfo_initialize() && cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3();
  return yes;
#else
  return false;
#endif
}

struct Job {
  const kernels::NarrowConvParams* p;
  NarrowRowsFn rows;
  const float* input;
  const float* filter;
  const float* bias;
  float* output;
};

// One task per (image, output row).
void run_row(void* context, size_t task) {
  cpu::pool_handoff_acquire(context);
  const Job& j = *static_cast<const Job*>(context);
  const int32_t n = int32_t(task / size_t(j.p->out_h));
  const int32_t oy = int32_t(task % size_t(j.p->out_h));
  j.rows(*j.p, n, oy, oy + 1, j.input, j.filter, j.bias, j.output);
  cpu::pool_handoff_release(context);
}

}  // namespace

#if !(defined(__x86_64__) || defined(_M_X64))
const NarrowRowsFn kConvNarrowRowsAvx2 = nullptr;
#endif

void run_conv_narrow(const kernels::NarrowConvParams& p, const float* input, const float* filter,
                     const float* bias, float* output, pthreadpool_t pool) {
  Job job{&p, use_avx2() ? kConvNarrowRowsAvx2 : rows_portable, input, filter, bias, output};
  cpu::pool_handoff_release(&job);
  pthreadpool_parallelize_1d(pool, run_row, &job, size_t(p.batch) * size_t(p.out_h), 0);
  cpu::pool_handoff_acquire(&job);
}

const char* conv_narrow_name() {
  return use_avx2() ? "own:f32_conv_narrow__avx2_fma" : "own:f32_conv_narrow__portable";
}

}  // namespace ert::rt::xnn
