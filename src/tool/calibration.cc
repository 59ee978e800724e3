// Calibration: the float model over the samples, op by op, recording each activation's range.
//
//   1. List the samples: the photos of a folder (sorted by name) or one photo, or the rows of
//      a .npy file; keep at most max_samples.
//   2. Create an interpreter; for each sample set the input and run one op at a time, updating
//      the min and max of the input and of every f32 op output, by tensor name.
//   3. With a percentile below 100, run the samples again, filling a histogram of 2048 bins
//      over each tensor's [min, max], and take the range that keeps that share of the values.
#include "src/tool/calibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include "src/runtime/interpreter.h"
#include "src/tool/image_file.h"
#include "src/tool/npy.h"

namespace ert::tool {

namespace {

constexpr int kBins = 2048;

struct Samples {
  std::vector<std::string> photos;  // Either photos,
  NpyArray npy;                     // or rows of one array.
  size_t npy_rows = 0;
  size_t count() const { return photos.empty() ? npy_rows : photos.size(); }
};

bool ends_with(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Step 1.
Status list_samples(const CalibrationOptions& options, const rt::Tensor& input, Samples* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string& src = options.source;
  if (fs::is_directory(src, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(src, ec)) {
      if (e.is_regular_file(ec) && is_image_path(e.path().string())) out->photos.push_back(e.path().string());
    }
    if (ec) return rt::make_status(ERT_IO_ERROR, "%s: cannot list the folder (%s)", src.c_str(), ec.message().c_str());
    std::sort(out->photos.begin(), out->photos.end());
    if (out->photos.empty()) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: no photos (.jpg, .png, .bmp, .ppm, .pgm, .tga) in the folder",
                             src.c_str());
    }
  } else if (ends_with(src, ".npy")) {
    ERT_RETURN_IF_ERROR(read_npy(src, &out->npy));
    if (out->npy.dtype != ERT_F32) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: calibration samples must be float32, not %s", src.c_str(),
                             rt::dtype_name(out->npy.dtype));
    }
    const size_t per_sample = size_t(input.shape.num_elements());
    const size_t total = out->npy.data.size() / sizeof(float);
    if (per_sample == 0 || total % per_sample != 0 || total == 0) {
      return rt::make_status(ERT_INVALID_ARGUMENT, "%s: %zu values are not a whole number of samples of %zu (input '%s')",
                             src.c_str(), total, per_sample, input.name);
    }
    out->npy_rows = total / per_sample;
  } else if (is_image_path(src)) {
    if (!fs::is_regular_file(src, ec)) return rt::make_status(ERT_IO_ERROR, "%s: cannot open", src.c_str());
    out->photos.push_back(src);
  } else {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: not a folder of photos, a photo or a .npy file", src.c_str());
  }
  if (options.max_samples > 0 && out->photos.size() > size_t(options.max_samples)) {
    out->photos.resize(size_t(options.max_samples));
  }
  if (options.max_samples > 0) out->npy_rows = std::min(out->npy_rows, size_t(options.max_samples));
  return Status();
}

Status set_sample(const Samples& samples, size_t i, const CalibrationOptions& options, rt::Tensor* input) {
  const size_t n = size_t(input->shape.num_elements());
  float* dst = input->data_as<float>();
  if (samples.photos.empty()) {
    std::memcpy(dst, samples.npy.data.data() + i * n * sizeof(float), n * sizeof(float));
    return Status();
  }
  const kernels::Shape& s = input->shape;
  if (s.rank != 4 || s.dims[0] != 1) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "input '%s' is not [1,H,W,C]: photos cannot feed it (give a .npy)",
                           input->name);
  }
  std::vector<float> pixels;
  ERT_RETURN_IF_ERROR(read_image(samples.photos[i], s.dims[2], s.dims[1], s.dims[3], options.mean, options.std, &pixels));
  std::memcpy(dst, pixels.data(), n * sizeof(float));
  return Status();
}

/// Calls visit(tensor) for the input and every f32 op output after each op of one sample.
template <typename Visit>
Status run_sample(rt::Interpreter& interp, const rt::Model& model, Visit visit) {
  visit(*interp.input(0));
  const auto& ops = *model.flatbuffer().operators();
  for (size_t op = 0; op < interp.num_ops(); ++op) {
    ERT_RETURN_IF_ERROR(interp.invoke_op(op));
    const auto* outputs = ops.Get(flatbuffers::uoffset_t(op))->outputs();
    if (outputs == nullptr) continue;
    for (int32_t t : *outputs) {
      const rt::Tensor& tensor = interp.tensors()[size_t(t)];
      if (tensor.dtype == ERT_F32) visit(tensor);
    }
  }
  return Status();
}

