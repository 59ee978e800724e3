// Seeded random inputs and inputs from .npy files, for `ert run` and `ert compare`.
#include "src/tool/model_inputs.h"

#include <cstring>

#include "src/tool/npy.h"

namespace ert::tool {

void fill_random(rt::Tensor& t, std::mt19937& rng) {
  const int64_t n = t.shape.num_elements();
  switch (t.dtype) {
    case ERT_F32: {
      std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
      float* p = t.data_as<float>();
      for (int64_t i = 0; i < n; ++i) p[i] = dist(rng);
      break;
    }
    default:
      for (size_t i = 0; i < t.bytes; ++i) t.data[i] = uint8_t(rng());
      break;
  }
}

Status set_input_from_npy(rt::Interpreter& interp, const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "--input '%s' is not NAME=FILE.npy", spec.c_str());
  }
  const std::string name = spec.substr(0, eq);
  const std::string path = spec.substr(eq + 1);
  rt::Tensor* t = interp.input_by_name(name.c_str());
  if (t == nullptr) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "--input: the model has no input named '%s'",
                           name.c_str());
  }
  NpyArray a;
  ERT_RETURN_IF_ERROR(read_npy(path, &a));
  if (a.dtype != t->dtype) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: dtype %s, input '%s' needs %s", path.c_str(),
                           rt::dtype_name(a.dtype), name.c_str(), rt::dtype_name(t->dtype));
  }
  bool same = a.shape.size() == size_t(t->shape.rank);
  for (size_t i = 0; same && i < a.shape.size(); ++i) same = a.shape[i] == t->shape.dims[i];
  if (!same) {
    // A different shape resizes the input, as TFLite's resize_tensor_input would.
    if (a.shape.size() > size_t(kernels::kMaxRank)) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: %zu dims is too many", path.c_str(),
                             a.shape.size());
    }
    kernels::Shape shape;
    shape.rank = int(a.shape.size());
    for (int i = 0; i < shape.rank; ++i) shape.dims[i] = int32_t(a.shape[size_t(i)]);
    for (size_t i = 0; i < interp.input_count(); ++i) {
      if (interp.input(i) == t) ERT_RETURN_IF_ERROR(interp.resize_input(i, shape));
    }
  }
  std::memcpy(t->data, a.data.data(), t->bytes);
  return Status();
}

bool input_given(const std::vector<std::string>& specs, const rt::Tensor& t) {
  for (const std::string& spec : specs) {
    if (spec.rfind(std::string(t.name) + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace ert::tool
