#include "src/convert/tflite_importer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "flatbuffers/flexbuffers.h"
#include "src/convert/passes.h"
#include "src/convert/sha256.h"
#include "src/runtime/interpreter.h"
#include "src/runtime/model.h"
#include "tests/support/test_models.h"
#include "tflite_schema_generated.h"

namespace {

namespace tfl = ert::tflite;
namespace fb = ert::fb;
using ert::Status;
using ert::cvt::import_tflite;
using ert::cvt::ModelBuilder;
using ert::cvt::TfliteImportReport;

// ---- A small writer of TFLite files, for hand-made and deliberately broken models ---------------

using OptionsFn = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;
using SparsityFn =
    std::function<flatbuffers::Offset<tfl::SparsityParameters>(flatbuffers::FlatBufferBuilder&)>;

struct TflTensor {
  std::string name;
  tfl::TensorType type = tfl::TensorType::FLOAT32;
  std::vector<int32_t> shape;
  uint32_t buffer = 0;
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
  SparsityFn sparsity;  // Set for sparse constants.
};

struct TflOp {
  int32_t code = 0;             // BuiltinOperator value (any int, to test unknown codes).
  int deprecated_code = -1000;  // -1000: min(code, 127), as TFLite's writer does.
  std::string custom;
  int version = 1;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  tfl::BuiltinOptions options_type = tfl::BuiltinOptions::NONE;
  OptionsFn options;
  std::vector<uint8_t> custom_options;
  int opcode_index = -1;  // -1: its own entry (one op code per op).
};

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& values) {
  std::vector<uint8_t> b(values.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), values.data(), b.size());
  return b;
}

class TflMaker {
 public:
  std::vector<TflTensor> tensors;
  std::vector<TflOp> ops;
  std::vector<std::vector<uint8_t>> buffers{{}};                // Buffer 0 is the empty one.
  std::vector<std::pair<uint64_t, uint64_t>> external{{0, 0}};  // Offset and size per buffer.
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  bool with_subgraph = true;
  std::vector<uint8_t> tail;  // Bytes placed at tail_offset, after the FlatBuffer.
  uint64_t tail_offset = 0;

  int tensor(const std::string& name, tfl::TensorType type, std::vector<int32_t> shape) {
    TflTensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    tensors.push_back(t);
    return int(tensors.size()) - 1;
  }
  int constant(const std::string& name, tfl::TensorType type, std::vector<int32_t> shape,
               std::vector<uint8_t> data) {
    const int t = tensor(name, type, std::move(shape));
    buffers.push_back(std::move(data));
    external.emplace_back(0, 0);
    tensors[size_t(t)].buffer = uint32_t(buffers.size() - 1);
    return t;
  }
  int f32(const std::string& name, std::vector<int32_t> shape, const std::vector<float>& v) {
    return constant(name, tfl::TensorType::FLOAT32, std::move(shape), bytes_of(v));
  }
  int i32(const std::string& name, std::vector<int32_t> shape, const std::vector<int32_t>& v) {
    return constant(name, tfl::TensorType::INT32, std::move(shape), bytes_of(v));
  }
  int i64(const std::string& name, std::vector<int32_t> shape, const std::vector<int64_t>& v) {
    return constant(name, tfl::TensorType::INT64, std::move(shape), bytes_of(v));
  }
  TflOp& op(tfl::BuiltinOperator code, std::vector<int32_t> in, std::vector<int32_t> out,
            tfl::BuiltinOptions type = tfl::BuiltinOptions::NONE, OptionsFn options = nullptr) {
    TflOp o;
    o.code = int32_t(code);
    o.inputs = std::move(in);
    o.outputs = std::move(out);
    o.options_type = type;
    o.options = std::move(options);
    ops.push_back(std::move(o));
    return ops.back();
  }

  std::vector<uint8_t> finish() const {
    flatbuffers::FlatBufferBuilder b;
    std::vector<flatbuffers::Offset<tfl::Buffer>> bufs;
    for (size_t i = 0; i < buffers.size(); ++i) {
      bufs.push_back(tfl::CreateBufferDirect(b, buffers[i].empty() ? nullptr : &buffers[i],
                                             external[i].first, external[i].second));
    }
    std::vector<flatbuffers::Offset<tfl::Tensor>> ts;
    for (const TflTensor& t : tensors) {
      flatbuffers::Offset<tfl::QuantizationParameters> q = 0;
      if (!t.scale.empty() || !t.zero_point.empty()) {
        q = tfl::CreateQuantizationParametersDirect(b, nullptr, nullptr, &t.scale, &t.zero_point,
                                                    tfl::QuantizationDetails::NONE, 0,
                                                    t.quantized_dimension);
      }
      const flatbuffers::Offset<tfl::SparsityParameters> sparsity = t.sparsity ? t.sparsity(b) : 0;
      ts.push_back(tfl::CreateTensorDirect(b, &t.shape, t.type, t.buffer, t.name.c_str(), q, false,
                                           sparsity));
    }
    std::vector<flatbuffers::Offset<tfl::OperatorCode>> codes;
    std::vector<flatbuffers::Offset<tfl::Operator>> os;
    for (size_t i = 0; i < ops.size(); ++i) {
      const TflOp& o = ops[i];
      const int dep = o.deprecated_code != -1000 ? o.deprecated_code : std::min(o.code, 127);
      codes.push_back(tfl::CreateOperatorCodeDirect(b, int8_t(dep),
                                                    o.custom.empty() ? nullptr : o.custom.c_str(),
                                                    o.version, tfl::BuiltinOperator(o.code)));
      const flatbuffers::Offset<void> opts = o.options ? o.options(b) : 0;
      os.push_back(tfl::CreateOperatorDirect(
          b, uint32_t(o.opcode_index >= 0 ? o.opcode_index : int(i)), &o.inputs, &o.outputs,
          o.options_type, opts, o.custom_options.empty() ? nullptr : &o.custom_options));
    }
    std::vector<flatbuffers::Offset<tfl::SubGraph>> sgs;
    if (with_subgraph) {
      sgs.push_back(tfl::CreateSubGraphDirect(b, &ts, &inputs, &outputs, &os, "main"));
    }
    b.Finish(tfl::CreateModelDirect(b, 3, &codes, &sgs, "test", &bufs), tfl::ModelIdentifier());
    std::vector<uint8_t> file(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
    if (!tail.empty()) {
      REQUIRE(tail_offset >= file.size());
      file.resize(size_t(tail_offset), 0);
      file.insert(file.end(), tail.begin(), tail.end());
    }
    return file;
  }
};

struct Imported {
  Status status;
  ModelBuilder builder;
  TfliteImportReport report;
  fb::ModelT& model() { return builder.model(); }
  const fb::TensorT& tensor(int i) { return *builder.model().tensors[size_t(i)]; }
  const fb::OperatorT& op(size_t i) { return *builder.model().operators[size_t(i)]; }
  const fb::TensorT& op_input(size_t op_index, size_t k) { return tensor(op(op_index).inputs[k]); }
};

std::unique_ptr<Imported> import_bytes(const std::vector<uint8_t>& file,
                                       const std::string& name = "test.tflite") {
  auto r = std::make_unique<Imported>();
  r->status = import_tflite(file.data(), file.size(), name, &r->builder, &r->report);
  return r;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

template <typename T>
std::vector<T> segment_values(Imported& r, int tensor) {
  const int seg = r.tensor(tensor).segment;
  REQUIRE(seg >= 0);
  const std::vector<uint8_t>& bytes = r.builder.segments()[size_t(seg)];
  std::vector<T> v(bytes.size() / sizeof(T));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
  return v;
}

OptionsFn add_options(tfl::ActivationFunctionType act) {
  return [act](flatbuffers::FlatBufferBuilder& b) { return tfl::CreateAddOptions(b, act).Union(); };
}

// x [1,4,4,2] -> CONV_2D (SAME, stride 2x1, RELU6) -> PAD -> RESHAPE -> y [4,24].
TflMaker small_model() {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 4, 4, 2});
  const int w = m.f32("w", {3, 1, 1, 2}, {1, 2, 3, 4, 5, 6});
  const int b = m.f32("b", {3}, {0.5f, -0.5f, 0.25f});
  const int conv = m.tensor("conv", tfl::TensorType::FLOAT32, {1, 2, 4, 3});
  const int pads = m.i32("pads", {4, 2}, {0, 0, 1, 1, 2, 2, 0, 0});
  const int padded = m.tensor("padded", tfl::TensorType::FLOAT32, {1, 4, 8, 3});
  const int shape = m.i32("shape", {2}, {4, 24});
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, {4, 24});
  m.op(tfl::BuiltinOperator::CONV_2D, {x, w, b}, {conv}, tfl::BuiltinOptions::Conv2DOptions,
       [](flatbuffers::FlatBufferBuilder& fbb) {
         return tfl::CreateConv2DOptions(fbb, tfl::Padding::SAME, /*stride_w=*/1, /*stride_h=*/2,
                                         tfl::ActivationFunctionType::RELU6, 1, 1)
             .Union();
       });
  m.op(tfl::BuiltinOperator::PAD, {conv, pads}, {padded});
  m.op(tfl::BuiltinOperator::RESHAPE, {padded, shape}, {y});
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

}  // namespace

// ---- Mapping
// --------------------------------------------------------------------------------------

