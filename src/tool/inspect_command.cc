// ert inspect MODEL [--json]: inputs, outputs, ops by type, weights and arena bytes against the
// plan's lower bound and naive sum, and multiply-accumulates.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "src/runtime/tensor.h"
#include "src/tool/commands.h"
#include "src/tool/model_stats.h"

namespace ert::tool {

namespace {

struct InspectArgs {
  std::string model;
  bool json = false;
};

nlohmann::json tensor_json(const rt::TensorDesc& d) {
  nlohmann::json t;
  t["name"] = d.name;
  t["dtype"] = rt::dtype_name(d.dtype);
  t["shape"] = std::vector<int32_t>(d.shape.dims, d.shape.dims + d.shape.rank);
  if (d.quant != nullptr) {
    t["scale"] = std::vector<float>(d.quant->scale()->begin(), d.quant->scale()->end());
    t["zero_point"] =
        std::vector<int64_t>(d.quant->zero_point()->begin(), d.quant->zero_point()->end());
  }
  return t;
}

void print_tensor(const char* role, const rt::TensorDesc& d) {
  char dims[96];
  std::printf("  %-6s %-24s %-4s %s", role, d.name, rt::dtype_name(d.dtype),
              rt::shape_string(d.shape, dims, sizeof(dims)));
  if (d.quant != nullptr) {
    std::printf("  scale %g zero point %lld", double(d.quant->scale()->Get(0)),
                static_cast<long long>(d.quant->zero_point()->Get(0)));
  }
  std::printf("\n");
}

int run_inspect(const InspectArgs& args) {
  LoadedModel loaded;
  if (!load_model_or_report("inspect", args.model, &loaded)) return 1;
  const std::unique_ptr<rt::Model>& model = loaded.model;
  const ModelStats s = compute_stats(*model);
  const auto& tensors = model->tensors();
  if (args.json) {
    nlohmann::json j;
    j["model"] = args.model;
    j["file_bytes"] = s.file_bytes;
    for (int t : model->inputs()) j["inputs"].push_back(tensor_json(tensors[size_t(t)]));
    for (int t : model->outputs()) j["outputs"].push_back(tensor_json(tensors[size_t(t)]));
    j["operators"] = model->num_operators();
    j["ops_by_type"] = s.ops_by_type;
    j["weights_bytes"] = s.weights_bytes;
    j["arena_bytes"] = s.arena_bytes;
    j["arena_lower_bound"] = s.arena_lower_bound;
    j["arena_naive_bytes"] = s.arena_naive_bytes;
    j["macs"] = s.total_macs;
    nlohmann::json meta;
    for (const char* key : {"producer", "producer_version", "source_file", "source_sha256",
                            "model_version"}) {
      if (const char* v = model->metadata(key)) meta[key] = v;
    }
    j["metadata"] = meta;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s: %zu bytes\n", args.model.c_str(), s.file_bytes);
  if (const char* producer = model->metadata("producer")) {
    const char* version = model->metadata("producer_version");
    std::printf("producer: %s %s\n", producer, version ? version : "");
  }
  if (const char* source = model->metadata("source_file")) {
    const char* sha = model->metadata("source_sha256");
    std::printf("source: %s (sha256 %s)\n", source, sha ? sha : "?");
  }
  std::printf("inputs:\n");
  for (int t : model->inputs()) print_tensor("input", tensors[size_t(t)]);
  std::printf("outputs:\n");
  for (int t : model->outputs()) print_tensor("output", tensors[size_t(t)]);
  std::printf("operators: %zu\n", model->num_operators());
  for (const auto& [name, count] : s.ops_by_type) std::printf("  %-26s %d\n", name.c_str(), count);
  std::printf("weights: %zu bytes\n", s.weights_bytes);
  std::printf("arena: %zu bytes (lower bound for this order %zu, naive sum %zu)\n", s.arena_bytes,
              s.arena_lower_bound, s.arena_naive_bytes);
  std::printf("MACs: %lld\n", static_cast<long long>(s.total_macs));
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show a model's inputs, outputs, ops, weights, arena and MACs");
  cmd->add_option("MODEL", args->model, "Model file (.ert, or .tflite converted in memory)")->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of text");
  cmd->footer("Examples:\n  ert inspect model.ert\n  ert inspect model.ert --json | jq .arena_bytes");
  cmd->callback([args, exit_code] { *exit_code = run_inspect(*args); });
}

}  // namespace ert::tool
