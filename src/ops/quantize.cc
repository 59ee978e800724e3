// TEMPORARY STUB: being implemented; replace the whole file.
#include "src/ops/ops.h"

namespace ert::rt {
namespace {
class StubOp : public Op {
 public:
  Status prepare(const OpContext& ctx) override { return ctx.fail(ERT_UNSUPPORTED, "not implemented yet"); }
  Status run(const OpContext& ctx) override { return ctx.fail(ERT_UNSUPPORTED, "not implemented yet"); }
};
}  // namespace
std::unique_ptr<Op> make_quantize_op() { return std::make_unique<StubOp>(); }
}  // namespace ert::rt