TEST_CASE("tflite import maps a small float graph with its options and constants") {
  const std::vector<uint8_t> file = small_model().finish();
  auto r = import_bytes(file, "small.tflite");
  REQUIRE(r->status.ok());
  CHECK(r->report.subgraphs == 1);
  CHECK(r->report.tflite_operators == 3);
  CHECK(r->report.tflite_tensors == 8);
  CHECK(r->report.unsupported.empty());

  fb::ModelT& m = r->model();
  // The parameter tensors (paddings, shape) are options now, not tensors.
  REQUIRE(m.tensors.size() == 6);
  REQUIRE(m.operators.size() == 3);
  REQUIRE(m.inputs.size() == 1);
  REQUIRE(m.outputs.size() == 1);
  CHECK(r->tensor(m.inputs[0]).name == "x");
  CHECK(r->tensor(m.inputs[0]).shape == std::vector<int32_t>{1, 4, 4, 2});
  CHECK(r->tensor(m.outputs[0]).name == "y");

  const fb::OperatorT& conv = r->op(0);
  CHECK(conv.code == fb::OpCode::CONV_2D);
  CHECK(conv.activation == fb::Activation::RELU6);
  REQUIRE(conv.inputs.size() == 3);
  CHECK(r->op_input(0, 0).name == "x");
  CHECK(r->op_input(0, 1).name == "w");
  CHECK(r->op_input(0, 2).name == "b");
  REQUIRE(conv.options.AsConv2DOptions() != nullptr);
  CHECK(conv.options.AsConv2DOptions()->padding == fb::Padding::SAME);
  CHECK(conv.options.AsConv2DOptions()->stride_h == 2);
  CHECK(conv.options.AsConv2DOptions()->stride_w == 1);
  CHECK(conv.options.AsConv2DOptions()->dilation_h == 1);
  CHECK(segment_values<float>(*r, conv.inputs[1]) == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(segment_values<float>(*r, conv.inputs[2]) == std::vector<float>{0.5f, -0.5f, 0.25f});
  CHECK(r->tensor(conv.outputs[0]).segment == -1);

  const fb::OperatorT& pad = r->op(1);
  CHECK(pad.code == fb::OpCode::PAD);
  CHECK(pad.inputs == std::vector<int>{conv.outputs[0]});
  REQUIRE(pad.options.AsPadOptions() != nullptr);
  CHECK(pad.options.AsPadOptions()->paddings == std::vector<int32_t>{0, 0, 1, 1, 2, 2, 0, 0});
  CHECK(pad.options.AsPadOptions()->constant_value == 0.0f);

  const fb::OperatorT& reshape = r->op(2);
  CHECK(reshape.code == fb::OpCode::RESHAPE);
  CHECK(reshape.inputs == std::vector<int>{pad.outputs[0]});
  REQUIRE(reshape.options.AsReshapeOptions() != nullptr);
  CHECK(reshape.options.AsReshapeOptions()->new_shape == std::vector<int32_t>{4, 24});
  CHECK(reshape.outputs == std::vector<int>{m.outputs[0]});

  REQUIRE(m.metadata != nullptr);
  CHECK(m.metadata->source_file == "small.tflite");
  CHECK(m.metadata->source_sha256 == ert::cvt::sha256_hex(file.data(), file.size()));
  // The model plans and writes.
  std::vector<uint8_t> ert_file;
  CHECK(r->builder.finish(&ert_file).ok());
  CHECK(!ert_file.empty());
}

TEST_CASE("tflite import maps fused activations and rejects TANH and SIGN_BIT") {
  const std::pair<tfl::ActivationFunctionType, fb::Activation> mapped[] = {
      {tfl::ActivationFunctionType::NONE, fb::Activation::NONE},
      {tfl::ActivationFunctionType::RELU, fb::Activation::RELU},
      {tfl::ActivationFunctionType::RELU_N1_TO_1, fb::Activation::RELU_N1_TO_1},
      {tfl::ActivationFunctionType::RELU6, fb::Activation::RELU6},
  };
  auto model_with = [](tfl::ActivationFunctionType act) {
    TflMaker m;
    const int a = m.tensor("a", tfl::TensorType::FLOAT32, {2});
    const int c = m.f32("c", {2}, {1, 2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {2});
    m.op(tfl::BuiltinOperator::ADD, {a, c}, {y}, tfl::BuiltinOptions::AddOptions, add_options(act));
    m.inputs = {a};
    m.outputs = {y};
    return m.finish();
  };
  for (const auto& [from, to] : mapped) {
    CAPTURE(int(from));
    auto r = import_bytes(model_with(from));
    REQUIRE(r->status.ok());
    CHECK(r->op(0).code == fb::OpCode::ADD);
    CHECK(r->op(0).activation == to);
    CHECK(r->op(0).inputs.size() == 2);
  }
  for (auto act : {tfl::ActivationFunctionType::TANH, tfl::ActivationFunctionType::SIGN_BIT}) {
    auto r = import_bytes(model_with(act));
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    REQUIRE(r->report.unsupported.size() == 1);
    CHECK(r->report.unsupported[0].op_index == 0);
    CHECK(r->report.unsupported[0].op_name == "ADD");
    CHECK(contains(r->status.message(), std::string("op 0 ADD (fused activation ") +
                                            tfl::EnumNameActivationFunctionType(act) + ")"));
  }
}

TEST_CASE("tflite import reads pool options and ADD without options") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 8, 8, 3});
  const int p = m.tensor("p", tfl::TensorType::FLOAT32, {1, 3, 4, 3});
  const int q = m.tensor("q", tfl::TensorType::FLOAT32, {1, 3, 4, 3});
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, {1, 3, 4, 3});
  m.op(tfl::BuiltinOperator::AVERAGE_POOL_2D, {x}, {p}, tfl::BuiltinOptions::Pool2DOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreatePool2DOptions(b, tfl::Padding::VALID, /*stride_w=*/2, /*stride_h=*/3,
                                         /*filter_width=*/2, /*filter_height=*/3,
                                         tfl::ActivationFunctionType::RELU)
             .Union();
       });
  m.op(tfl::BuiltinOperator::MAX_POOL_2D, {x}, {q}, tfl::BuiltinOptions::Pool2DOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreatePool2DOptions(b, tfl::Padding::SAME, 2, 3, 2, 3).Union();
       });
  m.op(tfl::BuiltinOperator::ADD, {p, q}, {y});
  m.inputs = {x};
  m.outputs = {y};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  REQUIRE(r->model().operators.size() == 3);
  const fb::Pool2DOptionsT* avg = r->op(0).options.AsPool2DOptions();
  REQUIRE(avg != nullptr);
  CHECK(r->op(0).code == fb::OpCode::AVERAGE_POOL_2D);
  CHECK(avg->padding == fb::Padding::VALID);
  CHECK(avg->stride_h == 3);
  CHECK(avg->stride_w == 2);
  CHECK(avg->filter_h == 3);
  CHECK(avg->filter_w == 2);
  CHECK(r->op(0).activation == fb::Activation::RELU);
  CHECK(r->op(1).code == fb::OpCode::MAX_POOL_2D);
  CHECK(r->op(1).options.AsPool2DOptions()->padding == fb::Padding::SAME);
  CHECK(r->op(2).code == fb::OpCode::ADD);
  CHECK(r->op(2).activation == fb::Activation::NONE);
}

TEST_CASE("tflite import reads RESIZE flags from the options, not the op version") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 4, 3, 2});
  const int size = m.i32("size", {2}, {8, 6});
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, {1, 8, 6, 2});
  const int z = m.tensor("z", tfl::TensorType::FLOAT32, {1, 8, 6, 2});
  // Version 1 of RESIZE_BILINEAR predates half_pixel_centers; the flag still counts.
  m.op(tfl::BuiltinOperator::RESIZE_BILINEAR, {x, size}, {y},
       tfl::BuiltinOptions::ResizeBilinearOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateResizeBilinearOptions(b, /*align_corners=*/false,
                                                 /*half_pixel_centers=*/true)
             .Union();
       })
      .version = 1;
  m.op(tfl::BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, {x, size}, {z},
       tfl::BuiltinOptions::ResizeNearestNeighborOptions, [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateResizeNearestNeighborOptions(b, true, false).Union();
       });
  m.inputs = {x};
  m.outputs = {y, z};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  CHECK(r->model().tensors.size() == 3);
  const fb::ResizeOptionsT* bilinear = r->op(0).options.AsResizeOptions();
  REQUIRE(bilinear != nullptr);
  CHECK(r->op(0).code == fb::OpCode::RESIZE_BILINEAR);
  CHECK(r->op(0).inputs.size() == 1);
  CHECK(bilinear->new_height == 8);
  CHECK(bilinear->new_width == 6);
  CHECK(bilinear->half_pixel_centers);
  CHECK_FALSE(bilinear->align_corners);
  const fb::ResizeOptionsT* nearest = r->op(1).options.AsResizeOptions();
  REQUIRE(nearest != nullptr);
  CHECK(r->op(1).code == fb::OpCode::RESIZE_NEAREST_NEIGHBOR);
  CHECK(nearest->align_corners);
  CHECK_FALSE(nearest->half_pixel_centers);
  CHECK(nearest->new_height == 8);
  CHECK(nearest->new_width == 6);
}

TEST_CASE("tflite import takes RESHAPE's shape from the shape tensor or the options") {
  auto options = [](std::vector<int32_t> shape) -> OptionsFn {
    return [shape](flatbuffers::FlatBufferBuilder& b) {
      return tfl::CreateReshapeOptionsDirect(b, &shape).Union();
    };
  };
  auto reshape_of = [](Imported& r) { return r.op(0).options.AsReshapeOptions()->new_shape; };

  SUBCASE("options only") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 3});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {1, 6});
    m.op(tfl::BuiltinOperator::RESHAPE, {x}, {y}, tfl::BuiltinOptions::ReshapeOptions,
         options({1, -1}));
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    REQUIRE(r->status.ok());
    CHECK(reshape_of(*r) == std::vector<int32_t>{1, -1});
  }
  SUBCASE("a 1-D INT32 shape tensor wins over the options") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 3});
    const int s = m.i32("s", {2}, {3, 2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {3, 2});
    m.op(tfl::BuiltinOperator::RESHAPE, {x, s}, {y}, tfl::BuiltinOptions::ReshapeOptions,
         options({6}));
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    REQUIRE(r->status.ok());
    CHECK(reshape_of(*r) == std::vector<int32_t>{3, 2});
    CHECK(r->op(0).inputs.size() == 1);
  }
  SUBCASE("a shape tensor that is not 1-D INT32 leaves the options in charge") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 3});
    const int s = m.i64("s", {2}, {3, 2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {6});
    m.op(tfl::BuiltinOperator::RESHAPE, {x, s}, {y}, tfl::BuiltinOptions::ReshapeOptions,
         options({6}));
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    REQUIRE(r->status.ok());
    CHECK(reshape_of(*r) == std::vector<int32_t>{6});
  }
  SUBCASE("the legacy [0] means a scalar") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 1});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {});
    m.op(tfl::BuiltinOperator::RESHAPE, {x}, {y}, tfl::BuiltinOptions::ReshapeOptions,
         options({0}));
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    REQUIRE(r->status.ok());
    CHECK(reshape_of(*r).empty());
  }
  SUBCASE("a shape computed at run time cannot be converted") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 3});
    const int s = m.tensor("s", tfl::TensorType::INT32, {2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {3, 2});
    m.op(tfl::BuiltinOperator::RESHAPE, {x, s}, {y});
    m.inputs = {x, s};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    CHECK(contains(r->status.message(),
                   "op 0 RESHAPE (the shape (input 1, tensor 1 's') is computed at run time"));
  }
}

TEST_CASE("tflite import turns slice, strided slice, transpose and mean parameters into options") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 4, 6, 8});
  const int begin = m.i64("begin", {4}, {0, 1, 2, 3});
  const int size = m.i64("size", {4}, {1, -1, 2, 3});
  const int sliced = m.tensor("sliced", tfl::TensorType::FLOAT32, {1, 3, 2, 3});
  const int sb = m.i32("sb", {4}, {0, 0, 1, 0});
  const int se = m.i32("se", {4}, {1, 4, 6, 8});
  const int ss = m.i32("ss", {4}, {1, 2, 2, 1});
  const int strided = m.tensor("strided", tfl::TensorType::FLOAT32, {2, 3, 8});
  const int perm = m.i32("perm", {3}, {2, 0, 1});
  const int transposed = m.tensor("transposed", tfl::TensorType::FLOAT32, {8, 2, 3});
  const int axes = m.i32("axes", {2}, {0, -1});
  const int mean = m.tensor("mean", tfl::TensorType::FLOAT32, {1, 2, 1});
  m.op(tfl::BuiltinOperator::SLICE, {x, begin, size}, {sliced});
  m.op(tfl::BuiltinOperator::STRIDED_SLICE, {x, sb, se, ss}, {strided},
       tfl::BuiltinOptions::StridedSliceOptions, [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateStridedSliceOptions(b, /*begin_mask=*/2, /*end_mask=*/4,
                                               /*ellipsis_mask=*/0, /*new_axis_mask=*/0,
                                               /*shrink_axis_mask=*/1, /*offset=*/true)
             .Union();
       });
  m.op(tfl::BuiltinOperator::TRANSPOSE, {strided, perm}, {transposed});
  m.op(
      tfl::BuiltinOperator::MEAN, {transposed, axes}, {mean}, tfl::BuiltinOptions::ReducerOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return tfl::CreateReducerOptions(b, true).Union(); });
  m.inputs = {x};
  m.outputs = {sliced, mean};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  CHECK(r->model().tensors.size() == 5);
  for (size_t i = 0; i < 4; ++i) CHECK(r->op(i).inputs.size() == 1);

  const fb::SliceOptionsT* slice = r->op(0).options.AsSliceOptions();
  REQUIRE(slice != nullptr);
  CHECK(slice->begin == std::vector<int32_t>{0, 1, 2, 3});
  CHECK(slice->size == std::vector<int32_t>{1, -1, 2, 3});

  const fb::StridedSliceOptionsT* strided_opts = r->op(1).options.AsStridedSliceOptions();
  REQUIRE(strided_opts != nullptr);
  CHECK(strided_opts->begin == std::vector<int32_t>{0, 0, 1, 0});
  CHECK(strided_opts->end == std::vector<int32_t>{1, 4, 6, 8});
  CHECK(strided_opts->strides == std::vector<int32_t>{1, 2, 2, 1});
  CHECK(strided_opts->begin_mask == 2);
  CHECK(strided_opts->end_mask == 4);
  CHECK(strided_opts->shrink_axis_mask == 1);
  CHECK(strided_opts->offset);

  REQUIRE(r->op(2).options.AsTransposeOptions() != nullptr);
  CHECK(r->op(2).options.AsTransposeOptions()->perm == std::vector<int32_t>{2, 0, 1});

  const fb::ReduceOptionsT* reduce = r->op(3).options.AsReduceOptions();
  REQUIRE(reduce != nullptr);
  CHECK(r->op(3).code == fb::OpCode::MEAN);
  CHECK(reduce->axes == std::vector<int32_t>{0, -1});
  CHECK(reduce->keep_dims);
}

TEST_CASE("tflite import reports STRIDED_SLICE masks edgert lacks") {
  for (int which = 0; which < 2; ++which) {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {4});
    const int b = m.i32("b", {1}, {0});
    const int e = m.i32("e", {1}, {2});
    const int s = m.i32("s", {1}, {1});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {2});
    m.op(tfl::BuiltinOperator::STRIDED_SLICE, {x, b, e, s}, {y},
         tfl::BuiltinOptions::StridedSliceOptions, [which](flatbuffers::FlatBufferBuilder& fbb) {
           return tfl::CreateStridedSliceOptions(fbb, 0, 0, which == 0 ? 1 : 0, which == 1 ? 1 : 0)
               .Union();
         });
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    CHECK(contains(r->status.message(), which == 0 ? "op 0 STRIDED_SLICE (ellipsis_mask 1)"
                                                   : "op 0 STRIDED_SLICE (new_axis_mask 1)"));
  }
}

