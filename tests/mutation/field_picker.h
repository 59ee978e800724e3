// A list of the fields of one unpacked FlatBuffers table (object API) that a mutation may
// change. A mutator lists a table's fields once; the picker chooses one and writes a hostile
// value into it, and says what it did so that a failing case can be read and replayed.
#ifndef ERT_TESTS_MUTATION_FIELD_PICKER_H_
#define ERT_TESTS_MUTATION_FIELD_PICKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/mutation/hostile_values.h"

namespace ert::mutation {

/// printf into a std::string, for the descriptions of mutations.
std::string strprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));

class FieldPicker {
 public:
  /// A signed 32-bit field; `count` is the size of what it indexes or counts (0: nothing).
  void add_int(std::string name, int32_t* field, int64_t count = 0) {
    ints_.push_back({std::move(name), field, count});
  }
  /// A vector of int32 (shape, axes, permutation, paddings, index lists).
  void add_int_vector(std::string name, std::vector<int32_t>* field, int64_t count = 0) {
    vectors_.push_back({std::move(name), field, count});
  }
  void add_float(std::string name, float* field) { floats_.push_back({std::move(name), field}); }
  void add_bool(std::string name, bool* field) { bools_.push_back({std::move(name), field}); }
  /// An enum stored in 1 or 4 bytes whose known values are 0..max.
  template <typename E>
  void add_enum(std::string name, E* field, int64_t max) {
    static_assert(sizeof(E) == 1 || sizeof(E) == 4, "enums are stored in 1 or 4 bytes");
    enums_.push_back({std::move(name), field, sizeof(E), max});
  }

  bool empty() const {
    return ints_.empty() && vectors_.empty() && floats_.empty() && bools_.empty() &&
           enums_.empty();
  }

  /// Changes one field, chosen at random, and returns a description ("stride_h: 1 -> -1").
  /// Returns an empty string when there is no field.
  std::string mutate(Rng& rng);

 private:
  struct Int {
    std::string name;
    int32_t* field;
    int64_t count;
  };
  struct Vector {
    std::string name;
    std::vector<int32_t>* field;
    int64_t count;
  };
  struct Float {
    std::string name;
    float* field;
  };
  struct Bool {
    std::string name;
    bool* field;
  };
  struct Enum {
    std::string name;
    void* field;
    size_t size;
    int64_t max;
  };

  std::string mutate_vector(const Vector& v, Rng& rng);
  std::string mutate_enum(const Enum& e, Rng& rng);

  std::vector<Int> ints_;
  std::vector<Vector> vectors_;
  std::vector<Float> floats_;
  std::vector<Bool> bools_;
  std::vector<Enum> enums_;
};

}  // namespace ert::mutation

#endif  // ERT_TESTS_MUTATION_FIELD_PICKER_H_
