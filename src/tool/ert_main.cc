// ert: the edgert command-line tool. One binary with subcommands; each prints help with --help
// and fails with a one-line reason and a non-zero exit code.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>

#include "src/convert/converter.h"

#include "src/tool/commands.h"

namespace ert::tool {

bool load_model_or_report(const char* command, const std::string& path, LoadedModel* out) {
  const auto start = std::chrono::steady_clock::now();
  Status s;
  const bool tflite = path.size() >= 7 && path.compare(path.size() - 7, 7, ".tflite") == 0;
  if (tflite) {
    std::vector<uint8_t> image;
    s = cvt::convert_file(path, cvt::PassOptions(), &image);
    if (s.ok()) {
      // The image is used in place, so it gets a 64-byte aligned home of its own.
      out->storage.reset(new (std::nothrow) uint8_t[image.size() + 64]);
      if (!out->storage) return report_error(command, Status(ERT_OUT_OF_MEMORY, "out of memory")) == 0;
      uint8_t* base = out->storage.get();
      base += (64 - reinterpret_cast<uintptr_t>(base) % 64) % 64;
      std::memcpy(base, image.data(), image.size());
      s = rt::Model::load_buffer(base, image.size(), &out->model);
    }
  } else {
    s = rt::Model::load_file(path.c_str(), &out->model);
  }
  out->load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) {
    report_error(command, s);
    return false;
  }
  return true;
}

int report_error(const char* command, const Status& status) {
  std::fprintf(stderr, "ert %s: %s\n", command, status.message().c_str());
  return 1;
}

}  // namespace ert::tool

int main(int argc, char** argv) {
  CLI::App app{"ert: run and inspect edgert models (edgert " + std::string(ert_version()) + ")",
               "ert"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("edgert ") + ert_version());
  int exit_code = 0;
  ert::tool::add_inspect_command(app, &exit_code);
  ert::tool::add_run_command(app, &exit_code);
  ert::tool::add_convert_command(app, &exit_code);
  ert::tool::add_bench_command(app, &exit_code);
  ert::tool::add_compare_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line: which subcommand, what is wrong.
    std::fprintf(stderr, "ert: %s (see ert --help)\n", e.what());
    return e.get_exit_code() == 0 ? 2 : e.get_exit_code();
  }
  return exit_code;
}
