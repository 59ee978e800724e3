// ert compare A B [--input NAME=FILE.npy ...] [--per-layer] [--tolerance T] [--fail-above T]
// Runs two models of the same network (fp32 and int8 or fp16, a .tflite and its .ert, the fast
// path and the reference kernels) on the same input and prints the error of each output.
//
// Steps:
//   1. Load both and create their interpreters (--reference-a/-b: reference kernels only).
//   2. Inputs, matched by index: A's from --input files or seeded random values; B gets the same
//      real values, quantized to its own type when it differs (bytes copied when both share
//      type and quantization, so no rounding comes in).
//   3. Run both: whole, or with --per-layer one op at a time, keeping every op output of A and
//      the outputs of B that bear the same tensor names (converted models keep TFLite's names).
//   4. Print, per output (matched by index), the largest and mean absolute error, the error
//      relative to A's largest magnitude, and for a quantized B the error in B's units; with
//      --per-layer the same after every layer, and the first layer whose relative error exceeds
//      --tolerance: where the two part.
// A is the reference: relative errors divide by A's values.
#include <fp16.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "src/runtime/interpreter.h"
#include "src/tool/commands.h"
#include "src/tool/model_inputs.h"

namespace ert::tool {

namespace {

struct CompareArgs {
  std::string model_a;
  std::string model_b;
  std::vector<std::string> inputs;
  bool per_layer = false;
  double tolerance = 0.01;
  double fail_above = -1;  // Negative: never fail on the error.
  int threads = 1;
  bool reference_a = false;
  bool reference_b = false;
  uint32_t seed = 1;
};

bool is_quantized(const rt::Tensor& t) {
  return (t.dtype == ERT_U8 || t.dtype == ERT_I8) && t.scale() > 0.0f;
}

/// The real values of a tensor: quantized types dequantized, fp16 widened, integers as is.
Status real_values(const rt::Tensor& t, std::vector<float>* out) {
  const size_t n = size_t(t.shape.num_elements());
  out->resize(n);
  const float scale = t.scale();
  const float zero = float(t.zero_point());
  switch (t.dtype) {
    case ERT_F32:
      std::memcpy(out->data(), t.data, n * sizeof(float));
      return Status();
    case ERT_F16:
      for (size_t i = 0; i < n; ++i) (*out)[i] = fp16_ieee_to_fp32_value(t.data_as<const uint16_t>()[i]);
      return Status();
    case ERT_U8:
      for (size_t i = 0; i < n; ++i) {
        const float q = float(t.data_as<const uint8_t>()[i]);
        (*out)[i] = scale > 0 ? (q - zero) * scale : q;
      }
      return Status();
    case ERT_I8:
      for (size_t i = 0; i < n; ++i) {
        const float q = float(t.data_as<const int8_t>()[i]);
        (*out)[i] = scale > 0 ? (q - zero) * scale : q;
      }
      return Status();
    case ERT_I32:
      for (size_t i = 0; i < n; ++i) (*out)[i] = float(t.data_as<const int32_t>()[i]);
      return Status();
    case ERT_I64:
      for (size_t i = 0; i < n; ++i) (*out)[i] = float(t.data_as<const int64_t>()[i]);
      return Status();
    case ERT_BOOL:
      for (size_t i = 0; i < n; ++i) (*out)[i] = t.data[i] != 0 ? 1.0f : 0.0f;
      return Status();
  }
  return rt::make_status(ERT_UNSUPPORTED, "tensor '%s': dtype %s cannot be compared", t.name,
                         rt::dtype_name(t.dtype));
}

template <typename Q>
void quantize_into(const std::vector<float>& values, float scale, float zero, Q* out) {
  constexpr float lo = float(std::numeric_limits<Q>::min());
  constexpr float hi = float(std::numeric_limits<Q>::max());
  for (size_t i = 0; i < values.size(); ++i) {
    const float q = scale > 0 ? std::nearbyint(values[i] / scale) + zero : std::nearbyint(values[i]);
    out[i] = Q(std::min(hi, std::max(lo, q)));
  }
}

/// Writes real values into an input of any type (quantizing, narrowing, rounding as needed).
Status set_real_values(const std::vector<float>& values, rt::Tensor* t) {
  if (size_t(t->shape.num_elements()) != values.size()) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "input '%s' has %lld elements, the other model's %zu",
                           t->name, static_cast<long long>(t->shape.num_elements()), values.size());
  }
  const float scale = t->scale();
  const float zero = float(t->zero_point());
  switch (t->dtype) {
    case ERT_F32:
      std::memcpy(t->data, values.data(), values.size() * sizeof(float));
      return Status();
    case ERT_F16:
      for (size_t i = 0; i < values.size(); ++i) t->data_as<uint16_t>()[i] = fp16_ieee_from_fp32_value(values[i]);
      return Status();
    case ERT_U8:
      quantize_into(values, scale, zero, t->data_as<uint8_t>());
      return Status();
    case ERT_I8:
      quantize_into(values, scale, zero, t->data_as<int8_t>());
      return Status();
    case ERT_I32:
      quantize_into(values, 0.0f, 0.0f, t->data_as<int32_t>());
      return Status();
    default:
      break;
  }
  return rt::make_status(ERT_UNSUPPORTED, "input '%s': dtype %s cannot be set from the other model's",
                         t->name, rt::dtype_name(t->dtype));
}

