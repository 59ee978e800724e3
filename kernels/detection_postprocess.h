// DETECTION_POSTPROCESS: TensorFlow Lite's custom op "TFLite_Detection_PostProcess", the tail of
// SSD detectors. It decodes box encodings against anchors and keeps the best boxes by greedy
// non-max suppression (NMS), reproducing TFLite's results bit for bit on the same float inputs.
//
//   1. Decode each anchor's (ty, tx, th, tw) against its anchor (y, x, h, w) into the corners
//      (ymin, xmin, ymax, xmax), with TFLite's double-precision formula.
//   2. Refuse the input when a decoded box is inverted (ymin > ymax or xmin > xmax), as TFLite
//      does; degenerate boxes (zero height or width) are fine and overlap nothing.
//   3. Fast NMS (use_regular_nms false): per anchor, rank its classes and keep the top
//      min(max_classes_per_detection, num_classes); one NMS over each anchor's best score.
//      Regular NMS: one NMS per class, keeping min(detections_per_class, max_detections) each,
//      merged into one list ordered by score and cut at max_detections.
//   4. Write the outputs; slots without a detection are zero.
//
// Inputs are floats; quantized inputs are dequantized first (detection_dequantize below), which
// is what TFLite does too. Nothing here allocates: arrays come from DetectionScratch.
#ifndef ERT_KERNELS_DETECTION_POSTPROCESS_H_
#define ERT_KERNELS_DETECTION_POSTPROCESS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace ert::kernels {

/// Options and input dimensions of DETECTION_POSTPROCESS, as the op checks them: counts >= 1,
/// except anchors >= 0 and detections_per_class (used by regular NMS only, >= 1 there).
struct DetectionPostprocessParams {
  int32_t num_anchors = 0;                // A: rows of the box encodings, scores and anchors.
  int32_t box_stride = 4;                 // Values per anchor in the box encodings (>= 4).
  int32_t score_columns = 0;              // num_classes, or num_classes + 1 with a background.
  int32_t num_classes = 0;                // Classes without the background.
  int32_t max_detections = 0;             // Most detections returned.
  int32_t max_classes_per_detection = 1;  // Classes reported per box (fast NMS).
  int32_t detections_per_class = 100;     // Boxes kept per class (regular NMS).
  float score_threshold = 0.0f;           // Scores >= this take part in NMS.
  float iou_threshold = 0.5f;             // In (0, 1]: a box whose IoU is > this is dropped.
  float y_scale = 10.0f;                  // Divisors of ty, tx, th and tw.
  float x_scale = 10.0f;
  float h_scale = 5.0f;
  float w_scale = 5.0f;
  bool use_regular_nms = false;
};

/// One corner-form box, in the order the output uses.
struct DetectionBox {
  float ymin;
  float xmin;
  float ymax;
  float xmax;
};

/// One entry of the regular-NMS result list.
struct ScoredDetection {
  float score;
  int32_t anchor;
  int32_t class_index;
};

/// Column of the first real class in a score row: 1 when column 0 is the background.
inline int32_t detection_label_offset(const DetectionPostprocessParams& p) {
  return p.score_columns - p.num_classes;
}

/// Classes reported per selected box by fast NMS.
inline int32_t detection_classes_per_anchor(const DetectionPostprocessParams& p) {
  return std::min(p.max_classes_per_detection, p.num_classes);
}

/// Slots of each output row: max_detections * max_classes_per_detection (TFLite's shape).
inline int64_t detection_output_slots(const DetectionPostprocessParams& p) {
  return int64_t(p.max_detections) * p.max_classes_per_detection;
}

/// Element counts of the scratch arrays the kernel needs for `p`. Each is bounded by the
/// sizes of the inputs (not only by the options), so hostile options cannot inflate them.
struct DetectionScratchSizes {
  int64_t boxes = 0;          // DetectionBox per anchor: the decoded boxes.
  int64_t anchor_scores = 0;  // float per anchor: the scores one NMS pass looks at.
  int64_t top_classes = 0;    // int32 per anchor and reported class (fast NMS).
  int64_t class_order = 0;    // int32 per class: ranking work space (fast NMS, several classes).
  int64_t candidates = 0;     // int32 per anchor: anchors above the score threshold, sorted.
  int64_t suppressed = 0;     // uint8 per anchor: candidates removed by a better overlapping box.
  int64_t selected = 0;       // int32: anchors one NMS pass keeps.
  int64_t merged = 0;         // ScoredDetection: two lists of the regular-NMS result.

