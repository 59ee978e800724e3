// Kernel tests of DETECTION_POSTPROCESS on hand-built anchors. Most cases use zero encodings
// and anchors of height and width 1, so that each decoded box is its anchor's center +/- 0.5
// and every expected box, IoU and ranking can be worked out by hand (all values are exact in
// binary floating point).
#include "kernels/detection_postprocess.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

using ert::kernels::DetectionBox;
using ert::kernels::DetectionPostprocessParams;

namespace {

struct Result {
  int32_t inverted = -1;
  std::vector<float> boxes, classes, scores;
  float count = -1.0f;
};

// Runs the kernel with scratch of exactly the advertised size and outputs poisoned with NaN.
Result run(const DetectionPostprocessParams& p, const std::vector<float>& encodings,
           const std::vector<float>& scores, const std::vector<float>& anchors) {
  const auto sizes = ert::kernels::detection_scratch_sizes(p);
  std::vector<uint8_t> buffer(size_t(sizes.total_bytes()) + 1);
  const auto scratch = ert::kernels::detection_scratch_from_buffer(sizes, buffer.data());
  const int64_t slots = ert::kernels::detection_output_slots(p);
  Result r;
  r.boxes.assign(size_t(slots * 4), NAN);
  r.classes.assign(size_t(slots), NAN);
  r.scores.assign(size_t(slots), NAN);
  r.inverted = ert::kernels::detection_postprocess_f32(p, encodings.data(), scores.data(),
                                                       anchors.data(), scratch, r.boxes.data(),
                                                       r.classes.data(), r.scores.data(), &r.count);
  return r;
}

// Anchors (y, x, h = 1, w = 1) at the given centers.
std::vector<float> unit_anchors(std::initializer_list<std::pair<float, float>> centers) {
  std::vector<float> a;
  for (const auto& c : centers) a.insert(a.end(), {c.first, c.second, 1.0f, 1.0f});
  return a;
}

// The four anchors most cases use; with zero encodings they decode to:
//   0: [0, 0, 1, 1]     1: [0, 0.25, 1, 1.25] (IoU with 0: 0.75 / 1.25 = 0.6)
//   2: [0, 2, 1, 3]     3: [2, 0, 3, 1]       (2 and 3 overlap nothing)
std::vector<float> four_anchors() {
  return unit_anchors({{0.5f, 0.5f}, {0.5f, 0.75f}, {0.5f, 2.5f}, {2.5f, 0.5f}});
}

DetectionPostprocessParams base_params(int32_t anchors, int32_t num_classes, bool background) {
  DetectionPostprocessParams p;
  p.num_anchors = anchors;
  p.box_stride = 4;
  p.num_classes = num_classes;
  p.score_columns = num_classes + (background ? 1 : 0);
  p.max_detections = 4;
  p.max_classes_per_detection = 1;
  p.detections_per_class = 100;
  p.score_threshold = 0.1f;
  p.iou_threshold = 0.5f;
  return p;
}

void check_box(const Result& r, int slot, std::vector<float> expected) {
  INFO("slot " << slot);
  for (int i = 0; i < 4; ++i) CHECK(r.boxes[size_t(slot * 4 + i)] == expected[size_t(i)]);
}

void check_slot(const Result& r, int slot, std::vector<float> box, float cls, float score) {
  check_box(r, slot, box);
  INFO("slot " << slot);
  CHECK(r.classes[size_t(slot)] == cls);
  CHECK(r.scores[size_t(slot)] == score);
}

void check_empty_from(const Result& r, int first_slot) {
  for (size_t s = size_t(first_slot); s < r.classes.size(); ++s) {
    INFO("slot " << s);
    CHECK(r.classes[s] == 0.0f);
    CHECK(r.scores[s] == 0.0f);
    for (size_t i = 0; i < 4; ++i) CHECK(r.boxes[s * 4 + i] == 0.0f);
  }
}

}  // namespace