TEST_CASE("tflite import checks TRANSPOSE_CONV's output shape against edgert's size rule") {
  auto model = [](tfl::Padding padding, std::vector<int32_t> out_shape, bool bias) {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 4, 5, 2});
    const int w = m.f32("w", {3, 3, 3, 2}, std::vector<float>(54, 1.0f));
    const int b = m.f32("b", {3}, {1, 2, 3});
    const int shape = m.i32("out_shape", {4}, out_shape);
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, out_shape);
    std::vector<int32_t> inputs = {shape, w, x};
    if (bias) inputs.push_back(b);
    m.op(tfl::BuiltinOperator::TRANSPOSE_CONV, inputs, {y},
         tfl::BuiltinOptions::TransposeConvOptions, [padding](flatbuffers::FlatBufferBuilder& fbb) {
           return tfl::CreateTransposeConvOptions(fbb, padding, /*stride_w=*/2, /*stride_h=*/3,
                                                  tfl::ActivationFunctionType::RELU)
               .Union();
         });
    m.inputs = {x};
    m.outputs = {y};
    return m.finish();
  };
  SUBCASE("SAME: in * stride") {
    auto r = import_bytes(model(tfl::Padding::SAME, {1, 12, 10, 3}, true));
    REQUIRE(r->status.ok());
    const fb::OperatorT& op = r->op(0);
    CHECK(op.code == fb::OpCode::TRANSPOSE_CONV);
    CHECK(op.activation == fb::Activation::RELU);
    REQUIRE(op.inputs.size() == 3);
    CHECK(r->op_input(0, 0).name == "x");
    CHECK(r->op_input(0, 1).name == "w");
    CHECK(r->op_input(0, 2).name == "b");
    const fb::TransposeConvOptionsT* o = op.options.AsTransposeConvOptions();
    REQUIRE(o != nullptr);
    CHECK(o->padding == fb::Padding::SAME);
    CHECK(o->stride_h == 3);
    CHECK(o->stride_w == 2);
  }
  SUBCASE("VALID: (in - 1) * stride + K, without bias") {
    auto r = import_bytes(model(tfl::Padding::VALID, {1, 12, 11, 3}, false));
    REQUIRE(r->status.ok());
    REQUIRE(r->op(0).inputs.size() == 3);
    CHECK(r->op(0).inputs[2] == -1);
    CHECK(r->op(0).options.AsTransposeConvOptions()->padding == fb::Padding::VALID);
  }
  SUBCASE("another output shape cannot be converted") {
    auto r = import_bytes(model(tfl::Padding::SAME, {1, 11, 10, 3}, true));
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    CHECK(contains(r->status.message(),
                   "op 0 TRANSPOSE_CONV (output shape [1,11,10,3] differs from [1,12,10,3], the "
                   "size edgert gives for SAME padding)"));
  }
}

TEST_CASE("tflite import derives the depthwise multiplier and copies float options") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 5, 5, 2});
  const int w = m.f32("w", {1, 3, 3, 4}, std::vector<float>(36, 0.5f));
  const int dw = m.tensor("dw", tfl::TensorType::FLOAT32, {1, 5, 5, 4});
  const int fw = m.f32("fw", {3, 100}, std::vector<float>(300, 0.25f));
  const int fc = m.tensor("fc", tfl::TensorType::FLOAT32, {1, 3});
  const int sm = m.tensor("sm", tfl::TensorType::FLOAT32, {1, 3});
  const int lr = m.tensor("lr", tfl::TensorType::FLOAT32, {1, 3});
  const int sm0 = m.tensor("sm0", tfl::TensorType::FLOAT32, {1, 3});
  const int pads = m.i32("pads", {2, 2}, {1, 0, 0, 2});
  const int value = m.f32("value", {}, {-3.5f});
  const int padded = m.tensor("padded", tfl::TensorType::FLOAT32, {2, 5});
  // The file's depth_multiplier (0) is wrong; TFLite and edgert use filter C / input C.
  m.op(tfl::BuiltinOperator::DEPTHWISE_CONV_2D, {x, w, -1}, {dw},
       tfl::BuiltinOptions::DepthwiseConv2DOptions, [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateDepthwiseConv2DOptions(b, tfl::Padding::SAME, 1, 1, 0,
                                                  tfl::ActivationFunctionType::RELU6, 2, 3)
             .Union();
       });
  m.op(tfl::BuiltinOperator::FULLY_CONNECTED, {dw, fw}, {fc},
       tfl::BuiltinOptions::FullyConnectedOptions, [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateFullyConnectedOptions(b, tfl::ActivationFunctionType::RELU_N1_TO_1,
                                                 tfl::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                                 true)
             .Union();
       });
  m.op(
      tfl::BuiltinOperator::SOFTMAX, {fc}, {sm}, tfl::BuiltinOptions::SoftmaxOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return tfl::CreateSoftmaxOptions(b, 0.5f).Union(); });
  m.op(tfl::BuiltinOperator::LEAKY_RELU, {sm}, {lr}, tfl::BuiltinOptions::LeakyReluOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateLeakyReluOptions(b, 0.125f).Union();
       });
  m.op(tfl::BuiltinOperator::SOFTMAX, {lr}, {sm0});  // No options: TFLite runs it with beta 0.
  m.op(tfl::BuiltinOperator::PADV2, {sm0, pads, value}, {padded});
  m.inputs = {x};
  m.outputs = {padded};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  REQUIRE(r->model().operators.size() == 6);

  const fb::DepthwiseConv2DOptionsT* d = r->op(0).options.AsDepthwiseConv2DOptions();
  REQUIRE(d != nullptr);
  CHECK(d->depth_multiplier == 2);
  CHECK(d->dilation_w == 2);
  CHECK(d->dilation_h == 3);
  CHECK(r->op(0).activation == fb::Activation::RELU6);
  REQUIRE(r->op(0).inputs.size() == 3);
  CHECK(r->op(0).inputs[2] == -1);

  CHECK(r->op(1).code == fb::OpCode::FULLY_CONNECTED);
  CHECK(r->op(1).activation == fb::Activation::RELU_N1_TO_1);
  REQUIRE(r->op(1).options.AsFullyConnectedOptions() != nullptr);
  CHECK(r->op(1).options.AsFullyConnectedOptions()->keep_num_dims);
  CHECK(r->op(1).inputs.size() == 3);
  CHECK(r->op(1).inputs[2] == -1);

  CHECK(r->op(2).options.AsSoftmaxOptions()->beta == 0.5f);
  CHECK(r->op(3).options.AsLeakyReluOptions()->alpha == 0.125f);
  CHECK(r->op(4).options.AsSoftmaxOptions()->beta == 0.0f);

  CHECK(r->op(5).code == fb::OpCode::PAD);
  CHECK(r->op(5).inputs.size() == 1);
  CHECK(r->op(5).options.AsPadOptions()->paddings == std::vector<int32_t>{1, 0, 0, 2});
  CHECK(r->op(5).options.AsPadOptions()->constant_value == -3.5f);
}

TEST_CASE("tflite import maps unary, binary and layout ops onto their edgert codes") {
  const std::pair<tfl::BuiltinOperator, fb::OpCode> unary[] = {
      {tfl::BuiltinOperator::LOGISTIC, fb::OpCode::LOGISTIC},
      {tfl::BuiltinOperator::TANH, fb::OpCode::TANH},
      {tfl::BuiltinOperator::RELU, fb::OpCode::RELU},
      {tfl::BuiltinOperator::RELU6, fb::OpCode::RELU6},
      {tfl::BuiltinOperator::HARD_SWISH, fb::OpCode::HARD_SWISH},
  };
  const std::pair<tfl::BuiltinOperator, fb::OpCode> binary[] = {
      {tfl::BuiltinOperator::SUB, fb::OpCode::SUB},
      {tfl::BuiltinOperator::MUL, fb::OpCode::MUL},
      {tfl::BuiltinOperator::DIV, fb::OpCode::DIV},
      {tfl::BuiltinOperator::MAXIMUM, fb::OpCode::MAXIMUM},
      {tfl::BuiltinOperator::MINIMUM, fb::OpCode::MINIMUM},
      {tfl::BuiltinOperator::PRELU, fb::OpCode::PRELU},
  };
  TflMaker m;
  int cur = m.tensor("x", tfl::TensorType::FLOAT32, {1, 2, 2, 4});
  m.inputs = {cur};
  const int c = m.f32("c", {4}, {1, 2, 3, 4});
  int n = 0;
  auto next = [&](std::vector<int32_t> shape = {1, 2, 2, 4}) {
    return m.tensor("t" + std::to_string(n++), tfl::TensorType::FLOAT32, std::move(shape));
  };
  std::vector<fb::OpCode> expected;
  for (const auto& [from, to] : unary) {
    const int y = next();
    m.op(from, {cur}, {y});
    expected.push_back(to);
    cur = y;
  }
  for (const auto& [from, to] : binary) {
    const int y = next();
    m.op(from, {cur, c}, {y});
    expected.push_back(to);
    cur = y;
  }
  const int d2s = next({1, 4, 4, 1});
  m.op(tfl::BuiltinOperator::DEPTH_TO_SPACE, {cur}, {d2s}, tfl::BuiltinOptions::DepthToSpaceOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateDepthToSpaceOptions(b, 2).Union();
       });
  expected.push_back(fb::OpCode::DEPTH_TO_SPACE);
  const int s2d = next();
  m.op(tfl::BuiltinOperator::SPACE_TO_DEPTH, {d2s}, {s2d}, tfl::BuiltinOptions::SpaceToDepthOptions,
       [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateSpaceToDepthOptions(b, 2).Union();
       });
  expected.push_back(fb::OpCode::SPACE_TO_DEPTH);
  const int cat = next({1, 2, 2, 8});
  m.op(tfl::BuiltinOperator::CONCATENATION, {s2d, cur}, {cat},
       tfl::BuiltinOptions::ConcatenationOptions, [](flatbuffers::FlatBufferBuilder& b) {
         return tfl::CreateConcatenationOptions(b, -1, tfl::ActivationFunctionType::RELU).Union();
       });
  expected.push_back(fb::OpCode::CONCATENATION);
  m.outputs = {cat};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  REQUIRE(r->model().operators.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(r->op(i).code == expected[i]);
  }
  const size_t nu = std::size(unary);
  CHECK(r->op(nu + std::size(binary) - 1).inputs.size() == 2);  // PRELU: input and alpha.
  CHECK(r->op(nu + std::size(binary)).options.AsSpaceDepthOptions()->block_size == 2);
  const fb::OperatorT& concat = r->op(expected.size() - 1);
  CHECK(concat.inputs.size() == 2);
  CHECK(concat.options.AsConcatenationOptions()->axis == -1);
  CHECK(concat.activation == fb::Activation::RELU);
}

TEST_CASE("tflite import takes the larger of the two op code fields") {
  SUBCASE("an older writer sets only the byte field") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {2});
    TflOp& op = m.op(tfl::BuiltinOperator::ADD, {x}, {y});     // builtin_code 0 ...
    op.deprecated_code = int(tfl::BuiltinOperator::LOGISTIC);  // ... and the byte field says 14.
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    REQUIRE(r->status.ok());
    CHECK(r->op(0).code == fb::OpCode::LOGISTIC);
  }
  SUBCASE("codes beyond 127 live in the int field only") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {2});
    const int z = m.tensor("z", tfl::TensorType::FLOAT32, {2});
    m.op(tfl::BuiltinOperator::GELU, {x}, {y});  // Byte field: 127, the placeholder.
    m.op(tfl::BuiltinOperator(300), {y}, {z});   // A code this schema does not know.
    m.inputs = {x};
    m.outputs = {z};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    REQUIRE(r->report.unsupported.size() == 2);
    CHECK(r->report.unsupported[0].op_name == "GELU");
    CHECK(r->report.unsupported[1].op_name == "BUILTIN_300");
    CHECK(
        contains(r->status.message(), "op 0 GELU (no edgert op); op 1 BUILTIN_300 (no edgert op)"));
  }
}

