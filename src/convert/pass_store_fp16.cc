// Stores float constants as fp16 (ert convert --precision fp16), and the order the passes run in.
#include <cstring>

#include <fp16.h>

#include "src/convert/passes.h"

namespace ert::cvt {

Status store_constants_fp16(ModelBuilder* builder, PassReport* report) {
  for (auto& t : builder->model().tensors) {
    if (t->segment < 0 || t->dtype != fb::DType::F32) continue;
    std::vector<uint8_t>& data = builder->segments()[size_t(t->segment)];
    const size_t count = data.size() / sizeof(float);
    std::vector<uint8_t> half(count * 2);
    for (size_t i = 0; i < count; ++i) {
      float f;
      std::memcpy(&f, data.data() + 4 * i, 4);
      const uint16_t h = fp16_ieee_from_fp32_value(f);
      std::memcpy(half.data() + 2 * i, &h, 2);
    }
    // A segment shared by several f32 tensors is converted once, through the first of them.
    data = std::move(half);
    for (auto& other : builder->model().tensors) {
      if (other->segment == t->segment) other->dtype = fb::DType::F16;
    }
    ++report->constants_to_fp16;
  }
  return Status();
}

Status run_passes(ModelBuilder* builder, const PassOptions& options, PassReport* report) {
  ERT_RETURN_IF_ERROR(fold_dequantize(builder, report));
  ERT_RETURN_IF_ERROR(fuse_activations(builder, report));
  ERT_RETURN_IF_ERROR(fuse_pad_into_conv(builder, report));
  ERT_RETURN_IF_ERROR(drop_identity_reshapes(builder, report));
  if (options.int8.ranges != nullptr) {
    if (options.fp16_weights) {
      return Status(ERT_INVALID_ARGUMENT, "int8 quantization and fp16 weights cannot be combined");
    }
    ERT_RETURN_IF_ERROR(quantize_int8(builder, options.int8, report));
  }
  ERT_RETURN_IF_ERROR(remove_dead_tensors(builder, report));
  if (options.fp16_weights) ERT_RETURN_IF_ERROR(store_constants_fp16(builder, report));
  return Status();
}

}  // namespace ert::cvt
