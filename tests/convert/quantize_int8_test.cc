// The int8 post-training quantization pass on a small graph: conv -> HARD_SWISH (no int8 kernel,
// stays float) -> ADD of both. Checks the rewritten graph against TFLite's int8 scheme computed
// here by hand, and the numbers against the float model.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "src/convert/passes.h"
#include "src/runtime/interpreter.h"
#include "tests/support/test_models.h"

using ert::cvt::ModelBuilder;
using ert::testing::options;
namespace fb = ert::fb;

namespace {

std::vector<float> weights() {
  std::vector<float> w(3 * 3 * 3 * 2);  // [Co=3, 3, 3, Ci=2]: channel c scaled by (c + 1).
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = i / 18;
    w[i] = float(c + 1) * (float(i % 18) / 17.0f - 0.5f);
  }
  return w;
}

const std::vector<float> kBias = {0.25f, -0.5f, 1.0f};

void build(ModelBuilder& b) {
  const int x = b.add_input("x", fb::DType::F32, {1, 4, 4, 2});
  const int w = b.add_constant_f32("w", {3, 3, 3, 2}, weights());
  const int bias = b.add_constant_f32("b", {3}, kBias);
  const int conv = b.add_tensor("conv", fb::DType::F32, {1, 4, 4, 3});
  b.add_op(fb::OpCode::CONV_2D, {x, w, bias}, {conv}, options(fb::Conv2DOptionsT()));
  const int hs = b.add_tensor("hs", fb::DType::F32, {1, 4, 4, 3});
  b.add_op(fb::OpCode::HARD_SWISH, {conv}, {hs});
  const int y = b.add_tensor("y", fb::DType::F32, {1, 4, 4, 3});
  b.add_op(fb::OpCode::ADD, {hs, conv}, {y});
  b.add_output(y);
}

std::vector<float> input() {
  std::vector<float> x(32);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i) * 0.7f);
  return x;
}

struct Loaded {
  ert::testing::AlignedBuffer buffer;
  std::unique_ptr<ert::rt::Model> model;
  std::unique_ptr<ert::rt::Interpreter> interp;
};

void load(ModelBuilder& b, Loaded* out) {
  std::vector<uint8_t> file;
  const ert::Status s = b.finish(&file);
  REQUIRE_MESSAGE(s.ok(), s.to_string());
  out->buffer.assign(file);
  REQUIRE(ert::rt::Model::load_buffer(out->buffer.data(), out->buffer.size(), &out->model).ok());
  ert::rt::InterpreterOptions o;
  o.fast_path = false;
  const ert::Status c = ert::rt::Interpreter::create(*out->model, o, &out->interp);
  REQUIRE_MESSAGE(c.ok(), c.to_string());
  const std::vector<float> x = input();
  std::memcpy(out->interp->input(0)->data, x.data(), x.size() * 4);
}

// The float model's range of every tensor on the input, read after each op.
ert::cvt::TensorRanges float_ranges() {
  ModelBuilder b;
  build(b);
  Loaded l;
  load(b, &l);
  ert::cvt::TensorRanges ranges;
  const auto note = [&](const ert::rt::Tensor& t) {
    const float* v = t.data_as<const float>();
    const auto [lo, hi] = std::minmax_element(v, v + t.shape.num_elements());
    ranges[t.name] = {*lo, *hi};
  };
  note(*l.interp->input(0));
  for (size_t i = 0; i < l.interp->num_ops(); ++i) {
    REQUIRE(l.interp->invoke_op(i).ok());
    const auto* outs = l.model->flatbuffer().operators()->Get(flatbuffers::uoffset_t(i))->outputs();
    for (int32_t t : *outs) note(l.interp->tensors()[size_t(t)]);
  }
  return ranges;
}

const fb::TensorT& tensor(const ModelBuilder& b, int i) {
  return *const_cast<ModelBuilder&>(b).model().tensors[size_t(i)];
}

}  // namespace