TEST_CASE("DETECTION_POSTPROCESS kernel decodes center-size encodings against anchors") {
  DetectionPostprocessParams p = base_params(1, 1, false);
  SUBCASE("default scales, an extra encoding value ignored") {
    // ycenter = 1/10*2 + 0.5 = 0.7, xcenter = -2/10*4 + 0.25 = -0.55,
    // half_h = 0.5*e^(5/5)*2 = e, half_w = 0.5*e^(-5/5)*4 = 2/e.
    p.box_stride = 5;
    const float enc[5] = {1.0f, -2.0f, 5.0f, -5.0f, 99.0f};
    const float anchor[4] = {0.5f, 0.25f, 2.0f, 4.0f};
    const DetectionBox b = ert::kernels::detection_decode_box(p, enc, anchor);
    const double e = std::exp(1.0);
    CHECK(b.ymin == doctest::Approx(0.7 - e));
    CHECK(b.xmin == doctest::Approx(-0.55 - 2.0 / e));
    CHECK(b.ymax == doctest::Approx(0.7 + e));
    CHECK(b.xmax == doctest::Approx(-0.55 + 2.0 / e));
  }
  SUBCASE("custom scales, exact values") {
    // ycenter = 1/2*1 + 1 = 1.5, xcenter = 2/4*2 + 1 = 2, half_h = 0.5, half_w = 0.5*1*2 = 1.
    p.y_scale = 2.0f;
    p.x_scale = 4.0f;
    p.h_scale = 1.0f;
    p.w_scale = 2.0f;
    const float enc[4] = {1.0f, 2.0f, 0.0f, 0.0f};
    const float anchor[4] = {1.0f, 1.0f, 1.0f, 2.0f};
    const DetectionBox b = ert::kernels::detection_decode_box(p, enc, anchor);
    CHECK(b.ymin == 1.0f);
    CHECK(b.xmin == 1.0f);
    CHECK(b.ymax == 2.0f);
    CHECK(b.xmax == 3.0f);
  }
  SUBCASE("through the whole kernel, with the box stride") {
    p.box_stride = 6;
    p.score_threshold = 0.0f;
    const std::vector<float> enc = {10.0f, 0.0f, 0.0f, 0.0f, 7.0f, 7.0f};  // ycenter + 1*h.
    const std::vector<float> anchors = {0.5f, 0.5f, 1.0f, 2.0f};
    const Result r = run(p, enc, {0.5f}, anchors);
    REQUIRE(r.inverted == -1);
    CHECK(r.count == 1.0f);
    check_slot(r, 0, {1.0f, -0.5f, 2.0f, 1.5f}, 0.0f, 0.5f);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel IoU, with degenerate boxes") {
  using ert::kernels::detection_iou;
  const DetectionBox unit{0, 0, 1, 1};
  CHECK(detection_iou(unit, unit) == 1.0f);
  // Intersection 2, union 3 + 3 - 2 = 4.
  CHECK(detection_iou({0, 0, 1, 3}, {0, 1, 1, 4}) == 0.5f);
  // Intersection 1, union 4 + 4 - 1 = 7.
  CHECK(detection_iou({0, 0, 2, 2}, {1, 1, 3, 3}) == doctest::Approx(1.0 / 7.0));
  CHECK(detection_iou(unit, {2, 2, 3, 3}) == 0.0f);
  CHECK(detection_iou(unit, {0, 1, 1, 2}) == 0.0f);  // Touching edges.
  // A zero-area box overlaps nothing, not even itself.
  const DetectionBox flat{0, 0, 0, 1};
  CHECK(detection_iou(flat, flat) == 0.0f);
  CHECK(detection_iou(flat, unit) == 0.0f);
  CHECK(detection_iou(unit, flat) == 0.0f);
}

TEST_CASE("DETECTION_POSTPROCESS kernel dequantizes per tensor") {
  const uint8_t u8[5] = {10, 20, 30, 40, 50};
  float out[4] = {};
  // Rows of 5 values, the first 4 kept: (q - 20) * 0.5.
  ert::kernels::detection_dequantize(u8, 1, 5, 4, 0.5f, 20, out);
  CHECK(out[0] == -5.0f);
  CHECK(out[1] == 0.0f);
  CHECK(out[2] == 5.0f);
  CHECK(out[3] == 10.0f);
  const int8_t i8[4] = {-128, -1, 0, 127};
  ert::kernels::detection_dequantize(i8, 2, 2, 1, 0.25f, -1, out);
  CHECK(out[0] == -31.75f);
  CHECK(out[1] == 0.25f);
}

TEST_CASE("DETECTION_POSTPROCESS kernel fast NMS suppresses overlaps and drops low scores") {
  DetectionPostprocessParams p = base_params(4, 2, true);
  const std::vector<float> enc(16, 0.0f);
  // Columns: background (ignored, even when highest), class 0, class 1.
  const std::vector<float> scores = {
      0.9f, 0.6f,  0.1f,   // 0: best class 0 (0.6).
      0.0f, 0.2f,  0.7f,   // 1: best class 1 (0.7).
      0.0f, 0.5f,  0.3f,   // 2: best class 0 (0.5).
      0.0f, 0.05f, 0.08f,  // 3: best 0.08, below the threshold 0.1.
  };
  SUBCASE("IoU 0.6 > 0.5: anchor 1 suppresses anchor 0") {
    const Result r = run(p, enc, scores, four_anchors());
    REQUIRE(r.inverted == -1);
    CHECK(r.count == 2.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
    check_empty_from(r, 2);
  }
  SUBCASE("an IoU equal to the threshold does not suppress") {
    p.iou_threshold = 0.6f;  // 0.75f / 1.25f rounds to 0.6f exactly.
    const Result r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 3.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.6f);
    check_slot(r, 2, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
    check_empty_from(r, 3);
  }
  SUBCASE("a score equal to the threshold is kept, one just below is not") {
    p.score_threshold = 0.08f;
    Result r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 3.0f);
    check_slot(r, 2, {2.0f, 0.0f, 3.0f, 1.0f}, 1.0f, 0.08f);
    p.score_threshold = std::nextafter(0.08f, 1.0f);
    r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 2.0f);
  }
  SUBCASE("max_detections caps the result") {
    p.max_detections = 1;
    const Result r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 1.0f);
    REQUIRE(r.classes.size() == 1);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
  }
  SUBCASE("nothing above the threshold: zero count, zero slots") {
    p.score_threshold = 0.95f;
    const Result r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 0.0f);
    check_empty_from(r, 0);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel without a background column uses column 0") {
  DetectionPostprocessParams p = base_params(2, 2, false);
  const std::vector<float> scores = {0.9f, 0.2f, 0.3f, 0.4f};
  const Result r =
      run(p, std::vector<float>(8, 0.0f), scores, unit_anchors({{0.5f, 0.5f}, {0.5f, 2.5f}}));
  CHECK(r.count == 2.0f);
  check_slot(r, 0, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.9f);
  check_slot(r, 1, {0.0f, 2.0f, 1.0f, 3.0f}, 1.0f, 0.4f);
}

