#!/usr/bin/env python3
"""Lists the convolution, depthwise and fully connected shapes of the shared models.

Reads every .tflite file of a folder with TensorFlow Lite's FlatBuffers schema (the
schema_py_generated module that ships with ai-edge-litert), collects the geometry of each
CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED operator (input, filter and output shapes,
stride, dilation, explicit padding, fused activation, data type, MACs), merges identical
shapes, and picks a representative set for the kernel micro-benchmarks:

  1. the stems (a model's first convolution, the one that reads the image) with most MACs,
  2. the 1x1 convolutions with the most MACs,
  3. the largest convolution with a spatial window that is not a stem,
  4. the 3x3 depthwise convolutions with the most MACs (stride 2 and any stride) and the
     largest 5x5 ones,
  5. the fully connected layers.

Each kind takes its largest layers from the float models and, separately, from the quantized
ones (whose shapes the benchmarks also run in f32).

The selection is written as a C++ header (benchmarks/kernels/model_shapes.h by default) that
the benchmarks in benchmarks/kernels/ include; --list prints every shape found instead, and
--check fails when the checked-in header differs from what the models give now.

Usage:
  benchmarks/model_shapes.py [--models DIR] [--out FILE] [--list] [--check]

Takes about a second. Needs python3 and the ai-edge-litert package (for the schema only).
"""

import argparse
import collections
import os
import sys

# ../shared/models/tflite beside the checkout, as the tests find it.
DEFAULT_MODELS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                              "shared", "models", "tflite"))
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels",
                           "model_shapes.h")

# A layer's geometry. Layers that differ only in data type or fused activation are the same
# shape for a kernel benchmark, so those two live beside it (see collect), not in it.
Shape = collections.namedtuple(
    "Shape",
    "kind n in_h in_w in_c out_h out_w out_c k_h k_w stride_h stride_w dil_h dil_w "
    "pad_top pad_left pad_bottom pad_right")


def load_schema():
    try:
        # Imported here so that --help works without the package.
        from ai_edge_litert import schema_py_generated as schema
    except ImportError:
        sys.exit("model_shapes: needs the TFLite schema from ai-edge-litert "
                 "(python3 -m pip install ai-edge-litert)")
    return schema


def same_padding(in_size, out_size, k, stride, dilation):
    """TFLite's SAME padding: the total split with the smaller half first."""
    effective = (k - 1) * dilation + 1
    total = max((out_size - 1) * stride + effective - in_size, 0)
    return total // 2, total - total // 2


def activation_name(schema, code):
    names = {v: k for k, v in vars(schema.ActivationFunctionType).items() if not k.startswith("_")}
    return names.get(code, str(code)).lower()


def dtype_name(schema, code):
    names = {v: k for k, v in vars(schema.TensorType).items() if not k.startswith("_")}
    return names.get(code, str(code)).lower()


def tensor_shape(sg, index):
    return [int(d) for d in sg.Tensors(index).ShapeAsNumpy()]


def weight_type(schema, sg, producers, index):
    """The stored type of a weight: fp16 or int8 behind a DEQUANTIZE counts as that type."""
    t = sg.Tensors(index)
    src = producers.get(index)
    if src is not None and src[0] == schema.BuiltinOperator.DEQUANTIZE:
        return dtype_name(schema, sg.Tensors(src[1]).Type())
    return dtype_name(schema, t.Type())


def shapes_of_model(schema, path):
    """Yields (Shape, dtype, activation) for the ops this tool measures, in graph order."""
    with open(path, "rb") as f:
        buf = f.read()
    model = schema.Model.GetRootAs(buf, 0)
    sg = model.Subgraphs(0)
    codes = []
    for i in range(model.OperatorCodesLength()):
        oc = model.OperatorCodes(i)
        codes.append(max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode()))
    # Which op writes each tensor, so that a weight behind DEQUANTIZE is seen as stored.
    producers = {}
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        for o in op.OutputsAsNumpy():
            producers[int(o)] = (codes[op.OpcodeIndex()], int(op.InputsAsNumpy()[0]))
    B = schema.BuiltinOperator
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        code = codes[op.OpcodeIndex()]
        if code not in (B.CONV_2D, B.DEPTHWISE_CONV_2D, B.FULLY_CONNECTED):
            continue
        ins = [int(x) for x in op.InputsAsNumpy()]
        outs = [int(x) for x in op.OutputsAsNumpy()]
        in_shape = tensor_shape(sg, ins[0])
        w_shape = tensor_shape(sg, ins[1])
        out_shape = tensor_shape(sg, outs[0])
        act_type = dtype_name(schema, sg.Tensors(ins[0]).Type())
        w_type = weight_type(schema, sg, producers, ins[1])
        dtype = act_type if w_type == act_type else f"{act_type}/{w_type}"
        table = op.BuiltinOptions()
        if code == B.FULLY_CONNECTED:
            opts = schema.FullyConnectedOptions()
            opts.Init(table.Bytes, table.Pos)
            units, depth = w_shape
            rows = 1
            for d in in_shape:
                rows *= d
            rows //= depth
            # A fully connected layer is a 1x1 convolution over `rows` pixels.
            yield (Shape("fc", 1, 1, rows, depth, 1, rows, units, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0),
                   dtype, activation_name(schema, opts.FusedActivationFunction()))
            continue
        if code == B.CONV_2D:
            opts = schema.Conv2DOptions()
            kind = "conv"
        else:
            opts = schema.DepthwiseConv2DOptions()
            kind = "dw"
        opts.Init(table.Bytes, table.Pos)
        n, in_h, in_w, in_c = in_shape
        _, out_h, out_w, out_c = out_shape
        k_h, k_w = w_shape[1], w_shape[2]
        sh, sw = opts.StrideH(), opts.StrideW()
        dh, dw = opts.DilationHFactor(), opts.DilationWFactor()
        if opts.Padding() == schema.Padding.SAME:
            top, bottom = same_padding(in_h, out_h, k_h, sh, dh)
            left, right = same_padding(in_w, out_w, k_w, sw, dw)
        else:
            top = bottom = left = right = 0
        if kind == "conv" and w_shape[3] != in_c:
            kind = "grouped_conv"
        yield (Shape(kind, n, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w, sh, sw, dh, dw,
                     top, left, bottom, right),
               dtype, activation_name(schema, opts.FusedActivationFunction()))


