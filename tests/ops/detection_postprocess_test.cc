// DETECTION_POSTPROCESS through the op: output shapes, quantized inputs against the float case,
// and every error path of prepare() and run().
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "src/runtime/tensor.h"
#include "tests/support/op_harness.h"

using ert::fb::Activation;
using ert::fb::OpCode;
using ert::kernels::Shape;
using ert::testing::OpHarness;

namespace {

void check_failure(const ert::Status& s, ert_status code,
                   std::initializer_list<const char*> parts) {
  CHECK(s.code() == code);
  for (const char* part : parts) {
    INFO("message: " << s.message() << "; expected to contain: " << part);
    CHECK(s.message().find(part) != std::string::npos);
  }
}

ert::fb::DetectionPostprocessOptionsT base_options() {
  ert::fb::DetectionPostprocessOptionsT o;
  o.max_detections = 4;
  o.max_classes_per_detection = 1;
  o.detections_per_class = 100;
  o.num_classes = 2;
  o.nms_score_threshold = 0.1f;
  o.nms_iou_threshold = 0.5f;
  return o;
}

ert::fb::OpOptionsUnion wrap(ert::fb::DetectionPostprocessOptionsT o) {
  ert::fb::OpOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

// Four anchors (y, x, h, w); with zero encodings they decode to [0,0,1,1], [0,0.25,1,1.25]
// (IoU 0.6 with the first), [0,2,1,3] and [2,0,3,1].
const std::vector<float> kAnchors = {0.5f, 0.5f, 1, 1, 0.5f, 0.75f, 1, 1,
                                     0.5f, 2.5f, 1, 1, 2.5f, 0.5f,  1, 1};
// Background, class 0, class 1 per anchor.
const std::vector<float> kScores = {0.9f, 0.6f, 0.1f, 0.0f, 0.2f,  0.7f,
                                    0.0f, 0.5f, 0.3f, 0.0f, 0.05f, 0.08f};

// The float case: tensors the tests below tweak one at a time.
struct FloatCase {
  Shape box_shape{1, 4, 4};
  std::vector<float> boxes = std::vector<float>(16, 0.0f);
  Shape score_shape{1, 4, 3};
  std::vector<float> scores = kScores;
  Shape anchor_shape{4, 4};
  std::vector<float> anchors = kAnchors;
  int outputs = 4;

  void add_to(OpHarness& h) const {
    h.add_input(box_shape, boxes);
    h.add_input(score_shape, scores);
    h.add_input(anchor_shape, anchors, true);
    for (int i = 0; i < outputs; ++i) h.add_output();
  }
};

ert::Status prepare_with(const ert::fb::DetectionPostprocessOptionsT& o,
                         const FloatCase& c = FloatCase()) {
  OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
  c.add_to(h);
  return h.prepare();
}

// Runs the op on tensors of any dtype, with per-tensor (or deliberately bad) quantization,
// which OpHarness cannot attach. Outputs are poisoned before run.
class QuantRunner {
 public:
  explicit QuantRunner(const ert::fb::DetectionPostprocessOptionsT& o) {
    ert::fb::OperatorT op;
    op.code = OpCode::DETECTION_POSTPROCESS;
    op.options = wrap(o);
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(ert::fb::Operator::Pack(fbb, &op));
    op_buffer_.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }

  void add_input(ert_dtype dtype, Shape shape, std::vector<uint8_t> bytes,
                 std::vector<float> scales = {}, std::vector<int64_t> zero_points = {}) {
    auto slot = std::make_unique<Slot>();
    slot->storage = std::move(bytes);
    ert::rt::Tensor& t = slot->tensor;
    t.index = int(slots_.size());
    t.name = "q";
    t.dtype = dtype;
    t.shape = shape;
    t.data = slot->storage.data();
    t.bytes = slot->storage.size();
    if (!scales.empty() || !zero_points.empty()) {
      ert::fb::QuantizationT q;
      q.scale = scales;
      q.zero_point = zero_points;
      flatbuffers::FlatBufferBuilder fbb;
      fbb.Finish(ert::fb::Quantization::Pack(fbb, &q));
      slot->quant.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
      t.quant = flatbuffers::GetRoot<ert::fb::Quantization>(slot->quant.data());
    }
    inputs_.push_back(&slot->tensor);
    slots_.push_back(std::move(slot));
  }

  void add_f32_input(Shape shape, const std::vector<float>& values) {
    std::vector<uint8_t> bytes(values.size() * sizeof(float));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    add_input(ERT_F32, shape, std::move(bytes));
  }

  ert::Status prepare_and_run() {
    for (int i = 0; i < 4; ++i) {
      auto slot = std::make_unique<Slot>();
      slot->tensor.index = 100 + i;
      slot->tensor.name = "out";
      outputs_.push_back(&slot->tensor);
      output_slots_.push_back(slot.get());
      slots_.push_back(std::move(slot));
    }
    ERT_RETURN_IF_ERROR(
        ert::rt::create_op(OpCode::DETECTION_POSTPROCESS, ert::rt::KernelChoice{}, &op_));
    ERT_RETURN_IF_ERROR(op_->prepare(context()));
    for (Slot* slot : output_slots_) {
      ert::rt::Tensor& t = slot->tensor;
      t.bytes = size_t(t.shape.num_elements()) * sizeof(float);
      slot->storage.assign(t.bytes, 0xFF);
      t.data = slot->storage.data();
    }
    return op_->run(context());
  }

  std::vector<float> output(int i) const {
    const ert::rt::Tensor& t = *outputs_[size_t(i)];
    std::vector<float> v(t.bytes / sizeof(float));
    std::memcpy(v.data(), t.data, t.bytes);
    return v;
  }

 private:
  struct Slot {
    ert::rt::Tensor tensor;
    std::vector<uint8_t> storage;
    std::vector<uint8_t> quant;
  };
  ert::rt::OpContext context() {
    const auto* op = flatbuffers::GetRoot<ert::fb::Operator>(op_buffer_.data());
    return ert::rt::OpContext(0, op, inputs_.data(), int(inputs_.size()), outputs_.data(),
                              int(outputs_.size()));
  }

  std::vector<uint8_t> op_buffer_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<ert::rt::Tensor*> inputs_;
  std::vector<ert::rt::Tensor*> outputs_;
  std::vector<Slot*> output_slots_;
  std::unique_ptr<ert::rt::Op> op_;
};

// Quantized versions of the float case: boxes (q - 128) * 0.1 (anchor 2 moved by ty = 1),
// scores q / 256, anchors q * 0.25.
const std::vector<uint8_t> kBoxesU8 = {128, 128, 128, 128, 128, 128, 128, 128,
                                       138, 128, 128, 128, 128, 128, 128, 128};
const std::vector<uint8_t> kScoresU8 = {230, 154, 26, 0, 51, 179, 0, 128, 77, 0, 13, 20};
const std::vector<uint8_t> kAnchorsU8 = {2, 2, 4, 4, 2, 3, 4, 4, 2, 10, 4, 4, 10, 2, 4, 4};

std::vector<float> dequantize(const std::vector<uint8_t>& q, float scale, int zero_point) {
  std::vector<float> out;
  for (uint8_t v : q) out.push_back(float(int(v) - zero_point) * scale);
  return out;
}

std::vector<uint8_t> to_i8_bytes(const std::vector<uint8_t>& q) {
  std::vector<uint8_t> out;
  for (uint8_t v : q) out.push_back(uint8_t(int8_t(int(v) - 128)));
  return out;
}

void check_bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("element " << i << ": " << a[i] << " vs " << b[i]);
    CHECK(std::memcmp(&a[i], &b[i], sizeof(float)) == 0);
  }
}

}  // namespace

