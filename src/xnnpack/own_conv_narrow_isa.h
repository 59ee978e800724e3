// The ISA builds of the narrow convolution's row loop (own_conv_narrow_<isa>.cc).
#ifndef ERT_XNNPACK_OWN_CONV_NARROW_ISA_H_
#define ERT_XNNPACK_OWN_CONV_NARROW_ISA_H_

#include "kernels/f32_conv_narrow.h"

namespace ert::rt::xnn {

using NarrowRowsFn = void (*)(const kernels::NarrowConvParams& p, int32_t n, int32_t row_begin,
                              int32_t row_end, const float* input, const float* filter,
                              const float* bias, float* output);

/// Built with -mavx2 -mfma on x86-64 (own_conv_narrow_avx2.cc); null elsewhere.
extern const NarrowRowsFn kConvNarrowRowsAvx2;

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_OWN_CONV_NARROW_ISA_H_
