// Each converter pass on a small model built for it: what it changes, what it must leave alone,
// and that the result still computes the same numbers.
#include <doctest/doctest.h>

#include <cstring>

#include <fp16.h>

#include "src/convert/passes.h"
#include "src/runtime/interpreter.h"
#include "tests/support/test_models.h"

using ert::cvt::ModelBuilder;
using ert::cvt::PassReport;
using ert::testing::options;
namespace fb = ert::fb;

namespace {

// Runs a built model on input x (first input) and returns output 0.
std::vector<float> run(ModelBuilder& b, const std::vector<float>& x) {
  std::vector<uint8_t> file;
  const ert::Status s = b.finish(&file);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  ert::testing::AlignedBuffer buf(file);
  std::unique_ptr<ert::rt::Model> model;
  REQUIRE(ert::rt::Model::load_buffer(buf.data(), buf.size(), &model).ok());
  std::unique_ptr<ert::rt::Interpreter> it;
  // The reference kernels: a pass must not change the arithmetic, which the fast path could
  // (it takes a conv with constant weights but not one whose weights an op computes).
  ert::rt::InterpreterOptions options;
  options.fast_path = false;
  const ert::Status c = ert::rt::Interpreter::create(*model, options, &it);
  REQUIRE_MESSAGE(c.ok(), c.to_string());
  REQUIRE(it->input(0)->bytes == x.size() * 4);
  std::memcpy(it->input(0)->data, x.data(), x.size() * 4);
  REQUIRE(it->invoke().ok());
  const ert::rt::Tensor& y = *it->output(0);
  return std::vector<float>(y.data_as<float>(), y.data_as<float>() + y.bytes / 4);
}

std::vector<float> ramp(size_t n, float start, float step) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + step * float(i);
  return v;
}

// conv [1,4,4,2] -> RELU6 -> y, optionally with an fp16 weight through DEQUANTIZE.
void conv_relu6(ModelBuilder& b, bool fp16_weights, bool extra_reader) {
  const int x = b.add_input("x", fb::DType::F32, {1, 4, 4, 2});
  const std::vector<float> w = ramp(2 * 9 * 2, -1.0f, 0.0625f);
  int weights;
  if (fp16_weights) {
    std::vector<uint16_t> half(w.size());
    for (size_t i = 0; i < w.size(); ++i) half[i] = fp16_ieee_from_fp32_value(w[i]);
    const int h = b.add_constant("w16", fb::DType::F16, {2, 3, 3, 2}, half.data(), half.size() * 2);
    weights = b.add_tensor("w", fb::DType::F32, {2, 3, 3, 2});
    b.add_op(fb::OpCode::DEQUANTIZE, {h}, {weights});
  } else {
    weights = b.add_constant_f32("w", {2, 3, 3, 2}, w);
  }
  fb::Conv2DOptionsT conv;
  const int c = b.add_tensor("conv", fb::DType::F32, {1, 4, 4, 2});
  b.add_op(fb::OpCode::CONV_2D, {x, weights, -1}, {c}, options(conv));
  const int y = b.add_tensor("y", fb::DType::F32, {1, 4, 4, 2});
  b.add_op(fb::OpCode::RELU6, {c}, {y});
  b.add_output(y);
  if (extra_reader) b.add_output(c);
}

}  // namespace

TEST_CASE("passes: DEQUANTIZE of fp16 weights folds into an f32 constant, same results") {
  ModelBuilder plain, folded;
  conv_relu6(plain, true, false);
  conv_relu6(folded, true, false);
  PassReport r;
  REQUIRE(ert::cvt::fold_dequantize(&folded, &r).ok());
  CHECK(r.dequantize_folded == 1);
  CHECK(folded.model().operators.size() == 2);
  CHECK(folded.model().operators[0]->code == fb::OpCode::CONV_2D);
  const fb::TensorT& w = *folded.model().tensors[size_t(folded.model().operators[0]->inputs[1])];
  CHECK(w.dtype == fb::DType::F32);
  REQUIRE(w.segment >= 0);
  // The fp16 values of the ramp are exact, so the f32 data equals the ramp.
  const std::vector<float> expect = ramp(36, -1.0f, 0.0625f);
  CHECK(std::memcmp(folded.segments()[size_t(w.segment)].data(), expect.data(), 36 * 4) == 0);
  const std::vector<float> x = ramp(32, -2.0f, 0.15f);
  CHECK(run(plain, x) == run(folded, x));
}

