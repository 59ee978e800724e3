// Names and sizes exposed by the C API that need no objects.
#include "ert/ert.h"
#include "src/runtime/tensor.h"

#ifndef ERT_VERSION_STRING
#define ERT_VERSION_STRING "0.0.0"
#endif

extern "C" {

const char* ert_version(void) { return ERT_VERSION_STRING; }

const char* ert_status_name(ert_status status) {
  switch (status) {
    case ERT_OK: return "ERT_OK";
    case ERT_INVALID_ARGUMENT: return "ERT_INVALID_ARGUMENT";
    case ERT_INVALID_MODEL: return "ERT_INVALID_MODEL";
    case ERT_UNSUPPORTED: return "ERT_UNSUPPORTED";
    case ERT_OUT_OF_MEMORY: return "ERT_OUT_OF_MEMORY";
    case ERT_IO_ERROR: return "ERT_IO_ERROR";
    case ERT_BACKEND_ERROR: return "ERT_BACKEND_ERROR";
    case ERT_INVALID_STATE: return "ERT_INVALID_STATE";
  }
  return "ERT_UNKNOWN_STATUS";
}

const char* ert_dtype_name(ert_dtype dtype) { return ert::rt::dtype_name(dtype); }

size_t ert_dtype_size(ert_dtype dtype) { return ert::rt::dtype_size(dtype); }

}  // extern "C"