  /// Bytes of one buffer holding every array (see detection_scratch_from_buffer).
  int64_t total_bytes() const {
    return boxes * int64_t(sizeof(DetectionBox)) + anchor_scores * int64_t(sizeof(float)) +
           (top_classes + class_order + candidates + selected) * int64_t(sizeof(int32_t)) +
           merged * int64_t(sizeof(ScoredDetection)) + suppressed;
  }
};

inline DetectionScratchSizes detection_scratch_sizes(const DetectionPostprocessParams& p) {
  DetectionScratchSizes s;
  const int64_t anchors = p.num_anchors;
  s.boxes = anchors;
  s.anchor_scores = anchors;
  s.candidates = anchors;
  s.suppressed = anchors;
  // One pass never keeps more than its limit (at most max_detections) nor more than A anchors.
  s.selected = std::min<int64_t>(p.max_detections, anchors);
  if (p.use_regular_nms) {
    // The merged list never holds more than max_detections entries nor more than the number
    // of (anchor, class) pairs; it is double-buffered.
    s.merged = 2 * std::min<int64_t>(p.max_detections, anchors * p.num_classes);
  } else {
    const int32_t k = detection_classes_per_anchor(p);
    s.top_classes = anchors * k;
    s.class_order = k > 1 ? p.num_classes : 0;
  }
  return s;
}

/// Typed views of the scratch arrays; see DetectionScratchSizes for their sizes.
struct DetectionScratch {
  DetectionBox* boxes = nullptr;
  float* anchor_scores = nullptr;
  int32_t* top_classes = nullptr;
  int32_t* class_order = nullptr;
  int32_t* candidates = nullptr;
  int32_t* selected = nullptr;
  ScoredDetection* merged = nullptr;
  uint8_t* suppressed = nullptr;
};

/// Carves the arrays out of one buffer of sizes.total_bytes() bytes, aligned for floats.
/// Every element type but the last (uint8) is 4 bytes wide, so no padding is needed.
inline DetectionScratch detection_scratch_from_buffer(const DetectionScratchSizes& sizes,
                                                      uint8_t* buffer) {
  static_assert(alignof(DetectionBox) == 4 && alignof(ScoredDetection) == 4,
                "scratch arrays are packed with 4-byte alignment");
  DetectionScratch s;
  uint8_t* at = buffer;
  auto take = [&at](int64_t count, size_t element_bytes) {
    uint8_t* start = at;
    at += size_t(count) * element_bytes;
    return start;
  };
  s.boxes = reinterpret_cast<DetectionBox*>(take(sizes.boxes, sizeof(DetectionBox)));
  s.anchor_scores = reinterpret_cast<float*>(take(sizes.anchor_scores, sizeof(float)));
  s.top_classes = reinterpret_cast<int32_t*>(take(sizes.top_classes, sizeof(int32_t)));
  s.class_order = reinterpret_cast<int32_t*>(take(sizes.class_order, sizeof(int32_t)));
  s.candidates = reinterpret_cast<int32_t*>(take(sizes.candidates, sizeof(int32_t)));
  s.selected = reinterpret_cast<int32_t*>(take(sizes.selected, sizeof(int32_t)));
  s.merged = reinterpret_cast<ScoredDetection*>(take(sizes.merged, sizeof(ScoredDetection)));
  s.suppressed = take(sizes.suppressed, 1);
  return s;
}

/// real = (q - zero_point) * scale, rounded once to float like TFLite's dequantization of this
/// op's inputs. Copies `count` values from rows of `in_stride` elements, keeping the first
/// `keep` of each row (box encodings keep their four box values only).
template <typename Q>
inline void detection_dequantize(const Q* in, int64_t rows, int64_t in_stride, int64_t keep,
                                 float scale, int32_t zero_point, float* out) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < keep; ++c) {
      out[r * keep + c] = float(int32_t(in[r * in_stride + c]) - zero_point) * scale;
    }
  }
}

/// Decodes one encoding (ty, tx, th, tw) against its anchor (y, x, h, w):
///   center = t / scale * anchor_size + anchor_center, half = 0.5 * exp(t / scale) * size,
/// evaluated in double and rounded to float once per value, then corners = center -/+ half
/// in float, which is TFLite's arithmetic step for step.
inline DetectionBox detection_decode_box(const DetectionPostprocessParams& p, const float* e,
                                         const float* a) {
  const double ay = a[0], ax = a[1], ah = a[2], aw = a[3];
  const float ycenter = float(double(e[0]) / double(p.y_scale) * ah + ay);
  const float xcenter = float(double(e[1]) / double(p.x_scale) * aw + ax);
  const float half_h = float(0.5 * std::exp(double(e[2]) / double(p.h_scale)) * ah);
  const float half_w = float(0.5 * std::exp(double(e[3]) / double(p.w_scale)) * aw);
  return DetectionBox{ycenter - half_h, xcenter - half_w, ycenter + half_h, xcenter + half_w};
}