TEST_CASE("passes: RELU6 after a conv becomes its fused activation, same results") {
  ModelBuilder plain, fused;
  conv_relu6(plain, false, false);
  conv_relu6(fused, false, false);
  PassReport r;
  REQUIRE(ert::cvt::fuse_activations(&fused, &r).ok());
  CHECK(r.activations_fused == 1);
  REQUIRE(fused.model().operators.size() == 1);
  CHECK(fused.model().operators[0]->activation == fb::Activation::RELU6);
  const std::vector<float> x = ramp(32, -2.0f, 0.15f);
  CHECK(run(plain, x) == run(fused, x));
}

TEST_CASE("passes: an activation is not fused when the conv output has another reader") {
  ModelBuilder b;
  conv_relu6(b, false, true);  // The conv output is also a graph output.
  PassReport r;
  REQUIRE(ert::cvt::fuse_activations(&b, &r).ok());
  CHECK(r.activations_fused == 0);
  CHECK(b.model().operators.size() == 2);
}

TEST_CASE("passes: a spatial zero PAD fuses into a VALID conv, same results") {
  auto build = [](ModelBuilder& b, std::vector<int> pads, float value) {
    const int x = b.add_input("x", fb::DType::F32, {1, 3, 3, 1});
    fb::PadOptionsT po;
    po.paddings = pads;
    po.constant_value = value;
    const int p = b.add_tensor("padded", fb::DType::F32,
                               {1, 3 + pads[2] + pads[3], 3 + pads[4] + pads[5], 1 + pads[6] + pads[7]});
    b.add_op(fb::OpCode::PAD, {x}, {p}, options(po));
    const int w = b.add_constant_f32("w", {1, 3, 3, 1 + pads[6] + pads[7]},
                                     ramp(size_t(9 * (1 + pads[6] + pads[7])), 0.5f, 0.25f));
    fb::Conv2DOptionsT conv;
    conv.padding = fb::Padding::VALID;
    const int y = b.add_tensor("y", fb::DType::F32, {1, 1 + pads[2] + pads[3], 1 + pads[4] + pads[5], 1});
    b.add_op(fb::OpCode::CONV_2D, {p, w, -1}, {y}, options(conv));
    b.add_output(y);
  };
  const std::vector<int> pads = {0, 0, 1, 2, 2, 1, 0, 0};
  ModelBuilder plain, fused;
  build(plain, pads, 0.0f);
  build(fused, pads, 0.0f);
  PassReport r;
  REQUIRE(ert::cvt::fuse_pad_into_conv(&fused, &r).ok());
  CHECK(r.pads_fused == 1);
  REQUIRE(fused.model().operators.size() == 1);
  const fb::Conv2DOptionsT* o = fused.model().operators[0]->options.AsConv2DOptions();
  REQUIRE(o != nullptr);
  CHECK(o->padding == fb::Padding::EXPLICIT);
  CHECK(o->explicit_padding->top() == 1);
  CHECK(o->explicit_padding->bottom() == 2);
  CHECK(o->explicit_padding->left() == 2);
  CHECK(o->explicit_padding->right() == 1);
  const std::vector<float> x = ramp(9, -1.0f, 0.5f);
  CHECK(run(plain, x) == run(fused, x));

  SUBCASE("a pad of the channels or with a non-zero value stays") {
    ModelBuilder channels, nonzero;
    build(channels, {0, 0, 1, 1, 1, 1, 0, 1}, 0.0f);
    build(nonzero, {0, 0, 1, 1, 1, 1, 0, 0}, 1.0f);
    PassReport none;
    REQUIRE(ert::cvt::fuse_pad_into_conv(&channels, &none).ok());
    REQUIRE(ert::cvt::fuse_pad_into_conv(&nonzero, &none).ok());
    CHECK(none.pads_fused == 0);
  }
}

