// Calibration for post-training int8 quantization: runs the float model on sample inputs and
// records the range of every f32 activation, by tensor name.
#ifndef ERT_TOOL_CALIBRATION_H_
#define ERT_TOOL_CALIBRATION_H_

#include <string>

#include "src/convert/passes.h"
#include "src/runtime/model.h"

namespace ert::tool {

struct CalibrationOptions {
  /// A folder of photos, one photo, or a .npy of samples ([N, input shape...] or the input
  /// shape itself for one sample). Photos suit models with one f32 NHWC input of 1 or 3
  /// channels; they are resized to it and normalized as (byte - mean) / std.
  std::string source;
  int max_samples = 0;        // 0: every sample the source has.
  float mean = 127.5f;        // Photos map to [-1, 1] by default (MediaPipe's models).
  float std = 127.5f;
  /// 100: a tensor's range is its min and max over all samples. Below 100: the range keeps
  /// this share of the values, cutting (100 - percentile) / 2 percent off each end.
  double percentile = 100.0;
  int threads = 1;
  bool progress = false;      // A progress line on stderr.
};

struct CalibrationReport {
  int samples = 0;
  size_t tensors = 0;         // Activations with a range.
  double seconds = 0;
};

/// Runs `model` (f32) on the samples and fills `ranges`. Errors name the file or tensor.
Status calibrate(const rt::Model& model, const CalibrationOptions& options,
                 cvt::TensorRanges* ranges, CalibrationReport* report);

}  // namespace ert::tool

#endif  // ERT_TOOL_CALIBRATION_H_
