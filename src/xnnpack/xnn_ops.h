// Factories of the XNNPACK-backed ops, one family per file in src/xnnpack/. Each wraps the op's
// reference implementation (see xnn_op.h) and is reached through wrap_op() (xnn_backend.cc).
#ifndef ERT_XNNPACK_XNN_OPS_H_
#define ERT_XNNPACK_XNN_OPS_H_

#include <memory>

#include "src/xnnpack/xnn_op.h"

namespace ert::rt::xnn {

std::unique_ptr<Op> make_conv2d(std::unique_ptr<Op> reference);            // xnn_conv.cc
std::unique_ptr<Op> make_depthwise_conv2d(std::unique_ptr<Op> reference);  // xnn_conv.cc
std::unique_ptr<Op> make_transpose_conv(std::unique_ptr<Op> reference);    // xnn_conv.cc
std::unique_ptr<Op> make_fully_connected(std::unique_ptr<Op> reference);   // xnn_conv.cc
/// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM.
std::unique_ptr<Op> make_binary(fb::OpCode code, std::unique_ptr<Op> reference);  // xnn_elementwise.cc
/// RELU, RELU6, LOGISTIC, HARD_SWISH, LEAKY_RELU, PRELU, SOFTMAX.
std::unique_ptr<Op> make_activation(fb::OpCode code, std::unique_ptr<Op> reference);  // ditto
std::unique_ptr<Op> make_max_pool2d(std::unique_ptr<Op> reference);       // xnn_spatial.cc
std::unique_ptr<Op> make_mean(std::unique_ptr<Op> reference);             // xnn_spatial.cc
std::unique_ptr<Op> make_resize_bilinear(std::unique_ptr<Op> reference);  // xnn_spatial.cc
std::unique_ptr<Op> make_pad(std::unique_ptr<Op> reference);              // xnn_spatial.cc
std::unique_ptr<Op> make_concatenation(std::unique_ptr<Op> reference);    // xnn_spatial.cc
std::unique_ptr<Op> make_depth_to_space(std::unique_ptr<Op> reference);   // xnn_spatial.cc
/// QUANTIZE, DEQUANTIZE.
std::unique_ptr<Op> make_convert(fb::OpCode code, std::unique_ptr<Op> reference);  // xnn_convert.cc

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_XNN_OPS_H_
