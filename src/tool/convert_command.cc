// ert convert IN.tflite -o OUT.ert: converts a TensorFlow Lite model and reports what the
// conversion did (ops before and after the passes, arena against its bounds, time).
//
// With --precision int8 (post-training quantization):
//   1. Convert in float, into memory, and load that model.
//   2. Calibrate: run it on the samples (calibration.h) for every activation's range.
//   3. Convert again with the ranges: the int8 pass (pass_quantize_int8.cc) quantizes.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "src/convert/converter.h"
#include "src/tool/calibration.h"
#include "src/tool/commands.h"

namespace ert::tool {

namespace {

struct ConvertArgs {
  std::string input;
  std::string output;
  std::string precision = "fp32";
  CalibrationOptions calibration;
  std::vector<std::string> keep_float;
};

// Steps 1 and 2 of int8: the float model's activation ranges over the calibration samples.
Status calibrate_float_model(const ConvertArgs& args, cvt::TensorRanges* ranges, CalibrationReport* report) {
  std::vector<uint8_t> image;
  ERT_RETURN_IF_ERROR(cvt::convert_file(args.input, cvt::PassOptions(), &image));
  // The image is used in place by the model, so it gets a 64-byte aligned copy.
  std::unique_ptr<uint8_t[]> storage(new (std::nothrow) uint8_t[image.size() + 64]);
  if (!storage) return Status(ERT_OUT_OF_MEMORY, "out of memory for the float model");
  uint8_t* base = storage.get() + (64 - reinterpret_cast<uintptr_t>(storage.get()) % 64) % 64;
  std::memcpy(base, image.data(), image.size());
  std::unique_ptr<rt::Model> model;
  ERT_RETURN_IF_ERROR(rt::Model::load_buffer(base, image.size(), &model));
  const Status s = calibrate(*model, args.calibration, ranges, report);
  return s.ok() ? s : rt::with_context(s, args.input.c_str());
}

int run_convert(const ConvertArgs& args) {
  std::vector<uint8_t> image;
  cvt::ConvertReport r;
  cvt::PassOptions options;
  options.fp16_weights = args.precision == "fp16";
  cvt::TensorRanges ranges;
  CalibrationReport calibrated;
  if (args.precision == "int8") {
    if (args.calibration.source.empty()) {
      return report_error("convert", Status(ERT_INVALID_ARGUMENT,
                                            "--precision int8 needs --calibration DIR|PHOTO|FILE.npy"));
    }
    for (const std::string& op : args.keep_float) {
      const std::vector<std::string> known = cvt::int8_op_names();
      if (std::find(known.begin(), known.end(), op) == known.end()) {
        return report_error("convert", rt::make_status(ERT_INVALID_ARGUMENT,
                                                       "--keep-float %s: not an op type that goes int8", op.c_str()));
      }
    }
    const Status s = calibrate_float_model(args, &ranges, &calibrated);
    if (!s.ok()) return report_error("convert", s);
    options.int8.ranges = &ranges;
    options.int8.keep_float = args.keep_float;
  }
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
  if (args.precision == "int8") {
    std::printf("int8: %d ops in int8, %d in float, %d quantize/dequantize ops between them; "
                "calibrated on %d samples (%zu activations) in %.1f s\n",
                r.passes.ops_int8, r.passes.ops_float, r.passes.conversions_inserted, calibrated.samples,
                calibrated.tensors, calibrated.seconds);
  }
  return 0;
}

}  // namespace

void add_convert_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a TensorFlow Lite model to .ert");
  cmd->add_option("IN", args->input, "Model to convert (.tflite)")->required();
  cmd->add_option("-o,--output", args->output, "The .ert file to write")->required();
  cmd->add_option("--precision", args->precision,
                  "fp32 (default); fp16: weights stored as fp16 (half the size; computed in fp32 "
                  "where the CPU has no fp16 arithmetic); int8: post-training quantization "
                  "calibrated on --calibration")
      ->check(CLI::IsMember({"fp32", "fp16", "int8"}));
  cmd->add_option("--calibration", args->calibration.source,
                  "int8: a folder of photos, one photo, or a .npy of float samples ([N, input "
                  "shape...]); photos are resized to the input and normalized as (byte - mean) / std");
  cmd->add_option("--calibration-count", args->calibration.max_samples,
                  "int8: use at most N samples (default: all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--calibration-percentile", args->calibration.percentile,
                  "int8: keep this percent of each activation's values when choosing its range "
                  "(default 100: min and max)")
      ->check(CLI::Range(50.0, 100.0));
  cmd->add_option("--input-mean", args->calibration.mean, "int8: photo normalization mean (default 127.5)");
  cmd->add_option("--input-std", args->calibration.std, "int8: photo normalization std (default 127.5, so "
                                                         "bytes map to [-1, 1]; 255 with mean 0 gives [0, 1])");
  cmd->add_option("--keep-float", args->keep_float, "int8: op types to keep in float (e.g. LOGISTIC)");
  cmd->footer(
      "Examples:\n  ert convert face_detection_short_range.tflite -o face.ert\n"
      "  ert convert face_detection_short_range.tflite -o face_fp16.ert --precision fp16\n"
      "  ert convert face_detection_short_range.tflite -o face_int8.ert --precision int8 \\\n"
      "      --calibration photos/ --calibration-count 100\n"
      "  ert convert selfie_segmentation.tflite -o selfie_int8.ert --precision int8 \\\n"
      "      --calibration photos/ --input-mean 0 --input-std 255 --keep-float LOGISTIC");
  args->calibration.progress = isatty(fileno(stderr)) != 0;
  cmd->callback([args, exit_code] { *exit_code = run_convert(*args); });
}

}  // namespace ert::tool