TEST_CASE("DETECTION_POSTPROCESS op sets TFLite's output shapes and runs") {
  auto o = base_options();
  SUBCASE("one class per detection") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    FloatCase().add_to(h);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(std::string(h.kernel_name()) == "reference");
    CHECK(h.output_shape(0) == Shape{1, 4, 4});
    CHECK(h.output_shape(1) == Shape{1, 4});
    CHECK(h.output_shape(2) == Shape{1, 4});
    CHECK(h.output_shape(3) == Shape{1});
    // Anchor 1 (class 1, 0.7) suppresses anchor 0; anchor 2 (class 0, 0.5) stays; anchor 3 is
    // below the threshold.
    CHECK(h.output(0) ==
          std::vector<float>{0, 0.25f, 1, 1.25f, 0, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(h.output(1) == std::vector<float>{1, 0, 0, 0});
    CHECK(h.output(2) == std::vector<float>{0.7f, 0.5f, 0, 0});
    CHECK(h.output(3) == std::vector<float>{2});
  }
  SUBCASE("three classes per detection: max_detections * 3 slots") {
    o.max_classes_per_detection = 3;
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    FloatCase().add_to(h);
    REQUIRE(h.prepare_and_run().ok());
    CHECK(h.output_shape(0) == Shape{1, 12, 4});
    CHECK(h.output_shape(1) == Shape{1, 12});
    CHECK(h.output_shape(2) == Shape{1, 12});
    CHECK(h.output_shape(3) == Shape{1});
    // Two classes each for anchors 1 and 2; the third slot of each group stays zero.
    CHECK(h.output(1) == std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
    CHECK(h.output(2) == std::vector<float>{0.7f, 0.2f, 0, 0.5f, 0.3f, 0, 0, 0, 0, 0, 0, 0});
    CHECK(h.output(3) == std::vector<float>{2});
  }
  SUBCASE("regular NMS, prepared twice") {
    o.use_regular_nms = true;
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    FloatCase().add_to(h);
    REQUIRE(h.prepare().ok());
    REQUIRE(h.prepare_and_run().ok());
    // Class 0 keeps anchors 0 (0.6; it suppresses 1) and 2 (0.5); class 1 keeps 1 (0.7) and
    // 2 (0.3).
    CHECK(h.output(1) == std::vector<float>{1, 0, 0, 1});
    CHECK(h.output(2) == std::vector<float>{0.7f, 0.6f, 0.5f, 0.3f});
    CHECK(h.output(3) == std::vector<float>{4});
  }
  SUBCASE("detections_per_class 0 is fine for fast NMS (the Coral SSD has it)") {
    o.detections_per_class = 0;
    CHECK(prepare_with(o).ok());
  }
}

TEST_CASE("DETECTION_POSTPROCESS op gives the float result for u8 and i8 inputs") {
  const auto o = base_options();
  const std::vector<float> boxes = dequantize(kBoxesU8, 0.1f, 128);
  const std::vector<float> scores = dequantize(kScoresU8, 1.0f / 256.0f, 0);
  const std::vector<float> anchors = dequantize(kAnchorsU8, 0.25f, 0);
  OpHarness f(OpCode::DETECTION_POSTPROCESS, wrap(o));
  f.add_input({1, 4, 4}, boxes);
  f.add_input({1, 4, 3}, scores);
  f.add_input({4, 4}, anchors, true);
  for (int i = 0; i < 4; ++i) f.add_output();
  REQUIRE(f.prepare_and_run().ok());
  // Not a trivial result: anchor 1 (179/256) suppresses anchor 0, anchor 2 (128/256) stays.
  CHECK(f.output(1) == std::vector<float>{1, 0, 0, 0});
  CHECK(f.output(2) == std::vector<float>{179.0f / 256, 0.5f, 0, 0});
  CHECK(f.output(3) == std::vector<float>{2});

  QuantRunner q(o);
  SUBCASE("u8") {
    q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8, {0.1f}, {128});
    q.add_input(ERT_U8, {1, 4, 3}, kScoresU8, {1.0f / 256.0f}, {0});
    q.add_input(ERT_U8, {4, 4}, kAnchorsU8, {0.25f}, {0});
  }
  SUBCASE("i8 (zero points moved by -128)") {
    q.add_input(ERT_I8, {1, 4, 4}, to_i8_bytes(kBoxesU8), {0.1f}, {0});
    q.add_input(ERT_I8, {1, 4, 3}, to_i8_bytes(kScoresU8), {1.0f / 256.0f}, {-128});
    q.add_input(ERT_I8, {4, 4}, to_i8_bytes(kAnchorsU8), {0.25f}, {-128});
  }
  SUBCASE("f32 boxes and anchors with u8 scores") {
    q.add_f32_input({1, 4, 4}, boxes);
    q.add_input(ERT_U8, {1, 4, 3}, kScoresU8, {1.0f / 256.0f}, {0});
    q.add_f32_input({4, 4}, anchors);
  }
  SUBCASE("u8 boxes with five values per anchor, the fifth ignored") {
    std::vector<uint8_t> wide;
    for (size_t a = 0; a < 4; ++a) {
      wide.insert(wide.end(), kBoxesU8.begin() + long(a * 4), kBoxesU8.begin() + long(a * 4 + 4));
      wide.push_back(uint8_t(7 * a));
    }
    q.add_input(ERT_U8, {1, 4, 5}, wide, {0.1f}, {128});
    q.add_input(ERT_U8, {1, 4, 3}, kScoresU8, {1.0f / 256.0f}, {0});
    q.add_input(ERT_U8, {4, 4}, kAnchorsU8, {0.25f}, {0});
  }
  REQUIRE(q.prepare_and_run().ok());
  for (int i = 0; i < 4; ++i) {
    INFO("output " << i);
    check_bitwise_equal(q.output(i), f.output(i));
  }
}

TEST_CASE("DETECTION_POSTPROCESS op rejects bad quantization") {
  const auto o = base_options();
  QuantRunner q(o);
  SUBCASE("u8 without quantization") { q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8); }
  SUBCASE("per-channel scales") {
    q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8, {0.1f, 0.2f}, {128, 128});
  }
  SUBCASE("zero scale") { q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8, {0.0f}, {128}); }
  SUBCASE("NaN scale") {
    q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8, {std::numeric_limits<float>::quiet_NaN()}, {128});
  }
  SUBCASE("u8 zero point above 255") { q.add_input(ERT_U8, {1, 4, 4}, kBoxesU8, {0.1f}, {300}); }
  SUBCASE("i8 zero point above 127") { q.add_input(ERT_I8, {1, 4, 4}, kBoxesU8, {0.1f}, {128}); }
  q.add_input(ERT_U8, {1, 4, 3}, kScoresU8, {1.0f / 256.0f}, {0});
  q.add_input(ERT_U8, {4, 4}, kAnchorsU8, {0.25f}, {0});
  const ert::Status s = q.prepare_and_run();
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("op 0 (DETECTION_POSTPROCESS): input 0 (box encodings)") !=
        std::string::npos);
  const std::string& m = s.message();
  INFO("message: " << m);
  if (m.find("per channel") != std::string::npos) {
    CHECK(s.code() == ERT_UNSUPPORTED);
  } else {
    CHECK(s.code() == ERT_INVALID_MODEL);
    const bool named = m.find("without quantization") != std::string::npos ||
                       m.find("needs finite > 0") != std::string::npos ||
                       m.find("outside [0, 255] of u8") != std::string::npos ||
                       m.find("outside [-128, 127] of i8") != std::string::npos;
    CHECK(named);
  }
}

