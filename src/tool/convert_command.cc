// ert convert IN.tflite -o OUT.ert: converts a TensorFlow Lite model and reports what the
// conversion did (ops before and after the passes, arena against its bounds, time).
#include <cstdio>
#include <fstream>

#include "src/convert/converter.h"
#include "src/tool/commands.h"

namespace ert::tool {

namespace {

struct ConvertArgs {
  std::string input;
  std::string output;
  std::string precision = "fp32";
};

int run_convert(const ConvertArgs& args) {
  std::vector<uint8_t> image;
  cvt::ConvertReport r;
  cvt::PassOptions options;
  options.fp16_weights = args.precision == "fp16";
  const Status s = cvt::convert_file(args.input, options, &image, &r);
  if (!s.ok()) return report_error("convert", s);
  std::ofstream f(args.output, std::ios::binary);
  f.write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
  f.close();
  if (!f) {
    return report_error("convert", Status(ERT_IO_ERROR, args.output + ": cannot write"));
  }
  std::printf("%s -> %s: %zu -> %zu bytes, %zu -> %zu ops (%d dequantize folded, %d activations "
              "and %d pads fused, %d reshapes dropped, %d constants stored as fp16), arena %zu bytes (lower bound %zu, naive "
              "%zu), %.1f ms\n",
              args.input.c_str(), args.output.c_str(), r.source_bytes, image.size(), r.source_ops,
              r.ops, r.passes.dequantize_folded, r.passes.activations_fused, r.passes.pads_fused,
              r.passes.reshapes_dropped, r.passes.constants_to_fp16, r.plan.arena_bytes, r.plan.lower_bound,
              r.plan.naive_bytes, r.seconds * 1000.0);
  return 0;
}

}  // namespace

void add_convert_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a TensorFlow Lite model to .ert");
  cmd->add_option("IN", args->input, "Model to convert (.tflite)")->required();
  cmd->add_option("-o,--output", args->output, "The .ert file to write")->required();
  cmd->add_option("--precision", args->precision,
                  "Weights stored as fp32 (default) or fp16 (half the size; computed in fp32 "
                  "where the CPU has no fp16 arithmetic)")
      ->check(CLI::IsMember({"fp32", "fp16"}));
  cmd->footer(
      "Examples:\n  ert convert face_detection_short_range.tflite -o face.ert\n"
      "  ert convert face_detection_short_range.tflite -o face_fp16.ert --precision fp16");
  cmd->callback([args, exit_code] { *exit_code = run_convert(*args); });
}

}  // namespace ert::tool
