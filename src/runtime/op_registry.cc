// The single place that maps an op code to its implementation: the reference op, wrapped by the
// fast path's backend when the interpreter may use it.
#include "src/ops/ops.h"
#if ERT_WITH_XNNPACK
#include "src/xnnpack/xnn_backend.h"
#endif

namespace ert::rt {

namespace {
Status create_reference_op(fb::OpCode code, std::unique_ptr<Op>* out) {
  using C = fb::OpCode;
  switch (code) {
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV:
    case C::MAXIMUM:
    case C::MINIMUM: *out = make_binary_op(code); break;
    case C::CONV_2D: *out = make_conv2d_op(); break;
    case C::DEPTHWISE_CONV_2D: *out = make_depthwise_conv2d_op(); break;
    case C::TRANSPOSE_CONV: *out = make_transpose_conv_op(); break;
    case C::FULLY_CONNECTED: *out = make_fully_connected_op(); break;
    case C::AVERAGE_POOL_2D:
    case C::MAX_POOL_2D: *out = make_pool2d_op(code); break;
    case C::MEAN: *out = make_mean_op(); break;
    case C::CONCATENATION: *out = make_concatenation_op(); break;
    case C::PAD: *out = make_pad_op(); break;
    case C::RESHAPE: *out = make_reshape_op(); break;
    case C::SLICE: *out = make_slice_op(); break;
    case C::STRIDED_SLICE: *out = make_strided_slice_op(); break;
    case C::TRANSPOSE: *out = make_transpose_op(); break;
    case C::DEPTH_TO_SPACE: *out = make_depth_to_space_op(); break;
    case C::SPACE_TO_DEPTH: *out = make_space_to_depth_op(); break;
    case C::RESIZE_BILINEAR: *out = make_resize_bilinear_op(); break;
    case C::RESIZE_NEAREST_NEIGHBOR: *out = make_resize_nearest_neighbor_op(); break;
    case C::SOFTMAX: *out = make_softmax_op(); break;
    case C::LOGISTIC: *out = make_logistic_op(); break;
    case C::TANH: *out = make_tanh_op(); break;
    case C::RELU:
    case C::RELU6: *out = make_relu_op(code); break;
    case C::HARD_SWISH: *out = make_hard_swish_op(); break;
    case C::PRELU: *out = make_prelu_op(); break;
    case C::LEAKY_RELU: *out = make_leaky_relu_op(); break;
    case C::QUANTIZE: *out = make_quantize_op(); break;
    case C::DEQUANTIZE: *out = make_dequantize_op(); break;
    case C::DETECTION_POSTPROCESS: *out = make_detection_postprocess_op(); break;
    default:
      return make_status(ERT_UNSUPPORTED, "op code %d is not known to this edgert version",
                         int(code));
  }
  if (*out == nullptr) return make_status(ERT_OUT_OF_MEMORY, "cannot allocate op");
  return Status();
}
}  // namespace

Status create_op(fb::OpCode code, const KernelChoice& choice, std::unique_ptr<Op>* out) {
  ERT_RETURN_IF_ERROR(create_reference_op(code, out));
#if ERT_WITH_XNNPACK
  if (choice.fast_path) return xnn::wrap_op(code, out);
#endif
  return Status();
}

}  // namespace ert::rt
