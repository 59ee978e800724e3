// Fuses a zero PAD of the spatial axes into the convolution that reads it.
//
//   1. For each PAD of a rank-4 tensor whose padding is zero on N and C and whose value is 0
//      (float) or the input zero point (quantized: both mean real zero).
//   2. Its output must be read only by input 0 of one CONV_2D or DEPTHWISE_CONV_2D with VALID
//      or EXPLICIT padding, and must not be a graph output.
//   3. The convolution then reads the PAD's input with the pads added to its explicit padding:
//      a convolution pads with zeros itself, so the result is the same.
#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

namespace {

// The explicit padding and padding mode of a conv-like op, or null when it has none.
template <typename Options>
bool add_padding(Options* o, int top, int bottom, int left, int right) {
  if (o->padding == fb::Padding::SAME) return false;
  fb::ExplicitPadding p;
  if (o->padding == fb::Padding::EXPLICIT && o->explicit_padding) p = *o->explicit_padding;
  o->explicit_padding = std::make_unique<fb::ExplicitPadding>(
      p.top() + top, p.bottom() + bottom, p.left() + left, p.right() + right);
  o->padding = fb::Padding::EXPLICIT;
  return true;
}

}  // namespace

Status fuse_pad_into_conv(ModelBuilder* builder, PassReport* report) {
  fb::ModelT& m = builder->model();
  std::vector<bool> remove(m.operators.size(), false);
  for (size_t i = 0; i < m.operators.size(); ++i) {
    const fb::OperatorT& pad = *m.operators[i];
    const fb::PadOptionsT* po = pad.options.AsPadOptions();
    if (pad.code != fb::OpCode::PAD || po == nullptr || pad.inputs.size() != 1 ||
        pad.outputs.size() != 1 || po->paddings.size() != 8) {
      continue;
    }
    const auto& pp = po->paddings;
    if (pp[0] != 0 || pp[1] != 0 || pp[6] != 0 || pp[7] != 0) continue;
    const fb::TensorT& in = *m.tensors[size_t(pad.inputs[0])];
    const bool quantized = in.quantization && !in.quantization->scale.empty();
    const double zero = quantized ? double(in.quantization->zero_point[0]) : 0.0;
    if (double(po->constant_value) != zero && !(quantized && po->constant_value == 0.0f)) continue;
    const int out = pad.outputs[0];
    const std::vector<int> readers = consumers_of(m, out);
    if (readers.size() != 1 || is_graph_output(m, out)) continue;
    fb::OperatorT& conv = *m.operators[size_t(readers[0])];
    if (conv.inputs.empty() || conv.inputs[0] != out) continue;
    bool fused = false;
    if (auto* c = conv.options.AsConv2DOptions(); c && conv.code == fb::OpCode::CONV_2D) {
      fused = add_padding(c, pp[2], pp[3], pp[4], pp[5]);
    } else if (auto* d = conv.options.AsDepthwiseConv2DOptions();
               d && conv.code == fb::OpCode::DEPTHWISE_CONV_2D) {
      fused = add_padding(d, pp[2], pp[3], pp[4], pp[5]);
    }
    if (!fused) continue;
    conv.inputs[0] = pad.inputs[0];
    remove[i] = true;
    ++report->pads_fused;
  }
  erase_ops(&m, remove);
  return Status();
}

}  // namespace ert::cvt
