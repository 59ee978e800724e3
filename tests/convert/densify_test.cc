// densify(): hand-made CSR and block-sparse tensors with their dense forms worked out by hand, a
// round trip through an independent encoder written here, and every way a description can be
// inconsistent.
#include "src/convert/densify.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

using ert::Status;
using ert::cvt::densify;
using ert::cvt::SparseFormat;
using ert::cvt::SparseLevel;

SparseLevel dense_level(int64_t size) {
  SparseLevel l;
  l.dense_size = size;
  return l;
}

SparseLevel csr_level(std::vector<int64_t> segments, std::vector<int64_t> indices) {
  SparseLevel l;
  l.compressed = true;
  l.segments = std::move(segments);
  l.indices = std::move(indices);
  return l;
}

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Runs densify on typed values and returns the dense values (empty on failure).
template <typename T>
std::vector<T> run(const std::vector<int32_t>& shape, const SparseFormat& f,
                   const std::vector<T>& values, Status* status = nullptr) {
  const std::vector<uint8_t> in = bytes_of(values);
  std::vector<uint8_t> out;
  const Status s = densify(shape, f, in.data(), in.size(), sizeof(T), &out);
  if (status != nullptr) *status = s;
  REQUIRE_MESSAGE((s.ok() || status != nullptr), s.to_string());
  std::vector<T> v(out.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), out.data(), out.size());
  return v;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The 3x4 matrix most cases store:
//   0 5 0 0
//   0 0 0 0
//   7 0 0 8
const std::vector<float> kMatrix = {0, 5, 0, 0, 0, 0, 0, 0, 7, 0, 0, 8};

// Rows dense, columns compressed: row 0 holds column 1, row 1 nothing, row 2 columns 0 and 3.
SparseFormat rows_dense_columns_csr() {
  SparseFormat f;
  f.traversal_order = {0, 1};
  f.levels = {dense_level(3), csr_level({0, 1, 1, 3}, {1, 0, 3})};
  return f;
}

}  // namespace

TEST_CASE("densify expands a CSR matrix with dense rows") {
  CHECK(run<float>({3, 4}, rows_dense_columns_csr(), {5, 7, 8}) == kMatrix);
}

TEST_CASE("densify expands a matrix with both levels compressed") {
  // Rows 0 and 2 are present; row 0 holds column 1, row 2 columns 0 and 3.
  SparseFormat f;
  f.traversal_order = {0, 1};
  f.levels = {csr_level({0, 2}, {0, 2}), csr_level({0, 1, 3}, {1, 0, 3})};
  CHECK(run<float>({3, 4}, f, {5, 7, 8}) == kMatrix);
}

TEST_CASE("densify follows a column-major traversal order") {
  // Columns first: column 0 holds row 2 (7), column 1 row 0 (5), column 2 nothing, column 3
  // row 2 (8); the values come in that walk order.
  SparseFormat f;
  f.traversal_order = {1, 0};
  f.levels = {dense_level(4), csr_level({0, 1, 2, 2, 3}, {2, 0, 2})};
  CHECK(run<float>({3, 4}, f, {7, 5, 8}) == kMatrix);
}

TEST_CASE("densify expands 2x2 blocks of a block-sparse matrix") {
  //   1 2 | 0 0
  //   3 4 | 0 0
  //   ----+----
  //   0 0 | 5 0
  //   0 0 | 0 6
  // Block rows dense, block columns compressed (block row 0 holds block column 0, block row 1
  // block column 1), each block stored whole.
  const std::vector<int32_t> expected = {1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6};
  SparseFormat f;
  f.block_map = {0, 1};
  f.levels = {dense_level(2), csr_level({0, 1, 2}, {0, 1}), dense_level(2), dense_level(2)};
  SUBCASE("blocks row-major") {
    f.traversal_order = {0, 1, 2, 3};
    CHECK(run<int32_t>({4, 4}, f, {1, 2, 3, 4, 5, 0, 0, 6}) == expected);
  }
  SUBCASE("blocks column-major") {
    f.traversal_order = {0, 1, 3, 2};
    CHECK(run<int32_t>({4, 4}, f, {1, 3, 2, 4, 5, 0, 0, 6}) == expected);
  }
}

TEST_CASE("densify expands blocks along one dimension only") {
  //   0 0 | 9 8
  //   7 0 | 0 0
  // Blocks of 2 along dimension 1: row 0 holds block 1, row 1 block 0.
  SparseFormat f;
  f.traversal_order = {0, 1, 2};
  f.block_map = {1};
  f.levels = {dense_level(2), csr_level({0, 1, 2}, {1, 0}), dense_level(2)};
  CHECK(run<int8_t>({2, 4}, f, {9, 8, 7, 0}) == std::vector<int8_t>{0, 0, 9, 8, 7, 0, 0, 0});
}

