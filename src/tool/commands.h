// The subcommands of the ert tool. Each registers its options on a CLI11 app and runs.
#ifndef ERT_TOOL_COMMANDS_H_
#define ERT_TOOL_COMMANDS_H_

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "src/runtime/model.h"

namespace ert::tool {

/// A model a subcommand works on, with the memory it lives in when it was converted in memory.
struct LoadedModel {
  std::unique_ptr<uint8_t[]> storage;  // The .ert image of a converted .tflite (64-byte aligned).
  std::unique_ptr<rt::Model> model;
  double load_seconds = 0;             // Mapping and verifying, or converting too.
};

/// Loads MODEL for a subcommand: a .ert file is mapped; a .tflite file is converted in memory.
/// On failure prints one line "ert CMD: MESSAGE" to stderr and returns false.
bool load_model_or_report(const char* command, const std::string& path, LoadedModel* out);

/// Prints "ert CMD: MESSAGE" to stderr and returns the exit code 1.
int report_error(const char* command, const Status& status);

void add_inspect_command(CLI::App& app, int* exit_code);
void add_run_command(CLI::App& app, int* exit_code);
void add_convert_command(CLI::App& app, int* exit_code);
void add_bench_command(CLI::App& app, int* exit_code);
void add_compare_command(CLI::App& app, int* exit_code);

}  // namespace ert::tool

#endif  // ERT_TOOL_COMMANDS_H_
