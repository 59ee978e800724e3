#include "tests/support/test_models.h"

#include <cstring>


namespace ert::testing {

void AlignedBuffer::assign(const std::vector<uint8_t>& bytes) {
  storage_.assign(bytes.size() + 64, 0);
  const uintptr_t raw = reinterpret_cast<uintptr_t>(storage_.data());
  data_ = storage_.data() + ((64 - raw % 64) % 64);
  size_ = bytes.size();
  if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
}

Status make_relu_chain_model(std::vector<uint8_t>* out) {
  cvt::ModelBuilder b;
  const int x = b.add_input("x", fb::DType::F32, {1, 4, 4, 3});
  const std::vector<float> bias(12, 0.5f);
  b.add_constant_f32("bias", {12}, bias);
  const int a = b.add_tensor("a", fb::DType::F32, {1, 4, 4, 3});
  const int y = b.add_tensor("y", fb::DType::F32, {1, 4, 4, 3});
  b.add_op(fb::OpCode::RELU, {x}, {a});
  b.add_op(fb::OpCode::RELU6, {a}, {y});
  b.add_output(y);
  return b.finish(out);
}

namespace {

std::vector<float> seeded(size_t n, uint32_t seed, float scale) {
  std::vector<float> v(n);
  uint32_t state = seed;
  for (float& x : v) {
    state = state * 1664525u + 1013904223u;
    x = scale * (float(state >> 8) / float(1u << 24) - 0.5f);
  }
  return v;
}

fb::Conv2DOptionsT conv_options(fb::Padding padding, int stride) {
  fb::Conv2DOptionsT o;
  o.padding = padding;
  o.stride_h = o.stride_w = stride;
  return o;
}

}  // namespace

Status make_all_ops_model(std::vector<uint8_t>* out) {
  using fb::OpCode;
  using DT = fb::DType;
  cvt::ModelBuilder b;
  auto t = [&](const char* name, std::vector<int32_t> shape) {
    return b.add_tensor(name, DT::F32, shape);
  };
  auto w = [&](const char* name, std::vector<int32_t> shape, uint32_t seed) {
    size_t n = 1;
    for (int32_t d : shape) n *= size_t(d);
    return b.add_constant_f32(name, shape, seeded(n, seed, 1.0f));
  };
  const int x = b.add_input("x", DT::F32, {1, 8, 8, 4});

  const int c1 = t("conv", {1, 8, 8, 8});
  b.add_op(OpCode::CONV_2D, {x, w("conv_w", {8, 3, 3, 4}, 1), w("conv_b", {8}, 2)}, {c1},
           options(conv_options(fb::Padding::SAME, 1)), fb::Activation::RELU);
  fb::DepthwiseConv2DOptionsT dw;
  dw.stride_h = dw.stride_w = 2;
  const int d1 = t("dwconv", {1, 4, 4, 8});
  b.add_op(OpCode::DEPTHWISE_CONV_2D, {c1, w("dw_w", {1, 3, 3, 8}, 3), w("dw_b", {8}, 4)}, {d1},
           options(dw));
  fb::TransposeConvOptionsT tc;
  tc.stride_h = tc.stride_w = 2;
  const int t1 = t("tconv", {1, 8, 8, 4});
  b.add_op(OpCode::TRANSPOSE_CONV, {d1, w("tc_w", {4, 3, 3, 8}, 5), w("tc_b", {4}, 6)}, {t1},
           options(tc));
  const int a1 = t("add", {1, 8, 8, 4});
  b.add_op(OpCode::ADD, {t1, x}, {a1});
  const int s1 = t("sub", {1, 8, 8, 4});
  b.add_op(OpCode::SUB, {a1, w("sub_c", {4}, 7)}, {s1});
  const int m1 = t("mul", {1, 8, 8, 4});
  b.add_op(OpCode::MUL, {s1, s1}, {m1});
  const int v1 = t("div", {1, 8, 8, 4});
  b.add_op(OpCode::DIV, {m1, b.add_constant_f32("two", {4}, {2.0f, 2.0f, 2.0f, 2.0f})}, {v1});
  const int mx = t("max", {1, 8, 8, 4});
  b.add_op(OpCode::MAXIMUM, {v1, x}, {mx});
  const int mn = t("min", {1, 8, 8, 4});
  b.add_op(OpCode::MINIMUM, {mx, b.add_constant_f32("five", {}, {5.0f})}, {mn});

  fb::Pool2DOptionsT pool;
  pool.padding = fb::Padding::VALID;
  pool.stride_h = pool.stride_w = pool.filter_h = pool.filter_w = 2;
  const int ap = t("avgpool", {1, 4, 4, 4});
  b.add_op(OpCode::AVERAGE_POOL_2D, {mn}, {ap}, options(pool));
  pool.padding = fb::Padding::SAME;
  const int mp = t("maxpool", {1, 4, 4, 4});
  b.add_op(OpCode::MAX_POOL_2D, {mn}, {mp}, options(pool));
  fb::ConcatenationOptionsT cat;
  cat.axis = 3;
  const int cc = t("concat", {1, 4, 4, 8});
  b.add_op(OpCode::CONCATENATION, {ap, mp}, {cc}, options(cat));
  fb::PadOptionsT pad;
  pad.paddings = {0, 0, 1, 1, 1, 1, 0, 0};
  const int pd = t("pad", {1, 6, 6, 8});
  b.add_op(OpCode::PAD, {cc}, {pd}, options(pad));
  fb::SliceOptionsT slice;
  slice.begin = {0, 1, 1, 0};
  slice.size = {1, 4, 4, -1};
  const int sl = t("slice", {1, 4, 4, 8});
  b.add_op(OpCode::SLICE, {pd}, {sl}, options(slice));
  fb::StridedSliceOptionsT ss;
  ss.begin = {0, 0, 0, 0};
  ss.end = {1, 4, 4, 8};
  ss.strides = {1, 2, 1, 1};
  const int st = t("strided_slice", {1, 2, 4, 8});
  b.add_op(OpCode::STRIDED_SLICE, {sl}, {st}, options(ss));
  fb::TransposeOptionsT tr;
  tr.perm = {0, 2, 1, 3};
  const int tp = t("transpose", {1, 4, 2, 8});
  b.add_op(OpCode::TRANSPOSE, {st}, {tp}, options(tr));
  fb::SpaceDepthOptionsT block;
  block.block_size = 2;
  const int d2s = t("depth_to_space", {1, 8, 4, 2});
  b.add_op(OpCode::DEPTH_TO_SPACE, {tp}, {d2s}, options(block));
  const int s2d = t("space_to_depth", {1, 4, 2, 8});
  b.add_op(OpCode::SPACE_TO_DEPTH, {d2s}, {s2d}, options(block));
  fb::ResizeOptionsT rs;
  rs.new_height = 8;
  rs.new_width = 4;
  rs.half_pixel_centers = true;
  const int rb = t("resize_bilinear", {1, 8, 4, 8});
  b.add_op(OpCode::RESIZE_BILINEAR, {s2d}, {rb}, options(rs));
  rs.new_height = 4;
  rs.new_width = 2;
  rs.half_pixel_centers = false;
  const int rn = t("resize_nearest", {1, 4, 2, 8});
  b.add_op(OpCode::RESIZE_NEAREST_NEIGHBOR, {rb}, {rn}, options(rs));
  const int r6 = t("relu6", {1, 4, 2, 8});
  b.add_op(OpCode::RELU6, {rn}, {r6});
  const int pr = t("prelu", {1, 4, 2, 8});
  b.add_op(OpCode::PRELU, {r6, w("alpha", {8}, 8)}, {pr});
  fb::LeakyReluOptionsT leaky;
  leaky.alpha = 0.1f;
  const int lr = t("leaky_relu", {1, 4, 2, 8});
  b.add_op(OpCode::LEAKY_RELU, {pr}, {lr}, options(leaky));
  const int hs = t("hard_swish", {1, 4, 2, 8});
  b.add_op(OpCode::HARD_SWISH, {lr}, {hs});
  const int th = t("tanh", {1, 4, 2, 8});
  b.add_op(OpCode::TANH, {hs}, {th});
  const int lg = t("logistic", {1, 4, 2, 8});
  b.add_op(OpCode::LOGISTIC, {th}, {lg});
  const int rl = t("relu", {1, 4, 2, 8});
  b.add_op(OpCode::RELU, {lg}, {rl});
  fb::ReduceOptionsT mean;
  mean.axes = {1, 2};
  const int me = t("mean", {1, 8});
  b.add_op(OpCode::MEAN, {rl}, {me}, options(mean));
  fb::ReshapeOptionsT reshape;
  reshape.new_shape = {1, -1};
  const int flat = t("flatten", {1, 64});
  b.add_op(OpCode::RESHAPE, {rl}, {flat}, options(reshape));
  const int fc = t("fc", {1, 10});
  b.add_op(OpCode::FULLY_CONNECTED, {flat, w("fc_w", {10, 64}, 9), w("fc_b", {10}, 10)}, {fc});
  const int y = t("y", {1, 10});
  b.add_op(OpCode::SOFTMAX, {fc}, {y});
  b.add_output(y);
  b.add_output(me);
  return b.finish(out);
}

}  // namespace ert::testing