TEST_CASE("densify copies 2-byte elements like MediaPipe's FP16 weights") {
  // [C=2, 1, 1, K=3] with the last level compressed, as in the sparse face detector.
  SparseFormat f;
  f.traversal_order = {0, 1, 2, 3};
  f.levels = {dense_level(2), dense_level(1), dense_level(1), csr_level({0, 2, 3}, {0, 2, 1})};
  const std::vector<uint16_t> dense = run<uint16_t>({2, 1, 1, 3}, f, {0x3c00, 0xc000, 0x3800});
  CHECK(dense == std::vector<uint16_t>{0x3c00, 0, 0xc000, 0, 0x3800, 0});
}

TEST_CASE("densify handles scalars, empty tensors and all-zero tensors") {
  SUBCASE("a scalar is one stored value") {
    CHECK(run<float>({}, SparseFormat(), {2.5f}) == std::vector<float>{2.5f});
  }
  SUBCASE("a dimension of size 0") {
    SparseFormat f;
    f.traversal_order = {0, 1};
    f.levels = {dense_level(0), csr_level({0}, {})};
    CHECK(run<float>({0, 3}, f, {}).empty());
  }
  SUBCASE("no stored values at all") {
    SparseFormat f;
    f.traversal_order = {0, 1};
    f.levels = {dense_level(2), csr_level({0, 0, 0}, {})};
    CHECK(run<float>({2, 3}, f, {}) == std::vector<float>(6, 0.0f));
  }
}

// An encoder written independently of densify: walks the levels in traversal order (no blocks),
// keeps every coordinate of a DENSE level and, at a CSR level, only the coordinates whose
// subtree holds a non-zero, then stores the leaves reached.
struct Encoded {
  SparseFormat format;
  std::vector<float> values;
};

Encoded encode(const std::vector<int32_t>& shape, const std::vector<float>& dense,
               const std::vector<int32_t>& order, const std::vector<bool>& compressed) {
  const size_t n = shape.size();
  Encoded e;
  e.format.traversal_order = order;
  e.format.levels.resize(n);
  for (size_t l = 0; l < n; ++l) {
    e.format.levels[l].compressed = compressed[l];
    e.format.levels[l].dense_size = compressed[l] ? 0 : shape[size_t(order[l])];
    if (compressed[l]) e.format.levels[l].segments = {0};
  }
  std::vector<int64_t> strides(n, 1);
  for (size_t d = n; d-- > 1;) strides[d - 1] = strides[d] * shape[d];
  std::vector<int64_t> coord(n, 0);
  // Whether the block of elements with the first `level` coordinates fixed holds a non-zero.
  std::function<bool(size_t)> any_nonzero = [&](size_t level) -> bool {
    if (level == n) {
      int64_t flat = 0;
      for (size_t l = 0; l < n; ++l) flat += coord[l] * strides[size_t(order[l])];
      return dense[size_t(flat)] != 0.0f;
    }
    for (int64_t c = 0; c < shape[size_t(order[level])]; ++c) {
      coord[level] = c;
      if (any_nonzero(level + 1)) return true;
    }
    return false;
  };
  std::function<void(size_t)> walk = [&](size_t level) {
    if (level == n) {
      int64_t flat = 0;
      for (size_t l = 0; l < n; ++l) flat += coord[l] * strides[size_t(order[l])];
      e.values.push_back(dense[size_t(flat)]);
      return;
    }
    SparseLevel& meta = e.format.levels[level];
    for (int64_t c = 0; c < shape[size_t(order[level])]; ++c) {
      coord[level] = c;
      if (meta.compressed) {
        const std::vector<int64_t> saved(coord);
        const bool keep = any_nonzero(level + 1);
        coord = saved;
        if (!keep) continue;
        meta.indices.push_back(c);
      }
      walk(level + 1);
    }
    if (meta.compressed) meta.segments.push_back(int64_t(meta.indices.size()));
  };
  walk(0);
  return e;
}

