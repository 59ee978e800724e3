// Building Status values with formatted messages. Every message says what and where:
// "tensor 17: shape has 5 dims, CONV_2D needs 4".
#ifndef ERT_RUNTIME_STATUS_H_
#define ERT_RUNTIME_STATUS_H_

#include <cstdarg>

#include "ert/ert.hpp"

namespace ert::rt {

/// Returns a Status with a printf-formatted message.
Status make_status(ert_status code, const char* format, ...) __attribute__((format(printf, 2, 3)));

/// va_list form of make_status.
Status make_status_v(ert_status code, const char* format, va_list args);

/// Returns the status with `prefix + ": "` put before its message (no change when ok).
Status with_context(const Status& status, const char* prefix);

}  // namespace ert::rt

/// Returns from the calling function when `expr` yields a failed Status.
#define ERT_RETURN_IF_ERROR(expr)            \
  do {                                       \
    ::ert::Status ert_status_tmp_ = (expr);  \
    if (!ert_status_tmp_.ok()) return ert_status_tmp_; \
  } while (0)

#endif  // ERT_RUNTIME_STATUS_H_