void show_progress(const CalibrationOptions& options, const char* what, size_t done, size_t total) {
  if (!options.progress) return;
  const int width = 30;
  const int filled = total > 0 ? int(double(done) / double(total) * width) : width;
  std::fprintf(stderr, "\rert convert: %s [%.*s%*s] %zu/%zu", what, filled,
               "##############################", width - filled, "", done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

}  // namespace

Status calibrate(const rt::Model& model, const CalibrationOptions& options, cvt::TensorRanges* ranges,
                 CalibrationReport* report) {
  const auto start = std::chrono::steady_clock::now();
  rt::InterpreterOptions io;
  io.num_threads = options.threads;
  std::unique_ptr<rt::Interpreter> interp;
  ERT_RETURN_IF_ERROR(rt::Interpreter::create(model, io, &interp));
  if (interp->input_count() != 1 || interp->input(0)->dtype != ERT_F32) {
    return Status(ERT_UNSUPPORTED, "calibration needs a model with one f32 input");
  }
  rt::Tensor* input = interp->input(0);
  Samples samples;
  ERT_RETURN_IF_ERROR(list_samples(options, *input, &samples));
  const size_t count = samples.count();

  // Step 2.
  ranges->clear();
  for (size_t i = 0; i < count; ++i) {
    ERT_RETURN_IF_ERROR(set_sample(samples, i, options, input));
    ERT_RETURN_IF_ERROR(run_sample(*interp, model, [&](const rt::Tensor& t) {
      const float* v = t.data_as<const float>();
      const int64_t n = t.shape.num_elements();
      if (n == 0) return;
      auto [it, fresh] = ranges->try_emplace(t.name, cvt::TensorRange{v[0], v[0]});
      cvt::TensorRange& r = it->second;
      for (int64_t k = 0; k < n; ++k) {
        if (std::isfinite(v[k])) {
          r.min = std::min(r.min, v[k]);
          r.max = std::max(r.max, v[k]);
        }
      }
    }));
    show_progress(options, options.percentile < 100.0 ? "calibrating (1/2)" : "calibrating", i + 1, count);
  }

  // Step 3.
  if (options.percentile < 100.0) {
    std::map<std::string, std::vector<uint64_t>> histograms;
    for (size_t i = 0; i < count; ++i) {
      ERT_RETURN_IF_ERROR(set_sample(samples, i, options, input));
      ERT_RETURN_IF_ERROR(run_sample(*interp, model, [&](const rt::Tensor& t) {
        const auto r = ranges->find(t.name);
        if (r == ranges->end() || !(r->second.max > r->second.min)) return;
        std::vector<uint64_t>& h = histograms[t.name];
        h.resize(kBins, 0);
        const float lo = r->second.min;
        const float per_bin = float(kBins) / (r->second.max - lo);
        const float* v = t.data_as<const float>();
        for (int64_t k = 0; k < t.shape.num_elements(); ++k) {
          if (!std::isfinite(v[k])) continue;
          h[size_t(std::clamp(int((v[k] - lo) * per_bin), 0, kBins - 1))]++;
        }
      }));
      show_progress(options, "calibrating (2/2)", i + 1, count);
    }
    const double cut = (100.0 - options.percentile) / 200.0;
    for (auto& [name, h] : histograms) {
      cvt::TensorRange& r = (*ranges)[name];
      uint64_t total = 0;
      for (uint64_t c : h) total += c;
      const double bin_width = double(r.max - r.min) / kBins;
      uint64_t below = 0;
      int first = 0;
      while (first < kBins - 1 && double(below + h[size_t(first)]) <= cut * double(total)) below += h[size_t(first++)];
      uint64_t above = 0;
      int last = kBins - 1;
      while (last > first && double(above + h[size_t(last)]) <= cut * double(total)) above += h[size_t(last--)];
      const float lo = float(double(r.min) + bin_width * first);
      const float hi = float(double(r.min) + bin_width * (last + 1));
      r.min = lo;
      r.max = hi;
    }
  }
  if (report != nullptr) {
    report->samples = int(count);
    report->tensors = ranges->size();
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return Status();
}

}  // namespace ert::tool
