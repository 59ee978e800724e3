// Expands a sparse TFLite constant into its dense row-major form: the work TFLite's DENSIFY op
// does at run time, done once by the importer so that edgert only ever sees dense constants.
//
// TFLite's sparse format (SparsityParameters in its schema) describes a tensor of rank n whose
// dimensions may be split into blocks:
//  * block_map lists k original dimensions that are split, each into (dim / B) blocks of B;
//  * the n + k "levels" are stored in traversal_order: the first n entries are the original
//    dimensions (with blocked ones counting blocks), the last k are the block dimensions
//    (n + b for block b), all in the order they are walked;
//  * each level is DENSE (every coordinate 0 .. dense_size-1 is present) or SPARSE_CSR (for each
//    position of the level above, array_segments[p] .. array_segments[p+1] are the entries and
//    array_indices holds their coordinates);
//  * the stored values are the leaves of that walk, in walk order. Absent elements are zero.
#ifndef ERT_CONVERT_DENSIFY_H_
#define ERT_CONVERT_DENSIFY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ert/ert.hpp"

namespace ert::cvt {

/// One level (a dimension in traversal order) of a sparse tensor.
struct SparseLevel {
  bool compressed = false;        ///< SPARSE_CSR when true, DENSE when false.
  int64_t dense_size = 0;         ///< DENSE: the number of coordinates of the level.
  std::vector<int64_t> segments;  ///< SPARSE_CSR: entries of parent position p are
                                  ///< [segments[p], segments[p+1]).
  std::vector<int64_t> indices;   ///< SPARSE_CSR: the coordinate of each entry.
};

/// TFLite's SparsityParameters, with the index arrays (int32, uint16 or uint8 in the file)
/// widened to int64.
struct SparseFormat {
  std::vector<int32_t> traversal_order;  ///< n + k level-to-dimension entries.
  std::vector<int32_t> block_map;        ///< The k original dimensions that are blocked.
  std::vector<SparseLevel> levels;       ///< dim_metadata: one per traversal_order entry.
};

/// Most bytes densify() produces; larger tensors are ERT_UNSUPPORTED.
constexpr size_t kMaxDenseBytes = (size_t(1) << 31) - 1;

/// Writes into *dense the row-major bytes of the tensor of `shape` stored sparsely as `format`
/// plus values[0, value_bytes) (the stored elements in walk order, each `element_size` bytes);
/// elements not stored are all-zero bytes (zero in every numeric type). Everything is checked
/// before use, as the description comes from a model file: returns ERT_INVALID_ARGUMENT (null
/// pointers, element_size 0), ERT_INVALID_MODEL (an inconsistent description: bad permutation,
/// sizes that do not match the shape, segments out of order or beyond the indices, coordinates
/// out of range, a value count other than the number of stored positions) or ERT_UNSUPPORTED
/// (rank above edgert's, blocks stored compressed, two blocks on one dimension, a result beyond
/// kMaxDenseBytes). *dense is left empty on failure.
Status densify(const std::vector<int32_t>& shape, const SparseFormat& format, const uint8_t* values,
               size_t value_bytes, size_t element_size, std::vector<uint8_t>* dense);

}  // namespace ert::cvt

#endif  // ERT_CONVERT_DENSIFY_H_