/// Intersection over union of two boxes; 0 when either has a zero or negative area. The
/// operand order of every min/max matters for NaN and signed zeros and follows TFLite.
inline float detection_iou(const DetectionBox& a, const DetectionBox& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0.0f || area_b <= 0.0f) return 0.0f;
  const float ymin = std::max(a.ymin, b.ymin);
  const float xmin = std::max(a.xmin, b.xmin);
  const float ymax = std::min(a.ymax, b.ymax);
  const float xmax = std::min(a.xmax, b.xmax);
  const float intersection = std::max(ymax - ymin, 0.0f) * std::max(xmax - xmin, 0.0f);
  return intersection / (area_a + area_b - intersection);
}

/// Greedy NMS over one score per anchor. Writes the kept anchors, best first, to `selected`
/// and returns how many (at most `limit`).
///   1. Candidates: anchors whose score is >= the threshold (NaN never is).
///   2. Order them by score, highest first; equal scores keep anchor order (TFLite uses a
///      stable sort; sorting on (score, anchor) gives the same order without a buffer).
///   3. Walk the order: a candidate not yet suppressed is kept, then suppresses every later
///      candidate whose IoU with it is > iou_threshold (strictly). Stop at `limit` kept.
inline int32_t detection_nms(const DetectionPostprocessParams& p, const DetectionBox* boxes,
                             const float* scores, int32_t limit, const DetectionScratch& scratch,
                             int32_t* selected) {
  int32_t* order = scratch.candidates;
  uint8_t* suppressed = scratch.suppressed;
  int32_t count = 0;
  for (int32_t i = 0; i < p.num_anchors; ++i) {
    if (scores[i] >= p.score_threshold) order[count++] = i;
  }
  std::sort(order, order + count, [scores](int32_t a, int32_t b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  });
  std::fill(suppressed, suppressed + count, uint8_t(0));
  int32_t kept = 0;
  for (int32_t i = 0; i < count && kept < limit; ++i) {
    if (suppressed[i] != 0) continue;
    const DetectionBox& best = boxes[order[i]];
    selected[kept++] = order[i];
    for (int32_t j = i + 1; j < count; ++j) {
      if (suppressed[j] == 0 && detection_iou(best, boxes[order[j]]) > p.iou_threshold) {
        suppressed[j] = 1;
      }
    }
  }
  return kept;
}

/// Writes the `k` classes of `row` (num_classes scores) that fast NMS reports, best first.
/// With one class this is the first index of the maximum; with several, TFLite ranks
/// indices 0..n-1 with std::partial_sort on "greater score", and so does this, so that equal
/// scores come out in the same (implementation-defined but deterministic) order.
inline void detection_rank_classes(const float* row, int32_t num_classes, int32_t k, int32_t* work,
                                   int32_t* top) {
  if (k == 1) {
    int32_t best = 0;
    for (int32_t c = 1; c < num_classes; ++c) {
      if (row[c] > row[best]) best = c;
    }
    top[0] = best;
    return;
  }
  for (int32_t c = 0; c < num_classes; ++c) work[c] = c;
  std::partial_sort(work, work + k, work + num_classes,
                    [row](int32_t a, int32_t b) { return row[a] > row[b]; });
  std::copy(work, work + k, top);
}