TEST_CASE("DETECTION_POSTPROCESS kernel breaks score ties by anchor order") {
  DetectionPostprocessParams p = base_params(6, 1, true);
  p.max_detections = 6;
  // Anchors 0..3 disjoint along x; anchors 4 and 5 sit on anchor 0's box (IoU 1).
  const auto anchors = unit_anchors(
      {{0.5f, 0.5f}, {0.5f, 2.5f}, {0.5f, 4.5f}, {0.5f, 6.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}});
  // All equal, but anchor 3 higher: 3 first, then 0, 1, 2 in anchor order; 4 and 5 tie with
  // 0 and lose to it (lower anchor first), so they are suppressed.
  const std::vector<float> scores = {0, 0.5f, 0, 0.5f, 0, 0.5f, 0, 0.75f, 0, 0.5f, 0, 0.5f};
  const Result r = run(p, std::vector<float>(24, 0.0f), scores, anchors);
  CHECK(r.count == 4.0f);
  check_box(r, 0, {0.0f, 6.0f, 1.0f, 7.0f});
  check_box(r, 1, {0.0f, 0.0f, 1.0f, 1.0f});
  check_box(r, 2, {0.0f, 2.0f, 1.0f, 3.0f});
  check_box(r, 3, {0.0f, 4.0f, 1.0f, 5.0f});
  check_empty_from(r, 4);
}