TEST_CASE("DETECTION_POSTPROCESS op rejects bad counts, activations and dtypes") {
  const auto o = base_options();
  SUBCASE("two inputs") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    h.add_input({1, 4, 4}, std::vector<float>(16, 0.0f));
    h.add_input({1, 4, 3}, kScores);
    for (int i = 0; i < 4; ++i) h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "has 2 inputs, needs 3"});
  }
  SUBCASE("three outputs") {
    FloatCase c;
    c.outputs = 3;
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "has 3 outputs, needs 4"});
  }
  SUBCASE("absent anchors") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    h.add_input({1, 4, 4}, std::vector<float>(16, 0.0f));
    h.add_input({1, 4, 3}, kScores);
    h.add_absent_input();
    for (int i = 0; i < 4; ++i) h.add_output();
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "input 2 is required but absent"});
  }
  SUBCASE("fused RELU") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o), Activation::RELU);
    FloatCase().add_to(h);
    check_failure(h.prepare(), ERT_UNSUPPORTED,
                  {"op 0 (DETECTION_POSTPROCESS)", "fused activation RELU"});
  }
  SUBCASE("i32 box encodings") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    h.add_raw_input(ERT_I32, {1, 4, 4}, std::vector<uint8_t>(64, 0));
    h.add_input({1, 4, 3}, kScores);
    h.add_input({4, 4}, kAnchors, true);
    for (int i = 0; i < 4; ++i) h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED,
                  {"op 0 (DETECTION_POSTPROCESS)", "input 0 (box encodings)", "has dtype i32",
                   "needs f32, u8 or i8"});
  }
  SUBCASE("i32 classes output") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(o));
    h.add_input({1, 4, 4}, std::vector<float>(16, 0.0f));
    h.add_input({1, 4, 3}, kScores);
    h.add_input({4, 4}, kAnchors, true);
    h.add_output();
    h.add_output(ERT_I32);
    h.add_output();
    h.add_output();
    check_failure(h.prepare(), ERT_UNSUPPORTED,
                  {"op 0 (DETECTION_POSTPROCESS)", "output 1", "has dtype i32"});
  }
}

