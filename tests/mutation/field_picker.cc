#include "tests/mutation/field_picker.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace ert::mutation {

std::string strprintf(const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof(buf), format, args);
  va_end(args);
  return buf;
}

std::string FieldPicker::mutate(Rng& rng) {
  const size_t total = ints_.size() + vectors_.size() + floats_.size() + bools_.size() +
                       enums_.size();
  if (total == 0) return std::string();
  size_t k = rng.below(total);
  if (k < ints_.size()) {
    const Int& f = ints_[k];
    const int32_t before = *f.field;
    *f.field = hostile_i32(rng, before, f.count);
    return strprintf("%s: %d -> %d", f.name.c_str(), before, *f.field);
  }
  k -= ints_.size();
  if (k < vectors_.size()) return mutate_vector(vectors_[k], rng);
  k -= vectors_.size();
  if (k < floats_.size()) {
    const Float& f = floats_[k];
    const float before = *f.field;
    *f.field = hostile_f32(rng);
    return strprintf("%s: %g -> %g", f.name.c_str(), double(before), double(*f.field));
  }
  k -= floats_.size();
  if (k < bools_.size()) {
    const Bool& f = bools_[k];
    *f.field = !*f.field;
    return strprintf("%s: -> %s", f.name.c_str(), *f.field ? "true" : "false");
  }
  k -= bools_.size();
  return mutate_enum(enums_[k], rng);
}

// Steps: pick one of set-an-element, append, remove the last, clear, or grow to 1000 entries
// (rank 1000 for a shape), and apply it.
std::string FieldPicker::mutate_vector(const Vector& v, Rng& rng) {
  std::vector<int32_t>& vec = *v.field;
  const size_t size = vec.size();
  switch (rng.below(size == 0 ? 2 : 6)) {
    case 0: {
      const int32_t value = hostile_i32(rng, size ? vec.back() : 0, v.count);
      vec.push_back(value);
      return strprintf("%s: append %d (now %zu entries)", v.name.c_str(), value, vec.size());
    }
    case 1:
      vec.assign(1000, 1 + int32_t(rng.below(2)));
      return strprintf("%s: 1000 entries of %d", v.name.c_str(), vec[0]);
    case 2:
      vec.pop_back();
      return strprintf("%s: drop the last entry (now %zu)", v.name.c_str(), vec.size());
    case 3:
      vec.clear();
      return strprintf("%s: cleared", v.name.c_str());
    default: {
      const size_t i = rng.below(size);
      const int32_t before = vec[i];
      vec[i] = hostile_i32(rng, before, v.count);
      return strprintf("%s[%zu]: %d -> %d", v.name.c_str(), i, before, vec[i]);
    }
  }
}

std::string FieldPicker::mutate_enum(const Enum& e, Rng& rng) {
  int64_t value;
  switch (rng.below(4)) {
    case 0:
      value = e.max + 1;
      break;
    case 1:
      value = -1;
      break;
    case 2:
      value = e.size == 1 ? 127 : 0x7fffffff;
      break;
    default:
      value = int64_t(rng.below(size_t(e.max) + 1));  // Known but maybe wrong here.
  }
  if (e.size == 1) {
    const int8_t v = int8_t(value);
    std::memcpy(e.field, &v, 1);
  } else {
    const int32_t v = int32_t(value);
    std::memcpy(e.field, &v, 4);
  }
  return strprintf("%s: -> %lld", e.name.c_str(), static_cast<long long>(value));
}

}  // namespace ert::mutation
