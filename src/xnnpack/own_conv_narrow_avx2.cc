// The narrow convolution's rows built with AVX2 and FMA (this file gets -mavx2 -mfma).
#include "src/xnnpack/own_conv_narrow_isa.h"

namespace ert::rt::xnn {
namespace {
struct Avx2Tag {};
void rows_avx2(const kernels::NarrowConvParams& p, int32_t n, int32_t row_begin, int32_t row_end,
               const float* input, const float* filter, const float* bias, float* output) {
  kernels::f32_conv_narrow_rows<Avx2Tag>(p, n, row_begin, row_end, input, filter, bias, output);
}
}  // namespace

const NarrowRowsFn kConvNarrowRowsAvx2 = rows_avx2;

}  // namespace ert::rt::xnn