bool same_type_and_quantization(const rt::Tensor& a, const rt::Tensor& b) {
  return a.dtype == b.dtype && a.scale() == b.scale() && a.zero_point() == b.zero_point();
}

struct Error {
  size_t count = 0;
  double max_abs = 0;
  double mean_abs = 0;
  double max_ref = 0;  // Largest |A|.
  double relative() const { return max_abs / std::max(max_ref, double(FLT_MIN)); }
};

Error error_between(const std::vector<float>& a, const std::vector<float>& b) {
  Error e;
  e.count = a.size();
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(double(a[i]) - double(b[i]));
    e.max_abs = std::max(e.max_abs, d);
    e.max_ref = std::max(e.max_ref, std::fabs(double(a[i])));
    sum += d;
  }
  e.mean_abs = a.empty() ? 0 : sum / double(a.size());
  return e;
}

struct Side {
  LoadedModel loaded;
  std::unique_ptr<rt::Interpreter> interp;
  std::map<std::string, std::vector<float>> layers;  // Op outputs by tensor name (--per-layer).
};

/// Loads and creates one side; on failure reports one line and returns false.
bool create_side(const std::string& path, const CompareArgs& args, bool reference, Side* side) {
  if (!load_model_or_report("compare", path, &side->loaded)) return false;
  rt::InterpreterOptions options;
  options.num_threads = args.threads;
  options.fast_path = !reference;
  const Status s = rt::Interpreter::create(*side->loaded.model, options, &side->interp);
  if (!s.ok()) {
    report_error("compare", rt::make_status(s.code(), "%s: %s", path.c_str(), s.message().c_str()));
    return false;
  }
  return true;
}

Status set_inputs(const CompareArgs& args, Side* a, Side* b) {
  rt::Interpreter& ia = *a->interp;
  rt::Interpreter& ib = *b->interp;
  if (ia.input_count() != ib.input_count()) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s has %zu inputs, %s has %zu",
                           args.model_a.c_str(), ia.input_count(), args.model_b.c_str(),
                           ib.input_count());
  }
  for (const std::string& spec : args.inputs) ERT_RETURN_IF_ERROR(set_input_from_npy(ia, spec));
  std::mt19937 rng(args.seed);
  for (size_t i = 0; i < ia.input_count(); ++i) {
    rt::Tensor* ta = ia.input(i);
    if (!input_given(args.inputs, *ta)) fill_random(*ta, rng);
    rt::Tensor* tb = ib.input(i);
    if (!(ta->shape == tb->shape)) {
      char sa[96], sb[96];
      rt::shape_string(ta->shape, sa, sizeof(sa));
      rt::shape_string(tb->shape, sb, sizeof(sb));
      if (!input_given(args.inputs, *ta)) {
        return rt::make_status(ERT_INVALID_ARGUMENT,
                               "input %zu: '%s' of %s is %s, '%s' of %s is %s: not the same network?",
                               i, ta->name, args.model_a.c_str(), sa, tb->name,
                               args.model_b.c_str(), sb);
      }
      // A was resized to the shape of its file; B follows.
      const Status s = ib.resize_input(i, ta->shape);
      if (!s.ok()) {
        return rt::make_status(s.code(), "%s: resizing input '%s' from %s to %s: %s",
                               args.model_b.c_str(), tb->name, sb, sa, s.message().c_str());
      }
      tb = ib.input(i);
    }
    if (same_type_and_quantization(*ta, *tb) && ta->bytes == tb->bytes) {
      std::memcpy(tb->data, ta->data, ta->bytes);
      continue;
    }
    std::vector<float> values;
    ERT_RETURN_IF_ERROR(real_values(*ta, &values));
    ERT_RETURN_IF_ERROR(set_real_values(values, tb));
  }
  return Status();
}

