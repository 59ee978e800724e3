// The XNNPACK backend's entry point for the op registry.
#ifndef ERT_XNNPACK_XNN_BACKEND_H_
#define ERT_XNNPACK_XNN_BACKEND_H_

#include <memory>

#include "src/runtime/op.h"

namespace ert::rt::xnn {

/// Wraps the reference op in *op with its XNNPACK op when XNNPACK has one for `code` (the
/// wrapper still decides per dtype, weights and options at prepare); other ops stay as they are.
Status wrap_op(fb::OpCode code, std::unique_ptr<Op>* op);

}  // namespace ert::rt::xnn

#endif  // ERT_XNNPACK_XNN_BACKEND_H_
