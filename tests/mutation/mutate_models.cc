// The mutation test: thousands of damaged copies of each model go through conversion, loading,
// interpreter creation and invocation. Each must run or fail with a status and a message; a
// crash, a sanitizer report, a hang or a failure without a message is a defect.
//
//   mutate_models [options] MODEL.tflite|MODEL.ert ...
//     --cases N          cases per model (default 2000)
//     --seconds S        time budget for all models together (default 180); each model gets
//                        an equal share of what is left when it starts
//     --seed S           base seed (default 1); case seeds derive from it, the model's name and
//                        the case number
//     --case-timeout S   a case running longer is a hang: the process prints it and exits 3
//     --max-arena-mb N   the arena cap given to every interpreter (default 64)
//     --invoke-ms N      a model whose unchanged run takes T > N ms invokes only a share N / T
//                        of its cases (default 100; 0 invokes every case); every case is
//                        converted, loaded and created all the same
//     --no-builtin       leave out the test builder's models (relu_chain, all_ops)
//     --only NAME        run only the model of that name (a file's base name, or
//                        builder:relu_chain.ert / builder:all_ops.ert)
//     --replay SEED      run only the case with that seed, verbosely (with --only, or one model)
//     --dump FILE        with --replay, also write the mutated image to FILE
//
// Steps for each model:
//   1. The model itself, and the model unpacked and packed again unchanged, must run: otherwise
//      the mutations below would test nothing (this is counted as a failure). The time of that
//      run sets the share of cases that invoke (--invoke-ms).
//   2. For each case: derive the seed, pick a mutation (bit flips 30%, truncation 10%, a hostile
//      word 5%, aimed field changes 55%), apply it, run the result, count the outcome per step
//      and status, and report a failure without a message (or with an unknown status).
//   3. Print the figures per model and in total; exit 1 on any reported case.
// While a case runs its description is kept where the crash handlers can print it, so that a
// sanitizer report or a signal ends with the seed that replays it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "tests/mutation/byte_mutations.h"
#include "tests/mutation/case_runner.h"
#include "tests/mutation/ert_mutations.h"
#include "tests/mutation/field_picker.h"
#include "tests/mutation/tflite_mutations.h"
#include "tests/support/test_models.h"

#if defined(__has_include)
#if __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define ERT_HAVE_SANITIZER_INTERFACE 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ERT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ERT_SANITIZED 1
#endif
#endif

