// One of the models' layers (benchmarks/kernels/model_shapes.h) as an XNNPACK f32 operator:
// xnn_create_convolution2d_nhwc_f32 for convolutions and depthwise convolutions (groups = C
// with XNN_FLAG_DEPTHWISE_CONVOLUTION, which takes TFLite's [1,KH,KW,C] filter as it is), and
// xnn_create_fully_connected_nc_f32. Set up once for one thread (no pthreadpool).
#ifndef ERT_BENCHMARKS_KERNELS_XNN_LAYER_H_
#define ERT_BENCHMARKS_KERNELS_XNN_LAYER_H_

#include <xnnpack.h>

#include <cmath>
#include <string>

#include "benchmarks/kernels/model_shapes.h"

namespace ert::bench {

/// Owns an XNNPACK operator; the input and output it was set up with must outlive it.
class XnnLayer {
 public:
  XnnLayer() = default;
  XnnLayer(const XnnLayer&) = delete;
  XnnLayer& operator=(const XnnLayer&) = delete;
  ~XnnLayer() {
    if (op_ != nullptr) xnn_delete_operator(op_);
  }

  /// Creates the operator (XNNPACK packs `filter` and `bias` into its own copy) and sets it up
  /// to read `input` and write `output`. Returns an empty string, or what failed.
  std::string create(const LayerShape& s, const float* filter, const float* bias,
                     const float* input, float* output) {
    if (xnn_initialize(nullptr) != xnn_status_success) return "xnn_initialize failed";
    const float lo = -INFINITY;
    const float hi = INFINITY;
    xnn_status status = xnn_status_success;
    if (s.kind == LayerKind::kFullyConnected) {
      status = xnn_create_fully_connected_nc_f32(size_t(s.in_c), size_t(s.out_c), size_t(s.in_c),
                                                 size_t(s.out_c), filter, bias, lo, hi, 0, &op_);
      if (status != xnn_status_success) return "xnn_create_fully_connected_nc_f32 failed";
      status = xnn_setup_fully_connected_nc_f32(op_, size_t(s.in_w), input, output, nullptr);
      return status == xnn_status_success ? "" : "xnn_setup_fully_connected_nc_f32 failed";
    }
    const bool depthwise = s.kind == LayerKind::kDepthwise;
    const uint32_t groups = depthwise ? uint32_t(s.in_c) : 1;
    const size_t group_in = depthwise ? 1 : size_t(s.in_c);
    const size_t group_out = depthwise ? size_t(s.out_c / s.in_c) : size_t(s.out_c);
    status = xnn_create_convolution2d_nhwc_f32(
        uint32_t(s.pad_top), uint32_t(s.pad_right), uint32_t(s.pad_bottom), uint32_t(s.pad_left),
        uint32_t(s.k_h), uint32_t(s.k_w), uint32_t(s.stride_h), uint32_t(s.stride_w),
        uint32_t(s.dilation_h), uint32_t(s.dilation_w), groups, group_in, group_out, size_t(s.in_c),
        size_t(s.out_c), filter, bias, lo, hi, depthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0,
        &op_);
    if (status != xnn_status_success) return "xnn_create_convolution2d_nhwc_f32 failed";
    status = xnn_setup_convolution2d_nhwc_f32(op_, size_t(s.n), size_t(s.in_h), size_t(s.in_w),
                                              input, output, nullptr);
    return status == xnn_status_success ? "" : "xnn_setup_convolution2d_nhwc_f32 failed";
  }

  /// Runs the layer once on the calling thread.
  bool run() { return xnn_run_operator(op_, nullptr) == xnn_status_success; }

 private:
  xnn_operator_t op_ = nullptr;
};

}  // namespace ert::bench

#endif  // ERT_BENCHMARKS_KERNELS_XNN_LAYER_H_