TEST_CASE("densify inverts an independent encoder on random tensors and orders") {
  std::mt19937 rng(20240611);
  int compressed_levels = 0;
  for (int run_index = 0; run_index < 300; ++run_index) {
    const size_t rank = 1 + rng() % 4;
    std::vector<int32_t> shape(rank);
    for (auto& d : shape) d = int32_t(1 + rng() % 5);
    size_t elements = 1;
    for (int32_t d : shape) elements *= size_t(d);
    std::vector<float> dense(elements, 0.0f);
    const int density = int(rng() % 4);  // 0: all zero ... 3: mostly non-zero.
    for (auto& v : dense) {
      if (int(rng() % 4) < density) v = float(int(rng() % 200) - 100) + 0.5f;
    }
    std::vector<int32_t> order(rank);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<bool> compressed(rank);
    for (size_t l = 0; l < rank; ++l) {
      compressed[l] = rng() % 2 == 0;
      compressed_levels += compressed[l] ? 1 : 0;
    }
    const Encoded e = encode(shape, dense, order, compressed);
    CAPTURE(run_index);
    Status s;
    CHECK(run<float>(shape, e.format, e.values, &s) == dense);
    CHECK_MESSAGE(s.ok(), s.to_string());
  }
  CHECK(compressed_levels > 100);
}

TEST_CASE("densify rejects inconsistent descriptions with a reason") {
  struct Case {
    const char* what;
    std::function<void(std::vector<int32_t>&, SparseFormat&, std::vector<float>&)> breaks;
    ert_status code;
    const char* message;
  };
  const Case cases[] = {
      {"too few levels", [](auto&, SparseFormat& f, auto&) { f.levels.pop_back(); },
       ERT_INVALID_MODEL,
       "traversal_order has 2 entries and dim_metadata 1; a rank-2 tensor with 0 blocked "
       "dimensions needs 2 of each"},
      {"traversal order not a permutation",
       [](auto&, SparseFormat& f, auto&) {
         f.traversal_order = {0, 0};
       },
       ERT_INVALID_MODEL,
       "traversal_order entry 1 is 0; entries 0..1 must be a permutation of 0..1"},
      {"traversal order out of range",
       [](auto&, SparseFormat& f, auto&) {
         f.traversal_order = {0, 2};
       },
       ERT_INVALID_MODEL, "traversal_order entry 1 is 2"},
      {"block_map beyond the rank",
       [](auto&, SparseFormat& f, auto&) {
         f.block_map = {2};
         f.traversal_order = {0, 1, 2};
         f.levels.push_back(dense_level(1));
       },
       ERT_INVALID_MODEL, "block_map entry 0 is 2, not a dimension of a rank-2 tensor"},
      {"block level among the original dimensions",
       [](auto&, SparseFormat& f, auto&) {
         f.block_map = {1};
         f.traversal_order = {2, 1, 0};
         f.levels.push_back(dense_level(1));
       },
       ERT_INVALID_MODEL, "traversal_order entry 0 is 2"},
      {"two blocks on one dimension",
       [](std::vector<int32_t>&, SparseFormat& f, auto&) {
         f.block_map = {1, 1};
         f.traversal_order = {0, 1, 2, 3};
         f.levels.push_back(dense_level(2));
         f.levels.push_back(dense_level(2));
       },
       ERT_UNSUPPORTED, "block_map 1 after 1: blocked dimensions must be listed once each"},
      {"compressed block level",
       [](auto&, SparseFormat& f, auto&) {
         f.block_map = {1};
         f.traversal_order = {0, 1, 2};
         f.levels.push_back(csr_level({0, 0}, {}));
       },
       ERT_UNSUPPORTED, "level 2 (block 0) is SPARSE_CSR; blocks must be DENSE"},
      {"block size not dividing its dimension",
       [](auto&, SparseFormat& f, auto&) {
         f.block_map = {1};
         f.traversal_order = {0, 1, 2};
         f.levels.push_back(dense_level(3));
       },
       ERT_INVALID_MODEL, "level 2: block size 3 does not divide dimension 1 (size 4)"},
      {"dense size other than the shape's",
       [](auto&, SparseFormat& f, auto&) { f.levels[0].dense_size = 4; }, ERT_INVALID_MODEL,
       "level 0 (dimension 0) is DENSE with size 4, but the shape gives 3"},
      {"too few segments",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].segments = {0, 1, 1};
       },
       ERT_INVALID_MODEL,
       "level 1 is SPARSE_CSR with 3 segment entries; the 3 positions above it need 4"},
      {"segments not starting at 0",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].segments = {1, 1, 1, 3};
       },
       ERT_INVALID_MODEL, "level 1: array_segments starts at 1, not 0"},
      {"segments decreasing",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].segments = {0, 2, 1, 3};
       },
       ERT_INVALID_MODEL, "level 1: array_segments decreases from 2 to 1 at entry 2"},
      {"segments beyond the indices",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].segments = {0, 1, 1, 4};
       },
       ERT_INVALID_MODEL, "level 1: array_segments reaches 4, beyond the 3 array_indices"},
      {"index beyond the dimension",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].indices = {1, 0, 4};
       },
       ERT_INVALID_MODEL, "level 1: array_indices entry 2 is 4, outside 0..3"},
      {"negative index",
       [](auto&, SparseFormat& f, auto&) {
         f.levels[1].indices = {-1, 0, 3};
       },
       ERT_INVALID_MODEL, "level 1: array_indices entry 0 is -1, outside 0..3"},
      {"too few values", [](auto&, auto&, std::vector<float>& v) { v.pop_back(); },
       ERT_INVALID_MODEL, "the sparsity metadata stores 3 values, the buffer holds 2"},
      {"too many values", [](auto&, auto&, std::vector<float>& v) { v.push_back(1.0f); },
       ERT_INVALID_MODEL, "the sparsity metadata stores 3 values, the buffer holds 4"},
      {"rank beyond edgert's",
       [](std::vector<int32_t>& shape, SparseFormat& f, auto&) {
         shape = {1, 1, 1, 1, 1, 1, 3};
         f.traversal_order = {0, 1, 2, 3, 4, 5, 6};
       },
       ERT_UNSUPPORTED, "sparse tensor of rank 7; edgert takes at most 6"},
      {"a dense tensor beyond the byte limit",
       [](std::vector<int32_t>& shape, auto&, auto&) {
         shape = {1 << 30, 4};
       },
       ERT_UNSUPPORTED, "the dense tensor would exceed 2147483647 bytes"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::vector<int32_t> shape = {3, 4};
    SparseFormat f = rows_dense_columns_csr();
    std::vector<float> values = {5, 7, 8};
    c.breaks(shape, f, values);
    const std::vector<uint8_t> in = bytes_of(values);
    std::vector<uint8_t> out = {1, 2, 3};
    const Status s = densify(shape, f, in.data(), in.size(), 4, &out);
    CHECK(s.code() == c.code);
    CHECK_MESSAGE(contains(s.message(), c.message), s.message());
    CHECK(out.empty());
  }
}

