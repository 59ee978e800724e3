// Runs one of the models' layers (benchmarks/kernels/model_shapes.h) on edgert's reference
// kernels: kernels/conv2d.h, depthwise_conv2d.h and fully_connected.h, in f32, with no fused
// activation.
#ifndef ERT_BENCHMARKS_KERNELS_REFERENCE_LAYER_H_
#define ERT_BENCHMARKS_KERNELS_REFERENCE_LAYER_H_

#include "benchmarks/kernels/layer_bench.h"
#include "benchmarks/kernels/model_shapes.h"
#include "kernels/conv2d.h"
#include "kernels/depthwise_conv2d.h"
#include "kernels/fully_connected.h"

namespace ert::bench {

/// Computes the layer: `input`, `filter` (OHWI; [1,KH,KW,C] for depthwise; [units,K] for fully
/// connected) and `bias` as layer_bench.h sizes them, into `output`.
inline void run_reference_layer(const LayerShape& s, const float* input, const float* filter,
                                const float* bias, float* output) {
  const kernels::Shape in_shape{s.n, s.in_h, s.in_w, s.in_c};
  const kernels::Shape out_shape{s.n, s.out_h, s.out_w, s.out_c};
  switch (s.kind) {
    case LayerKind::kConv:
      kernels::conv2d_f32(conv_params(s), in_shape, input,
                          kernels::Shape{s.out_c, s.k_h, s.k_w, s.in_c}, filter, bias, out_shape,
                          output);
      break;
    case LayerKind::kDepthwise:
      kernels::depthwise_conv2d_f32(conv_params(s), in_shape, input,
                                    kernels::Shape{1, s.k_h, s.k_w, s.out_c}, filter, bias,
                                    out_shape, output);
      break;
    case LayerKind::kFullyConnected:
      kernels::fully_connected_f32(kernels::FullyConnectedParams{}, kernels::Shape{s.in_w, s.in_c},
                                   input, kernels::Shape{s.out_c, s.in_c}, filter, bias, output);
      break;
  }
}

}  // namespace ert::bench

#endif  // ERT_BENCHMARKS_KERNELS_REFERENCE_LAYER_H_
