#include "src/convert/converter.h"

#include <chrono>
#include <fstream>

#include "src/convert/tflite_importer.h"
#include "src/runtime/status.h"

namespace ert::cvt {

namespace {

Status read_file(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return rt::make_status(ERT_IO_ERROR, "%s: cannot open", path.c_str());
  const std::streamoff size = f.tellg();
  if (size < 0) return rt::make_status(ERT_IO_ERROR, "%s: cannot read", path.c_str());
  out->resize(size_t(size));
  f.seekg(0);
  if (size > 0 && !f.read(reinterpret_cast<char*>(out->data()), size)) {
    return rt::make_status(ERT_IO_ERROR, "%s: cannot read", path.c_str());
  }
  return Status();
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Status convert_file(const std::string& path, const PassOptions& options,
                    std::vector<uint8_t>* out, ConvertReport* report) {
  const auto start = std::chrono::steady_clock::now();
  ConvertReport local;
  ConvertReport& r = report ? *report : local;
  std::vector<uint8_t> source;
  ERT_RETURN_IF_ERROR(read_file(path, &source));
  r.source_bytes = source.size();
  ModelBuilder builder;
  builder.set_metadata("producer", "ert convert");
  TfliteImportReport import_report;
  Status s = import_tflite(source.data(), source.size(), base_name(path), &builder, &import_report);
  r.source_ops = import_report.tflite_operators;
  if (!s.ok()) return rt::with_context(s, path.c_str());
  s = run_passes(&builder, options, &r.passes);
  if (!s.ok()) return rt::with_context(s, path.c_str());
  r.ops = builder.model().operators.size();
  s = builder.finish(out, &r.plan);
  if (!s.ok()) return rt::with_context(s, path.c_str());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status();
}

}  // namespace ert::cvt