TEST_CASE("densify rejects bad arguments and partial elements") {
  const SparseFormat f = rows_dense_columns_csr();
  const std::vector<uint8_t> in = bytes_of(std::vector<float>{5, 7, 8});
  std::vector<uint8_t> out;
  CHECK(densify({3, 4}, f, in.data(), in.size(), 4, nullptr).code() == ERT_INVALID_ARGUMENT);
  CHECK(densify({3, 4}, f, in.data(), in.size(), 0, &out).code() == ERT_INVALID_ARGUMENT);
  CHECK(densify({3, 4}, f, nullptr, in.size(), 4, &out).code() == ERT_INVALID_ARGUMENT);
  const Status s = densify({3, 4}, f, in.data(), in.size() - 1, 4, &out);
  CHECK(s.code() == ERT_INVALID_MODEL);
  CHECK(contains(s.message(), "11 value bytes are not a whole number of 4-byte elements"));
}

TEST_CASE("densify survives random corruption of its index arrays") {
  // Hostile files: whatever the arrays say, densify either succeeds with the full dense size or
  // fails with a reason; it never reads or writes out of bounds.
  std::mt19937 rng(99);
  const std::vector<uint8_t> in = bytes_of(std::vector<float>{5, 7, 8});
  int ok = 0;
  int failed = 0;
  for (int run_index = 0; run_index < 2000; ++run_index) {
    SparseFormat f = rows_dense_columns_csr();
    SparseLevel& csr = f.levels[1];
    const int edits = 1 + int(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      std::vector<int64_t>& array = rng() % 2 == 0 ? csr.segments : csr.indices;
      switch (rng() % 3) {
        case 0:
          if (!array.empty()) array[rng() % array.size()] = int64_t(rng() % 9) - 2;
          break;
        case 1:
          array.push_back(int64_t(rng() % 5));
          break;
        default:
          if (!array.empty()) array.pop_back();
          break;
      }
    }
    std::vector<uint8_t> out;
    const Status s = densify({3, 4}, f, in.data(), in.size(), 4, &out);
    if (s.ok()) {
      ++ok;
      CHECK(out.size() == 48);
    } else {
      ++failed;
      CHECK(!s.message().empty());
      CHECK(out.empty());
    }
  }
  CHECK(ok > 0);
  CHECK(failed > 0);
}