/// Runs op by op; keeps the outputs of every op whose tensor name is in `wanted` (all if null).
Status run_layers(Side* side, const std::map<std::string, std::vector<float>>* wanted) {
  rt::Interpreter& interp = *side->interp;
  const auto& ops = *side->loaded.model->flatbuffer().operators();
  for (size_t i = 0; i < interp.num_ops(); ++i) {
    ERT_RETURN_IF_ERROR(interp.invoke_op(i));
    const auto* outputs = ops.Get(flatbuffers::uoffset_t(i))->outputs();
    if (outputs == nullptr) continue;
    for (int32_t index : *outputs) {
      const rt::Tensor& t = interp.tensors()[size_t(index)];
      if (wanted != nullptr && wanted->count(t.name) == 0) continue;
      std::vector<float> values;
      if (real_values(t, &values).ok()) side->layers[t.name] = std::move(values);
    }
  }
  return Status();
}

void print_header(const char* first_column) {
  std::printf("  %-40s %9s %12s %12s %12s %10s %8s\n", first_column, "elements", "max |A|",
              "max |A-B|", "mean |A-B|", "relative", "B units");
}

void print_error_row(const char* label, const Error& e, const rt::Tensor& b) {
  std::printf("  %-40s %9zu %12.5g %12.5g %12.5g %10.3g", label, e.count, e.max_ref, e.max_abs,
              e.mean_abs, e.relative());
  if (is_quantized(b)) std::printf(" %8.2f", e.max_abs / double(b.scale()));
  std::printf("\n");
}