/// The whole op on float inputs:
///   box_encodings [A, box_stride] (ty, tx, th, tw, ignored extras...), class_scores
///   [A, score_columns], anchors [A, 4] (y, x, h, w); outputs boxes [slots, 4], classes [slots],
///   scores [slots] and count [1], slots = detection_output_slots(p).
/// Returns -1, or the first anchor whose decoded box is inverted: TFLite fails the invocation
/// then, and here every output is left zero.
inline int32_t detection_postprocess_f32(const DetectionPostprocessParams& p,
                                         const float* box_encodings, const float* class_scores,
                                         const float* anchors, const DetectionScratch& scratch,
                                         float* out_boxes, float* out_classes, float* out_scores,
                                         float* out_count) {
  const int64_t slots = detection_output_slots(p);
  std::fill(out_boxes, out_boxes + slots * 4, 0.0f);
  std::fill(out_classes, out_classes + slots, 0.0f);
  std::fill(out_scores, out_scores + slots, 0.0f);
  out_count[0] = 0.0f;

  DetectionBox* boxes = scratch.boxes;
  for (int32_t a = 0; a < p.num_anchors; ++a) {
    boxes[a] = detection_decode_box(p, box_encodings + int64_t(a) * p.box_stride,
                                    anchors + int64_t(a) * 4);
  }
  for (int32_t a = 0; a < p.num_anchors; ++a) {
    if (boxes[a].ymin > boxes[a].ymax || boxes[a].xmin > boxes[a].xmax) return a;
  }

  const int32_t offset = detection_label_offset(p);
  auto write_slot = [&](int64_t slot, int32_t anchor, int32_t class_index, float score) {
    const DetectionBox& b = boxes[anchor];
    out_boxes[slot * 4 + 0] = b.ymin;
    out_boxes[slot * 4 + 1] = b.xmin;
    out_boxes[slot * 4 + 2] = b.ymax;
    out_boxes[slot * 4 + 3] = b.xmax;
    out_classes[slot] = float(class_index);
    out_scores[slot] = score;
  };

  if (!p.use_regular_nms) {
    // Fast NMS: rank each anchor's classes, then one NMS pass over the best scores.
    const int32_t k = detection_classes_per_anchor(p);
    for (int32_t a = 0; a < p.num_anchors; ++a) {
      const float* row = class_scores + int64_t(a) * p.score_columns + offset;
      int32_t* top = scratch.top_classes + int64_t(a) * k;
      detection_rank_classes(row, p.num_classes, k, scratch.class_order, top);
      scratch.anchor_scores[a] = row[top[0]];
    }
    const int32_t kept =
        detection_nms(p, boxes, scratch.anchor_scores, p.max_detections, scratch, scratch.selected);
    // Detection d fills slots [d * max_classes_per_detection, + k); any further slots of its
    // group (when max_classes_per_detection > num_classes) stay zero.
    for (int32_t d = 0; d < kept; ++d) {
      const int32_t anchor = scratch.selected[d];
      const float* row = class_scores + int64_t(anchor) * p.score_columns + offset;
      const int32_t* top = scratch.top_classes + int64_t(anchor) * k;
      for (int32_t c = 0; c < k; ++c) {
        write_slot(int64_t(d) * p.max_classes_per_detection + c, anchor, top[c], row[top[c]]);
      }
    }
    out_count[0] = float(kept);
    return -1;
  }

  // Regular NMS: class by class, merge the kept boxes into the list so far. The merge is
  // stable (on equal scores, entries already in the list, i.e. of lower classes, come first)
  // and the list is cut at max_detections, as TFLite's single-threaded std::inplace_merge.
  const int32_t per_class = std::min(p.detections_per_class, p.max_detections);
  const int64_t capacity =
      std::min<int64_t>(p.max_detections, int64_t(p.num_anchors) * p.num_classes);
  ScoredDetection* list = scratch.merged;
  ScoredDetection* next = scratch.merged + capacity;
  int64_t size = 0;
  for (int32_t c = 0; c < p.num_classes; ++c) {
    for (int32_t a = 0; a < p.num_anchors; ++a) {
      scratch.anchor_scores[a] = class_scores[int64_t(a) * p.score_columns + offset + c];
    }
    const int32_t kept =
        detection_nms(p, boxes, scratch.anchor_scores, per_class, scratch, scratch.selected);
    int64_t i = 0;
    int32_t j = 0;
    int64_t n = 0;
    while (n < capacity && (i < size || j < kept)) {
      const bool take_new =
          j < kept && (i == size || scratch.anchor_scores[scratch.selected[j]] > list[i].score);
      if (take_new) {
        const int32_t anchor = scratch.selected[j++];
        next[n++] = ScoredDetection{scratch.anchor_scores[anchor], anchor, c};
      } else {
        next[n++] = list[i++];
      }
    }
    std::swap(list, next);
    size = n;
  }
  for (int64_t d = 0; d < size; ++d) {
    write_slot(d, list[d].anchor, list[d].class_index, list[d].score);
  }
  out_count[0] = float(size);
  return -1;
}

}  // namespace ert::kernels

#endif  // ERT_KERNELS_DETECTION_POSTPROCESS_H_