TEST_CASE("tflite import collects every unsupported op and fails once") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 4, 4, 2});
  const int w16 = m.constant("w16", tfl::TensorType::INT16, {2}, {0, 60, 0, 64});
  const int w = m.tensor("w", tfl::TensorType::FLOAT32, {2});
  const int a = m.tensor("a", tfl::TensorType::FLOAT32, {1, 4, 4, 2});
  const int bias = m.f32("bias", {2}, {0, 0});
  const int filter = m.f32("filter", {2, 3, 3, 2}, std::vector<float>(36, 1.0f));
  const int b = m.tensor("b", tfl::TensorType::FLOAT32, {1, 8, 8, 2});
  const int c = m.tensor("c", tfl::TensorType::FLOAT32, {1, 8, 8, 2});
  const int q = m.tensor("q", tfl::TensorType::INT8, {2});
  const int s = m.tensor("s", tfl::TensorType::FLOAT32, {8, 8, 2});
  const int i16 = m.tensor("i16", tfl::TensorType::INT16, {2});
  const int i16b = m.tensor("i16b", tfl::TensorType::INT16, {2});
  const int t = m.tensor("t", tfl::TensorType::FLOAT32, {8, 8, 2});
  const int u = m.tensor("u", tfl::TensorType::FLOAT32, {8, 8, 2});
  m.op(tfl::BuiltinOperator::DEQUANTIZE, {w16}, {w});  // 0: of INT16
  m.op(tfl::BuiltinOperator::ADD, {x, w}, {a});        // 1: fine
  // 2: SAME with stride 3 over 4 pixels: MediaPipe makes 10 of them, edgert 12.
  TflOp& tcb = m.op(tfl::BuiltinOperator::CUSTOM, {a, filter, bias}, {b});
  tcb.custom = "Convolution2DTransposeBias";
  tcb.custom_options = {1, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0};
  m.op(tfl::BuiltinOperator::CUSTOM, {b}, {c}).custom = "MyOwnOp";               // 3
  m.op(tfl::BuiltinOperator::QUANTIZE, {i16}, {q});                              // 4: of INT16
  m.op(tfl::BuiltinOperator::SQUEEZE, {c}, {s});                                 // 5
  m.op(tfl::BuiltinOperator::ADD, {i16, i16}, {i16b});                           // 6
  m.op(tfl::BuiltinOperator::SUB, {s, s}, {t}, tfl::BuiltinOptions::SubOptions,  // 7
       [](flatbuffers::FlatBufferBuilder& fbb) {
         return tfl::CreateSubOptions(fbb, tfl::ActivationFunctionType::TANH).Union();
       });
  m.op(tfl::BuiltinOperator::RELU, {t}, {u});  // 8: fine
  m.inputs = {x, i16};
  m.outputs = {q, u, i16b};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.code() == ERT_UNSUPPORTED);

  // Graph inputs are created first, then the ops run in order, then the graph outputs.
  const std::vector<std::pair<int, std::string>> expected = {
      {-1, "graph input 1"},
      {0, "DEQUANTIZE"},
      {2, "CUSTOM 'Convolution2DTransposeBias'"},
      {3, "CUSTOM 'MyOwnOp'"},
      {4, "QUANTIZE"},
      {5, "SQUEEZE"},
      {6, "ADD"},
      {7, "SUB"},
      {-1, "graph output 2"},
  };
  REQUIRE(r->report.unsupported.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(r->report.unsupported[i].op_index == expected[i].first);
    CHECK(r->report.unsupported[i].op_name == expected[i].second);
    CHECK(!r->report.unsupported[i].reason.empty());
  }
  const std::string& msg = r->status.message();
  CHECK(msg.rfind("7 ops and 2 graph inputs/outputs cannot be converted (1 DEQUANTIZE, 1 CUSTOM "
                  "'Convolution2DTransposeBias', 1 CUSTOM 'MyOwnOp', 1 QUANTIZE, 1 SQUEEZE, 1 ADD, "
                  "1 SUB): graph input 1 (tensor 10 'i16' has dtype INT16, which edgert cannot "
                  "hold); op 0 DEQUANTIZE (input 0: tensor 1 'w16' has dtype INT16",
                  0) == 0);
  CHECK(contains(msg,
                 "; op 2 CUSTOM 'Convolution2DTransposeBias' (MediaPipe's output size "
                 "[1,10,10,2] differs from [1,12,12,2], the size edgert gives for SAME padding)"));
  CHECK(contains(msg, "; op 3 CUSTOM 'MyOwnOp' (unknown custom op)"));
  CHECK(contains(msg, "; op 4 QUANTIZE (input 0: tensor 10 'i16' has dtype INT16"));
  CHECK(contains(msg, "; op 5 SQUEEZE (no edgert op)"));
  CHECK(contains(msg,
                 "; op 6 ADD (input 0: tensor 10 'i16' has dtype INT16, which edgert cannot "
                 "hold)"));
  CHECK(contains(msg, "; op 7 SUB (fused activation TANH)"));
  CHECK(contains(msg, "; graph output 2 (tensor 11 'i16b' has dtype INT16"));
  // The ops that could be mapped were, so a later pass sees all of them at once.
  REQUIRE(r->model().operators.size() == 2);
  CHECK(r->op(0).code == fb::OpCode::ADD);
  CHECK(r->op(1).code == fb::OpCode::RELU);
}

TEST_CASE("tflite import reads constants stored after the FlatBuffer") {
  auto model = [](uint64_t offset, uint64_t size) {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {3});
    const int c = m.constant("c", tfl::TensorType::FLOAT32, {3}, {});
    m.external[m.tensors[size_t(c)].buffer] = {offset, size};
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {3});
    m.op(tfl::BuiltinOperator::MUL, {x, c}, {y});
    m.inputs = {x};
    m.outputs = {y};
    m.tail_offset = 4096;
    m.tail = bytes_of(std::vector<float>{1.5f, -2.0f, 8.0f});
    return m.finish();
  };
  SUBCASE("in range") {
    auto r = import_bytes(model(4096, 12));
    REQUIRE(r->status.ok());
    CHECK(segment_values<float>(*r, r->op(0).inputs[1]) == std::vector<float>{1.5f, -2.0f, 8.0f});
  }
  SUBCASE("beyond the end of the file") {
    auto r = import_bytes(model(4096, 16));
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "buffer 1: 16 bytes at offset 4096 lie beyond the end of "
                   "the 4108-byte file"));
    auto r2 = import_bytes(model(~uint64_t(0) - 3, 12));
    CHECK(r2->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r2->status.message(), "lie beyond the end"));
  }
}

TEST_CASE("tflite import maps dtypes and quantization") {
  TflMaker m;
  const std::pair<tfl::TensorType, fb::DType> types[] = {
      {tfl::TensorType::FLOAT32, fb::DType::F32}, {tfl::TensorType::FLOAT16, fb::DType::F16},
      {tfl::TensorType::INT8, fb::DType::I8},     {tfl::TensorType::UINT8, fb::DType::U8},
      {tfl::TensorType::INT32, fb::DType::I32},   {tfl::TensorType::INT64, fb::DType::I64},
      {tfl::TensorType::BOOL, fb::DType::BOOL},
  };
  for (const auto& [from, to] : types) {
    const int t = m.tensor(tfl::EnumNameTensorType(from), from, {2, 3});
    m.inputs.push_back(t);
    m.outputs.push_back(t);
  }
  // uint8 per-tensor activations and an int8 per-channel constant.
  const int x = m.tensor("xq", tfl::TensorType::UINT8, {1, 2, 2, 1});
  m.tensors[size_t(x)].scale = {0.5f};
  m.tensors[size_t(x)].zero_point = {128};
  const int w = m.constant("wq", tfl::TensorType::INT8, {3, 1, 1, 1}, {1, 2, 3});
  m.tensors[size_t(w)].scale = {0.1f, 0.2f, 0.3f};
  m.tensors[size_t(w)].zero_point = {0, 0, 0};
  m.tensors[size_t(w)].quantized_dimension = 0;
  const int b = m.i32("bq", {3}, {10, 20, 30});
  const int y = m.tensor("yq", tfl::TensorType::UINT8, {1, 2, 2, 3});
  m.tensors[size_t(y)].scale = {0.25f};
  m.tensors[size_t(y)].zero_point = {3};
  m.op(tfl::BuiltinOperator::CONV_2D, {x, w, b}, {y}, tfl::BuiltinOptions::Conv2DOptions,
       [](flatbuffers::FlatBufferBuilder& fbb) {
         return tfl::CreateConv2DOptions(fbb, tfl::Padding::VALID, 1, 1).Union();
       });
  m.inputs.push_back(x);
  m.outputs.push_back(y);
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  for (size_t i = 0; i < std::size(types); ++i) {
    CAPTURE(i);
    const fb::TensorT& t = r->tensor(r->model().inputs[i]);
    CHECK(t.dtype == types[i].second);
    CHECK(t.shape == std::vector<int32_t>{2, 3});
    CHECK(t.quantization == nullptr);
    CHECK(r->model().outputs[i] == r->model().inputs[i]);
  }
  const fb::TensorT& xq = r->op_input(0, 0);
  REQUIRE(xq.quantization != nullptr);
  CHECK(xq.quantization->scale == std::vector<float>{0.5f});
  CHECK(xq.quantization->zero_point == std::vector<int64_t>{128});
  CHECK(xq.quantization->axis == -1);
  const fb::TensorT& wq = r->op_input(0, 1);
  CHECK(wq.dtype == fb::DType::I8);
  REQUIRE(wq.quantization != nullptr);
  CHECK(wq.quantization->scale == std::vector<float>{0.1f, 0.2f, 0.3f});
  CHECK(wq.quantization->axis == 0);
  CHECK(segment_values<int8_t>(*r, r->op(0).inputs[1]) == std::vector<int8_t>{1, 2, 3});
  CHECK(r->op_input(0, 2).dtype == fb::DType::I32);
  CHECK(segment_values<int32_t>(*r, r->op(0).inputs[2]) == std::vector<int32_t>{10, 20, 30});
}

TEST_CASE("tflite import makes tensor names unique and present") {
  TflMaker m;
  const int a = m.tensor("same", tfl::TensorType::FLOAT32, {2});
  const int b = m.tensor("same", tfl::TensorType::FLOAT32, {2});
  const int c = m.tensor("", tfl::TensorType::FLOAT32, {2});
  m.op(tfl::BuiltinOperator::RELU, {a}, {b});
  m.op(tfl::BuiltinOperator::RELU, {b}, {c});
  m.inputs = {a};
  m.outputs = {c};
  auto r = import_bytes(m.finish());
  REQUIRE(r->status.ok());
  REQUIRE(r->model().tensors.size() == 3);
  CHECK(r->tensor(0).name == "same");
  CHECK(r->tensor(1).name == "same_1");
  CHECK(r->tensor(2).name == "tensor_2");
}

// ---- Folded ops and custom ops ------------------------------------------------------------------

namespace {

// Plans, writes, loads and runs an imported model on input 0 = x; returns every output.
std::vector<std::vector<float>> run_imported(Imported& r, const std::vector<float>& x) {
  ert::cvt::PassReport passes;
  const Status ps = ert::cvt::run_passes(&r.builder, ert::cvt::PassOptions(), &passes);
  REQUIRE_MESSAGE(ps.ok(), ps.to_string());
  std::vector<uint8_t> file;
  const Status fs = r.builder.finish(&file);
  REQUIRE_MESSAGE(fs.ok(), fs.to_string());
  ert::testing::AlignedBuffer buffer(file);
  std::unique_ptr<ert::rt::Model> model;
  const Status ls = ert::rt::Model::load_buffer(buffer.data(), buffer.size(), &model);
  REQUIRE_MESSAGE(ls.ok(), ls.to_string());
  std::unique_ptr<ert::rt::Interpreter> it;
  const Status cs = ert::rt::Interpreter::create(*model, {}, &it);
  REQUIRE_MESSAGE(cs.ok(), cs.to_string());
  REQUIRE(it->input(0)->bytes == x.size() * sizeof(float));
  std::memcpy(it->input(0)->data, x.data(), it->input(0)->bytes);
  const Status is = it->invoke();
  REQUIRE_MESSAGE(is.ok(), is.to_string());
  std::vector<std::vector<float>> out;
  for (size_t i = 0; i < it->output_count(); ++i) {
    const ert::rt::Tensor& y = *it->output(i);
    out.emplace_back(y.data_as<float>(), y.data_as<float>() + y.bytes / sizeof(float));
  }
  return out;
}

// A [2,3] FP16 constant stored sparsely: row 0 holds columns 0 and 2, row 1 column 1, with the
// values 1.5, -2 and 0.25 (FP16 0x3e00, 0xc000, 0x3400). Index arrays in the given types.
SparsityFn csr_2x3(tfl::SparseIndexVector segments_type, tfl::SparseIndexVector indices_type,
                   std::vector<int32_t> segments = {0, 2, 3},
                   std::vector<int32_t> indices = {0, 2, 1}) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    auto vector_of = [&b](tfl::SparseIndexVector type, const std::vector<int32_t>& v) {
      if (type == tfl::SparseIndexVector::Int32Vector) {
        return tfl::CreateInt32VectorDirect(b, &v).Union();
      }
      if (type == tfl::SparseIndexVector::Uint16Vector) {
        const std::vector<uint16_t> w(v.begin(), v.end());
        return tfl::CreateUint16VectorDirect(b, &w).Union();
      }
      const std::vector<uint8_t> w(v.begin(), v.end());
      return tfl::CreateUint8VectorDirect(b, &w).Union();
    };
    const auto seg = vector_of(segments_type, segments);
    const auto idx = vector_of(indices_type, indices);
    std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims = {
        tfl::CreateDimensionMetadata(b, tfl::DimensionType::DENSE, 2),
        tfl::CreateDimensionMetadata(b, tfl::DimensionType::SPARSE_CSR, 0, segments_type, seg,
                                     indices_type, idx)};
    const std::vector<int32_t> order = {0, 1};
    return tfl::CreateSparsityParametersDirect(b, &order, nullptr, &dims);
  };
}