def macs(s):
    if s.kind == "dw":
        return s.n * s.out_h * s.out_w * s.out_c * s.k_h * s.k_w
    return s.n * s.out_h * s.out_w * s.out_c * s.k_h * s.k_w * s.in_c


def label(s):
    """A short readable name, e.g. conv1x1_56x56x144to24_s1 or fc_1x1152to1."""
    if s.kind == "fc":
        return f"fc_{s.in_w}x{s.in_c}to{s.out_c}"
    win = f"{s.k_h}x{s.k_w}"
    stride = f"s{s.stride_h}" if s.stride_h == s.stride_w else f"s{s.stride_h}x{s.stride_w}"
    dil = "" if (s.dil_h, s.dil_w) == (1, 1) else f"_d{s.dil_h}"
    if s.kind == "dw":
        return f"dw{win}_{s.in_h}x{s.in_w}x{s.in_c}_{stride}{dil}"
    return f"conv{win}_{s.in_h}x{s.in_w}x{s.in_c}to{s.out_c}_{stride}{dil}"


def model_short_name(path):
    base = os.path.splitext(os.path.basename(path))[0]
    return base.split("__", 1)[-1]


def collect(folder):
    """Returns {Shape: info} over all models, in first-seen order.

    info holds "count" (ops with this shape), "models" (short names), "dtypes" and
    "activations" (as the models have them) and "stem" (true when it is some model's first
    convolution, the one that reads the image).
    """
    schema = load_schema()
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".tflite"))
    if not paths:
        sys.exit(f"model_shapes: no .tflite files in {folder}")
    found = collections.OrderedDict()
    for path in paths:
        first_conv = True
        name = model_short_name(path)
        for s, dtype, activation in shapes_of_model(schema, path):
            stem = first_conv and s.kind == "conv"
            if s.kind == "conv":
                first_conv = False
            info = found.setdefault(
                s, {"count": 0, "models": [], "dtypes": [], "activations": [], "stem": False})
            info["count"] += 1
            info["stem"] = info["stem"] or stem
            for key, value in (("models", name), ("dtypes", dtype), ("activations", activation)):
                if value not in info[key]:
                    info[key].append(value)
    return found


def quantized(info):
    """True when the layer runs on 8-bit activations in every model that has it."""
    return all(d.split("/")[0] in ("uint8", "int8") for d in info["dtypes"])


def select(found):
    """The representative set, as (reason, Shape) in a stable order.

    Every kind takes its largest layers by MACs, counting float models and quantized ones
    separately: the benchmarks run in f32, and the float models' layers would otherwise be
    crowded out by the one large quantized detector.
    """
    by_macs = sorted(found, key=lambda s: (-macs(s), label(s)))
    picked = collections.OrderedDict()

    def take(reason, test, n_float, n_quant):
        left = {False: n_float, True: n_quant}
        for s in by_macs:
            q = quantized(found[s])
            if s in picked or not test(s) or left[q] == 0:
                continue
            picked[s] = reason
            left[q] -= 1

    def window(s):
        return (s.k_h, s.k_w)

    take("stem, most MACs", lambda s: found[s]["stem"], 3, 1)
    take("1x1 conv, most MACs", lambda s: s.kind == "conv" and window(s) == (1, 1), 3, 2)
    take("spatial conv, most MACs",
         lambda s: s.kind == "conv" and window(s) != (1, 1) and not found[s]["stem"], 1, 1)
    take("3x3 depthwise stride 2, most MACs",
         lambda s: s.kind == "dw" and window(s) == (3, 3) and s.stride_h == 2, 1, 1)
    take("3x3 depthwise, most MACs", lambda s: s.kind == "dw" and window(s) == (3, 3), 2, 1)
    take("5x5 depthwise, most MACs", lambda s: s.kind == "dw" and window(s) == (5, 5), 2, 0)
    take("fully connected, most MACs", lambda s: s.kind == "fc", 2, 2)
    return [(reason, s) for s, reason in picked.items()]