TEST_CASE("DETECTION_POSTPROCESS op rejects missing or insane options") {
  SUBCASE("no options") {
    OpHarness h(OpCode::DETECTION_POSTPROCESS);
    FloatCase().add_to(h);
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "missing DetectionPostprocessOptions"});
  }
  SUBCASE("options of another op") {
    ert::fb::OpOptionsUnion u;
    u.Set(ert::fb::SoftmaxOptionsT());
    OpHarness h(OpCode::DETECTION_POSTPROCESS, std::move(u));
    FloatCase().add_to(h);
    check_failure(h.prepare(), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "missing DetectionPostprocessOptions"});
  }
  auto o = base_options();
  SUBCASE("max_detections 0") {
    o.max_detections = 0;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"max_detections is 0; needs >= 1"});
  }
  SUBCASE("max_classes_per_detection 0") {
    o.max_classes_per_detection = 0;
    check_failure(prepare_with(o), ERT_INVALID_MODEL,
                  {"max_classes_per_detection is 0; needs >= 1"});
  }
  SUBCASE("num_classes -1") {
    o.num_classes = -1;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"num_classes is -1; needs >= 1"});
  }
  SUBCASE("detections_per_class 0 with regular NMS") {
    o.use_regular_nms = true;
    o.detections_per_class = 0;
    check_failure(prepare_with(o), ERT_INVALID_MODEL,
                  {"op 0 (DETECTION_POSTPROCESS)", "detections_per_class is 0; needs >= 1"});
  }
  SUBCASE("negative detections_per_class with fast NMS") {
    o.detections_per_class = -1;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"detections_per_class is -1; needs >= 0"});
  }
  SUBCASE("max_detections above the dimension cap") {
    o.max_detections = (1 << 30) + 1;
    check_failure(prepare_with(o), ERT_UNSUPPORTED,
                  {"max_detections is 1073741825, above the limit"});
  }
  SUBCASE("too many output slots") {
    o.max_detections = 1 << 28;
    o.max_classes_per_detection = 8;
    check_failure(prepare_with(o), ERT_UNSUPPORTED,
                  {"op 0 (DETECTION_POSTPROCESS)", "2147483648 output slots, above the limit"});
  }
  SUBCASE("NaN score threshold") {
    o.nms_score_threshold = std::numeric_limits<float>::quiet_NaN();
    check_failure(prepare_with(o), ERT_INVALID_MODEL,
                  {"nms_score_threshold is nan; needs a finite value"});
  }
  SUBCASE("infinite score threshold") {
    o.nms_score_threshold = -std::numeric_limits<float>::infinity();
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"nms_score_threshold is -inf"});
  }
  SUBCASE("IoU threshold 0") {
    o.nms_iou_threshold = 0.0f;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"nms_iou_threshold is 0; needs (0, 1]"});
  }
  SUBCASE("IoU threshold above 1") {
    o.nms_iou_threshold = 1.5f;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"nms_iou_threshold is 1.5"});
  }
  SUBCASE("NaN IoU threshold") {
    o.nms_iou_threshold = std::numeric_limits<float>::quiet_NaN();
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"nms_iou_threshold is nan"});
  }
  SUBCASE("zero y_scale") {
    o.y_scale = 0.0f;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"y_scale is 0; needs finite > 0"});
  }
  SUBCASE("negative h_scale") {
    o.h_scale = -5.0f;
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"h_scale is -5; needs finite > 0"});
  }
  SUBCASE("infinite w_scale") {
    o.w_scale = std::numeric_limits<float>::infinity();
    check_failure(prepare_with(o), ERT_INVALID_MODEL, {"w_scale is inf"});
  }
  SUBCASE("an IoU threshold of 1 is allowed") {
    o.nms_iou_threshold = 1.0f;
    CHECK(prepare_with(o).ok());
  }
}

