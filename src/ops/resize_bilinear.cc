// RESIZE_BILINEAR: [N, H, W, C] to [N, new_height, new_width, C], TFLite's interpolation.
#include "kernels/resize_bilinear.h"
#include "src/ops/ops.h"
#include "src/runtime/limits.h"

namespace ert::rt {
namespace {

class ResizeBilinearOp : public Op {
 public:
  // Steps: counts, dtypes, rank 4 with height and width >= 1, no fused activation, options
  // present, not both align_corners and half_pixel_centers (TFLite rejects that pair), output
  // size in [1, kMaxDim]; then the output shape, checked against the element cap.
  Status prepare(const OpContext& ctx) override {
    ERT_RETURN_IF_ERROR(ctx.expect_counts(1, 1, 1));
    ERT_RETURN_IF_ERROR(ctx.expect_present(0));
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(in, "input 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_dtype(out, "output 0", ERT_F32));
    ERT_RETURN_IF_ERROR(ctx.expect_rank(in, "input 0", 4, 4));
    if (ctx.op()->activation() != fb::Activation::NONE) {
      return ctx.fail(ERT_UNSUPPORTED, "fused activation %s is not supported, only NONE",
                      fb::EnumNameActivation(ctx.op()->activation()));
    }
    // Every output pixel reads the input image, so it must have at least one pixel.
    if (in.shape.dims[1] < 1 || in.shape.dims[2] < 1) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "input 0 (tensor %d '%s') has height %d and width %d, both must be >= 1",
                      in.index, in.name, int(in.shape.dims[1]), int(in.shape.dims[2]));
    }
    const fb::ResizeOptions* options = nullptr;
    ERT_RETURN_IF_ERROR(ctx.options(&options));
    if (options->align_corners() && options->half_pixel_centers()) {
      return ctx.fail(ERT_INVALID_MODEL,
                      "align_corners and half_pixel_centers are both set; at most one may be");
    }
    const int64_t new_h = options->new_height();
    const int64_t new_w = options->new_width();
    if (new_h < 1 || new_h > kMaxDim || new_w < 1 || new_w > kMaxDim) {
      return ctx.fail(ERT_INVALID_MODEL, "new size %lldx%lld is invalid, each must be in [1, %lld]",
                      static_cast<long long>(new_h), static_cast<long long>(new_w),
                      static_cast<long long>(kMaxDim));
    }
    const kernels::Shape shape{in.shape.dims[0], int32_t(new_h), int32_t(new_w), in.shape.dims[3]};
    size_t bytes = 0;
    const char* why = "";
    if (!tensor_bytes(out.dtype, shape, &bytes, &why)) {
      char dims[96];
      return ctx.fail(ERT_INVALID_MODEL, "output 0 would have shape %s: %s",
                      shape_string(shape, dims, sizeof(dims)), why);
    }
    out.shape = shape;
    params_.align_corners = options->align_corners();
    params_.half_pixel_centers = options->half_pixel_centers();
    return Status();
  }

  Status run(const OpContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = *ctx.output(0);
    kernels::resize_bilinear_f32(params_, in.shape, in.data_as<const float>(), out.shape,
                                 out.data_as<float>());
    return Status();
  }

 private:
  kernels::ResizeBilinearParams params_;
};

}  // namespace

std::unique_ptr<Op> make_resize_bilinear_op() { return std::make_unique<ResizeBilinearOp>(); }

}  // namespace ert::rt