// x [2,3] + DEQUANTIZE(DENSIFY(ws)) -> y, ws the sparse constant above.
TflMaker densify_model(SparsityFn sparsity) {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {2, 3});
  const int ws = m.constant("ws", tfl::TensorType::FLOAT16, {2, 3},
                            bytes_of(std::vector<uint16_t>{0x3e00, 0xc000, 0x3400}));
  m.tensors[size_t(ws)].sparsity = std::move(sparsity);
  const int wd = m.tensor("wd", tfl::TensorType::FLOAT16, {2, 3});
  const int w = m.tensor("w", tfl::TensorType::FLOAT32, {2, 3});
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, {2, 3});
  m.op(tfl::BuiltinOperator::DENSIFY, {ws}, {wd});
  m.op(tfl::BuiltinOperator::DEQUANTIZE, {wd}, {w});
  m.op(tfl::BuiltinOperator::ADD, {x, w}, {y});
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

}  // namespace

TEST_CASE("tflite import densifies sparse constants and drops DENSIFY") {
  const std::pair<tfl::SparseIndexVector, tfl::SparseIndexVector> types[] = {
      {tfl::SparseIndexVector::Uint8Vector, tfl::SparseIndexVector::Uint8Vector},
      {tfl::SparseIndexVector::Uint16Vector, tfl::SparseIndexVector::Int32Vector},
      {tfl::SparseIndexVector::Int32Vector, tfl::SparseIndexVector::Uint16Vector},
  };
  for (const auto& [segments_type, indices_type] : types) {
    CAPTURE(int(segments_type));
    CAPTURE(int(indices_type));
    auto r = import_bytes(densify_model(csr_2x3(segments_type, indices_type)).finish());
    REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
    REQUIRE(r->model().operators.size() == 2);
    CHECK(r->op(0).code == fb::OpCode::DEQUANTIZE);
    CHECK(r->op(1).code == fb::OpCode::ADD);
    const fb::TensorT& dense = r->op_input(0, 0);
    CHECK(dense.name == "wd");
    CHECK(dense.dtype == fb::DType::F16);
    CHECK(dense.shape == std::vector<int32_t>{2, 3});
    CHECK(segment_values<uint16_t>(*r, r->op(0).inputs[0]) ==
          std::vector<uint16_t>{0x3e00, 0, 0xc000, 0, 0x3400, 0});
    // The sparse constant itself is left out.
    for (const auto& t : r->model().tensors) CHECK(t->name != "ws");
    // Folded to f32 by the passes, it adds like any constant: x + [1.5, 0, -2, 0, 0.25, 0].
    const auto y = run_imported(*r, {1, 2, 3, 4, 5, 6});
    CHECK(y[0] == std::vector<float>{2.5f, 2, 1, 4, 5.25f, 6});
  }
}

TEST_CASE("tflite import rejects DENSIFY of anything but a consistent sparse constant") {
  const auto u8 = tfl::SparseIndexVector::Uint8Vector;
  SUBCASE("a dense constant") {
    TflMaker m = densify_model(nullptr);
    m.buffers[m.tensors[1].buffer] = bytes_of(std::vector<uint16_t>(6, 0x3c00));
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "op 0 (DENSIFY): input 0 (tensor 1 'ws') is not a sparse constant"));
  }
  SUBCASE("a coordinate beyond its dimension") {
    auto r = import_bytes(densify_model(csr_2x3(u8, u8, {0, 2, 3}, {0, 3, 1})).finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "op 0 (DENSIFY): input 0 (tensor 1 'ws'): level 1: "
                   "array_indices entry 1 is 3, outside 0..2"));
  }
  SUBCASE("more stored positions than values") {
    auto r = import_bytes(densify_model(csr_2x3(u8, u8, {0, 2, 4}, {0, 2, 1, 0})).finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(
        contains(r->status.message(), "the sparsity metadata stores 4 values, the buffer holds 3"));
  }
  SUBCASE("a compressed level without index arrays") {
    TflMaker m = densify_model([](flatbuffers::FlatBufferBuilder& b) {
      std::vector<flatbuffers::Offset<tfl::DimensionMetadata>> dims = {
          tfl::CreateDimensionMetadata(b, tfl::DimensionType::DENSE, 2),
          tfl::CreateDimensionMetadata(b, tfl::DimensionType::SPARSE_CSR)};
      const std::vector<int32_t> order = {0, 1};
      return tfl::CreateSparsityParametersDirect(b, &order, nullptr, &dims);
    });
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(), "level 1 is SPARSE_CSR but has no array_segments"));
  }
  SUBCASE("an output of another shape") {
    TflMaker m = densify_model(csr_2x3(u8, u8));
    m.tensors[2].shape = {3, 2};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "op 0 (DENSIFY): output 0 is FLOAT16 of shape [3,2], "
                   "the input FLOAT16 of shape [2,3]"));
  }
  SUBCASE("a sparse constant read without DENSIFY") {
    TflMaker m = densify_model(csr_2x3(u8, u8));
    m.ops.erase(m.ops.begin());
    m.ops[0].inputs = {1};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_UNSUPPORTED);
    CHECK(contains(r->status.message(),
                   "op 0 DEQUANTIZE (input 0: tensor 1 'ws' is a sparse "
                   "constant (it needs DENSIFY))"));
  }
}

TEST_CASE("tflite import maps QUANTIZE and DEQUANTIZE onto their edgert ops") {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {4});
  const int q = m.tensor("q", tfl::TensorType::INT8, {4});
  m.tensors[size_t(q)].scale = {0.5f};
  m.tensors[size_t(q)].zero_point = {-3};
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, {4});
  m.op(tfl::BuiltinOperator::QUANTIZE, {x}, {q});
  m.op(tfl::BuiltinOperator::DEQUANTIZE, {q}, {y});
  m.inputs = {x};
  m.outputs = {y};
  auto r = import_bytes(m.finish());
  REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
  REQUIRE(r->model().operators.size() == 2);
  CHECK(r->op(0).code == fb::OpCode::QUANTIZE);
  CHECK(r->op(1).code == fb::OpCode::DEQUANTIZE);
  CHECK(r->op(0).outputs == r->op(1).inputs);
  const fb::TensorT& qt = r->tensor(r->op(0).outputs[0]);
  CHECK(qt.dtype == fb::DType::I8);
  REQUIRE(qt.quantization != nullptr);
  CHECK(qt.quantization->scale == std::vector<float>{0.5f});
  CHECK(qt.quantization->zero_point == std::vector<int64_t>{-3});
  // Rounded to the nearest step of 0.5 and clamped to int8's range: -3 + 2x in [-128, 127].
  const auto out = run_imported(*r, {1.0f, -0.74f, 100.0f, -70.0f});
  CHECK(out[0] == std::vector<float>{1.0f, -0.5f, 65.0f, -62.5f});
}

namespace {

std::vector<uint8_t> le_int32s(const std::vector<int32_t>& v) {
  std::vector<uint8_t> b;
  for (int32_t x : v) {
    const uint32_t u = uint32_t(x);
    for (int k = 0; k < 4; ++k) b.push_back(uint8_t(u >> (8 * k)));
  }
  return b;
}

// Convolution2DTransposeBias on x [1,3,4,2] with weights [5,KH,KW,2] and bias [5].
TflMaker transpose_conv_bias_model(std::vector<uint8_t> options, int kh, int kw,
                                   std::vector<int32_t> out_shape) {
  TflMaker m;
  const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 3, 4, 2});
  std::vector<float> w(size_t(5 * kh * kw * 2));
  for (size_t i = 0; i < w.size(); ++i) w[i] = float(int(i % 7) - 3) * 0.25f;
  const int wt = m.f32("w", {5, kh, kw, 2}, w);
  const int b = m.f32("b", {5}, {0.5f, -1, 2, 0, 0.125f});
  const int y = m.tensor("y", tfl::TensorType::FLOAT32, std::move(out_shape));
  TflOp& op = m.op(tfl::BuiltinOperator::CUSTOM, {x, wt, b}, {y});
  op.custom = "Convolution2DTransposeBias";
  op.custom_options = std::move(options);
  m.inputs = {x};
  m.outputs = {y};
  return m;
}

// MediaPipe's transposed convolution, written out plainly: bias everywhere, then every input
// pixel scatters its weighted filter at (in * stride - pad / 2), pad as MediaPipe computes it.
std::vector<float> mediapipe_transpose_conv(const TflMaker& m, bool same, int stride_h,
                                            int stride_w, const std::vector<float>& x) {
  const std::vector<int32_t>& is = m.tensors[0].shape;
  const std::vector<int32_t>& fs = m.tensors[1].shape;
  const std::vector<int32_t>& os = m.tensors[3].shape;
  std::vector<float> w(m.buffers[m.tensors[1].buffer].size() / 4);
  std::memcpy(w.data(), m.buffers[m.tensors[1].buffer].data(), w.size() * 4);
  std::vector<float> bias(5);
  std::memcpy(bias.data(), m.buffers[m.tensors[2].buffer].data(), 20);
  const int pad_h = same ? std::max(0, fs[1] - (is[1] - 1) % stride_h - 1) / 2 : 0;
  const int pad_w = same ? std::max(0, fs[2] - (is[2] - 1) % stride_w - 1) / 2 : 0;
  std::vector<float> y(size_t(os[1] * os[2] * os[3]));
  for (int oy = 0; oy < os[1]; ++oy)
    for (int ox = 0; ox < os[2]; ++ox)
      for (int co = 0; co < os[3]; ++co) y[size_t((oy * os[2] + ox) * os[3] + co)] = bias[co];
  for (int iy = 0; iy < is[1]; ++iy)
    for (int ix = 0; ix < is[2]; ++ix)
      for (int ci = 0; ci < is[3]; ++ci)
        for (int ky = 0; ky < fs[1]; ++ky)
          for (int kx = 0; kx < fs[2]; ++kx)
            for (int co = 0; co < fs[0]; ++co) {
              const int oy = iy * stride_h - pad_h + ky;
              const int ox = ix * stride_w - pad_w + kx;
              if (oy < 0 || oy >= os[1] || ox < 0 || ox >= os[2]) continue;
              y[size_t((oy * os[2] + ox) * os[3] + co)] +=
                  x[size_t((iy * is[2] + ix) * is[3] + ci)] *
                  w[size_t(((co * fs[1] + ky) * fs[2] + kx) * fs[3] + ci)];
            }
  return y;
}

}  // namespace