TEST_CASE("int8 pass: TFLite's scheme, float where no int8 kernel, f32 graph edges, close results") {
  const ert::cvt::TensorRanges ranges = float_ranges();
  ModelBuilder q;
  build(q);
  ert::cvt::Int8Options opt;
  opt.ranges = &ranges;
  ert::cvt::PassReport report;
  REQUIRE(ert::cvt::quantize_int8(&q, opt, &report).ok());
  CHECK(report.ops_int8 == 2);
  CHECK(report.ops_float == 1);
  const fb::ModelT& m = q.model();

  // QUANTIZE x, CONV, DEQUANTIZE conv, HARD_SWISH, QUANTIZE hs, ADD, DEQUANTIZE into y.
  std::vector<fb::OpCode> codes;
  for (const auto& op : m.operators) codes.push_back(op->code);
  const std::vector<fb::OpCode> want = {fb::OpCode::QUANTIZE,   fb::OpCode::CONV_2D,
                                        fb::OpCode::DEQUANTIZE, fb::OpCode::HARD_SWISH,
                                        fb::OpCode::QUANTIZE,   fb::OpCode::ADD,
                                        fb::OpCode::DEQUANTIZE};
  REQUIRE(codes == want);
  CHECK(report.conversions_inserted == 4);

  // The input quantization: [min(lo, 0), max(hi, 0)] over 255 steps, zero point -128 - lo / s.
  const fb::OperatorT& conv = *m.operators[1];
  const fb::TensorT& xq = tensor(q, conv.inputs[0]);
  CHECK(xq.dtype == fb::DType::I8);
  const ert::cvt::TensorRange rx = ranges.at("x");
  const float sx = (std::max(rx.max, 0.0f) - std::min(rx.min, 0.0f)) / 255.0f;
  CHECK(xq.quantization->scale[0] == doctest::Approx(sx).epsilon(1e-6));
  CHECK(xq.quantization->zero_point[0] == int64_t(std::nearbyint(-128.0f - std::min(rx.min, 0.0f) / sx)));

  // Weights: symmetric per output channel, scale max|w_c| / 127, zero point 0.
  const fb::TensorT& wq = tensor(q, conv.inputs[1]);
  REQUIRE(wq.dtype == fb::DType::I8);
  REQUIRE(wq.quantization->scale.size() == 3);
  CHECK(wq.quantization->axis == 0);
  const std::vector<float> w = weights();
  const std::vector<uint8_t>& wbytes = q.segments()[size_t(wq.segment)];
  for (size_t c = 0; c < 3; ++c) {
    float peak = 0;
    for (size_t k = 0; k < 18; ++k) peak = std::max(peak, std::fabs(w[c * 18 + k]));
    const float s = peak / 127.0f;
    CHECK(wq.quantization->scale[c] == doctest::Approx(s).epsilon(1e-6));
    CHECK(wq.quantization->zero_point[c] == 0);
    for (size_t k = 0; k < 18; ++k) {
      CHECK(int8_t(wbytes[c * 18 + k]) == int8_t(std::nearbyint(w[c * 18 + k] / s)));
    }
  }
  // Bias: int32 at input scale x weight scale.
  const fb::TensorT& bq = tensor(q, conv.inputs[2]);
  REQUIRE(bq.dtype == fb::DType::I32);
  const std::vector<uint8_t>& bbytes = q.segments()[size_t(bq.segment)];
  for (size_t c = 0; c < 3; ++c) {
    int32_t v;
    std::memcpy(&v, bbytes.data() + 4 * c, 4);
    CHECK(v == int32_t(std::nearbyint(double(kBias[c]) / (double(xq.quantization->scale[0]) *
                                                           double(wq.quantization->scale[c])))));
  }
  // The graph keeps its f32 input and output, under their names.
  CHECK(tensor(q, m.inputs[0]).name == "x");
  CHECK(tensor(q, m.inputs[0]).dtype == fb::DType::F32);
  CHECK(tensor(q, m.outputs[0]).name == "y");
  CHECK(tensor(q, m.outputs[0]).dtype == fb::DType::F32);

  // Numbers: within a few steps of y's quantization of the float model's.
  REQUIRE(ert::cvt::remove_dead_tensors(&q, &report).ok());
  Loaded lq, lf;
  load(q, &lq);
  ModelBuilder f;
  build(f);
  load(f, &lf);
  REQUIRE(lq.interp->invoke().ok());
  REQUIRE(lf.interp->invoke().ok());
  const ert::cvt::TensorRange ry = ranges.at("y");
  const float sy = (std::max(ry.max, 0.0f) - std::min(ry.min, 0.0f)) / 255.0f;
  const float* yq = lq.interp->output(0)->data_as<const float>();
  const float* yf = lf.interp->output(0)->data_as<const float>();
  float worst = 0;
  for (int i = 0; i < 48; ++i) worst = std::max(worst, std::fabs(yq[i] - yf[i]));
  CHECK(worst <= 4.0f * sy);
  CHECK(worst > 0.0f);  // It did compute in int8.
}

TEST_CASE("int8 pass: --keep-float and a missing range keep ops in float") {
  ert::cvt::TensorRanges ranges = float_ranges();
  {
    ModelBuilder q;
    build(q);
    ert::cvt::Int8Options opt;
    opt.ranges = &ranges;
    opt.keep_float = {"CONV_2D"};
    ert::cvt::PassReport report;
    REQUIRE(ert::cvt::quantize_int8(&q, opt, &report).ok());
    CHECK(report.ops_int8 == 1);  // The ADD.
    CHECK(q.model().operators[0]->code == fb::OpCode::CONV_2D);
    CHECK(tensor(q, q.model().operators[0]->inputs[1]).dtype == fb::DType::F32);
  }
  ranges.erase("conv");  // The conv's output has no range: it cannot be int8.
  ModelBuilder q;
  build(q);
  ert::cvt::Int8Options opt;
  opt.ranges = &ranges;
  ert::cvt::PassReport report;
  REQUIRE(ert::cvt::quantize_int8(&q, opt, &report).ok());
  CHECK(report.ops_int8 == 0);  // The ADD reads conv too.
  CHECK(report.conversions_inserted == 0);
}
