// Writes a model (FlatBuffers object form plus constant segments) as a .ert file image, and
// computes its memory plan.
#ifndef ERT_CONVERT_MODEL_WRITER_H_
#define ERT_CONVERT_MODEL_WRITER_H_

#include <cstdint>
#include <vector>

#include "ert/ert.hpp"
#include "ert_generated.h"
#include "src/runtime/planner.h"

namespace ert::cvt {

/// Constant data of a model being written; tensor.segment indexes this list.
using SegmentData = std::vector<std::vector<uint8_t>>;

/// Plans memory for the declared shapes and stores the plan in model->plan.
/// Fails with a message naming the tensor when a shape or dtype cannot be sized.
Status plan_model(fb::ModelT* model, rt::PlanStats* stats = nullptr);

/// Serializes: the FlatBuffer, then each segment at a 64-byte aligned offset. Fills
/// model.segments with the offsets and sizes (the model is taken by value for that).
Status write_model(fb::ModelT model, const SegmentData& segments, std::vector<uint8_t>* out);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_MODEL_WRITER_H_
