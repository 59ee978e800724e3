// Factories of the reference op implementations, one per file in src/ops/.
// The interpreter reaches them through create_op() (src/runtime/op_registry.cc).
#ifndef ERT_OPS_OPS_H_
#define ERT_OPS_OPS_H_

#include <memory>

#include "src/runtime/op.h"

namespace ert::rt {

std::unique_ptr<Op> make_conv2d_op();                   // conv2d.cc
std::unique_ptr<Op> make_depthwise_conv2d_op();         // depthwise_conv2d.cc
std::unique_ptr<Op> make_transpose_conv_op();           // transpose_conv.cc
std::unique_ptr<Op> make_fully_connected_op();          // fully_connected.cc
/// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM.
std::unique_ptr<Op> make_binary_op(fb::OpCode code);    // binary_elementwise.cc
/// AVERAGE_POOL_2D, MAX_POOL_2D.
std::unique_ptr<Op> make_pool2d_op(fb::OpCode code);    // pool2d.cc
std::unique_ptr<Op> make_mean_op();                     // mean.cc
std::unique_ptr<Op> make_concatenation_op();            // concatenation.cc
std::unique_ptr<Op> make_pad_op();                      // pad.cc
std::unique_ptr<Op> make_reshape_op();                  // reshape.cc
std::unique_ptr<Op> make_slice_op();                    // slice.cc
std::unique_ptr<Op> make_strided_slice_op();            // strided_slice.cc
std::unique_ptr<Op> make_transpose_op();                // transpose.cc
std::unique_ptr<Op> make_depth_to_space_op();           // depth_to_space.cc
std::unique_ptr<Op> make_space_to_depth_op();           // space_to_depth.cc
std::unique_ptr<Op> make_resize_bilinear_op();          // resize_bilinear.cc
std::unique_ptr<Op> make_resize_nearest_neighbor_op();  // resize_nearest_neighbor.cc
std::unique_ptr<Op> make_softmax_op();                  // softmax.cc
std::unique_ptr<Op> make_logistic_op();                 // logistic.cc
std::unique_ptr<Op> make_tanh_op();                     // tanh.cc
/// RELU, RELU6.
std::unique_ptr<Op> make_relu_op(fb::OpCode code);      // relu.cc
std::unique_ptr<Op> make_hard_swish_op();               // hard_swish.cc
std::unique_ptr<Op> make_prelu_op();                    // prelu.cc
std::unique_ptr<Op> make_leaky_relu_op();               // leaky_relu.cc
std::unique_ptr<Op> make_quantize_op();                 // quantize.cc
std::unique_ptr<Op> make_dequantize_op();               // dequantize.cc
std::unique_ptr<Op> make_detection_postprocess_op();    // detection_postprocess.cc

}  // namespace ert::rt

#endif  // ERT_OPS_OPS_H_
