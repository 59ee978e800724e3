// ert bench MODEL [--threads N] [--warmup-runs N] [--num-runs N] [--min-secs S] [--seed S]
//                 [--profile] [--json FILE]
// Measures a model: load, create and first-inference times, warm-up runs, then steady-state
// inference statistics, memory, and with --profile a per-op table.
//
//  1. Load (map and verify, or convert a .tflite in memory) and create the interpreter, timing
//     both; read the peak resident memory before create.
//  2. Fill the inputs with seeded random data; time the first inference and the warm-up runs.
//  3. Steady state: time each invoke until both --num-runs runs and --min-secs seconds are done
//     (at most kMaxRuns), noting resident memory before and after.
//  4. With --profile, a separate pass of as many runs times each op alone, so that the timer
//     calls around every op do not inflate the steady-state figures.
//  5. Print a compact report, and write everything as JSON when asked.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "src/runtime/interpreter.h"
#include "src/tool/bench_stats.h"
#include "src/tool/commands.h"
#include "src/tool/model_stats.h"

namespace ert::tool {

namespace {

// A bound on steady-state runs, so that a tiny model with a long --min-secs still ends and the
// timings vector can be reserved once, before the loop.
constexpr size_t kMaxRuns = 100000;
// Individual ops listed by --profile, slowest first.
constexpr size_t kTopOps = 15;

struct BenchArgs {
  std::string model;
  int threads = 1;
  bool reference_kernels = false;
  int warmup_runs = 1;
  int num_runs = 50;
  double min_secs = 1.0;
  uint32_t seed = 1;
  bool profile = false;
  std::string json;
};

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// A "VmHWM:" or "VmRSS:" line of /proc/self/status, in bytes; 0 where there is no procfs.
size_t proc_status_bytes(const char* key) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  size_t kb = 0;
  const size_t key_len = std::strlen(key);
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
      kb = size_t(std::strtoull(line + key_len + 1, nullptr, 10));
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  // x86 names the CPU in "model name"; many ARM kernels only in "Hardware" or "Processor".
  for (const char* key : {"model name", "Hardware", "Processor"}) {
    in.clear();
    in.seekg(0);
    while (std::getline(in, line)) {
      if (line.rfind(key, 0) != 0) continue;
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      const size_t start = line.find_first_not_of(" \t", colon + 1);
      if (start != std::string::npos) return line.substr(start);
    }
  }
  return "unknown";
}

std::string iso8601_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

void fill_random(rt::Tensor& t, std::mt19937& rng) {
  if (t.dtype == ERT_F32) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    float* p = t.data_as<float>();
    const int64_t n = t.shape.num_elements();
    for (int64_t i = 0; i < n; ++i) p[i] = dist(rng);
  } else {
    for (size_t i = 0; i < t.bytes; ++i) t.data[i] = uint8_t(rng());
  }
}

std::string mib(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
  return buf;
}

// Achieved GFLOP/s counting a multiply-accumulate as two operations; 0 for ops without MACs.
double gflops(int64_t macs, double ms) {
  return (macs > 0 && ms > 0) ? 2.0 * double(macs) / (ms * 1e6) : 0.0;
}

nlohmann::json summary_json(const BenchSummary& s) {
  return {{"runs", s.count}, {"mean_ms", s.mean}, {"median_ms", s.median}, {"p90_ms", s.p90},
          {"min_ms", s.min}, {"max_ms", s.max},   {"stddev_ms", s.stddev}};
}

struct OpProfile {
  size_t index = 0;
  std::string type;
  std::string kernel;
  double ms = 0;  // Average per run.
  int64_t macs = 0;
};

