// The planner on hand-made cases, random cases checked by an independent O(n^2) test, and
// replays of real models' tensor sizes and lifetimes.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "src/runtime/lifetimes.h"
#include "src/runtime/planner.h"

using ert::rt::BufferAssignment;
using ert::rt::GraphLayout;
using ert::rt::PlanBuffer;

namespace {

PlanBuffer buf(size_t bytes, int first, int last) {
  PlanBuffer b;
  b.bytes = bytes;
  b.first = first;
  b.last = last;
  return b;
}

// Independent pairwise check: no two buffers alive at one step share a byte.
bool no_overlap_naive(const std::vector<PlanBuffer>& b, const std::vector<size_t>& off) {
  for (size_t i = 0; i < b.size(); ++i) {
    for (size_t j = i + 1; j < b.size(); ++j) {
      const bool time = b[i].first <= b[j].last && b[j].first <= b[i].last;
      const bool mem = off[i] < off[j] + b[j].bytes && off[j] < off[i] + b[i].bytes;
      if (time && mem && b[i].bytes > 0 && b[j].bytes > 0) return false;
    }
  }
  return true;
}

struct Replay {
  GraphLayout layout;
  std::vector<int> tensor_ids;
};

// Reads the .lifetimes format written by tests/tools/dump_lifetimes.py.
bool read_replay(const std::string& path, Replay* r) {
  std::ifstream in(path);
  if (!in) return false;
  std::map<int, int> local;  // File tensor id -> dense index.
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (const std::string& line : lines) {
    std::istringstream ss(line);
    std::string kind;
    ss >> kind;
    if (kind == "tensor") {
      int id = 0;
      size_t bytes = 0;
      ss >> id >> bytes;
      local[id] = int(r->layout.bytes.size());
      r->layout.bytes.push_back(bytes);
      r->layout.is_constant.push_back(false);
    }
  }
  for (const std::string& line : lines) {
    std::istringstream ss(line);
    std::string kind;
    ss >> kind;
    auto ids = [&](std::istringstream& s, std::vector<int>* out) {
      for (std::string tok; s >> tok && tok != ":";) out->push_back(local.at(std::stoi(tok)));
    };
    if (kind == "inputs") ids(ss, &r->layout.inputs);
    if (kind == "outputs") ids(ss, &r->layout.outputs);
    if (kind == "op") {
      GraphLayout::OpIO io;
      int alias = 0;
      ss >> alias;
      io.may_alias = alias != 0;
      ids(ss, &io.inputs);
      ids(ss, &io.outputs);
      r->layout.ops.push_back(io);
    }
  }
  return !r->layout.ops.empty();
}

}  // namespace

TEST_CASE("planner: buffers alive at different times share memory") {
  // a at steps 0-1, b at 1-2, c at 2-3: a and c may share, b may not share with either.
  std::vector<PlanBuffer> b = {buf(1000, 0, 1), buf(1000, 1, 2), buf(1000, 2, 3)};
  std::vector<size_t> off;
  size_t arena = 0;
  REQUIRE(ert::rt::plan_buffers(b, &off, &arena));
  CHECK(arena == 2048);  // Two 1024-byte aligned slots.
  CHECK(off[0] == off[2]);
  CHECK(off[1] != off[0]);
  CHECK(no_overlap_naive(b, off));
  const ert::rt::PlanStats s = ert::rt::plan_bounds(b);
  CHECK(s.naive_bytes == 3072);
  CHECK(s.lower_bound == 2048);
}

TEST_CASE("planner: best fit takes the smallest gap that fits") {
  // Long-lived 64-byte buffers at known places leave gaps; a small buffer goes in the small gap.
  std::vector<PlanBuffer> b = {buf(640, 0, 0), buf(128, 0, 0), buf(64, 1, 3), buf(256, 1, 3),
                               buf(64, 2, 2)};
  std::vector<size_t> off;
  size_t arena = 0;
  REQUIRE(ert::rt::plan_buffers(b, &off, &arena));
  CHECK(no_overlap_naive(b, off));
  CHECK(arena == 768);  // Step 0 needs 640 + 128.
  int bad_a = -1, bad_b = -1;
  CHECK(ert::rt::check_plan(b, off, arena, &bad_a, &bad_b));
}

TEST_CASE("planner: offsets are 64-byte aligned and sizes rounded up") {
  std::vector<PlanBuffer> b = {buf(1, 0, 5), buf(65, 0, 5), buf(3, 0, 5)};
  std::vector<size_t> off;
  size_t arena = 0;
  REQUIRE(ert::rt::plan_buffers(b, &off, &arena));
  for (size_t o : off) CHECK(o % 64 == 0);
  CHECK(arena == 64 + 128 + 64);
}

