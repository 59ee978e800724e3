#!/usr/bin/env python3
"""Survey of TensorFlow Lite models: per model, the op types with their options of note, the
tensor dtypes, and what edgert's importer will make of them.

Usage: survey_tflite_ops.py [DIR_OR_FILE ...]   (default: ../../../shared/models/tflite)

It reads the files with the FlatBuffers schema that ships with ai-edge-litert and cross-checks
the op and tensor counts with ai-edge-litert's interpreter. It is a tool for the team (which ops
and flags real models use); tests/convert/tflite_importer_test.cc records the counts it prints.
"""

import collections
import glob
import os
import sys

import numpy as np
from ai_edge_litert import schema_py_generated as tfl

# TFLite ops that edgert's importer maps onto an edgert op (src/convert/tflite_importer.cc).
MAPPED = {
    "ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM", "CONV_2D", "DEPTHWISE_CONV_2D",
    "TRANSPOSE_CONV", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D", "MEAN",
    "CONCATENATION", "PAD", "PADV2", "RESHAPE", "SLICE", "STRIDED_SLICE", "TRANSPOSE",
    "DEPTH_TO_SPACE", "SPACE_TO_DEPTH", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "SOFTMAX",
    "LOGISTIC", "TANH", "RELU", "RELU6", "HARD_SWISH", "PRELU", "LEAKY_RELU",
}
# Inputs of each mapped op that are parameters (constant tensors turned into edgert options).
PARAM_INPUTS = {
    "PAD": {1}, "PADV2": {1, 2}, "RESHAPE": {1}, "MEAN": {1}, "SLICE": {1, 2},
    "STRIDED_SLICE": {1, 2, 3}, "TRANSPOSE": {1}, "RESIZE_BILINEAR": {1},
    "RESIZE_NEAREST_NEIGHBOR": {1}, "TRANSPOSE_CONV": {0},
}

OP_NAMES = {v: k for k, v in vars(tfl.BuiltinOperator).items() if not k.startswith("_")}
TYPE_NAMES = {v: k for k, v in vars(tfl.TensorType).items() if not k.startswith("_")}
ACT_NAMES = {v: k for k, v in vars(tfl.ActivationFunctionType).items() if not k.startswith("_")}
PAD_NAMES = {v: k for k, v in vars(tfl.Padding).items() if not k.startswith("_")}


def op_name(model, op):
    code = model.operatorCodes[op.opcodeIndex]
    eff = max(code.builtinCode, code.deprecatedBuiltinCode)
    name = OP_NAMES.get(eff, "BUILTIN_%d" % eff)
    if name == "CUSTOM":
        custom = code.customCode.decode() if code.customCode else ""
        return "CUSTOM '%s'" % custom, code.version
    return name, code.version


def const_values(model, sg, index):
    t = sg.tensors[index]
    buf = model.buffers[t.buffer]
    if buf.data is None or len(buf.data) == 0:
        return None
    dtype = {tfl.TensorType.INT32: np.int32, tfl.TensorType.INT64: np.int64,
             tfl.TensorType.FLOAT32: np.float32}.get(t.type)
    if dtype is None:
        return None
    return np.frombuffer(bytes(bytearray(buf.data)), dtype=dtype).tolist()


def notes_of(model, sg, op, name):
    """Options of note for one op, as a short string (empty when there is nothing to say)."""
    o = op.builtinOptions
    act = lambda: ACT_NAMES.get(o.fusedActivationFunction, "?")
    if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        s = "%s s%dx%d" % (PAD_NAMES[o.padding], o.strideH, o.strideW)
        if o.dilationHFactor != 1 or o.dilationWFactor != 1:
            s += " d%dx%d" % (o.dilationHFactor, o.dilationWFactor)
        return s + " " + act()
    if name in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        return "%s k%dx%d s%dx%d %s" % (PAD_NAMES[o.padding], o.filterHeight, o.filterWidth,
                                        o.strideH, o.strideW, act())
    if name in ("ADD", "SUB", "MUL", "DIV", "FULLY_CONNECTED", "CONCATENATION"):
        s = act() if o is not None else "NONE"
        if name == "CONCATENATION":
            s = "axis %d %s" % (o.axis, s)
        if name == "FULLY_CONNECTED":
            s += " keep_num_dims=%d" % o.keepNumDims
        return s
    if name in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        size = const_values(model, sg, op.inputs[1])
        return "size %s align_corners=%d half_pixel=%d" % (size, o.alignCorners,
                                                           o.halfPixelCenters)
    if name == "PAD":
        return "paddings %s" % const_values(model, sg, op.inputs[1])
    if name == "RESHAPE":
        shape = const_values(model, sg, op.inputs[1]) if len(op.inputs) > 1 else None
        return "shape %s" % (shape if shape is not None else [int(d) for d in o.newShape])
    if name == "MEAN":
        return "axes %s keep_dims=%d" % (const_values(model, sg, op.inputs[1]), o.keepDims)
    if name == "STRIDED_SLICE":
        b, e, st = (const_values(model, sg, op.inputs[i]) for i in (1, 2, 3))
        return "begin %s end %s strides %s masks b%d e%d s%d" % (
            b, e, st, o.beginMask, o.endMask, o.shrinkAxisMask)
    if name in ("DEPTH_TO_SPACE", "SPACE_TO_DEPTH"):
        return "block %d" % o.blockSize
    if name == "SOFTMAX":
        return "beta %g" % o.beta
    if name == "DEQUANTIZE":
        src = sg.tensors[op.inputs[0]]
        const = model.buffers[src.buffer].data is not None
        return "%s%s%s" % (TYPE_NAMES[src.type], " constant" if const else "",
                           " sparse" if src.sparsity is not None else "")
    if name == "DENSIFY":
        src = sg.tensors[op.inputs[0]]
        return "%s sparse" % TYPE_NAMES[src.type]
    if name.startswith("CUSTOM"):
        raw = bytes(bytearray(op.customOptions)) if op.customOptions is not None else b""
        s = "%d inputs, custom_options %d bytes" % (len(op.inputs), len(raw))
        if name == "CUSTOM 'Convolution2DTransposeBias'" and len(raw) >= 12:
            # MediaPipe stores TFLite's TfLiteTransposeConvParams struct as raw bytes.
            padding, stride_w, stride_h = np.frombuffer(raw[:12], dtype=np.int32).tolist()
            s += ": padding %s stride %dx%d" % ({1: "SAME", 2: "VALID"}.get(padding, padding),
                                                stride_h, stride_w)
        elif raw:
            try:
                from flatbuffers import flexbuffers
                opts = flexbuffers.Loads(raw)
                s += ": " + ", ".join("%s=%s" % (k, opts[k]) for k in sorted(opts))
            except Exception:  # Not a FlexBuffer map: the byte count says enough.
                pass
        return s
    return ""