int run_compare(const CompareArgs& args) {
  Side a, b;
  if (!create_side(args.model_a, args, args.reference_a, &a)) return 1;
  if (!create_side(args.model_b, args, args.reference_b, &b)) return 1;
  Status s = set_inputs(args, &a, &b);
  if (!s.ok()) return report_error("compare", s);
  if (a.interp->output_count() != b.interp->output_count()) {
    return report_error("compare", rt::make_status(ERT_INVALID_ARGUMENT, "%s has %zu outputs, %s has %zu",
                                                   args.model_a.c_str(), a.interp->output_count(),
                                                   args.model_b.c_str(), b.interp->output_count()));
  }

  // Step 3: run.
  if (args.per_layer) {
    s = run_layers(&a, nullptr);
    if (s.ok()) s = run_layers(&b, &a.layers);
  } else {
    s = a.interp->invoke();
    if (s.ok()) s = b.interp->invoke();
  }
  if (!s.ok()) return report_error("compare", s);

  // Step 4: outputs.
  std::printf("A %s%s\nB %s%s\n", args.model_a.c_str(), args.reference_a ? " (reference kernels)" : "",
              args.model_b.c_str(), args.reference_b ? " (reference kernels)" : "");
  std::printf("outputs:\n");
  print_header("tensor (A)");
  double worst = 0;
  for (size_t i = 0; i < a.interp->output_count(); ++i) {
    const rt::Tensor& ta = *a.interp->output(i);
    const rt::Tensor& tb = *b.interp->output(i);
    std::vector<float> va, vb;
    s = real_values(ta, &va);
    if (s.ok()) s = real_values(tb, &vb);
    if (s.ok() && va.size() != vb.size()) {
      s = rt::make_status(ERT_INVALID_ARGUMENT, "output %zu: '%s' has %zu elements, '%s' has %zu", i,
                          ta.name, va.size(), tb.name, vb.size());
    }
    if (!s.ok()) return report_error("compare", s);
    const Error e = error_between(va, vb);
    worst = std::max(worst, e.relative());
    print_error_row(ta.name, e, tb);
  }

  if (args.per_layer) {
    std::printf("per layer (op outputs of A that B also has):\n");
    std::printf("  %-5s %-22s", "op", "type");
    print_header("tensor");
    const auto& ops = *a.loaded.model->flatbuffer().operators();
    const rt::Tensor* parted_tensor = nullptr;
    size_t parted_op = 0;
    double parted_error = 0;
    size_t matched = 0;
    std::map<std::string, const rt::Tensor*> b_tensors;  // For B's quantization, by name.
    for (const rt::Tensor& t : b.interp->tensors()) b_tensors[t.name] = &t;
    for (size_t i = 0; i < a.interp->num_ops(); ++i) {
      const auto* op = ops.Get(flatbuffers::uoffset_t(i));
      if (op->outputs() == nullptr) continue;
      for (int32_t index : *op->outputs()) {
        const rt::Tensor& ta = a.interp->tensors()[size_t(index)];
        const auto in_b = b.layers.find(ta.name);
        const auto in_a = a.layers.find(ta.name);
        if (in_b == b.layers.end() || in_a == a.layers.end() || in_a->second.size() != in_b->second.size()) {
          continue;
        }
        const auto tb_it = b_tensors.find(ta.name);
        const rt::Tensor* tb = tb_it != b_tensors.end() ? tb_it->second : nullptr;
        const Error e = error_between(in_a->second, in_b->second);
        ++matched;
        std::printf("  %-5zu %-22s", i, fb::EnumNameOpCode(op->code()));
        char label[41];
        std::snprintf(label, sizeof(label), "%s", ta.name);
        print_error_row(label, e, tb != nullptr ? *tb : ta);
        if (parted_tensor == nullptr && e.relative() > args.tolerance) {
          parted_tensor = &ta;
          parted_op = i;
          parted_error = e.relative();
        }
      }
    }
    std::printf("%zu layers matched by name\n", matched);
    if (parted_tensor != nullptr) {
      std::printf("first layer where they part: op %zu %s, tensor '%s' (relative error %.3g > %.3g)\n",
                  parted_op, fb::EnumNameOpCode(ops.Get(flatbuffers::uoffset_t(parted_op))->code()),
                  parted_tensor->name, parted_error, args.tolerance);
    } else {
      std::printf("no layer parts by more than the tolerance %.3g\n", args.tolerance);
    }
  }
  if (args.fail_above >= 0 && worst > args.fail_above) {
    std::fprintf(stderr, "ert compare: relative output error %.3g is above --fail-above %.3g\n", worst,
                 args.fail_above);
    return 3;
  }
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run two models of one network on the same input and show how their outputs differ");
  cmd->add_option("A", args->model_a, "Reference model (.ert, or .tflite converted in memory)")->required();
  cmd->add_option("B", args->model_b, "Model compared with A (.ert or .tflite)")->required();
  cmd->add_option("--input", args->inputs,
                  "NAME=FILE.npy for an input of A (repeatable); B gets the same values, quantized "
                  "when its input is; inputs not given get seeded random values");
  cmd->add_flag("--per-layer", args->per_layer,
                "Also compare the output of every layer B shares with A by tensor name, and name "
                "the first layer where they part");
  cmd->add_option("--tolerance", args->tolerance,
                  "Relative error (max |A-B| / max |A|) above which a layer counts as parted")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--fail-above", args->fail_above,
                  "Exit with status 3 when an output's relative error is above this")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", args->threads, "Threads of each interpreter")->check(CLI::Range(1, 256));
  cmd->add_option("--seed", args->seed, "Seed of the random inputs");
  cmd->add_flag("--reference-a", args->reference_a, "Run A on the reference kernels only");
  cmd->add_flag("--reference-b", args->reference_b, "Run B on the reference kernels only");
  cmd->footer(
      "Examples:\n"
      "  ert compare face.tflite face_int8.ert --per-layer\n"
      "  ert compare face.ert face_fp16.ert --input input=image.npy\n"
      "  ert compare face.ert face.ert --reference-a --fail-above 1e-5   # fast path vs reference\n"
      "Columns: max |A| is A's largest magnitude; relative is max |A-B| / max |A|; B units is\n"
      "max |A-B| in steps of B's quantization scale (quantized B only).");
  cmd->callback([args, exit_code] { *exit_code = run_compare(*args); });
}

}  // namespace ert::tool
