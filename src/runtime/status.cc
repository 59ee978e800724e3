#include "src/runtime/status.h"

#include <cstdio>
#include <string>

namespace ert::rt {

Status make_status_v(ert_status code, const char* format, va_list args) {
  char buffer[1024];
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  return Status(code, buffer);
}

Status make_status(ert_status code, const char* format, ...) {
  va_list args;
  va_start(args, format);
  Status s = make_status_v(code, format, args);
  va_end(args);
  return s;
}

Status with_context(const Status& status, const char* prefix) {
  if (status.ok()) return status;
  return Status(status.code(), std::string(prefix) + ": " + status.message());
}

}  // namespace ert::rt