TEST_CASE("tflite import maps MediaPipe's Convolution2DTransposeBias onto TRANSPOSE_CONV") {
  std::vector<float> x(24);
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(int(i % 5) - 2) * 0.5f;
  SUBCASE("SAME (1), stride_w 2 and stride_h 3, as MediaPipe computes it") {
    // Height: 3 * 3 = 9 (K 3 >= stride 3, 3 % 3 == 0); width: 4 * 2 = 8 (K 4: crops 1 first).
    const TflMaker m = transpose_conv_bias_model(le_int32s({1, 2, 3}), 3, 4, {1, 9, 8, 5});
    auto r = import_bytes(m.finish());
    REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
    REQUIRE(r->model().operators.size() == 1);
    const fb::OperatorT& op = r->op(0);
    CHECK(op.code == fb::OpCode::TRANSPOSE_CONV);
    CHECK(op.activation == fb::Activation::NONE);
    REQUIRE(op.inputs.size() == 3);
    CHECK(r->op_input(0, 0).name == "x");
    CHECK(r->op_input(0, 1).name == "w");
    CHECK(r->op_input(0, 2).name == "b");
    const fb::TransposeConvOptionsT* o = op.options.AsTransposeConvOptions();
    REQUIRE(o != nullptr);
    CHECK(o->padding == fb::Padding::SAME);
    CHECK(o->stride_h == 3);
    CHECK(o->stride_w == 2);
    const std::vector<float> want = mediapipe_transpose_conv(m, true, 3, 2, x);
    const std::vector<float> got = run_imported(*r, x)[0];
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-5));
    }
  }
  SUBCASE("VALID (2) and unknown (0): no padding, (in - 1) * stride + K") {
    for (int32_t padding : {2, 0}) {
      CAPTURE(padding);
      const TflMaker m = transpose_conv_bias_model(le_int32s({padding, 2, 3}), 2, 3, {1, 8, 9, 5});
      auto r = import_bytes(m.finish());
      REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
      CHECK(r->op(0).options.AsTransposeConvOptions()->padding == fb::Padding::VALID);
      const std::vector<float> want = mediapipe_transpose_conv(m, false, 3, 2, x);
      const std::vector<float> got = run_imported(*r, x)[0];
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("tflite import rejects Convolution2DTransposeBias it cannot map") {
  struct Case {
    const char* what;
    std::vector<uint8_t> options;
    int kh;
    std::vector<int32_t> out_shape;
    ert_status code;
    const char* message;
  };
  const Case cases[] = {
      {"short options",
       le_int32s({1, 2}),
       3,
       {1, 9, 8, 5},
       ERT_INVALID_MODEL,
       "op 0 (CUSTOM 'Convolution2DTransposeBias'): custom options hold 8 bytes, need 12"},
      {"unknown padding",
       le_int32s({3, 2, 3}),
       3,
       {1, 9, 8, 5},
       ERT_INVALID_MODEL,
       "op 0 (CUSTOM 'Convolution2DTransposeBias'): unknown padding 3"},
      {"zero stride",
       le_int32s({1, 2, 0}),
       3,
       {1, 9, 8, 5},
       ERT_INVALID_MODEL,
       "strides 0x2 must be at least 1"},
      {"declared output of another size",
       le_int32s({1, 2, 3}),
       3,
       {1, 9, 9, 5},
       ERT_INVALID_MODEL,
       "output shape [1,9,9,5] differs from [1,9,8,5], the size the op computes"},
      {"SAME with a kernel smaller than the stride",
       le_int32s({1, 2, 3}),
       2,
       {1, 8, 8, 5},
       ERT_UNSUPPORTED,
       "op 0 CUSTOM 'Convolution2DTransposeBias' (MediaPipe's output size [1,8,8,5] differs from "
       "[1,9,8,5], the size edgert gives for SAME padding)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    auto r = import_bytes(transpose_conv_bias_model(c.options, c.kh, 4, c.out_shape).finish());
    CHECK(r->status.code() == c.code);
    CHECK_MESSAGE(contains(r->status.message(), c.message), r->status.message());
  }
}

namespace {

std::vector<uint8_t> flex_map(const std::function<void(flexbuffers::Builder&)>& fill) {
  flexbuffers::Builder fbb;
  fbb.Map([&]() { fill(fbb); });
  fbb.Finish();
  return fbb.GetBuffer();
}

// Box encodings [1,6,4], scores [1,6,3] (background and 2 classes), anchors [6,4], and the four
// outputs with the shape [] TFLite's converter writes (one of them even typed UINT8).
TflMaker detection_model(std::vector<uint8_t> options) {
  TflMaker m;
  const int boxes = m.tensor("boxes", tfl::TensorType::FLOAT32, {1, 6, 4});
  const int scores = m.tensor("scores", tfl::TensorType::FLOAT32, {1, 6, 3});
  std::vector<float> anchors;
  for (int a = 0; a < 6; ++a) {
    const std::vector<float> anchor = {0.1f + 0.15f * float(a), 0.5f, 0.2f, 0.2f};
    anchors.insert(anchors.end(), anchor.begin(), anchor.end());
  }
  const int anchor = m.f32("anchors", {6, 4}, anchors);
  const int o0 = m.tensor("det_boxes", tfl::TensorType::FLOAT32, {});
  const int o1 = m.tensor("det_classes", tfl::TensorType::UINT8, {});
  const int o2 = m.tensor("det_scores", tfl::TensorType::FLOAT32, {});
  const int o3 = m.tensor("det_count", tfl::TensorType::FLOAT32, {});
  TflOp& op = m.op(tfl::BuiltinOperator::CUSTOM, {boxes, scores, anchor}, {o0, o1, o2, o3});
  op.custom = "TFLite_Detection_PostProcess";
  op.custom_options = std::move(options);
  m.inputs = {boxes, scores};
  m.outputs = {o0, o1, o2, o3};
  return m;
}

void standard_keys(flexbuffers::Builder& b) {
  b.Int("max_detections", 5);
  b.Int("num_classes", 2);
  b.Float("nms_iou_threshold", 0.5f);
  b.Float("y_scale", 10.0f);
  b.Float("x_scale", 10.0f);
  b.Float("h_scale", 5.0f);
  b.Float("w_scale", 5.0f);
}

}  // namespace

TEST_CASE("tflite import maps TFLite_Detection_PostProcess and sizes its outputs") {
  SUBCASE("every key given") {
    auto r = import_bytes(detection_model(flex_map([](flexbuffers::Builder& b) {
                            standard_keys(b);
                            b.Int("max_classes_per_detection", 2);
                            b.Int("detections_per_class", 3);
                            b.Double("nms_score_threshold", 0.25);
                            b.Bool("use_regular_nms", true);
                          })).finish());
    REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
    REQUIRE(r->model().operators.size() == 1);
    const fb::OperatorT& op = r->op(0);
    CHECK(op.code == fb::OpCode::DETECTION_POSTPROCESS);
    CHECK(op.inputs.size() == 3);
    const fb::DetectionPostprocessOptionsT* o = op.options.AsDetectionPostprocessOptions();
    REQUIRE(o != nullptr);
    CHECK(o->max_detections == 5);
    CHECK(o->max_classes_per_detection == 2);
    CHECK(o->detections_per_class == 3);
    CHECK(o->num_classes == 2);
    CHECK(o->nms_score_threshold == 0.25f);
    CHECK(o->nms_iou_threshold == 0.5f);
    CHECK(o->y_scale == 10.0f);
    CHECK(o->x_scale == 10.0f);
    CHECK(o->h_scale == 5.0f);
    CHECK(o->w_scale == 5.0f);
    CHECK(o->use_regular_nms);
    // D = 5 * 2; all outputs f32, whatever the file said.
    const std::vector<std::vector<int32_t>> shapes = {{1, 10, 4}, {1, 10}, {1, 10}, {1}};
    REQUIRE(op.outputs.size() == 4);
    for (size_t i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(r->tensor(op.outputs[i]).shape == shapes[i]);
      CHECK(r->tensor(op.outputs[i]).dtype == fb::DType::F32);
    }
  }
  SUBCASE("TFLite's defaults for missing keys, and the op runs") {
    auto r = import_bytes(detection_model(flex_map([](flexbuffers::Builder& b) {
                            standard_keys(b);
                            b.Int("max_classes_per_detection", 1);
                          })).finish());
    REQUIRE_MESSAGE(r->status.ok(), r->status.to_string());
    const fb::DetectionPostprocessOptionsT* o = r->op(0).options.AsDetectionPostprocessOptions();
    REQUIRE(o != nullptr);
    CHECK(o->detections_per_class == 100);
    CHECK_FALSE(o->use_regular_nms);
    CHECK(o->nms_score_threshold == 0.0f);
    // Zero box encodings decode to the anchors; anchor 2 scores best (class 1), anchor 4 next
    // (class 0); the others score 0, which a threshold of 0 keeps.
    std::vector<float> scores(18, 0.0f);
    scores[2 * 3 + 2] = 0.9f;
    scores[4 * 3 + 1] = 0.8f;
    // Two graph inputs: boxes (zeros) first, then the scores. run_imported fills input 0 only.
    ert::cvt::PassReport passes;
    REQUIRE(ert::cvt::run_passes(&r->builder, ert::cvt::PassOptions(), &passes).ok());
    std::vector<uint8_t> file;
    REQUIRE(r->builder.finish(&file).ok());
    ert::testing::AlignedBuffer buffer(file);
    std::unique_ptr<ert::rt::Model> model;
    REQUIRE(ert::rt::Model::load_buffer(buffer.data(), buffer.size(), &model).ok());
    std::unique_ptr<ert::rt::Interpreter> it;
    const Status cs = ert::rt::Interpreter::create(*model, {}, &it);
    REQUIRE_MESSAGE(cs.ok(), cs.to_string());
    std::memset(it->input(0)->data, 0, it->input(0)->bytes);
    REQUIRE(it->input(1)->bytes == scores.size() * 4);
    std::memcpy(it->input(1)->data, scores.data(), it->input(1)->bytes);
    REQUIRE(it->invoke().ok());
    REQUIRE(it->output(0)->bytes == 5 * 4 * 4);
    const float* boxes = it->output(0)->data_as<float>();
    const float* classes = it->output(1)->data_as<float>();
    const float* best = it->output(2)->data_as<float>();
    // Anchor 2: center y 0.4, x 0.5, size 0.2 -> (0.3, 0.4, 0.5, 0.6).
    CHECK(boxes[0] == doctest::Approx(0.3f));
    CHECK(boxes[1] == doctest::Approx(0.4f));
    CHECK(boxes[2] == doctest::Approx(0.5f));
    CHECK(boxes[3] == doctest::Approx(0.6f));
    CHECK(classes[0] == 1.0f);
    CHECK(best[0] == doctest::Approx(0.9f));
    CHECK(classes[1] == 0.0f);
    CHECK(best[1] == doctest::Approx(0.8f));
  }
}

TEST_CASE("tflite import rejects TFLite_Detection_PostProcess options it cannot read") {
  struct Case {
    const char* what;
    std::vector<uint8_t> options;
    ert_status code;
    const char* message;
  };
  flexbuffers::Builder vector_builder;
  vector_builder.Vector([&]() { vector_builder.Int(1); });
  vector_builder.Finish();
  const Case cases[] = {
      {"no options",
       {},
       ERT_INVALID_MODEL,
       "op 0 (CUSTOM 'TFLite_Detection_PostProcess'): has no custom options"},
      {"not a FlexBuffer",
       {1, 2, 3, 4, 5},
       ERT_INVALID_MODEL,
       "custom options (5 bytes) are not a valid FlexBuffer"},
      {"a FlexBuffer vector", vector_builder.GetBuffer(), ERT_INVALID_MODEL,
       "custom options are not a FlexBuffer map"},
      {"max_classes_per_detection missing",
       flex_map([](flexbuffers::Builder& b) { standard_keys(b); }), ERT_INVALID_MODEL,
       "max_detections 5 and max_classes_per_detection 0 must be at least 1 (a missing key "
       "reads as 0)"},
      {"too many detections", flex_map([](flexbuffers::Builder& b) {
         standard_keys(b);
         b.Int("max_classes_per_detection", 1 << 30);
       }),
       ERT_UNSUPPORTED,
       "max_detections 5 * max_classes_per_detection 1073741824 = 5368709120 detections, beyond "
       "edgert's limits"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    auto r = import_bytes(detection_model(c.options).finish());
    CHECK(r->status.code() == c.code);
    CHECK_MESSAGE(contains(r->status.message(), c.message), r->status.message());
  }
  SUBCASE("truncated FlexBuffers fail verification, never crash") {
    const std::vector<uint8_t> good = flex_map([](flexbuffers::Builder& b) {
      standard_keys(b);
      b.Int("max_classes_per_detection", 1);
    });
    for (size_t n = 1; n < good.size(); ++n) {
      CAPTURE(n);
      auto r = import_bytes(
          detection_model(std::vector<uint8_t>(good.end() - long(n), good.end())).finish());
      CHECK(r->status.code() != ERT_OK);
    }
  }
  SUBCASE("corrupted FlexBuffers fail cleanly or still read as a map") {
    const std::vector<uint8_t> good = flex_map([](flexbuffers::Builder& b) {
      standard_keys(b);
      b.Int("max_classes_per_detection", 1);
    });
    std::mt19937 rng(7);
    int failed = 0;
    for (int run = 0; run < 500; ++run) {
      std::vector<uint8_t> bad = good;
      for (int k = 0; k < 1 + int(rng() % 3); ++k) bad[rng() % bad.size()] = uint8_t(rng());
      auto r = import_bytes(detection_model(bad).finish());
      if (!r->status.ok()) {
        ++failed;
        CHECK(!r->status.message().empty());
      }
    }
    CHECK(failed > 0);
  }
}

// ---- Hostile files
// --------------------------------------------------------------------------------

TEST_CASE("tflite import rejects files that are not TFLite models") {
  const std::vector<uint8_t> good = small_model().finish();
  ModelBuilder b;
  CHECK(import_tflite(nullptr, 10, "x", &b).code() == ERT_INVALID_ARGUMENT);
  CHECK(import_tflite(good.data(), good.size(), "x", nullptr).code() == ERT_INVALID_ARGUMENT);

  auto too_short = import_bytes({'a', 'b', 'c'});
  CHECK(too_short->status.code() == ERT_INVALID_MODEL);
  CHECK(too_short->status.message() == "not a TFLite model: the file has 3 bytes");

  std::vector<uint8_t> wrong_id = good;
  std::memcpy(wrong_id.data() + 4, "ERT1", 4);
  auto r = import_bytes(wrong_id);
  CHECK(r->status.code() == ERT_INVALID_MODEL);
  CHECK(r->status.message() ==
        "not a TFLite model: file identifier is \"ERT1\", expected \"TFL3\"");
  wrong_id[5] = 0x01;
  CHECK(contains(import_bytes(wrong_id)->status.message(), "\"E\\x01T1\""));

  // Every truncation fails cleanly, with a message.
  size_t failures = 0;
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + long(n));
    cut.reserve(n + 1);  // Keep data() valid for n == 0.
    ModelBuilder builder;
    const Status s = import_tflite(cut.data(), n, "cut", &builder);
    if (s.code() == ERT_INVALID_MODEL && !s.message().empty()) ++failures;
  }
  CHECK(failures == good.size());
  auto cut = import_bytes(std::vector<uint8_t>(good.begin(), good.begin() + long(good.size() / 2)));
  CHECK(cut->status.message() ==
        "the TFLite FlatBuffer fails verification (truncated or corrupt file)");
}

TEST_CASE("tflite import rejects out-of-range indices and inconsistent tensors") {
  struct Case {
    const char* what;
    std::function<void(TflMaker&)> breaks;
    const char* message;
  };
  const Case cases[] = {
      {"op input", [](TflMaker& m) { m.ops[1].inputs[1] = 99; },
       "op 1: input 1 is tensor 99, out of range (the subgraph has 8 tensors)"},
      {"op input below -1", [](TflMaker& m) { m.ops[0].inputs[0] = -2; },
       "op 0: input 0 is tensor -2, out of range"},
      {"op output", [](TflMaker& m) { m.ops[2].outputs[0] = -1; },
       "op 2: output 0 is tensor -1, out of range"},
      {"graph input", [](TflMaker& m) { m.inputs[0] = 8; },
       "graph input 0 is tensor 8, out of range (the subgraph has 8 tensors)"},
      {"graph output", [](TflMaker& m) { m.outputs[0] = 1000; },
       "graph output 0 is tensor 1000, out of range"},
      {"buffer", [](TflMaker& m) { m.tensors[1].buffer = 77; },
       "tensor 1 'w': buffer index 77 out of range (the model has 5 buffers)"},
      {"op code", [](TflMaker& m) { m.ops[1].opcode_index = 5; },
       "op 1: op code index 5 out of range (the model has 3 op codes)"},
      {"constant size", [](TflMaker& m) { m.tensors[2].shape = {4}; },
       "tensor 2 'b': buffer 2 holds 12 bytes, but shape [4] of FLOAT32 needs 16"},
      {"huge constant",
       [](TflMaker& m) {
         m.tensors[2].shape = {1 << 30, 1 << 30, 1 << 30};
       },
       "tensor 2 'b': shape [1073741824,1073741824,1073741824] is too large"},
      {"negative dim",
       [](TflMaker& m) {
         m.tensors[3].shape = {1, -1, 4, 3};
       },
       "tensor 3 'conv': dimension 1 of its shape is -1"},
      {"output is a constant", [](TflMaker& m) { m.ops[0].outputs[0] = 1; },
       "op 0: output 0 is tensor 1 'w', a constant"},
      {"output is a graph input", [](TflMaker& m) { m.ops[0].outputs[0] = 0; },
       "op 0: output 0 is tensor 0 'x', a graph input"},
      {"two writers", [](TflMaker& m) { m.ops[1].outputs[0] = 3; },
       "op 1: output 0 is tensor 3 'conv', already written by op 0"},
      {"read before write", [](TflMaker& m) { m.ops[0].inputs[0] = 5; },
       "op 0: input 0 is tensor 5 'padded', written only later by op 1"},
      {"read of a tensor nothing writes", [](TflMaker& m) { m.inputs.clear(); },
       "op 0: input 0 is tensor 0 'x', which is not a constant, a graph input or written by any "
       "op"},
      {"graph input is a constant", [](TflMaker& m) { m.inputs[0] = 2; },
       "graph input 0 is tensor 2 'b', a constant"},
      {"no subgraph", [](TflMaker& m) { m.with_subgraph = false; },
       "the TFLite model has no subgraph"},
      {"scale and zero point counts",
       [](TflMaker& m) {
         m.tensors[3].scale = {1.0f, 2.0f};
         m.tensors[3].zero_point = {0};
       },
       "tensor 3 'conv': 2 quantization scales but 1 zero points"},
      {"per-channel axis",
       [](TflMaker& m) {
         m.tensors[1].scale = {1.0f, 2.0f, 3.0f};
         m.tensors[1].zero_point = {0, 0, 0};
         m.tensors[1].quantized_dimension = 3;
       },
       "tensor 1 'w': 3 quantization scales along dimension 3 of shape [3,1,1,2]"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    TflMaker m = small_model();
    c.breaks(m);
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(), c.message));
  }
}

TEST_CASE("tflite import rejects malformed operators with the op in the message") {
  struct Case {
    const char* what;
    std::function<void(TflMaker&)> breaks;
    const char* message;
  };
  const Case cases[] = {
      {"input count", [](TflMaker& m) { m.ops[0].inputs.resize(1); },
       "op 0 (CONV_2D): has 1 inputs, needs 2 to 3"},
      {"output count",
       [](TflMaker& m) {
         m.ops[1].outputs.push_back(m.tensor("extra", tfl::TensorType::FLOAT32, {1}));
       },
       "op 1 (PAD): has 2 outputs, needs 1"},
      {"missing options",
       [](TflMaker& m) {
         m.ops[0].options_type = tfl::BuiltinOptions::NONE;
         m.ops[0].options = nullptr;
       },
       "op 0 (CONV_2D): has no Conv2DOptions"},
      {"options of another type",
       [](TflMaker& m) {
         m.ops[0].options_type = tfl::BuiltinOptions::Pool2DOptions;
         m.ops[0].options = [](flatbuffers::FlatBufferBuilder& b) {
           return tfl::CreatePool2DOptions(b).Union();
         };
       },
       "op 0 (CONV_2D): has options of type Pool2DOptions (tag 5), expected Conv2DOptions"},
      {"options with a tag edgert does not read",
       [](TflMaker& m) {
         m.ops[0].options_type = tfl::BuiltinOptions(60);
         m.ops[0].options = [](flatbuffers::FlatBufferBuilder& b) {
           return tfl::CreatePadOptions(b).Union();
         };
       },
       "op 0 (CONV_2D): has options of type unknown (tag 60), expected Conv2DOptions"},
      {"unknown padding",
       [](TflMaker& m) {
         m.ops[0].options = [](flatbuffers::FlatBufferBuilder& b) {
           return tfl::CreateConv2DOptions(b, tfl::Padding(7)).Union();
         };
       },
       "op 0 (CONV_2D): unknown padding 7"},
      {"unknown activation",
       [](TflMaker& m) {
         m.ops[0].options = [](flatbuffers::FlatBufferBuilder& b) {
           return tfl::CreateConv2DOptions(b, tfl::Padding::SAME, 1, 1,
                                           tfl::ActivationFunctionType(9))
               .Union();
         };
       },
       "op 0 (CONV_2D): unknown fused activation 9"},
      {"missing data input", [](TflMaker& m) { m.ops[0].inputs[1] = -1; },
       "op 0 (CONV_2D): input 1 is missing"},
      {"missing parameter", [](TflMaker& m) { m.ops[1].inputs[1] = -1; },
       "op 1 (PAD): the paddings (input 1) is missing"},
      {"paddings of the wrong shape",
       [](TflMaker& m) {
         m.tensors[4].shape = {2, 4};
       },
       "op 1 (PAD): the paddings (input 1) have shape [2,4], expected [rank,2]"},
      {"parameter of a float type",
       [](TflMaker& m) { m.tensors[4].type = tfl::TensorType::FLOAT32; },
       "op 1 (PAD): the paddings (input 1) has dtype FLOAT32, expected INT32 or INT64"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    TflMaker m = small_model();
    c.breaks(m);
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(), c.message));
  }
}