def header_text(found, chosen):
    kinds = {"conv": "kConv", "grouped_conv": "kConv", "dw": "kDepthwise", "fc": "kFullyConnected"}
    lines = [
        "// Generated by benchmarks/model_shapes.py from the shared .tflite models; do not edit by",
        "// hand (run the script again, or --check it). A representative set of the convolution,",
        "// depthwise and fully connected shapes of those models, for the kernel micro-benchmarks",
        "// (benchmarks/kernels/), which run them all in f32 whatever the model's type. A fully",
        "// connected layer is stored as a 1x1 convolution over in_w rows of in_c values.",
        "#ifndef ERT_BENCHMARKS_KERNELS_MODEL_SHAPES_H_",
        "#define ERT_BENCHMARKS_KERNELS_MODEL_SHAPES_H_",
        "",
        "#include <cstdint>",
        "",
        "namespace ert::bench {",
        "",
        "enum class LayerKind { kConv, kDepthwise, kFullyConnected };",
        "",
        "/// One layer's geometry as the model has it, with why it was picked and where it occurs.",
        "struct LayerShape {",
        "  const char* name;",
        "  LayerKind kind;",
        "  int32_t n, in_h, in_w, in_c;",
        "  int32_t out_h, out_w, out_c;",
        "  int32_t k_h, k_w, stride_h, stride_w, dilation_h, dilation_w;",
        "  int32_t pad_top, pad_left, pad_bottom, pad_right;",
        "  int64_t macs;",
        "  int32_t occurrences;  // Ops with exactly this geometry, over all the models.",
        "  const char* dtypes;   // As the models store it (activations/weights when they differ).",
        "  const char* reason;",
        "  const char* models;",
        "};",
        "",
        "// The table keeps one line per field group, which clang-format would reflow.",
        "// clang-format off",
        "inline constexpr LayerShape kModelShapes[] = {",
    ]
    for reason, s in chosen:
        info = found[s]
        models = ", ".join(info["models"])
        dtypes = ", ".join(info["dtypes"])
        lines.append(f"    // {reason}: {macs(s) / 1e6:.2f} MMAC.")
        lines.append(f'    {{"{label(s)}", LayerKind::{kinds[s.kind]},')
        lines.append(
            f"     {s.n}, {s.in_h}, {s.in_w}, {s.in_c}, {s.out_h}, {s.out_w}, {s.out_c}, "
            f"{s.k_h}, {s.k_w}, {s.stride_h}, {s.stride_w}, {s.dil_h}, {s.dil_w}, "
            f"{s.pad_top}, {s.pad_left}, {s.pad_bottom}, {s.pad_right}, {macs(s)}, "
            f'{info["count"]},')
        lines.append(f'     "{dtypes}", "{reason}",')
        lines.append(f'     "{models}"}},')
    lines += [
        "};",
        "// clang-format on",
        "",
        "}  // namespace ert::bench",
        "",
        "#endif  // ERT_BENCHMARKS_KERNELS_MODEL_SHAPES_H_",
        "",
    ]
    return "\n".join(lines)


def print_list(found):
    print(f"{'shape':40} {'dtypes':24} {'activations':12} {'MMAC':>8} {'count':>5}  models")
    total = collections.Counter()
    for s in sorted(found, key=lambda s: (s.kind, -macs(s), label(s))):
        info = found[s]
        total[s.kind] += macs(s) * info["count"]
        stem = " (stem)" if info["stem"] else ""
        print(f"{label(s) + stem:40} {','.join(info['dtypes']):24} "
              f"{','.join(info['activations']):12} {macs(s) / 1e6:8.2f} {info['count']:5}  "
              f"{', '.join(info['models'])}")
    for kind, m in sorted(total.items()):
        print(f"total {kind}: {m / 1e6:.1f} MMAC")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--models", default=DEFAULT_MODELS, help="folder of .tflite files")
    parser.add_argument("--out", default=DEFAULT_OUT, help="header to write")
    parser.add_argument("--list", action="store_true", help="print every shape found and exit")
    parser.add_argument("--check", action="store_true",
                        help="fail when --out differs from what the models give")
    args = parser.parse_args()
    found = collect(args.models)
    if args.list:
        print_list(found)
        return 0
    text = header_text(found, select(found))
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            sys.exit(f"model_shapes: cannot read {args.out}: {e.strerror}")
        if current != text:
            sys.exit(f"model_shapes: {args.out} is out of date; run benchmarks/model_shapes.py")
        print(f"model_shapes: {args.out} is up to date")
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"model_shapes: wrote {text.count('LayerKind::k')} shapes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
