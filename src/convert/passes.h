// Graph passes the converter runs between import and writing. Each is a small unit with its
// own tests (tests/convert/passes_test.cc); run_passes applies them in a fixed order.
#ifndef ERT_CONVERT_PASSES_H_
#define ERT_CONVERT_PASSES_H_

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
};

/// Choices the passes follow.
struct PassOptions {
  bool fp16_weights = false;  // Store float constants as fp16 (halves the weights).
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

/// All of the above, in order (store_constants_fp16 only when options ask for it).
Status run_passes(ModelBuilder* model, const PassOptions& options, PassReport* report);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_PASSES_H_