TEST_CASE("tflite import rejects parameters it cannot read") {
  SUBCASE("an INT64 value beyond int32") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {4});
    const int begin = m.i64("begin", {1}, {int64_t(1) << 40});
    const int size = m.i64("size", {1}, {1});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {1});
    m.op(tfl::BuiltinOperator::SLICE, {x, begin, size}, {y});
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "op 0 (SLICE): the begin (input 1) holds 1099511627776, beyond int32"));
  }
  SUBCASE("a RESIZE size with three values") {
    TflMaker m;
    const int x = m.tensor("x", tfl::TensorType::FLOAT32, {1, 2, 2, 1});
    const int size = m.i32("size", {3}, {4, 4, 4});
    const int y = m.tensor("y", tfl::TensorType::FLOAT32, {1, 4, 4, 1});
    m.op(tfl::BuiltinOperator::RESIZE_BILINEAR, {x, size}, {y});
    m.inputs = {x};
    m.outputs = {y};
    auto r = import_bytes(m.finish());
    CHECK(r->status.code() == ERT_INVALID_MODEL);
    CHECK(contains(r->status.message(),
                   "op 0 (RESIZE_BILINEAR): the size (input 1) has 3 values, expected 2"));
  }
}

TEST_CASE("tflite import survives random corruption of a valid file") {
  const std::vector<uint8_t> good = small_model().finish();
  std::mt19937 rng(1234);
  int ok = 0, failed_with_message = 0;
  const int kRuns = 3000;
  for (int run = 0; run < kRuns; ++run) {
    std::vector<uint8_t> bad = good;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] = uint8_t(rng());
    ModelBuilder builder;
    const Status s = import_tflite(bad.data(), bad.size(), "fuzz", &builder);
    if (s.ok())
      ++ok;
    else if (!s.message().empty())
      ++failed_with_message;
  }
  CHECK(ok + failed_with_message == kRuns);
  CHECK(failed_with_message > 0);
}

// ---- The shared real models
// ------------------------------------------------------------------------

namespace {

const std::string kModelDir = std::string(ERT_SHARED_DIR) + "/models/tflite/";

bool models_present() { return std::filesystem::is_directory(kModelDir); }

std::vector<uint8_t> read_model(const std::string& name) {
  std::ifstream in(kModelDir + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << kModelDir + name);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct RealModel {
  const char* file;
  size_t ops;          // ai-edge-litert: len(interpreter._get_ops_details())
  size_t tensors;      // ai-edge-litert: len(interpreter.get_tensor_details())
  const char* sha256;  // models/SOURCES.txt
  size_t folded;       // DENSIFY ops that became constants (no edgert op).
};

// Counts recorded with ai-edge-litert 2.3.0 (tests/conformance/survey_tflite_ops.py prints them).
const RealModel kRealModels[] = {
    {"coral__mobilenet_ssd_v2_coco_quant_postprocess.tflite", 99, 261,
     "7046f31a72ec0045a57b94199144c96cf5840c7dc106b808b64a1ed5559aa0cd", 0},
    {"mediapipe__face_detection_full_range_sparse.tflite", 388, 577,
     "671dd2f9ed11a78436fc21cc42357a803dfc6f73e9fb86541be942d5716c2dce", 46},
    {"mediapipe__face_detection_short_range.tflite", 164, 250,
     "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633", 0},
    {"mediapipe__face_landmark.tflite", 210, 327,
     "c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1", 0},
    {"mediapipe__hand_landmark_lite.tflite", 167, 271,
     "d7fde8ac11f8ce03f8663775bfc323f4fc9f2a38062b4f4efa142874ef5b2a48", 0},
    {"mediapipe__hand_recrop.tflite", 63, 152,
     "67d996ce96f9d36fe17d2693022c6da93168026ab2f028f9e2365398d8ac7d5d", 0},
    {"mediapipe__palm_detection_lite.tflite", 232, 353,
     "e9a4aaddf90dda56a87235303cf00e4c2d3fb28725f68fd88772997dac905c18", 0},
    {"mediapipe__pose_landmark_lite.tflite", 305, 492,
     "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61", 0},
    {"mediapipe__selfie_segmentation.tflite", 246, 360,
     "8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27", 0},
};

const fb::TensorT* find_tensor(fb::ModelT& m, const std::string& name) {
  for (const auto& t : m.tensors) {
    if (t->name == name) return t.get();
  }
  return nullptr;
}

}  // namespace

TEST_CASE("tflite import of the shared models matches ai-edge-litert's view of them") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  for (const RealModel& rm : kRealModels) {
    const std::string name = rm.file;
    CAPTURE(name);
    const std::vector<uint8_t> file = read_model(rm.file);
    auto r = import_bytes(file, rm.file);
    CHECK(r->report.subgraphs == 1);
    CHECK(r->report.tflite_operators == rm.ops);
    CHECK(r->report.tflite_tensors == rm.tensors);
    REQUIRE(r->model().metadata != nullptr);
    CHECK(r->model().metadata->source_file == rm.file);
    CHECK(r->model().metadata->source_sha256 == rm.sha256);
    // Every op converts: one edgert op each, but for the folded ones.
    CHECK_MESSAGE(r->status.ok(), r->status.message().substr(0, 300));
    CHECK(r->report.unsupported.empty());
    CHECK(r->model().operators.size() == rm.ops - rm.folded);
  }
}