TEST_CASE("DETECTION_POSTPROCESS kernel fast NMS reports several classes per box") {
  DetectionPostprocessParams p = base_params(4, 3, true);
  const std::vector<float> enc(16, 0.0f);
  const std::vector<float> scores = {
      0.0f, 0.6f, 0.1f, 0.0f,   // 0: suppressed by 1.
      0.0f, 0.2f, 0.7f, 0.4f,   // 1: classes 1 (0.7), 2 (0.4).
      0.0f, 0.5f, 0.05f, 0.0f,  // 2: classes 0 (0.5), 1 (0.05: below the threshold, still
                                //    reported; only the best score takes part in NMS).
      0.0f, 0.0f, 0.0f, 0.0f,   // 3: nothing.
  };
  SUBCASE("two of three classes") {
    p.max_detections = 3;
    p.max_classes_per_detection = 2;
    const Result r = run(p, enc, scores, four_anchors());
    REQUIRE(r.classes.size() == 6);
    CHECK(r.count == 2.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {0.0f, 0.25f, 1.0f, 1.25f}, 2.0f, 0.4f);
    check_slot(r, 2, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
    check_slot(r, 3, {0.0f, 2.0f, 1.0f, 3.0f}, 1.0f, 0.05f);
    check_empty_from(r, 4);
  }
  SUBCASE("more classes per detection than classes: the extra slots stay zero") {
    p.max_detections = 2;
    p.max_classes_per_detection = 4;
    const Result r = run(p, enc, scores, four_anchors());
    REQUIRE(r.classes.size() == 8);
    CHECK(r.count == 2.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {0.0f, 0.25f, 1.0f, 1.25f}, 2.0f, 0.4f);
    check_slot(r, 2, {0.0f, 0.25f, 1.0f, 1.25f}, 0.0f, 0.2f);
    check_slot(r, 3, {0.0f, 0.0f, 0.0f, 0.0f}, 0.0f, 0.0f);
    check_slot(r, 4, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
    check_slot(r, 5, {0.0f, 2.0f, 1.0f, 3.0f}, 1.0f, 0.05f);
    check_slot(r, 6, {0.0f, 2.0f, 1.0f, 3.0f}, 2.0f, 0.0f);
    check_empty_from(r, 7);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel regular NMS runs per class and merges by score") {
  DetectionPostprocessParams p = base_params(4, 2, true);
  p.use_regular_nms = true;
  p.max_detections = 5;
  const std::vector<float> enc(16, 0.0f);
  const std::vector<float> scores = {
      0.0f, 0.6f,  0.1f,   // 0
      0.0f, 0.2f,  0.7f,   // 1
      0.0f, 0.5f,  0.3f,   // 2
      0.0f, 0.05f, 0.65f,  // 3
  };
  // Class 0: candidates 0 (0.6), 2 (0.5), 1 (0.2); 0 suppresses 1 -> [0, 2].
  // Class 1: candidates 1 (0.7), 3 (0.65), 2 (0.3), 0 (0.1, at the threshold); 1 suppresses
  // 0 -> [1, 3, 2]. Merged: 1/c1 0.7, 3/c1 0.65, 0/c0 0.6, 2/c0 0.5, 2/c1 0.3.
  SUBCASE("every kept box, one box under two classes") {
    const Result r = run(p, enc, scores, four_anchors());
    REQUIRE(r.inverted == -1);
    CHECK(r.count == 5.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {2.0f, 0.0f, 3.0f, 1.0f}, 1.0f, 0.65f);
    check_slot(r, 2, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.6f);
    check_slot(r, 3, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
    check_slot(r, 4, {0.0f, 2.0f, 1.0f, 3.0f}, 1.0f, 0.3f);
  }
  SUBCASE("max_detections cuts the merged list") {
    p.max_detections = 3;
    const Result r = run(p, enc, scores, four_anchors());
    CHECK(r.count == 3.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {2.0f, 0.0f, 3.0f, 1.0f}, 1.0f, 0.65f);
    check_slot(r, 2, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.6f);
  }
  SUBCASE("detections_per_class keeps the best of each class; unused slots are zero") {
    p.detections_per_class = 1;
    p.max_classes_per_detection = 2;  // Regular NMS fills max_detections slots only.
    const Result r = run(p, enc, scores, four_anchors());
    REQUIRE(r.classes.size() == 10);
    CHECK(r.count == 2.0f);
    check_slot(r, 0, {0.0f, 0.25f, 1.0f, 1.25f}, 1.0f, 0.7f);
    check_slot(r, 1, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.6f);
    check_empty_from(r, 2);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel regular NMS puts lower classes first on equal scores") {
  DetectionPostprocessParams p = base_params(4, 3, true);
  p.use_regular_nms = true;
  // Class 0 keeps anchor 2, class 1 anchor 0, class 2 anchor 3, all at 0.5: the merge keeps
  // class order (not anchor order) among equal scores.
  const std::vector<float> scores = {
      0.0f, 0.0f, 0.5f, 0.0f,  // 0
      0.0f, 0.0f, 0.0f, 0.0f,  // 1
      0.0f, 0.5f, 0.0f, 0.0f,  // 2
      0.0f, 0.0f, 0.0f, 0.5f,  // 3
  };
  const Result r = run(p, std::vector<float>(16, 0.0f), scores, four_anchors());
  CHECK(r.count == 3.0f);
  check_slot(r, 0, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.5f);
  check_slot(r, 1, {0.0f, 0.0f, 1.0f, 1.0f}, 1.0f, 0.5f);
  check_slot(r, 2, {2.0f, 0.0f, 3.0f, 1.0f}, 2.0f, 0.5f);
  check_empty_from(r, 3);
}

TEST_CASE("DETECTION_POSTPROCESS kernel refuses inverted boxes and keeps degenerate ones") {
  DetectionPostprocessParams p = base_params(3, 1, false);
  SUBCASE("a negative anchor height inverts the box") {
    auto anchors = unit_anchors({{0.5f, 0.5f}, {0.5f, 2.5f}, {0.5f, 4.5f}});
    anchors[1 * 4 + 2] = -1.0f;
    const Result r = run(p, std::vector<float>(12, 0.0f), {0.9f, 0.8f, 0.7f}, anchors);
    CHECK(r.inverted == 1);
    CHECK(r.count == 0.0f);
    check_empty_from(r, 0);
  }
  SUBCASE("zero-height boxes overlap nothing, so identical ones are all kept") {
    auto anchors = unit_anchors({{0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}});
    anchors[0 * 4 + 2] = 0.0f;
    anchors[1 * 4 + 2] = 0.0f;
    const Result r = run(p, std::vector<float>(12, 0.0f), {0.9f, 0.8f, 0.7f}, anchors);
    REQUIRE(r.inverted == -1);
    CHECK(r.count == 3.0f);
    check_slot(r, 0, {0.5f, 0.0f, 0.5f, 1.0f}, 0.0f, 0.9f);
    check_slot(r, 1, {0.5f, 0.0f, 0.5f, 1.0f}, 0.0f, 0.8f);
    check_slot(r, 2, {0.0f, 0.0f, 1.0f, 1.0f}, 0.0f, 0.7f);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel scratch sizes follow the inputs, not only the options") {
  DetectionPostprocessParams p = base_params(4, 2, true);
  p.max_detections = 1 << 30;
  auto s = ert::kernels::detection_scratch_sizes(p);
  CHECK(s.boxes == 4);
  CHECK(s.selected == 4);
  CHECK(s.merged == 0);
  CHECK(s.top_classes == 4);
  CHECK(s.class_order == 0);
  p.max_classes_per_detection = 5;
  s = ert::kernels::detection_scratch_sizes(p);
  CHECK(s.top_classes == 8);
  CHECK(s.class_order == 2);
  p.use_regular_nms = true;
  s = ert::kernels::detection_scratch_sizes(p);
  CHECK(s.merged == 2 * 8);
  CHECK(s.top_classes == 0);

  SUBCASE("no anchors at all") {
    p.num_anchors = 0;
    p.max_detections = 2;
    const Result r = run(p, {}, {}, {});
    CHECK(r.inverted == -1);
    CHECK(r.count == 0.0f);
    check_empty_from(r, 0);
  }
}

TEST_CASE("DETECTION_POSTPROCESS kernel fast NMS reports the lowest of tied best classes") {
  // Quantized scores tie often; TFLite's arg-max keeps the first maximum.
  DetectionPostprocessParams p = base_params(2, 3, true);
  const std::vector<float> scores = {0.9f, 0.2f, 0.5f, 0.5f,   // Classes 1 and 2 tie.
                                     0.0f, 0.4f, 0.4f, 0.4f};  // All three tie.
  const Result r =
      run(p, std::vector<float>(8, 0.0f), scores, unit_anchors({{0.5f, 0.5f}, {0.5f, 2.5f}}));
  CHECK(r.count == 2.0f);
  check_slot(r, 0, {0.0f, 0.0f, 1.0f, 1.0f}, 1.0f, 0.5f);
  check_slot(r, 1, {0.0f, 2.0f, 1.0f, 3.0f}, 0.0f, 0.4f);
}
