// ert: the edgert command-line tool. One binary with subcommands; each prints help with --help
// and fails with a one-line reason and a non-zero exit code.
#include <cstdio>

#include "src/tool/commands.h"

namespace ert::tool {

std::unique_ptr<rt::Model> load_model_or_report(const char* command, const std::string& path) {
  std::unique_ptr<rt::Model> model;
  const Status s = rt::Model::load_file(path.c_str(), &model);
  if (!s.ok()) {
    report_error(command, s);
    return nullptr;
  }
  return model;
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