namespace ert::mutation {
namespace {

using Clock = std::chrono::steady_clock;

// ---- Crash and hang reporting -------------------------------------------------------------------

// The case being run, preformatted so that a signal handler can write it without allocating.
char g_case_line[2048] = "no case running\n";
std::atomic<int64_t> g_case_start_ns{0};  // 0 while no case runs.
std::atomic<bool> g_done{false};

void write_case_line(const char* prefix) {
  const ssize_t a = ::write(2, prefix, std::strlen(prefix));
  const ssize_t b = ::write(2, g_case_line, std::strlen(g_case_line));
  (void)a;
  (void)b;
}

void on_sanitizer_death() { write_case_line("\nmutate_models: the sanitizer stopped in "); }

void on_signal(int sig) {
  write_case_line("\nmutate_models: fatal signal in ");
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_crash_reporting() {
#if defined(ERT_HAVE_SANITIZER_INTERFACE) && defined(ERT_SANITIZED)
  __sanitizer_set_death_callback(on_sanitizer_death);
#else
  (void)on_sanitizer_death;
  // Without sanitizers, memory errors arrive as signals. With them, their own handlers report
  // (and must not be replaced); only aborts (uncaught exceptions, assertions) come here.
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_signal);
#endif
  std::signal(SIGABRT, on_signal);
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// Ends the process when one case runs longer than `timeout_s`: an endless loop on a hostile
// file is a defect like a crash.
void watchdog(double timeout_s) {
  while (!g_done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int64_t start = g_case_start_ns.load();
    if (start != 0 && double(now_ns() - start) / 1e9 > timeout_s) {
      write_case_line("\nmutate_models: HANG (case timeout) in ");
      _exit(3);
    }
  }
}

// ---- Models and cases ---------------------------------------------------------------------------

enum class Kind { kTflite, kErt };

struct ModelFile {
  std::string name;  // Base name, or "builder:<name>" for the test builder's models.
  std::string path;  // Empty for the test builder's models.
  Kind kind;
  std::vector<uint8_t> bytes;
};

enum class Mutation { kFlip, kTruncate, kWord, kField, kCount };
const char* mutation_name(Mutation m) {
  switch (m) {
    case Mutation::kFlip: return "flip";
    case Mutation::kTruncate: return "truncate";
    case Mutation::kWord: return "word";
    case Mutation::kField: return "field";
    case Mutation::kCount: break;
  }
  return "?";
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

struct Layout {
  std::vector<Region> bulk;
  size_t structure_end = 0;
};

// Builds the mutated image of one case from its seed; returns the mutation and a description.
Mutation make_case(const ModelFile& model, const Layout& layout, Rng& rng,
                   std::vector<uint8_t>* out, std::string* what) {
  const size_t pick = rng.below(100);
  if (pick < 55) {
    *what = model.kind == Kind::kErt ? mutate_ert_fields(model.bytes, rng, out)
                                     : mutate_tflite_fields(model.bytes, rng, out);
    return Mutation::kField;
  }
  *out = model.bytes;
  if (pick < 85) {
    *what = flip_bits(out, layout.bulk, rng);
    return Mutation::kFlip;
  }
  if (pick < 95) {
    *what = truncate(out, layout.structure_end, rng);
    return Mutation::kTruncate;
  }
  *what = overwrite_word(out, layout.bulk, rng);
  return Mutation::kWord;
}

Outcome run_image(Kind kind, const std::vector<uint8_t>& bytes, const RunLimits& limits,
                  Rng& rng) {
  return kind == Kind::kTflite ? run_tflite(bytes, limits, rng)
                               : run_ert(bytes.data(), bytes.size(), limits, rng);
}

struct ModelStats {
  size_t cases = 0;
  size_t clean = 0;    // Ran through every step it took.
  size_t invoked = 0;  // Got as far as invoking.
  size_t by_mutation[size_t(Mutation::kCount)] = {};
  std::map<std::pair<Step, ert_status>, size_t> failures;
  size_t violations = 0;
  double seconds = 0;
};

std::string status_label(ert_status code) {
  const char* name = ert_status_name(code);
  return (std::strncmp(name, "ERT_", 4) == 0) ? name + 4 : name;
}

bool known_status(ert_status code) { return code >= ERT_INVALID_ARGUMENT && code <= ERT_INVALID_STATE; }

struct Options {
  size_t cases = 2000;
  double seconds = 180;
  uint64_t seed = 1;
  double case_timeout = 120;
  size_t max_arena_mb = 64;
  double invoke_ms = 100;
  bool builtin = true;
  bool replay = false;
  uint64_t replay_seed = 0;
  std::string dump;
  std::string only;
  std::vector<std::string> files;
};

void set_case_line(const ModelFile& model, size_t index, uint64_t seed, const char* what) {
  std::snprintf(g_case_line, sizeof(g_case_line),
                "model %s case %zu seed 0x%016llx: %s\n  replay: mutate_models --replay "
                "0x%016llx --only %s %s\n",
                model.name.c_str(), index, static_cast<unsigned long long>(seed), what,
                static_cast<unsigned long long>(seed), model.name.c_str(), model.path.c_str());
}

// Runs the unchanged model and its unchanged round trip through the object API, and returns
// the milliseconds of the first run in *ms.
bool check_baseline(const ModelFile& model, const RunLimits& case_limits, double* ms) {
  RunLimits limits = case_limits;
  limits.invoke_probability = 1.0;
  limits.may_resize = false;  // Not every model takes another input shape.
  std::vector<uint8_t> repacked;
  if (model.kind == Kind::kErt) {
    repack_ert(model.bytes, &repacked);
  } else {
    repack_tflite(model.bytes, &repacked);
  }
  const std::pair<const char*, const std::vector<uint8_t>*> images[] = {
      {"as is", &model.bytes}, {"unpacked and packed again", &repacked}};
  bool ok = true;
  *ms = 0;
  for (const auto& [label, bytes] : images) {
    Rng rng(1);
    const Clock::time_point start = Clock::now();
    const Outcome o = run_image(model.kind, *bytes, limits, rng);
    if (*ms == 0) *ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!o.ok || !o.invoked) {
      std::printf("  BASELINE FAILED: %s (%s) at %s: %s: %s\n", model.name.c_str(), label,
                  step_name(o.step), ert_status_name(o.code), o.message.c_str());
      ok = false;
    }
  }
  return ok;
}

void print_stats(const std::string& name, const ModelStats& s) {
  std::printf("%-58s %6zu cases %7.1f s  (flip %zu, truncate %zu, word %zu, field %zu)\n",
              name.c_str(), s.cases, s.seconds, s.by_mutation[0], s.by_mutation[1],
              s.by_mutation[2], s.by_mutation[3]);
  std::printf("    invoked %zu; ran clean %zu;", s.invoked, s.clean);
  for (const auto& [key, count] : s.failures) {
    std::printf(" %s %s %zu;", step_name(key.first), status_label(key.second).c_str(), count);
  }
  std::printf(" reported %zu\n", s.violations);
}

ModelStats run_model(const ModelFile& model, const Options& opt, const RunLimits& limits,
                     Clock::time_point deadline) {
  ModelStats stats;
  Layout layout;
  if (model.kind == Kind::kErt) {
    ert_layout(model.bytes, &layout.bulk, &layout.structure_end);
  } else {
    tflite_layout(model.bytes, &layout.bulk, &layout.structure_end);
  }
  const Clock::time_point start = Clock::now();
  const uint64_t model_hash = fnv1a(model.name);
  std::vector<uint8_t> image;
  for (size_t i = 0; i < opt.cases && Clock::now() < deadline; ++i) {
    const uint64_t seed = case_seed(opt.seed, model_hash, i);
    Rng rng(seed);
    std::string what;
    set_case_line(model, i, seed, "building the mutation");
    g_case_start_ns.store(now_ns());
    const Mutation m = make_case(model, layout, rng, &image, &what);
    set_case_line(model, i, seed, what.c_str());
    const Outcome o = run_image(model.kind, image, limits, rng);
    g_case_start_ns.store(0);
    ++stats.cases;
    ++stats.by_mutation[size_t(m)];
    if (o.invoked) ++stats.invoked;
    if (o.ok) {
      ++stats.clean;
      continue;
    }
    ++stats.failures[{o.step, o.code}];
    if (o.message.empty() || !known_status(o.code)) {
      ++stats.violations;
      std::printf("  FAILURE WITHOUT A MESSAGE OR WITH AN UNKNOWN STATUS (%d) at %s in %s",
                  int(o.code), step_name(o.step), g_case_line);
    }
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return stats;
}

int replay(const ModelFile& model, const Options& opt, const RunLimits& limits) {
  Layout layout;
  if (model.kind == Kind::kErt) {
    ert_layout(model.bytes, &layout.bulk, &layout.structure_end);
  } else {
    tflite_layout(model.bytes, &layout.bulk, &layout.structure_end);
  }
  Rng rng(opt.replay_seed);
  std::vector<uint8_t> image;
  std::string what;
  const Mutation m = make_case(model, layout, rng, &image, &what);
  std::printf("model %s seed 0x%016llx: %s: %s\n", model.name.c_str(),
              static_cast<unsigned long long>(opt.replay_seed), mutation_name(m), what.c_str());
  if (!opt.dump.empty()) {
    std::ofstream f(opt.dump, std::ios::binary);
    f.write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
    std::printf("wrote %zu bytes to %s\n", image.size(), opt.dump.c_str());
  }
  set_case_line(model, 0, opt.replay_seed, what.c_str());
  const Outcome o = run_image(model.kind, image, limits, rng);
  if (o.ok) {
    std::printf("ran through every step\n");
    return 0;
  }
  std::printf("stopped at %s: %s: %s\n", step_name(o.step), ert_status_name(o.code),
              o.message.c_str());
  return o.message.empty() || !known_status(o.code) ? 1 : 0;
}

bool read_file(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

bool ends_with(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

int usage(const char* why) {
  std::fprintf(stderr,
               "mutate_models: %s\nusage: mutate_models [--cases N] [--seconds S] [--seed S] "
               "[--case-timeout S] [--max-arena-mb N] [--no-builtin] [--replay SEED [--dump "
               "FILE]] MODEL.tflite|MODEL.ert ...\n",
               why);
  return 2;
}

int main_impl(int argc, char** argv) {
  // Line by line: a crash or a hang ends the process without flushing, and CI logs should keep
  // the figures of the models done so far.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mutate_models: %s needs a value\n", flag);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--cases") {
      opt.cases = std::strtoull(value("--cases"), nullptr, 0);
    } else if (a == "--seconds") {
      opt.seconds = std::strtod(value("--seconds"), nullptr);
    } else if (a == "--seed") {
      opt.seed = std::strtoull(value("--seed"), nullptr, 0);
    } else if (a == "--case-timeout") {
      opt.case_timeout = std::strtod(value("--case-timeout"), nullptr);
    } else if (a == "--max-arena-mb") {
      opt.max_arena_mb = std::strtoull(value("--max-arena-mb"), nullptr, 0);
    } else if (a == "--invoke-ms") {
      opt.invoke_ms = std::strtod(value("--invoke-ms"), nullptr);
    } else if (a == "--no-builtin") {
      opt.builtin = false;
    } else if (a == "--replay") {
      opt.replay = true;
      opt.replay_seed = std::strtoull(value("--replay"), nullptr, 0);
    } else if (a == "--only") {
      opt.only = value("--only");
    } else if (a == "--dump") {
      opt.dump = value("--dump");
    } else if (a.rfind("--", 0) == 0) {
      return usage(("unknown option " + a).c_str());
    } else {
      opt.files.push_back(a);
    }
  }
  std::vector<ModelFile> models;
  for (const std::string& path : opt.files) {
    ModelFile m;
    const size_t slash = path.find_last_of('/');
    m.name = slash == std::string::npos ? path : path.substr(slash + 1);
    m.path = path;
    if (ends_with(path, ".tflite")) {
      m.kind = Kind::kTflite;
    } else if (ends_with(path, ".ert")) {
      m.kind = Kind::kErt;
    } else {
      return usage(("not a .tflite or .ert file: " + path).c_str());
    }
    if (!read_file(path, &m.bytes) || m.bytes.empty()) {
      return usage(("cannot read " + path).c_str());
    }
    models.push_back(std::move(m));
  }
  if (opt.builtin) {
    const std::pair<const char*, Status (*)(std::vector<uint8_t>*)> builders[] = {
        {"builder:relu_chain.ert", testing::make_relu_chain_model},
        {"builder:all_ops.ert", testing::make_all_ops_model},
    };
    for (const auto& [name, make] : builders) {
      ModelFile m{name, "", Kind::kErt, {}};
      const Status s = make(&m.bytes);
      if (!s.ok()) {
        std::fprintf(stderr, "mutate_models: %s: %s\n", name, s.to_string().c_str());
        return 1;
      }
      models.push_back(std::move(m));
    }
  }
  if (!opt.only.empty()) {
    models.erase(std::remove_if(models.begin(), models.end(),
                                [&](const ModelFile& m) { return m.name != opt.only; }),
                 models.end());
  }
  if (models.empty()) return usage("no model");

  RunLimits limits;
  limits.max_arena_bytes = opt.max_arena_mb << 20;
  install_crash_reporting();
  if (opt.replay) {
    if (models.size() != 1) return usage("--replay needs exactly one model: add --only NAME");
    return replay(models[0], opt, limits);
  }

  std::thread dog(watchdog, opt.case_timeout);
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(opt.seconds));
  std::printf("mutate_models: %zu models, up to %zu cases each, %.0f s in all, base seed %llu, "
              "arena cap %zu MiB\n",
              models.size(), opt.cases, opt.seconds, static_cast<unsigned long long>(opt.seed),
              opt.max_arena_mb);
  ModelStats total;
  size_t baseline_failures = 0;
  for (size_t k = 0; k < models.size(); ++k) {
    const ModelFile& model = models[k];
    set_case_line(model, 0, 0, "baseline (the unchanged model)");
    g_case_start_ns.store(now_ns());
    double baseline_ms = 0;
    if (!check_baseline(model, limits, &baseline_ms)) ++baseline_failures;
    g_case_start_ns.store(0);
    RunLimits model_limits = limits;
    if (opt.invoke_ms > 0 && baseline_ms > opt.invoke_ms) {
      model_limits.invoke_probability = opt.invoke_ms / baseline_ms;
    }
    // An equal share of the time left; a model that ends early leaves its time to the next.
    const auto left = end - Clock::now();
    const Clock::time_point deadline = Clock::now() + left / long(models.size() - k);
    const ModelStats s = run_model(model, opt, model_limits, deadline);
    print_stats(model.name, s);
    if (model_limits.invoke_probability < 1.0) {
      std::printf("    (an unchanged run takes %.0f ms: %.0f%% of the cases invoke)\n", baseline_ms,
                  100.0 * model_limits.invoke_probability);
    }
    std::fflush(stdout);
    total.cases += s.cases;
    total.clean += s.clean;
    total.invoked += s.invoked;
    total.violations += s.violations;
    total.seconds += s.seconds;
    for (size_t m = 0; m < size_t(Mutation::kCount); ++m) total.by_mutation[m] += s.by_mutation[m];
    for (const auto& [key, count] : s.failures) total.failures[key] += count;
  }
  g_done.store(true);
  dog.join();
  print_stats("TOTAL", total);
  if (baseline_failures > 0) {
    std::printf("mutate_models: %zu model%s failed unchanged\n", baseline_failures,
                baseline_failures == 1 ? "" : "s");
  }
  const bool failed = total.violations > 0 || baseline_failures > 0;
  std::printf("mutate_models: %s\n", failed ? "FAILED" : "passed: every case ran or failed with "
                                                         "a status and a message");
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace ert::mutation

int main(int argc, char** argv) { return ert::mutation::main_impl(argc, argv); }
