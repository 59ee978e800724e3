// ert run MODEL [--input NAME=FILE.npy ...] [--output-dir DIR] [--threads N] [--seed S]
// Runs a model once: given inputs from .npy files, or seeded random ones; prints a summary of
// each output and the timings, and writes each output as DIR/NAME.npy.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "src/runtime/interpreter.h"
#include "src/tool/commands.h"
#include "src/tool/model_inputs.h"
#include "src/tool/npy.h"

namespace ert::tool {

namespace {

struct RunArgs {
  std::string model;
  std::vector<std::string> inputs;
  std::string output_dir;
  int threads = 1;
  bool reference_kernels = false;
  uint32_t seed = 1;
};

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Output file name: any character but letters, digits, '_', '.' and '-' becomes '_'.
std::string file_name_for(const char* tensor_name) {
  std::string s = tensor_name;
  for (char& c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
    if (!keep) c = '_';
  }
  return s.empty() ? "output" : s;
}

void print_summary(const rt::Tensor& t) {
  char dims[96];
  std::printf("  %-28s %-4s %-18s", t.name, rt::dtype_name(t.dtype),
              rt::shape_string(t.shape, dims, sizeof(dims)));
  const int64_t n = t.shape.num_elements();
  if (t.dtype == ERT_F32 && n > 0) {
    const float* p = t.data_as<const float>();
    double lo = p[0], hi = p[0], sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      lo = std::min(lo, double(p[i]));
      hi = std::max(hi, double(p[i]));
      sum += p[i];
    }
    std::printf(" min %-11.5g max %-11.5g mean %.5g", lo, hi, sum / double(n));
  }
  std::printf("\n");
}

int run_run(const RunArgs& args) {
  LoadedModel loaded;
  if (!load_model_or_report("run", args.model, &loaded)) return 1;
  const rt::Model* model = loaded.model.get();
  const double load_ms = loaded.load_seconds * 1000.0;
  const auto t1 = std::chrono::steady_clock::now();
  rt::InterpreterOptions options;
  options.num_threads = args.threads;
  options.fast_path = !args.reference_kernels;
  std::unique_ptr<rt::Interpreter> interp;
  Status s = rt::Interpreter::create(*model, options, &interp);
  if (!s.ok()) return report_error("run", s);
  const double create_ms = ms_since(t1);

  for (const std::string& spec : args.inputs) {
    s = set_input_from_npy(*interp, spec);
    if (!s.ok()) return report_error("run", s);
  }
  std::mt19937 rng(args.seed);
  for (size_t i = 0; i < interp->input_count(); ++i) {
    rt::Tensor* t = interp->input(i);
    if (!input_given(args.inputs, *t)) fill_random(*t, rng);
  }
  const auto t2 = std::chrono::steady_clock::now();
  s = interp->invoke();
  if (!s.ok()) return report_error("run", s);
  const double invoke_ms = ms_since(t2);

  if (!args.output_dir.empty()) {
    // Like `mkdir -p`: a folder that is not there yet is made, parents too.
    std::error_code ec;
    std::filesystem::create_directories(args.output_dir, ec);
    if (ec) {
      std::fprintf(stderr, "ert run: %s: cannot create the output folder (%s)\n",
                   args.output_dir.c_str(), ec.message().c_str());
      return 1;
    }
  }
  std::printf("outputs:\n");
  for (size_t i = 0; i < interp->output_count(); ++i) {
    const rt::Tensor& t = *interp->output(i);
    print_summary(t);
    if (!args.output_dir.empty()) {
      const std::string path = args.output_dir + "/" + file_name_for(t.name) + ".npy";
      std::vector<int64_t> shape(t.shape.dims, t.shape.dims + t.shape.rank);
      s = write_npy(path, t.dtype, shape, t.data, t.bytes);
      if (!s.ok()) return report_error("run", s);
    }
  }
  std::printf("load %.3f ms, create %.3f ms, invoke %.3f ms, arena %zu bytes\n", load_ms,
              create_ms, invoke_ms, interp->arena_bytes());
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model once and write its outputs as .npy");
  cmd->add_option("MODEL", args->model, "Model file (.ert, or .tflite converted in memory)")->required();
  cmd->add_option("--input", args->inputs, "NAME=FILE.npy for an input (repeatable); inputs not "
                                           "given get seeded random values");
  cmd->add_option("--output-dir", args->output_dir, "Write each output as DIR/NAME.npy");
  cmd->add_option("--threads", args->threads, "Threads")->check(CLI::Range(1, 256));
  cmd->add_option("--seed", args->seed, "Seed of the random inputs");
  cmd->add_flag("--reference-kernels", args->reference_kernels,
                "Run only the portable reference kernels (no XNNPACK, no own micro-kernels)");
  cmd->footer(
      "Examples:\n  ert run model.ert --seed 7\n"
      "  ert run model.ert --input input=image.npy --output-dir out/");
  cmd->callback([args, exit_code] { *exit_code = run_run(*args); });
}

}  // namespace ert::tool
