// Post-training full-integer quantization: every op that has an int8 kernel computes in int8,
// with TFLite's scheme (asymmetric per-tensor int8 activations, symmetric per-channel int8
// convolution weights, int32 biases at input scale x weight scale); the rest stay in float with
// DEQUANTIZE and QUANTIZE where the two meet. Graph inputs and outputs stay f32 under their
// names, so an int8 model is a drop-in for the float one.
//
//   1. Walk the ops in execution order, building a new op list.
//   2. An op goes int8 when it has a rule below, is not kept in float by the options, its
//      weights are f32 constants and every activation it reads or writes has a calibrated range
//      (or a fixed one).
//   3. For an int8 op: each activation input is read in int8 (the tensor itself when its
//      producer went int8, else a QUANTIZE'd twin made once); weights are quantized per output
//      channel, biases to int32, other constants per tensor; each output becomes int8 with the
//      quantization its rule gives (calibrated, fixed, or the input's). A graph output keeps its
//      f32 tensor, written by a DEQUANTIZE from an int8 twin.
//   4. For a float op: each input that went int8 is read through a DEQUANTIZE'd twin made once.
// The float constants this replaces become dead; remove_dead_tensors drops them.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "src/convert/graph_utils.h"
#include "src/convert/passes.h"

namespace ert::cvt {

namespace {

/// Where an int8 op's output quantization comes from.
enum class OutputQuant {
  kCalibrated,   // From the output's calibrated range.
  kSameAsInput,  // The input's (ops that move bytes: the values keep their meaning).
  kFixed,        // A fixed scale and zero point (TFLite's for LOGISTIC, TANH, SOFTMAX).
};

struct Int8Rule {
  fb::OpCode code;
  OutputQuant output;
  int filter_slot;     // Input holding per-channel weights, or -1.
  int filter_axis;     // Output-channel axis of those weights.
  int bias_slot;       // Input holding the bias, or -1.
  float fixed_scale;   // kFixed only.
  int fixed_zero;      // kFixed only.
};

// The ops with an int8 reference kernel (src/ops/). A new int8 kernel gets a row here.
constexpr Int8Rule kRules[] = {
    {fb::OpCode::CONV_2D, OutputQuant::kCalibrated, 1, 0, 2, 0, 0},
    {fb::OpCode::DEPTHWISE_CONV_2D, OutputQuant::kCalibrated, 1, 3, 2, 0, 0},
    {fb::OpCode::ADD, OutputQuant::kCalibrated, -1, 0, -1, 0, 0},
    {fb::OpCode::CONCATENATION, OutputQuant::kCalibrated, -1, 0, -1, 0, 0},
    {fb::OpCode::LOGISTIC, OutputQuant::kFixed, -1, 0, -1, 1.0f / 256.0f, -128},
    {fb::OpCode::RESHAPE, OutputQuant::kSameAsInput, -1, 0, -1, 0, 0},
    {fb::OpCode::PAD, OutputQuant::kSameAsInput, -1, 0, -1, 0, 0},
    {fb::OpCode::MAX_POOL_2D, OutputQuant::kSameAsInput, -1, 0, -1, 0, 0},
};

const Int8Rule* rule_for(fb::OpCode code) {
  for (const Int8Rule& r : kRules) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

std::unique_ptr<fb::QuantizationT> per_tensor(float scale, int64_t zero_point) {
  auto q = std::make_unique<fb::QuantizationT>();
  q->scale = {scale};
  q->zero_point = {zero_point};
  return q;
}

/// Asymmetric int8 for values in [lo, hi]: the range is widened to hold 0 exactly (zero padding
/// and ReLU outputs must be representable), then spread over the 256 levels.
std::unique_ptr<fb::QuantizationT> asymmetric_int8(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  if (hi - lo < 1e-8f) hi = lo + 1e-8f;
  const float scale = (hi - lo) / 255.0f;
  const float zero = std::nearbyint(-128.0f - lo / scale);
  return per_tensor(scale, int64_t(std::clamp(zero, -128.0f, 127.0f)));
}

std::vector<float> f32_values(ModelBuilder& builder, const fb::TensorT& t) {
  const std::vector<uint8_t>& bytes = builder.segments()[size_t(t.segment)];
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

int64_t element_count(const fb::TensorT& t) {
  int64_t n = 1;
  for (int32_t d : t.shape) n *= d;
  return n;
}

class Int8Rewriter {
 public:
  Int8Rewriter(ModelBuilder* builder, const Int8Options& options, PassReport* report)
      : builder_(*builder), m_(builder->model()), options_(options), report_(*report) {}

  Status run() {
    std::vector<std::unique_ptr<fb::OperatorT>> ops = std::move(m_.operators);
    m_.operators.clear();
    is_int8_.assign(m_.tensors.size(), false);
    for (std::unique_ptr<fb::OperatorT>& op : ops) {
      const Int8Rule* rule = rule_for(op->code);
      if (rule != nullptr && can_go_int8(*op, *rule)) {
        ERT_RETURN_IF_ERROR(emit_int8(std::move(op), *rule));
        ++report_.ops_int8;
      } else {
        emit_float(std::move(op));
        ++report_.ops_float;
      }
    }
    return Status();
  }

 private:
  bool is_constant(int t) const { return t >= 0 && m_.tensors[size_t(t)]->segment >= 0; }
  const fb::TensorT& tensor(int t) const { return *m_.tensors[size_t(t)]; }
  bool has_range(int t) const { return options_.ranges->count(tensor(t).name) != 0; }

  // Step 2.
  bool can_go_int8(const fb::OperatorT& op, const Int8Rule& rule) const {
    const std::string name = fb::EnumNameOpCode(op.code);
    if (std::find(options_.keep_float.begin(), options_.keep_float.end(), name) !=
        options_.keep_float.end()) {
      return false;
    }
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      const int t = op.inputs[k];
      if (t < 0) continue;
      const fb::TensorT& x = tensor(t);
      if (is_constant(t)) {
        if (x.dtype != fb::DType::F32) return false;
        continue;
      }
      if (!is_int8_[size_t(t)] && (x.dtype != fb::DType::F32 || !has_range(t))) return false;
    }
    if (rule.filter_slot >= 0 &&
        (int(op.inputs.size()) <= rule.filter_slot || !is_constant(op.inputs[size_t(rule.filter_slot)]))) {
      return false;
    }
    for (int o : op.outputs) {
      if (tensor(o).dtype != fb::DType::F32) return false;
      if (rule.output == OutputQuant::kCalibrated && !has_range(o)) return false;
    }
    return true;
  }

  int add_tensor_like(int t, const std::string& suffix, fb::DType dtype,
                      std::unique_ptr<fb::QuantizationT> quant) {
    auto copy = std::make_unique<fb::TensorT>();
    copy->name = tensor(t).name + suffix;
    copy->dtype = dtype;
    copy->shape = tensor(t).shape;
    copy->quantization = std::move(quant);
    m_.tensors.push_back(std::move(copy));
    is_int8_.push_back(dtype == fb::DType::I8);
    return int(m_.tensors.size()) - 1;
  }

  int add_constant(const std::string& name, fb::DType dtype, const std::vector<int32_t>& shape,
                   std::vector<uint8_t> bytes, std::unique_ptr<fb::QuantizationT> quant) {
    builder_.segments().push_back(std::move(bytes));
    auto t = std::make_unique<fb::TensorT>();
    t->name = name;
    t->dtype = dtype;
    t->shape = shape;
    t->quantization = std::move(quant);
    t->segment = int(builder_.segments().size()) - 1;
    m_.tensors.push_back(std::move(t));
    is_int8_.push_back(dtype == fb::DType::I8);
    return int(m_.tensors.size()) - 1;
  }

  void emit(fb::OpCode code, int in, int out) {
    auto op = std::make_unique<fb::OperatorT>();
    op->code = code;
    op->inputs = {in};
    op->outputs = {out};
    m_.operators.push_back(std::move(op));
    ++report_.conversions_inserted;
  }

  const fb::QuantizationT& quant_of(int t) const { return *tensor(t).quantization; }

  /// The int8 form of activation t (step 3).
  int as_int8(int t) {
    if (is_int8_[size_t(t)]) return t;
    const auto it = int8_twin_.find(t);
    if (it != int8_twin_.end()) return it->second;
    const TensorRange& r = options_.ranges->at(tensor(t).name);
    const int twin = add_tensor_like(t, "/int8", fb::DType::I8, asymmetric_int8(r.min, r.max));
    emit(fb::OpCode::QUANTIZE, t, twin);
    int8_twin_[t] = twin;
    return twin;
  }

  /// The f32 form of activation t (step 4).
  int as_float(int t) {
    if (!is_int8_[size_t(t)]) return t;
    const auto it = float_twin_.find(t);
    if (it != float_twin_.end()) return it->second;
    const int twin = add_tensor_like(t, "/float", fb::DType::F32, nullptr);
    emit(fb::OpCode::DEQUANTIZE, t, twin);
    float_twin_[t] = twin;
    return twin;
  }

  /// Symmetric int8 weights, one scale per slice along `axis`.
  int quantize_filter(int t, int axis, std::vector<float>* scales) {
    const fb::TensorT& w = tensor(t);
    const std::vector<float> v = f32_values(builder_, w);
    const int rank = int(w.shape.size());
    axis = std::clamp(axis, 0, std::max(rank - 1, 0));
    const int64_t channels = rank > 0 ? w.shape[size_t(axis)] : 1;
    int64_t inner = 1;
    for (int d = axis + 1; d < rank; ++d) inner *= w.shape[size_t(d)];
    const auto channel_of = [&](size_t i) { return int64_t(i / size_t(inner)) % channels; };
    scales->assign(size_t(channels), 0.0f);
    for (size_t i = 0; i < v.size(); ++i) {
      float& s = (*scales)[size_t(channel_of(i))];
      s = std::max(s, std::fabs(v[i]));
    }
    for (float& s : *scales) s = s > 0 ? s / 127.0f : 1.0f;  // All-zero channel: any scale.
    std::vector<uint8_t> q(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      const float x = std::nearbyint(v[i] / (*scales)[size_t(channel_of(i))]);
      q[i] = uint8_t(int8_t(std::clamp(x, -127.0f, 127.0f)));
    }
    auto quant = std::make_unique<fb::QuantizationT>();
    quant->scale = *scales;
    quant->zero_point.assign(scales->size(), 0);
    quant->axis = axis;
    return add_constant(w.name + "/int8", fb::DType::I8, w.shape, std::move(q), std::move(quant));
  }

  /// int32 bias at input scale x weight scale of its channel.
  int quantize_bias(int t, float input_scale, const std::vector<float>& filter_scales) {
    const fb::TensorT& b = tensor(t);
    const std::vector<float> v = f32_values(builder_, b);
    std::vector<int32_t> q(v.size());
    auto quant = std::make_unique<fb::QuantizationT>();
    quant->axis = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const float s = input_scale * filter_scales[std::min(i, filter_scales.size() - 1)];
      const double x = std::nearbyint(double(v[i]) / double(s));
      q[i] = int32_t(std::clamp(x, double(std::numeric_limits<int32_t>::min()),
                                double(std::numeric_limits<int32_t>::max())));
      quant->scale.push_back(s);
      quant->zero_point.push_back(0);
    }
    std::vector<uint8_t> bytes(q.size() * sizeof(int32_t));
    std::memcpy(bytes.data(), q.data(), bytes.size());
    return add_constant(b.name + "/int32", fb::DType::I32, b.shape, std::move(bytes), std::move(quant));
  }

  /// Asymmetric per-tensor int8 for a constant read as an activation (e.g. ADD's second input).
  int quantize_constant(int t) {
    const fb::TensorT& c = tensor(t);
    const std::vector<float> v = f32_values(builder_, c);
    float lo = 0, hi = 0;
    for (float x : v) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    auto quant = asymmetric_int8(lo, hi);
    const float scale = quant->scale[0];
    const float zero = float(quant->zero_point[0]);
    std::vector<uint8_t> q(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      q[i] = uint8_t(int8_t(std::clamp(std::nearbyint(v[i] / scale) + zero, -128.0f, 127.0f)));
    }
    return add_constant(c.name + "/int8", fb::DType::I8, c.shape, std::move(q), std::move(quant));
  }

  // Step 3.
  Status emit_int8(std::unique_ptr<fb::OperatorT> op, const Int8Rule& rule) {
    std::vector<float> filter_scales;
    for (size_t k = 0; k < op->inputs.size(); ++k) {
      const int t = op->inputs[k];
      if (t < 0 || int(k) == rule.bias_slot) continue;
      if (int(k) == rule.filter_slot) {
        op->inputs[k] = quantize_filter(t, rule.filter_axis, &filter_scales);
      } else if (is_constant(t)) {
        op->inputs[k] = quantize_constant(t);
      } else {
        op->inputs[k] = as_int8(t);
      }
    }
    if (rule.bias_slot >= 0 && int(op->inputs.size()) > rule.bias_slot &&
        op->inputs[size_t(rule.bias_slot)] >= 0) {
      const int bias = op->inputs[size_t(rule.bias_slot)];
      if (!is_constant(bias) || element_count(tensor(bias)) != int64_t(filter_scales.size())) {
        return rt::make_status(ERT_INVALID_MODEL, "op %s: bias tensor '%s' is not a constant of one value per output channel",
                               fb::EnumNameOpCode(op->code), tensor(bias).name.c_str());
      }
      op->inputs[size_t(rule.bias_slot)] =
          quantize_bias(bias, quant_of(op->inputs[0]).scale[0], filter_scales);
    }
    std::vector<std::pair<int, int>> dequantize_after;  // (int8 twin, f32 graph output)
    for (int& o : op->outputs) {
      std::unique_ptr<fb::QuantizationT> quant;
      if (rule.output == OutputQuant::kFixed) {
        quant = per_tensor(rule.fixed_scale, rule.fixed_zero);
      } else if (rule.output == OutputQuant::kSameAsInput) {
        quant = std::make_unique<fb::QuantizationT>(quant_of(op->inputs[0]));
      } else {
        const TensorRange& r = options_.ranges->at(tensor(o).name);
        quant = asymmetric_int8(r.min, r.max);
      }
      if (is_graph_output(m_, o)) {
        const int twin = add_tensor_like(o, "/int8", fb::DType::I8, std::move(quant));
        dequantize_after.emplace_back(twin, o);
        int8_twin_[o] = twin;  // Later int8 readers of the output take the twin.
        o = twin;
      } else {
        fb::TensorT& t = *m_.tensors[size_t(o)];
        t.dtype = fb::DType::I8;
        t.quantization = std::move(quant);
        is_int8_[size_t(o)] = true;
      }
    }
    m_.operators.push_back(std::move(op));
    for (const auto& [twin, output] : dequantize_after) emit(fb::OpCode::DEQUANTIZE, twin, output);
    return Status();
  }

  // Step 4.
  void emit_float(std::unique_ptr<fb::OperatorT> op) {
    for (int& t : op->inputs) {
      if (t >= 0 && !is_constant(t)) t = as_float(t);
    }
    m_.operators.push_back(std::move(op));
  }

  ModelBuilder& builder_;
  fb::ModelT& m_;
  const Int8Options& options_;
  PassReport& report_;
  std::vector<bool> is_int8_;          // Per tensor: it holds int8 now.
  std::map<int, int> int8_twin_;       // f32 activation -> its QUANTIZE'd twin.
  std::map<int, int> float_twin_;      // int8 activation -> its DEQUANTIZE'd twin.
};

}  // namespace

std::vector<std::string> int8_op_names() {
  std::vector<std::string> names;
  for (const Int8Rule& r : kRules) names.emplace_back(fb::EnumNameOpCode(r.code));
  return names;
}

Status quantize_int8(ModelBuilder* builder, const Int8Options& options, PassReport* report) {
  if (options.ranges == nullptr) {
    return Status(ERT_INVALID_ARGUMENT, "int8 quantization needs calibrated tensor ranges");
  }
  return Int8Rewriter(builder, options, report).run();
}

}  // namespace ert::cvt