struct TypeProfile {
  std::string type;
  std::vector<std::string> kernels;  // Distinct, in first-seen order.
  int count = 0;
  double ms = 0;
  int64_t macs = 0;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

int run_bench(const BenchArgs& args) {
  const char* cmd = "bench";
  // The JSON file is opened first so that a bad path fails before minutes of timing.
  std::ofstream json_out;
  if (!args.json.empty()) {
    json_out.open(args.json);
    if (!json_out) {
      return report_error(
          cmd, rt::make_status(ERT_INVALID_ARGUMENT, "cannot write %s", args.json.c_str()));
    }
  }
  // Step 1: load and create.
  LoadedModel loaded;
  if (!load_model_or_report(cmd, args.model, &loaded)) return 1;
  const rt::Model& model = *loaded.model;
  std::error_code ec;
  uintmax_t file_bytes = std::filesystem::file_size(args.model, ec);
  if (ec) file_bytes = 0;
  const ModelStats stats = compute_stats(model);

  const size_t hwm_before_create = proc_status_bytes("VmHWM");
  rt::InterpreterOptions options;
  options.num_threads = args.threads;
  options.fast_path = !args.reference_kernels;
  std::unique_ptr<rt::Interpreter> interp;
  const Clock::time_point t_create = Clock::now();
  Status s = rt::Interpreter::create(model, options, &interp);
  const double create_ms = ms_between(t_create, Clock::now());
  if (!s.ok()) return report_error(cmd, s);

  // Step 2: inputs, first inference, warm-up.
  std::mt19937 rng(args.seed);
  for (size_t i = 0; i < interp->input_count(); ++i) fill_random(*interp->input(i), rng);
  const Clock::time_point t_first = Clock::now();
  s = interp->invoke();
  const double first_ms = ms_between(t_first, Clock::now());
  if (!s.ok()) return report_error(cmd, s);
  std::vector<double> warmup(size_t(args.warmup_runs));
  for (double& ms : warmup) {
    const Clock::time_point t0 = Clock::now();
    s = interp->invoke();
    ms = ms_between(t0, Clock::now());
    if (!s.ok()) return report_error(cmd, s);
  }
  const BenchSummary warm = summarize(warmup);

  // Step 3: steady state. The vector is reserved for the cap so the loop never reallocates.
  std::vector<double> times;
  times.reserve(kMaxRuns);
  const size_t rss_before_runs = proc_status_bytes("VmRSS");
  const size_t wanted_runs = std::min(size_t(args.num_runs), kMaxRuns);
  const Clock::time_point t_steady = Clock::now();
  Clock::time_point t_last = t_steady;
  while (times.size() < kMaxRuns &&
         (times.size() < wanted_runs || ms_between(t_steady, t_last) < args.min_secs * 1000.0)) {
    const Clock::time_point t0 = Clock::now();
    s = interp->invoke();
    t_last = Clock::now();
    if (!s.ok()) return report_error(cmd, s);
    times.push_back(ms_between(t0, t_last));
  }
  const double steady_secs = ms_between(t_steady, t_last) / 1000.0;
  const size_t rss_after_runs = proc_status_bytes("VmRSS");
  const BenchSummary steady = summarize(times);

  // Step 4: the profiling pass, as many runs as the steady state had.
  std::vector<OpProfile> ops;
  std::vector<TypeProfile> types;
  double profile_total_ms = 0;
  if (args.profile) {
    const size_t n_ops = interp->num_ops();
    std::vector<double> sum_ms(n_ops, 0.0);
    for (size_t run = 0; run < times.size(); ++run) {
      for (size_t i = 0; i < n_ops; ++i) {
        const Clock::time_point t0 = Clock::now();
        s = interp->invoke_op(i);
        sum_ms[i] += ms_between(t0, Clock::now());
        if (!s.ok()) return report_error(cmd, s);
      }
    }
    const auto& fb_ops = *model.flatbuffer().operators();
    std::map<std::string, size_t> type_slot;
    for (size_t i = 0; i < n_ops; ++i) {
      OpProfile p;
      p.index = i;
      p.type = fb::EnumNameOpCode(fb_ops.Get(flatbuffers::uoffset_t(i))->code());
      p.kernel = interp->op(i).kernel_name();
      p.ms = sum_ms[i] / double(times.size());
      p.macs = i < stats.macs_per_op.size() ? stats.macs_per_op[i] : 0;
      profile_total_ms += p.ms;
      auto [it, fresh] = type_slot.emplace(p.type, types.size());
      if (fresh) types.push_back(TypeProfile{p.type, {}, 0, 0, 0});
      TypeProfile& t = types[it->second];
      if (std::find(t.kernels.begin(), t.kernels.end(), p.kernel) == t.kernels.end()) {
        t.kernels.push_back(p.kernel);
      }
      t.count++;
      t.ms += p.ms;
      t.macs += p.macs;
      ops.push_back(p);
    }
    std::stable_sort(types.begin(), types.end(),
                     [](const TypeProfile& a, const TypeProfile& b) { return a.ms > b.ms; });
  }
  const size_t hwm_end = proc_status_bytes("VmHWM");
  const double share_base = profile_total_ms > 0 ? profile_total_ms : 1.0;

  // Step 5: report.
  const bool tflite = loaded.storage != nullptr;
  const std::string cpu = cpu_model();
  const unsigned cores = std::thread::hardware_concurrency();
  const size_t rss_growth = rss_after_runs > rss_before_runs ? rss_after_runs - rss_before_runs : 0;
  std::printf("model     %s: %ju bytes%s, %zu ops, %lld MACs\n", args.model.c_str(), file_bytes,
              tflite ? " (converted in memory)" : "", interp->num_ops(),
              static_cast<long long>(stats.total_macs));
  std::printf("machine   %s, %u cores, edgert %s, %d thread%s\n", cpu.c_str(), cores, ert_version(),
              args.threads, args.threads == 1 ? "" : "s");
  std::printf("load      %10.3f ms%s\n", loaded.load_seconds * 1000.0,
              tflite ? " (convert, verify)" : " (map, verify)");
  std::printf("create    %10.3f ms (prepare, pack weights)\n", create_ms);
  std::printf("first     %10.3f ms\n", first_ms);
  std::printf("warm-up   %10.3f ms mean of %zu run%s\n", warm.mean, warm.count,
              warm.count == 1 ? "" : "s");
  const bool capped = times.size() >= kMaxRuns;
  std::printf("steady    %10.3f ms mean of %zu runs in %.2f s%s\n", steady.mean, steady.count,
              steady_secs, capped ? " (stopped at the run cap)" : "");
  std::printf("          median %.3f  p90 %.3f  min %.3f  max %.3f  stddev %.3f ms\n",
              steady.median, steady.p90, steady.min, steady.max, steady.stddev);
  std::printf(
      "memory    peak RSS %s before create, %s at end; RSS %+lld KiB over the runs\n",
      mib(hwm_before_create).c_str(), mib(hwm_end).c_str(),
      (static_cast<long long>(rss_after_runs) - static_cast<long long>(rss_before_runs)) / 1024);
  std::printf("arena     %zu bytes\n", interp->arena_bytes());
  if (args.profile) {
    std::printf("\nprofile: %.3f ms per run summed over ops (%zu runs)\n", profile_total_ms,
                times.size());
    std::printf("%-24s %5s %-20s %9s %6s %6s %13s %8s\n", "op type", "count", "kernel", "avg ms",
                "%", "cum %", "MACs", "GFLOP/s");
    double cum = 0;
    for (const TypeProfile& t : types) {
      cum += t.ms;
      std::printf("%-24s %5d %-20s %9.4f %6.2f %6.2f", t.type.c_str(), t.count,
                  join(t.kernels).c_str(), t.ms, 100.0 * t.ms / share_base,
                  100.0 * cum / share_base);
      if (t.macs > 0) {
        std::printf(" %13lld %8.2f", static_cast<long long>(t.macs), gflops(t.macs, t.ms));
      }
      std::printf("\n");
    }
    std::vector<OpProfile> top = ops;
    std::stable_sort(top.begin(), top.end(),
                     [](const OpProfile& a, const OpProfile& b) { return a.ms > b.ms; });
    if (top.size() > kTopOps) top.resize(kTopOps);
    std::printf("\ntop %zu ops\n", top.size());
    std::printf("%5s %-24s %-20s %9s %6s %6s %13s %8s\n", "op", "type", "kernel", "avg ms", "%",
                "cum %", "MACs", "GFLOP/s");
    cum = 0;
    for (const OpProfile& p : top) {
      cum += p.ms;
      std::printf("%5zu %-24s %-20s %9.4f %6.2f %6.2f", p.index, p.type.c_str(), p.kernel.c_str(),
                  p.ms, 100.0 * p.ms / share_base, 100.0 * cum / share_base);
      if (p.macs > 0) {
        std::printf(" %13lld %8.2f", static_cast<long long>(p.macs), gflops(p.macs, p.ms));
      }
      std::printf("\n");
    }
  }

  if (!args.json.empty()) {
    nlohmann::json j;
    j["model"] = args.model;
    j["file_bytes"] = file_bytes;
    j["ert_bytes"] = model.file_bytes();
    j["converted_in_memory"] = tflite;
    j["operators"] = interp->num_ops();
    j["macs"] = stats.total_macs;
    j["threads"] = args.threads;
    j["seed"] = args.seed;
    j["load_ms"] = loaded.load_seconds * 1000.0;
    j["create_ms"] = create_ms;
    j["first_inference_ms"] = first_ms;
    j["warmup"] = summary_json(warm);
    j["steady"] = summary_json(steady);
    j["steady"]["seconds"] = steady_secs;
    j["steady"]["min_secs"] = args.min_secs;
    j["steady"]["capped"] = capped;
    j["memory"] = {{"peak_rss_before_create_bytes", hwm_before_create},
                   {"peak_rss_end_bytes", hwm_end},
                   {"rss_before_runs_bytes", rss_before_runs},
                   {"rss_after_runs_bytes", rss_after_runs},
                   {"rss_growth_during_runs_bytes", rss_growth}};
    j["arena_bytes"] = interp->arena_bytes();
    j["machine"] = {
        {"cpu", cpu}, {"cores", cores}, {"edgert_version", ert_version()}, {"date", iso8601_now()}};
    if (args.profile) {
      nlohmann::json prof;
      prof["runs"] = times.size();
      prof["total_ms"] = profile_total_ms;
      prof["by_type"] = nlohmann::json::array();
      for (const TypeProfile& t : types) {
        prof["by_type"].push_back({{"type", t.type},
                                   {"count", t.count},
                                   {"kernels", t.kernels},
                                   {"avg_ms", t.ms},
                                   {"share", t.ms / share_base},
                                   {"macs", t.macs},
                                   {"gflops", gflops(t.macs, t.ms)}});
      }
      prof["ops"] = nlohmann::json::array();
      for (const OpProfile& p : ops) {
        prof["ops"].push_back({{"index", p.index},
                               {"type", p.type},
                               {"kernel", p.kernel},
                               {"avg_ms", p.ms},
                               {"share", p.ms / share_base},
                               {"macs", p.macs},
                               {"gflops", gflops(p.macs, p.ms)}});
      }
      j["profile"] = prof;
    }
    json_out << j.dump(2) << "\n";
    json_out.close();
    if (!json_out) {
      return report_error(
          cmd, rt::make_status(ERT_INVALID_ARGUMENT, "cannot write %s", args.json.c_str()));
    }
  }
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Time a model's load, create and inference; memory; per-op profile");
  cmd->add_option("MODEL", args->model, "Model file (.ert, or .tflite converted in memory)")
      ->required();
  cmd->add_option("--threads,--num_threads", args->threads, "Threads")->check(CLI::Range(1, 256));
  cmd->add_option("--warmup-runs,--warmup_runs", args->warmup_runs,
                  "Runs after the first inference and before timing (default 1)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--num-runs,--num_runs", args->num_runs,
                  "Timed runs, at least (default 50; at most 100000 in all)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--min-secs,--min_secs", args->min_secs,
                  "Keep timing until this many seconds too (default 1.0)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--seed", args->seed, "Seed of the random inputs");
  cmd->add_flag("--reference-kernels", args->reference_kernels,
                "Run only the portable reference kernels (no XNNPACK, no own micro-kernels)");
  cmd->add_flag("--profile", args->profile,
                "Add a per-op table from a separate pass of as many runs");
  cmd->add_option("--json", args->json, "Also write every figure as JSON to FILE");
  cmd->footer(
      "Examples:\n  ert bench model.ert\n"
      "  ert bench model.tflite --threads 2 --num-runs 200 --min-secs 0\n"
      "  ert bench model.ert --profile --json bench.json");
  cmd->callback([args, exit_code] { *exit_code = run_bench(*args); });
}

}  // namespace ert::tool