TEST_CASE("DETECTION_POSTPROCESS op rejects inconsistent shapes") {
  const auto o = base_options();
  FloatCase c;
  SUBCASE("box encodings of rank 2") {
    c.box_shape = {4, 4};
    check_failure(
        prepare_with(o, c), ERT_INVALID_MODEL,
        {"op 0 (DETECTION_POSTPROCESS)", "input 0 (box encodings)", "has 2 dims, needs 3"});
  }
  SUBCASE("class scores of rank 2") {
    c.score_shape = {4, 3};
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 1 (class scores)", "has 2 dims, needs 3"});
  }
  SUBCASE("anchors of rank 3") {
    c.anchor_shape = {1, 4, 4};
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 2 (anchors)", "has 3 dims, needs 2"});
  }
  SUBCASE("a batch of 2") {
    c.box_shape = {2, 2, 4};
    check_failure(prepare_with(o, c), ERT_UNSUPPORTED,
                  {"input 0 (box encodings) has shape [2,2,4]; only a batch of 1"});
  }
  SUBCASE("a batch of 2 in the scores") {
    c.score_shape = {2, 2, 3};
    check_failure(prepare_with(o, c), ERT_UNSUPPORTED,
                  {"input 1 (class scores) has shape [2,2,3]; only a batch of 1"});
  }
  SUBCASE("three values per box") {
    c.box_shape = {1, 4, 3};
    c.boxes.resize(12);
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 0 (box encodings) has shape [1,4,3]; needs at least 4 values"});
  }
  SUBCASE("scores for 3 anchors") {
    c.score_shape = {1, 3, 3};
    c.scores.resize(9);
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 1 (class scores) has shape [1,3,3]; needs 4 anchors like input 0"});
  }
  SUBCASE("num_classes + 2 score columns") {
    c.score_shape = {1, 4, 4};
    c.scores.resize(16);
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 1 (class scores) has shape [1,4,4]",
                   "needs num_classes (2) or num_classes + 1 columns"});
  }
  SUBCASE("anchors with 5 values") {
    c.anchor_shape = {4, 5};
    c.anchors.resize(20);
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 2 (anchors) has shape [4,5]; needs [4,4]"});
  }
  SUBCASE("3 anchors for 4 boxes") {
    c.anchor_shape = {3, 4};
    c.anchors.resize(12);
    check_failure(prepare_with(o, c), ERT_INVALID_MODEL,
                  {"input 2 (anchors) has shape [3,4]; needs [4,4]"});
  }
  SUBCASE("num_classes score columns (no background) are fine") {
    c.score_shape = {1, 4, 2};
    c.scores.resize(8);
    CHECK(prepare_with(o, c).ok());
  }
}

TEST_CASE("DETECTION_POSTPROCESS op fails at run on an inverted box, like TFLite") {
  OpHarness h(OpCode::DETECTION_POSTPROCESS, wrap(base_options()));
  FloatCase c;
  c.anchors[2 * 4 + 3] = -1.0f;  // Anchor 2 gets a negative width.
  c.add_to(h);
  REQUIRE(h.prepare().ok());
  check_failure(h.run(), ERT_INVALID_ARGUMENT,
                {"op 0 (DETECTION_POSTPROCESS)", "anchor 2 decodes to an inverted box"});
}
