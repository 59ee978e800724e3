// Graph passes the converter runs between import and writing. Each is a small unit with its
// own tests (tests/convert/passes_test.cc); run_passes applies them in a fixed order.
#ifndef ERT_CONVERT_PASSES_H_
#define ERT_CONVERT_PASSES_H_

#include <map>
#include <string>
#include <vector>

#include "src/convert/model_builder.h"
#include "src/runtime/status.h"

namespace ert::cvt {

/// What the passes did, for the converter's report.
struct PassReport {
  int dequantize_folded = 0;
  int activations_fused = 0;
  int pads_fused = 0;
  int reshapes_dropped = 0;
  int tensors_removed = 0;
  int segments_removed = 0;
  int constants_to_fp16 = 0;
  int ops_int8 = 0;              // quantize_int8: ops that compute in int8,
  int ops_float = 0;             // ops kept in float,
  int conversions_inserted = 0;  // and the QUANTIZE and DEQUANTIZE ops between them.
};

/// Values a tensor took over the calibration inputs.
struct TensorRange {
  float min = 0;
  float max = 0;
};
/// Calibrated ranges by tensor name (names are unique in a model).
using TensorRanges = std::map<std::string, TensorRange>;

/// What post-training int8 quantization works from.
struct Int8Options {
  const TensorRanges* ranges = nullptr;  // Of every activation, from the float model.
  std::vector<std::string> keep_float;   // Op type names (e.g. "LOGISTIC") to keep in float.
};

/// Choices the passes follow.
struct PassOptions {
  bool fp16_weights = false;  // Store float constants as fp16 (halves the weights).
  /// With ranges: quantize to int8 (post-training, full integer where kernels allow).
  Int8Options int8;
};

/// DEQUANTIZE of a constant f16 tensor becomes an f32 constant (the op goes away).
Status fold_dequantize(ModelBuilder* model, PassReport* report);

/// A RELU or RELU6 that is the only reader of an op's output becomes that op's fused activation,
/// when the op takes one, has none yet, and both tensors share their quantization.
Status fuse_activations(ModelBuilder* model, PassReport* report);

/// A zero PAD of only H and W that feeds only one CONV_2D or DEPTHWISE_CONV_2D with VALID or
/// EXPLICIT padding becomes that convolution's explicit padding.
Status fuse_pad_into_conv(ModelBuilder* model, PassReport* report);

/// A RESHAPE whose output shape equals its input shape is removed (unless its output is a graph
/// output, whose name must stay).
Status drop_identity_reshapes(ModelBuilder* model, PassReport* report);

/// Removes ops whose outputs nobody reads, then tensors and segments nothing refers to.
Status remove_dead_tensors(ModelBuilder* model, PassReport* report);

/// Stores every f32 constant as f16 (IEEE half, round to nearest even). The runtime computes in
/// fp32 from them on CPUs without fp16 arithmetic.
Status store_constants_fp16(ModelBuilder* model, PassReport* report);

/// Post-training quantization (see pass_quantize_int8.cc): ops with an int8 kernel compute in
/// int8 with per-channel weights; the rest stay f32 behind DEQUANTIZE/QUANTIZE; graph inputs
/// and outputs stay f32.
Status quantize_int8(ModelBuilder* model, const Int8Options& options, PassReport* report);
/// Names of the op types quantize_int8 can put in int8.
std::vector<std::string> int8_op_names();

/// All of the above, in order (store_constants_fp16 and quantize_int8 only when options ask for them).
Status run_passes(ModelBuilder* model, const PassOptions& options, PassReport* report);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_PASSES_H_