TEST_CASE("tflite import of the shared models runs through passes, writer, loader, interpreter") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  for (const RealModel& rm : kRealModels) {
    const std::string name = rm.file;
    CAPTURE(name);
    auto r = import_bytes(read_model(rm.file), rm.file);
    REQUIRE_MESSAGE(r->status.ok(), r->status.message().substr(0, 300));
    ert::cvt::PassReport passes;
    const Status ps = ert::cvt::run_passes(&r->builder, ert::cvt::PassOptions(), &passes);
    REQUIRE_MESSAGE(ps.ok(), ps.to_string());
    // MediaPipe's float models keep their weights as FP16 constants behind DEQUANTIZE.
    for (const auto& op : r->model().operators) CHECK(op->code != fb::OpCode::DEQUANTIZE);
    std::vector<uint8_t> ert_file;
    const Status fs = r->builder.finish(&ert_file);
    REQUIRE_MESSAGE(fs.ok(), fs.to_string());
    ert::testing::AlignedBuffer buffer(ert_file);
    std::unique_ptr<ert::rt::Model> model;
    const Status ls = ert::rt::Model::load_buffer(buffer.data(), buffer.size(), &model);
    REQUIRE_MESSAGE(ls.ok(), ls.to_string());
    std::unique_ptr<ert::rt::Interpreter> interpreter;
    const Status cs = ert::rt::Interpreter::create(*model, {}, &interpreter);
    CHECK_MESSAGE(cs.ok(), cs.to_string());
  }
}

TEST_CASE("tflite import densifies the sparse face detector's weights as TFLite does") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  auto r = import_bytes(read_model("mediapipe__face_detection_full_range_sparse.tflite"));
  REQUIRE_MESSAGE(r->status.ok(), r->status.message().substr(0, 300));
  size_t dequantize = 0;
  for (const auto& op : r->model().operators) {
    if (op->code == fb::OpCode::DEQUANTIZE) ++dequantize;
  }
  CHECK(dequantize == 182);
  // Expected values: ai-edge-litert 2.3.0 run with
  //   Interpreter(model_path=..., experimental_preserve_all_tensors=True,
  //               experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
  // (XNNPACK, the default delegate, takes DENSIFY over and leaves its output empty), then
  // allocate_tensors(), invoke() on zeros, and get_tensor() of DENSIFY outputs 15 (op 8) and
  // 545 (op 366): hashlib.sha256(value.tobytes()) and a few elements as FP16 bit patterns.
  struct Expected {
    const char* name;
    std::vector<int32_t> shape;
    const char* sha256;
    std::vector<std::pair<size_t, uint16_t>> elements;
  };
  const Expected expected[] = {
      {"model_1/model/conv2d_1/Conv2D_dequantize1",
       {8, 1, 1, 32},
       "50bc05bb911c0f9147677dd63dacbe19d81527bb2a84ddbf9671bc4da343eed9",
       {{0, 44295}, {1, 0}, {2, 44529}, {4, 12257}, {254, 42957}, {255, 0}}},
      {"model_1/model/conv2d_46/Conv2D_dequantize1",
       {48, 1, 1, 24},
       "0d011374fbbc072192086b4ccee9e6a167a4cc3ac3981fdbb97942e996644f0b",
       {{0, 0}, {3, 10569}, {4, 44880}, {7, 43310}, {1148, 13008}}},
  };
  for (const Expected& e : expected) {
    CAPTURE(e.name);
    const fb::TensorT* t = find_tensor(r->model(), e.name);
    REQUIRE(t != nullptr);
    CHECK(t->dtype == fb::DType::F16);
    CHECK(t->shape == e.shape);
    REQUIRE(t->segment >= 0);
    const std::vector<uint8_t>& bytes = r->builder.segments()[size_t(t->segment)];
    CHECK(ert::cvt::sha256_hex(bytes.data(), bytes.size()) == e.sha256);
    for (const auto& [index, bits] : e.elements) {
      CAPTURE(index);
      REQUIRE(2 * index + 2 <= bytes.size());
      uint16_t v;
      std::memcpy(&v, bytes.data() + 2 * index, 2);
      CHECK(v == bits);
    }
  }
}

TEST_CASE("tflite import maps the shared models' custom ops") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  SUBCASE("Coral's TFLite_Detection_PostProcess") {
    auto r = import_bytes(read_model("coral__mobilenet_ssd_v2_coco_quant_postprocess.tflite"));
    REQUIRE(r->status.ok());
    const fb::OperatorT& op = r->op(r->model().operators.size() - 1);
    REQUIRE(op.code == fb::OpCode::DETECTION_POSTPROCESS);
    const fb::DetectionPostprocessOptionsT* o = op.options.AsDetectionPostprocessOptions();
    REQUIRE(o != nullptr);
    // The file's FlexBuffer: max_detections 20, max_classes_per_detection 1,
    // detections_per_class 0, num_classes 90, nms_score_threshold 1e-8 (a double),
    // nms_iou_threshold 0.6, scales 10, 10, 5, 5, use_regular_nms false.
    CHECK(o->max_detections == 20);
    CHECK(o->max_classes_per_detection == 1);
    CHECK(o->detections_per_class == 0);
    CHECK(o->num_classes == 90);
    CHECK(o->nms_score_threshold == doctest::Approx(1e-8).epsilon(1e-6));
    CHECK(o->nms_iou_threshold == doctest::Approx(0.6));
    CHECK(o->y_scale == 10.0f);
    CHECK(o->x_scale == 10.0f);
    CHECK(o->h_scale == 5.0f);
    CHECK(o->w_scale == 5.0f);
    CHECK_FALSE(o->use_regular_nms);
    REQUIRE(op.inputs.size() == 3);
    CHECK(r->op_input(r->model().operators.size() - 1, 2).name == "anchors");
    REQUIRE(op.outputs.size() == 4);
    const std::vector<std::vector<int32_t>> shapes = {{1, 20, 4}, {1, 20}, {1, 20}, {1}};
    for (size_t i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(r->tensor(op.outputs[i]).shape == shapes[i]);
      CHECK(r->tensor(op.outputs[i]).dtype == fb::DType::F32);
    }
  }
  SUBCASE("selfie_segmentation's Convolution2DTransposeBias") {
    auto r = import_bytes(read_model("mediapipe__selfie_segmentation.tflite"));
    REQUIRE(r->status.ok());
    std::vector<const fb::OperatorT*> found;
    for (const auto& op : r->model().operators) {
      if (op->code == fb::OpCode::TRANSPOSE_CONV) found.push_back(op.get());
    }
    REQUIRE(found.size() == 1);
    const fb::TransposeConvOptionsT* o = found[0]->options.AsTransposeConvOptions();
    REQUIRE(o != nullptr);
    // Custom options 01000000 02000000 02000000: SAME, stride 2 x 2.
    CHECK(o->padding == fb::Padding::SAME);
    CHECK(o->stride_h == 2);
    CHECK(o->stride_w == 2);
    REQUIRE(found[0]->inputs.size() == 3);
    CHECK(r->tensor(found[0]->inputs[0]).shape == std::vector<int32_t>{1, 128, 128, 16});
    CHECK(r->tensor(found[0]->inputs[1]).shape == std::vector<int32_t>{1, 2, 2, 16});
    CHECK(r->tensor(found[0]->inputs[2]).shape == std::vector<int32_t>{1});
    CHECK(r->tensor(found[0]->outputs[0]).shape == std::vector<int32_t>{1, 256, 256, 1});
  }
}

TEST_CASE("tflite import converts hand_recrop completely") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  auto r = import_bytes(read_model("mediapipe__hand_recrop.tflite"));
  REQUIRE(r->status.ok());
  fb::ModelT& m = r->model();
  CHECK(m.operators.size() == 63);
  // 152 TFLite tensors less the 9 INT32 parameter constants (3 paddings, 2 x begin/end/strides).
  CHECK(m.tensors.size() == 143);
  size_t constants = 0;
  for (const auto& t : m.tensors) {
    if (t->segment >= 0) {
      ++constants;
      CHECK(t->dtype == fb::DType::F32);
    }
  }
  CHECK(constants == 79);
  REQUIRE(m.inputs.size() == 1);
  CHECK(r->tensor(m.inputs[0]).name == "input_1");
  CHECK(r->tensor(m.inputs[0]).shape == std::vector<int32_t>{1, 256, 256, 3});
  REQUIRE(m.outputs.size() == 1);
  CHECK(r->tensor(m.outputs[0]).name == "output_crop");
  CHECK(r->tensor(m.outputs[0]).shape == std::vector<int32_t>{1, 1, 1, 4});

  std::map<fb::OpCode, int> counts;
  std::vector<std::vector<int32_t>> paddings;
  std::vector<std::vector<int32_t>> slice_ends;
  for (const auto& op : m.operators) {
    ++counts[op->code];
    if (op->code == fb::OpCode::PAD) {
      paddings.push_back(op->options.AsPadOptions()->paddings);
      CHECK(op->inputs.size() == 1);
    }
    if (op->code == fb::OpCode::STRIDED_SLICE) {
      const fb::StridedSliceOptionsT* o = op->options.AsStridedSliceOptions();
      slice_ends.push_back(o->end);
      CHECK(o->begin == std::vector<int32_t>{0, 0, 0, 0});
      CHECK(o->strides == std::vector<int32_t>{1, 1, 1, 1});
      CHECK(op->inputs.size() == 1);
    }
  }
  CHECK(counts[fb::OpCode::CONV_2D] == 14);
  CHECK(counts[fb::OpCode::PRELU] == 13);
  CHECK(counts[fb::OpCode::DEPTHWISE_CONV_2D] == 19);
  CHECK(counts[fb::OpCode::MAX_POOL_2D] == 6);
  CHECK(counts[fb::OpCode::PAD] == 3);
  CHECK(counts[fb::OpCode::ADD] == 6);
  CHECK(counts[fb::OpCode::STRIDED_SLICE] == 2);
  std::sort(paddings.begin(), paddings.end());
  CHECK(paddings == std::vector<std::vector<int32_t>>{{0, 0, 0, 0, 0, 0, 0, 8},
                                                      {0, 0, 0, 0, 0, 0, 0, 16},
                                                      {0, 0, 0, 0, 0, 0, 0, 32}});
  std::sort(slice_ends.begin(), slice_ends.end());
  CHECK(slice_ends == std::vector<std::vector<int32_t>>{{1, 2, 2, 16}, {1, 4, 4, 32}});
  // The memory planner takes the imported graph.
  std::vector<uint8_t> ert_file;
  const Status s = r->builder.finish(&ert_file);
  CHECK_MESSAGE(s.ok(), s.to_string());
}

TEST_CASE("tflite import keeps half_pixel_centers of version-1 resizes in selfie_segmentation") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  auto r = import_bytes(read_model("mediapipe__selfie_segmentation.tflite"));
  CHECK(r->status.ok());
  std::vector<int32_t> sizes;
  for (const auto& op : r->model().operators) {
    if (op->code != fb::OpCode::RESIZE_BILINEAR) continue;
    const fb::ResizeOptionsT* o = op->options.AsResizeOptions();
    REQUIRE(o != nullptr);
    CHECK(o->half_pixel_centers);
    CHECK_FALSE(o->align_corners);
    CHECK(o->new_height == o->new_width);
    sizes.push_back(o->new_height);
  }
  CHECK(sizes == std::vector<int32_t>{32, 64, 128});
}

TEST_CASE("tflite import rejects truncated real models") {
  if (!models_present()) {
    MESSAGE("skipped: no models at " << kModelDir);
    return;
  }
  const std::vector<uint8_t> file = read_model("mediapipe__face_detection_short_range.tflite");
  for (size_t n :
       {size_t(0), size_t(7), size_t(8), size_t(100), file.size() / 2, file.size() - 1}) {
    CAPTURE(n);
    ModelBuilder builder;
    const Status s = import_tflite(file.data(), n, "cut", &builder);
    CHECK(s.code() == ERT_INVALID_MODEL);
    CHECK(!s.message().empty());
  }
}
