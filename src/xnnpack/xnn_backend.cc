#include "src/xnnpack/xnn_backend.h"

#include "src/xnnpack/xnn_ops.h"

namespace ert::rt::xnn {

Status wrap_op(fb::OpCode code, std::unique_ptr<Op>* op) {
  using C = fb::OpCode;
  std::unique_ptr<Op> reference = std::move(*op);
  switch (code) {
    case C::CONV_2D: *op = make_conv2d(std::move(reference)); break;
    case C::DEPTHWISE_CONV_2D: *op = make_depthwise_conv2d(std::move(reference)); break;
    case C::TRANSPOSE_CONV: *op = make_transpose_conv(std::move(reference)); break;
    case C::FULLY_CONNECTED: *op = make_fully_connected(std::move(reference)); break;
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV:
    case C::MAXIMUM:
    case C::MINIMUM: *op = make_binary(code, std::move(reference)); break;
    // LOGISTIC and HARD_SWISH stay on edgert's kernels: XNNPACK's approximations of them moved
    // selfie_segmentation's output 1.4e-4 from TFLite's (bar 1e-4); with them on edgert's
    // kernels the difference is 6e-5. AVERAGE_POOL_2D stays there too: XNNPACK's large-window
    // average (partial sums, then a multiply by 1/cells) moved the same output by 1e-4 more
    // on a CPU with AVX-512 (chelsea.png: 1.7e-4 with it, 1.05e-4 without), while edgert's
    // kernel sums in TFLite's order and divides.
    case C::RELU:
    case C::RELU6:
    case C::LEAKY_RELU:
    case C::PRELU:
    case C::SOFTMAX: *op = make_activation(code, std::move(reference)); break;
    case C::MAX_POOL_2D: *op = make_max_pool2d(std::move(reference)); break;
    case C::MEAN: *op = make_mean(std::move(reference)); break;
    case C::RESIZE_BILINEAR: *op = make_resize_bilinear(std::move(reference)); break;
    case C::PAD: *op = make_pad(std::move(reference)); break;
    case C::CONCATENATION: *op = make_concatenation(std::move(reference)); break;
    case C::DEPTH_TO_SPACE: *op = make_depth_to_space(std::move(reference)); break;
    case C::QUANTIZE:
    case C::DEQUANTIZE: *op = make_convert(code, std::move(reference)); break;
    default: *op = std::move(reference); return Status();
  }
  if (*op == nullptr) return make_status(ERT_OUT_OF_MEMORY, "cannot allocate op");
  return Status();
}

}  // namespace ert::rt::xnn
