// DETECTION_POSTPROCESS: TFLite's custom op "TFLite_Detection_PostProcess" (SSD box decoding
// and non-max suppression). Runs kernels/detection_postprocess.h.
//
// prepare():
//   1. Tensors: 3 inputs (box encodings [1, A, >=4], class scores [1, A, C or C+1], anchors
//      [A, 4]), 4 outputs, all present; inputs f32, u8 or i8 (quantized per tensor, scale > 0),
//      outputs f32; no fused activation.
//   2. Options: present; max_detections, max_classes_per_detection and num_classes >= 1,
//      detections_per_class >= 1 for regular NMS (>= 0 otherwise), thresholds finite with the
//      IoU threshold in (0, 1], the four scales finite and > 0.
//   3. Outputs: boxes [1, D, 4], classes [1, D], scores [1, D], count [1] with
//      D = max_detections * max_classes_per_detection (TFLite's shapes), within the caps.
//   4. One scratch buffer for the kernel and for dequantized copies of quantized inputs; it is
//      allocated here (without throwing) so that run() does not allocate.
// run(): dequantizes quantized inputs into the scratch, then runs the float kernel. It fails
// (as TFLite's invoke does) when a decoded box is inverted.
//
// Beyond TFLite: i8 inputs, and each input quantized (or not) independently; TFLite takes u8
// or f32 only, and reads the anchors as u8 whenever the box encodings are u8.
#include "kernels/detection_postprocess.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <new>

#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

const char* const kInputNames[3] = {"input 0 (box encodings)", "input 1 (class scores)",
                                    "input 2 (anchors)"};

// How run() reads one input: in place (f32) or after dequantizing into the scratch buffer.
struct InputPlan {
  bool quantized = false;
  float scale = 0.0f;
  int32_t zero_point = 0;
  int64_t rows = 0;       // Rows to dequantize.
  int64_t in_stride = 0;  // Values per row in the tensor.
  int64_t keep = 0;       // Values kept per row.
  float* dequantized = nullptr;
};

class DetectionPostprocessOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(3, 3, 4));
    for (int i = 0; i < 3; ++i) ERT_RETURN_IF_ERROR(ctx.expect_present(i));
    const fb::Activation act = ctx.op()->activation();
    if (act != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported on this op",
                      fb::EnumNameActivation(act));
    }
    const Tensor& boxes = *ctx.input(0);
    const Tensor& scores = *ctx.input(1);
    const Tensor& anchors = *ctx.input(2);
    for (int i = 0; i < 3; ++i) ERT_RETURN_IF_ERROR(check_input_dtype(ctx, i));
    for (int i = 0; i < 4; ++i) {
      char what[16];
      std::snprintf(what, sizeof(what), "output %d", i);
      ERT_RETURN_IF_ERROR(ctx.expect_dtype(*ctx.output(i), what, ERT_F32));
    }

    const fb::DetectionPostprocessOptions* o = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&o));
    ERT_RETURN_IF_ERROR(check_options(ctx, *o));

    ERT_RETURN_IF_ERROR(ctx.expect_rank(boxes, kInputNames[0], 3, 3));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(scores, kInputNames[1], 3, 3));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(anchors, kInputNames[2], 2, 2));
    char shape[64];
    if (boxes.shape[0] != 1 || scores.shape[0] != 1) {
      const Tensor& t = boxes.shape[0] != 1 ? boxes : scores;
      return ctx.fail(ERT_UNSUPPORTED, "%s has shape %s; only a batch of 1 is supported",
                      &t == &boxes ? kInputNames[0] : kInputNames[1],
                      shape_string(t.shape, shape, sizeof(shape)));
    }
    const int32_t num_anchors = boxes.shape[1];
    if (boxes.shape[2] < 4) {
      return ctx.fail(ERT_INVALID_MODEL, "%s has shape %s; needs at least 4 values per anchor",
                      kInputNames[0], shape_string(boxes.shape, shape, sizeof(shape)));
    }
    if (scores.shape[1] != num_anchors) {
      return ctx.fail(ERT_INVALID_MODEL, "%s has shape %s; needs %d anchors like input 0",
                      kInputNames[1], shape_string(scores.shape, shape, sizeof(shape)),
                      int(num_anchors));
    }
    const int32_t columns = scores.shape[2];
    if (columns != o->num_classes() && columns != o->num_classes() + 1) {
      return ctx.fail(
          ERT_INVALID_MODEL, "%s has shape %s; needs num_classes (%d) or num_classes + 1 columns",
          kInputNames[1], shape_string(scores.shape, shape, sizeof(shape)), int(o->num_classes()));
    }
    if (anchors.shape[0] != num_anchors || anchors.shape[1] != 4) {
      return ctx.fail(ERT_INVALID_MODEL, "%s has shape %s; needs [%d,4]", kInputNames[2],
                      shape_string(anchors.shape, shape, sizeof(shape)), int(num_anchors));
    }

    kernels::DetectionPostprocessParams p;
    p.num_anchors = num_anchors;
    p.box_stride = boxes.shape[2];
    p.score_columns = columns;
    p.num_classes = o->num_classes();
    p.max_detections = o->max_detections();
    p.max_classes_per_detection = o->max_classes_per_detection();
    p.detections_per_class = o->detections_per_class();
    p.score_threshold = o->nms_score_threshold();
    p.iou_threshold = o->nms_iou_threshold();
    p.y_scale = o->y_scale();
    p.x_scale = o->x_scale();
    p.h_scale = o->h_scale();
    p.w_scale = o->w_scale();
    p.use_regular_nms = o->use_regular_nms();

    // Outputs. max_detections <= kMaxDim and max_classes_per_detection <= kMaxDim (checked
    // with the options), so the product fits in 64 bits.
    const int64_t slots = kernels::detection_output_slots(p);
    if (slots > kMaxDim || slots * 4 > kMaxElements) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "max_detections %d * max_classes_per_detection %d = %lld output slots, "
                      "above the limit of %lld",
                      int(p.max_detections), int(p.max_classes_per_detection), (long long)slots,
                      (long long)(kMaxElements / 4));
    }
    ctx.output(0)->shape = kernels::Shape{1, int32_t(slots), 4};
    ctx.output(1)->shape = kernels::Shape{1, int32_t(slots)};
    ctx.output(2)->shape = kernels::Shape{1, int32_t(slots)};
    ctx.output(3)->shape = kernels::Shape{1};

    // Scratch: the kernel's arrays, then the dequantized inputs (all 4-byte elements).
    // Every size is bounded by the input tensors' element counts, which the runtime caps.
    const kernels::DetectionScratchSizes sizes = kernels::detection_scratch_sizes(p);
    int64_t bytes = sizes.total_bytes();
    bytes = (bytes + 3) / 4 * 4;
    const int64_t input_rows[3] = {num_anchors, num_anchors, num_anchors};
    const int64_t input_strides[3] = {p.box_stride, columns, 4};
    const int64_t input_keep[3] = {4, columns, 4};
    int64_t dequantized_offset[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
      const Tensor& t = *ctx.input(i);
      InputPlan& plan = inputs_[i];
      plan = InputPlan();
      plan.quantized = t.dtype != ERT_F32;
      if (!plan.quantized) continue;
      plan.scale = t.scale();
      plan.zero_point = int32_t(t.zero_point());
      plan.rows = input_rows[i];
      plan.in_stride = input_strides[i];
      plan.keep = input_keep[i];
      dequantized_offset[i] = bytes;
      bytes += plan.rows * plan.keep * int64_t(sizeof(float));
    }
    if (bytes > scratch_bytes_ || scratch_ == nullptr) {
      scratch_.reset(new (std::nothrow) uint8_t[size_t(bytes > 0 ? bytes : 1)]);
      if (scratch_ == nullptr) {
        scratch_bytes_ = 0;
        return ctx.fail(ERT_OUT_OF_MEMORY, "cannot allocate %lld bytes of scratch",
                        (long long)bytes);
      }
      scratch_bytes_ = bytes;
    }
    for (int i = 0; i < 3; ++i) {
      if (inputs_[i].quantized) {
        inputs_[i].dequantized = reinterpret_cast<float*>(scratch_.get() + dequantized_offset[i]);
      }
    }
    scratch_view_ = kernels::detection_scratch_from_buffer(sizes, scratch_.get());
    params_ = p;
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const float* data[3];
    for (int i = 0; i < 3; ++i) {
      const Tensor& t = *ctx.input(i);
      const InputPlan& plan = inputs_[i];
      if (!plan.quantized) {
        data[i] = t.data_as<const float>();
        continue;
      }
      if (t.dtype == ERT_U8) {
        kernels::detection_dequantize(t.data_as<const uint8_t>(), plan.rows, plan.in_stride,
                                      plan.keep, plan.scale, plan.zero_point, plan.dequantized);
      } else {
        kernels::detection_dequantize(t.data_as<const int8_t>(), plan.rows, plan.in_stride,
                                      plan.keep, plan.scale, plan.zero_point, plan.dequantized);
      }
      data[i] = plan.dequantized;
    }
    kernels::DetectionPostprocessParams p = params_;
    // Dequantized box encodings keep only their four box values per anchor.
    if (inputs_[0].quantized) p.box_stride = 4;
    const int32_t inverted = kernels::detection_postprocess_f32(
        p, data[0], data[1], data[2], scratch_view_, ctx.output(0)->data_as<float>(),
        ctx.output(1)->data_as<float>(), ctx.output(2)->data_as<float>(),
        ctx.output(3)->data_as<float>());
    if (inverted >= 0) {
      return ctx.fail(ERT_INVALID_ARGUMENT,
                      "anchor %d decodes to an inverted box (ymin > ymax or xmin > xmax), which "
                      "TFLite rejects too; check the anchors' heights and widths",
                      int(inverted));
    }
    return Status();
  }

 private:
  // f32 as is; u8 and i8 need one finite scale > 0 and a zero point in their range.
  static Status check_input_dtype(const OpContext& ctx, int i) {
    const Tensor& t = *ctx.input(i);
    const char* what = kInputNames[i];
    if (t.dtype == ERT_F32) return Status();
    if (t.dtype != ERT_U8 && t.dtype != ERT_I8) {
      return ctx.fail(ERT_UNSUPPORTED, "%s (tensor %d '%s') has dtype %s; needs f32, u8 or i8",
                      what, t.index, t.name, dtype_name(t.dtype));
    }
    if (t.quant == nullptr || t.quant->scale() == nullptr || t.quant->scale()->size() == 0 ||
        t.quant->zero_point() == nullptr || t.quant->zero_point()->size() == 0) {
      return ctx.fail(ERT_INVALID_MODEL, "%s (tensor %d '%s') is %s without quantization", what,
                      t.index, t.name, dtype_name(t.dtype));
    }
    if (t.quant->scale()->size() != 1 || t.quant->zero_point()->size() != 1) {
      return ctx.fail(ERT_UNSUPPORTED,
                      "%s (tensor %d '%s') is quantized per channel; needs per tensor", what,
                      t.index, t.name);
    }
    const float scale = t.scale();
    if (!std::isfinite(scale) || scale <= 0.0f) {
      return ctx.fail(ERT_INVALID_MODEL, "%s (tensor %d '%s') has scale %g; needs finite > 0", what,
                      t.index, t.name, double(scale));
    }
    const int64_t zp = t.zero_point();
    const int64_t lo = t.dtype == ERT_U8 ? 0 : -128;
    const int64_t hi = t.dtype == ERT_U8 ? 255 : 127;
    if (zp < lo || zp > hi) {
      return ctx.fail(
          ERT_INVALID_MODEL, "%s (tensor %d '%s') has zero point %lld, outside [%lld, %lld] of %s",
          what, t.index, t.name, (long long)zp, (long long)lo, (long long)hi, dtype_name(t.dtype));
    }
    return Status();
  }

  static Status check_options(const OpContext& ctx, const fb::DetectionPostprocessOptions& o) {
    struct Count {
      const char* name;
      int32_t value;
      int32_t min;
    };
    const Count counts[] = {
        {"max_detections", o.max_detections(), 1},
        {"max_classes_per_detection", o.max_classes_per_detection(), 1},
        {"num_classes", o.num_classes(), 1},
        // Regular NMS keeps min(detections_per_class, max_detections) per class and TFLite
        // refuses 0 there; fast NMS ignores the value, but TFLite still refuses a negative one.
        {"detections_per_class", o.detections_per_class(), o.use_regular_nms() ? 1 : 0},
    };
    for (const Count& c : counts) {
      if (c.value < c.min) {
        return ctx.fail(ERT_INVALID_MODEL, "%s is %d; needs >= %d", c.name, int(c.value),
                        int(c.min));
      }
      if (c.value > kMaxDim) {
        return ctx.fail(ERT_UNSUPPORTED, "%s is %d, above the limit of %lld", c.name, int(c.value),
                        (long long)kMaxDim);
      }
    }
    const float score = o.nms_score_threshold();
    if (!std::isfinite(score)) {
      return ctx.fail(ERT_INVALID_MODEL, "nms_score_threshold is %g; needs a finite value",
                      double(score));
    }
    // TFLite's NMS refuses IoU thresholds outside (0, 1] (NaN included) at invoke.
    const float iou = o.nms_iou_threshold();
    if (!(iou > 0.0f && iou <= 1.0f)) {
      return ctx.fail(ERT_INVALID_MODEL, "nms_iou_threshold is %g; needs (0, 1]", double(iou));
    }
    const struct {
      const char* name;
      float value;
    } scales[] = {{"y_scale", o.y_scale()},
                  {"x_scale", o.x_scale()},
                  {"h_scale", o.h_scale()},
                  {"w_scale", o.w_scale()}};
    for (const auto& s : scales) {
      if (!std::isfinite(s.value) || s.value <= 0.0f) {
        return ctx.fail(ERT_INVALID_MODEL, "%s is %g; needs finite > 0", s.name, double(s.value));
      }
    }
    return Status();
  }

  kernels::DetectionPostprocessParams params_;
  InputPlan inputs_[3];
  std::unique_ptr<uint8_t[]> scratch_;
  int64_t scratch_bytes_ = 0;
  kernels::DetectionScratch scratch_view_;
};

}  // namespace

std::unique_ptr<Op> make_detection_postprocess_op() {
  return std::make_unique<DetectionPostprocessOp>();
}

}  // namespace ert::rt
