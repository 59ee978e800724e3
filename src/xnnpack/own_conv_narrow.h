// Convolutions with few output channels on edgert's direct kernel (kernels/f32_conv_narrow.h):
// this XNNPACK's GEMM tiles are 16 channels wide and run a 3x3 conv into 1 channel at about 2
// GFLOP/s (pose_landmark_lite's segmentation head took 30% of the model's time).
#ifndef ERT_XNNPACK_OWN_CONV_NARROW_H_
#define ERT_XNNPACK_OWN_CONV_NARROW_H_

#include <pthreadpool.h>

#include "kernels/f32_conv_narrow.h"

namespace ert::rt::xnn {

/// Output channels up to which the direct kernel beats this XNNPACK.
constexpr int32_t kNarrowConvMaxChannels = 4;

/// Runs the whole convolution, output rows spread over the pool (null: the caller's thread).
/// Uses the AVX2/FMA build of the kernel when the CPU has it.
void run_conv_narrow(const kernels::NarrowConvParams& p, const float* input, const float* filter,
                     const float* bias, float* output, pthreadpool_t pool);

/// "own:f32_conv_narrow__avx2_fma" or "own:f32_conv_narrow__portable", for profiles.
const char* conv_narrow_name();

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_OWN_CONV_NARROW_H_