def survey(path):
    with open(path, "rb") as f:
        data = f.read()
    model = tfl.ModelT.InitFromPackedBuf(data, 0)
    sg = model.subgraphs[0]
    ops = sg.operators or []
    tensors = sg.tensors or []

    by_type = collections.OrderedDict()
    unsupported = []
    used = set(sg.inputs.tolist()) | set(sg.outputs.tolist())
    for i, op in enumerate(ops):
        name, version = op_name(model, op)
        entry = by_type.setdefault(
            name, {"count": 0, "versions": set(), "notes": collections.Counter()})
        entry["count"] += 1
        entry["versions"].add(version)
        note = notes_of(model, sg, op, name)
        if note:
            entry["notes"][note] += 1
        if name in MAPPED:
            params = PARAM_INPUTS.get(name, set())
            used.update(t for k, t in enumerate(op.inputs.tolist()) if t >= 0 and k not in params)
            used.update(op.outputs.tolist())
        else:
            unsupported.append((i, name))

    dtypes = collections.Counter(TYPE_NAMES[t.type] for t in tensors)
    const_dtypes = collections.Counter(
        TYPE_NAMES[t.type] for t in tensors
        if model.buffers[t.buffer].data is not None and len(model.buffers[t.buffer].data) > 0)
    sparse = sum(1 for t in tensors if t.sparsity is not None)
    quantized = sum(1 for t in tensors if t.quantization is not None and
                    t.quantization.scale is not None and len(t.quantization.scale) > 0)
    external = sum(1 for b in model.buffers if b.offset > 1)

    # Cross-check with the reference runtime's own view of the graph.
    from ai_edge_litert.interpreter import Interpreter
    interp = Interpreter(model_path=path)
    ref_ops = len(interp._get_ops_details())
    ref_tensors = len(interp.get_tensor_details())

    name = os.path.basename(path)
    print("## %s" % name)
    print("ops %d (interpreter %d), tensors %d (interpreter %d), subgraphs %d, buffers %d "
          "(external %d), schema version %d" % (len(ops), ref_ops, len(tensors), ref_tensors,
                                                len(model.subgraphs), len(model.buffers),
                                                external, model.version))
    for i in sg.inputs:
        t = tensors[i]
        print("input  %d '%s' %s %s" % (i, t.name.decode(), TYPE_NAMES[t.type], t.shape.tolist()))
    for i in sg.outputs:
        t = tensors[i]
        shape = t.shape.tolist() if t.shape is not None else []
        print("output %d '%s' %s %s" % (i, t.name.decode(), TYPE_NAMES[t.type], shape))
    print("tensor dtypes %s; constants %s; quantized %d; sparse %d" % (
        dict(dtypes), dict(const_dtypes), quantized, sparse))
    print("%-30s %5s %-8s %s" % ("op", "count", "versions", "options of note (count)"))
    for op, e in by_type.items():
        notes = "; ".join("%s (%d)" % (n, c) for n, c in e["notes"].most_common())
        print("%-30s %5d %-8s %s" % (op, e["count"], ",".join(map(str, sorted(e["versions"]))),
                                     notes))
    groups = collections.Counter(n for _, n in unsupported)
    print("importer: %d unsupported ops %s; edgert tensors if all were mapped: %d" % (
        len(unsupported), dict(groups), len(used)))
    if unsupported:
        print("first unsupported: %s" % ", ".join("op %d %s" % u for u in unsupported[:3]))
    print()


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    args = argv[1:] or [os.path.join(here, "..", "..", "..", "shared", "models", "tflite")]
    files = []
    for a in args:
        files += sorted(glob.glob(os.path.join(a, "*.tflite"))) if os.path.isdir(a) else [a]
    if not files:
        print("no .tflite files found in %s" % args, file=sys.stderr)
        return 1
    for f in files:
        survey(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
