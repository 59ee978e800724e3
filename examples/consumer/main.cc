// An application's use of an installed edgert, through the C++ API (ert/ert.hpp): loads the model
// named on the command line, fills every input with a fixed ramp, invokes once and prints the
// first values of every output. main.c does the same through the C API and prints the same lines.
//
// Usage: consumer_cpp MODEL.ert
// Prints: "edgert VERSION", then per input "input NAME [DIMS] DTYPE", then per output
// "output NAME [DIMS] DTYPE: V0 V1 ..." (at most 8 values). Exit status 1 on any error.
#include <cstdio>
#include <string>
#include <vector>

#include <ert/ert.hpp>

namespace {

constexpr size_t kShownValues = 8;

std::string describe(const ert::TensorView& t) {
  std::string s = t.name() + " [";
  const std::vector<int32_t> shape = t.shape();
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "] " + ert_dtype_name(t.dtype());
}

// The ramp 1.5 * i - 3 for float inputs (negative, zero and positive values, so that
// activations show), and its integer counterpart for quantized inputs.
bool fill(ert::TensorView& t) {
  const size_t n = t.num_elements();
  switch (t.dtype()) {
    case ERT_F32:
      for (size_t i = 0; i < n; ++i) t.data<float>()[i] = 1.5f * static_cast<float>(i) - 3.0f;
      return true;
    case ERT_I8:
      for (size_t i = 0; i < n; ++i) t.data<int8_t>()[i] = static_cast<int8_t>(int(i % 256) - 128);
      return true;
    case ERT_U8:
      for (size_t i = 0; i < n; ++i) t.data<uint8_t>()[i] = static_cast<uint8_t>(i % 256);
      return true;
    default:
      return false;
  }
}

void print_values(const ert::TensorView& t) {
  const size_t n = t.num_elements() < kShownValues ? t.num_elements() : kShownValues;
  for (size_t i = 0; i < n; ++i) {
    switch (t.dtype()) {
      case ERT_F32: std::printf(" %g", static_cast<double>(t.data<float>()[i])); break;
      case ERT_I8: std::printf(" %d", t.data<int8_t>()[i]); break;
      case ERT_U8: std::printf(" %d", t.data<uint8_t>()[i]); break;
      case ERT_I32: std::printf(" %ld", static_cast<long>(t.data<int32_t>()[i])); break;
      default: std::printf(" ?"); break;
    }
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s MODEL.ert\n", argv[0]);
    return 2;
  }
  std::printf("edgert %s\n", ert_version());

  ert::Result<ert::Model> model = ert::Model::from_file(argv[1]);
  if (!model) {
    std::fprintf(stderr, "load: %s\n", model.status().to_string().c_str());
    return 1;
  }
  ert::Result<ert::Interpreter> interp = ert::Interpreter::create(*model);
  if (!interp) {
    std::fprintf(stderr, "create: %s\n", interp.status().to_string().c_str());
    return 1;
  }
  for (size_t i = 0; i < interp->input_count(); ++i) {
    ert::TensorView in = interp->input(i);
    std::printf("input %s\n", describe(in).c_str());
    if (!fill(in)) {
      std::fprintf(stderr, "input %s: this example fills only f32, i8 and u8 inputs\n",
                   in.name().c_str());
      return 1;
    }
  }
  if (ert::Status s = interp->invoke(); !s) {
    std::fprintf(stderr, "invoke: %s\n", s.to_string().c_str());
    return 1;
  }
  for (size_t i = 0; i < interp->output_count(); ++i) {
    const ert::TensorView out = interp->output(i);
    std::printf("output %s:", describe(out).c_str());
    print_values(out);
  }
  return 0;
}