TEST_CASE("passes: identity reshapes go, real ones stay, and dead tensors are removed") {
  ModelBuilder b;
  const int x = b.add_input("x", fb::DType::F32, {2, 3});
  fb::ReshapeOptionsT same;
  same.new_shape = {2, 3};
  const int r1 = b.add_tensor("same", fb::DType::F32, {2, 3});
  b.add_op(fb::OpCode::RESHAPE, {x}, {r1}, options(same));
  fb::ReshapeOptionsT flat;
  flat.new_shape = {6};
  const int r2 = b.add_tensor("flat", fb::DType::F32, {6});
  b.add_op(fb::OpCode::RESHAPE, {r1}, {r2}, options(flat));
  const int y = b.add_tensor("y", fb::DType::F32, {6});
  b.add_op(fb::OpCode::RELU, {r2}, {y});
  // A branch nobody reads, and a constant nobody uses.
  const int unused = b.add_tensor("unused", fb::DType::F32, {2, 3});
  b.add_op(fb::OpCode::RELU, {x}, {unused});
  b.add_constant_f32("orphan", {4}, {1, 2, 3, 4});
  b.add_output(y);
  ModelBuilder reference;  // The same graph, untouched, for the numbers.
  {
    const int rx = reference.add_input("x", fb::DType::F32, {2, 3});
    const int ry = reference.add_tensor("y", fb::DType::F32, {2, 3});
    reference.add_op(fb::OpCode::RELU, {rx}, {ry});
    reference.add_output(ry);
  }
  PassReport r;
  REQUIRE(ert::cvt::run_passes(&b, {}, &r).ok());
  CHECK(r.reshapes_dropped == 1);
  CHECK(r.tensors_removed == 3);  // "same", "unused", "orphan".
  CHECK(r.segments_removed == 1);
  REQUIRE(b.model().operators.size() == 2);
  CHECK(b.model().operators[0]->code == fb::OpCode::RESHAPE);
  CHECK(b.model().operators[1]->code == fb::OpCode::RELU);
  CHECK(b.model().tensors.size() == 3);
  CHECK(b.segments().empty());
  const std::vector<float> in = {-3, -2, -1, 1, 2, 3};
  CHECK(run(b, in) == run(reference, in));
}

TEST_CASE("passes: the whole pipeline keeps the weights that are still used") {
  ModelBuilder plain, passed;
  conv_relu6(plain, false, false);
  conv_relu6(passed, false, false);
  passed.add_constant_f32("orphan", {3}, {1, 2, 3});  // Dropped: the other segment must stay.
  PassReport r;
  REQUIRE(ert::cvt::run_passes(&passed, {}, &r).ok());
  CHECK(r.segments_removed == 1);
  REQUIRE(passed.segments().size() == 1);
  CHECK(passed.segments()[0].size() == 36 * sizeof(float));
  const std::vector<float> x = ramp(32, -2.0f, 0.15f);
  CHECK(run(plain, x) == run(passed, x));
}

TEST_CASE("passes: --precision fp16 stores weights as fp16; results stay within fp16 rounding") {
  ModelBuilder plain, half;
  conv_relu6(plain, false, false);
  conv_relu6(half, false, false);
  PassReport r;
  ert::cvt::PassOptions o;
  o.fp16_weights = true;
  REQUIRE(ert::cvt::run_passes(&half, o, &r).ok());
  CHECK(r.constants_to_fp16 == 1);
  const fb::TensorT& w = *half.model().tensors[size_t(half.model().operators[0]->inputs[1])];
  CHECK(w.dtype == fb::DType::F16);
  CHECK(half.segments()[size_t(w.segment)].size() == 36 * 2);
  // The ramp's values are exact in fp16, so the fp32 arithmetic on widened weights is exact.
  const std::vector<float> x = ramp(32, -2.0f, 0.15f);
  CHECK(run(plain, x) == run(half, x));
}