TEST_CASE("planner: random buffers never overlap, and the arena lies between the bounds") {
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + int(rng() % 60);
    std::vector<PlanBuffer> b;
    for (int i = 0; i < n; ++i) {
      const int first = int(rng() % 40);
      b.push_back(buf(1 + rng() % 5000, first, first + int(rng() % 10)));
    }
    std::vector<size_t> off;
    size_t arena = 0;
    REQUIRE(ert::rt::plan_buffers(b, &off, &arena));
    CHECK(no_overlap_naive(b, off));
    const ert::rt::PlanStats s = ert::rt::plan_bounds(b);
    CHECK(arena >= s.lower_bound);
    CHECK(arena <= s.naive_bytes);
    int bad_a = -1, bad_b = -1;
    CHECK(ert::rt::check_plan(b, off, arena, &bad_a, &bad_b));
  }
}

TEST_CASE("planner: check_plan finds overlaps and buffers past the arena") {
  std::vector<PlanBuffer> b = {buf(100, 0, 2), buf(100, 1, 3), buf(100, 5, 6)};
  int bad_a = -1, bad_b = -1;
  // 0 and 1 are alive together at steps 1-2 and overlap at offset 64.
  CHECK_FALSE(ert::rt::check_plan(b, {0, 64, 0}, 1000, &bad_a, &bad_b));
  CHECK(((bad_a == 0 && bad_b == 1) || (bad_a == 1 && bad_b == 0)));
  // 2 shares 0's bytes but at other steps: fine.
  CHECK(ert::rt::check_plan(b, {0, 128, 0}, 1000, &bad_a, &bad_b));
  // 1 runs past a 200-byte arena.
  CHECK_FALSE(ert::rt::check_plan(b, {0, 128, 0}, 200, &bad_a, &bad_b));
  CHECK(bad_a == 1);
  CHECK(bad_b == -1);
  // A huge offset does not wrap around.
  CHECK_FALSE(ert::rt::check_plan(b, {0, SIZE_MAX - 10, 0}, 1000, &bad_a, &bad_b));
}

TEST_CASE("lifetimes: inputs live from step 0 to the end, outputs to the end, reshape shares a buffer") {
  // t0 (input) -> op0 -> t1 -> op1 RESHAPE -> t2 -> op2 -> t3 (output); t1 also read by op2.
  GraphLayout g;
  g.is_constant = {false, false, false, false, true};
  g.bytes = {40, 40, 40, 80, 16};
  g.inputs = {0};
  g.outputs = {3};
  g.ops.push_back({{0, 4}, {1}, false});
  g.ops.push_back({{1}, {2}, true});
  g.ops.push_back({{2, 1}, {3}, false});
  const BufferAssignment a = ert::rt::assign_buffers(g);
  CHECK(a.group_of_tensor[4] == -1);  // Constant: no buffer.
  CHECK(a.group_of_tensor[1] == a.group_of_tensor[2]);
  REQUIRE(a.groups.size() == 3);
  const PlanBuffer& in = a.groups[size_t(a.group_of_tensor[0])];
  const PlanBuffer& mid = a.groups[size_t(a.group_of_tensor[1])];
  const PlanBuffer& out = a.groups[size_t(a.group_of_tensor[3])];
  CHECK(in.first == 0);
  CHECK(in.last == 3);  // Kept to the end: a second invoke reads it again.
  CHECK(mid.first == 0);
  CHECK(mid.last == 2);
  CHECK(out.first == 2);
  CHECK(out.last == 3);  // The end of the graph.
}

TEST_CASE("planner: replays of the shared models' tensors place without overlap") {
  const char* names[] = {"coral__mobilenet_ssd_v2_coco_quant_postprocess",
                         "mediapipe__face_detection_full_range_sparse",
                         "mediapipe__face_detection_short_range",
                         "mediapipe__face_landmark",
                         "mediapipe__hand_landmark_lite",
                         "mediapipe__hand_recrop",
                         "mediapipe__palm_detection_lite",
                         "mediapipe__pose_landmark_lite",
                         "mediapipe__selfie_segmentation"};
  for (const char* name : names) {
    const std::string model_name = name;
    CAPTURE(model_name);
    Replay r;
    REQUIRE(read_replay(std::string(ERT_TEST_DATA_DIR) + "/" + name + ".lifetimes", &r));
    const BufferAssignment a = ert::rt::assign_buffers(r.layout);
    std::vector<size_t> off;
    size_t arena = 0;
    REQUIRE(ert::rt::plan_buffers(a.groups, &off, &arena));
    CHECK(no_overlap_naive(a.groups, off));
    int bad_a = -1, bad_b = -1;
    CHECK(ert::rt::check_plan(a.groups, off, arena, &bad_a, &bad_b));
    const ert::rt::PlanStats s = ert::rt::plan_bounds(a.groups);
    CHECK(arena >= s.lower_bound);
    CHECK(arena < s.naive_bytes);  // Real models always reuse memory.
    // Greedy-by-size stays close to the bound on these models.
    CHECK(double(arena) <= 1.25 * double(s.lower_bound));
    MESSAGE(std::string(name) << ": arena " << arena << " B, lower bound " << s.lower_bound << " B, naive "
                 << s.naive_bytes << " B");
  }
}
